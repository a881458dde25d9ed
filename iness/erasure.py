"""Erasing a person: one service, for "delete my data" and for the retention period alike.

`erase_person(person, by=...)` erases everything the site holds about a person:

1. each app's records of the person (`PersonalRecords`, registered in the app's
   `AppConfig.ready()`, since `iness` depends on no app): a sign-up is cancelled first so that
   its seat goes to the waiting list, a proposal is withdrawn or leaves the programme, then
   their own fields (organisation, free texts, private link) are erased and one history line
   of kind "erased" says so;
2. every outgoing mail of the person (`OutgoingMail.person`: mail sent to them, whatever
   address it went to, and the organisers' notices that give their details): deleted if not
   sent, emptied if sent;
3. the admin's history (`django_admin_log`) of the person and of every row that points to
   them: its text (object name, change message) is erased, the line stays;
4. the sessions that hold a result page about them, and a "Lost your link?" request for
   their address that the mail worker has not answered yet (no rate-limit counter is kept by
   address: the hourly budget of mails is counted on their outgoing mail, erased above);
5. the person: name, address and its key, news wish; `anonymised_at` says when.

`purge_personal_data` (the command, daily) runs each app's retention (records of days past
`RETENTION_DAYS`), the mail of those days, and then the same `erase_person` for every person no
record needs any more, apart from two things the privacy notice promises: a person who asked
for news keeps their name and address until three years after their last INESS day, and a
speaker in a published programme keeps their name there.

A later model that names a person only needs a `person` foreign key: its rows' admin history
is found through it, and the inventory test (tests/iness/test_personal_data_inventory.py)
fails until each of its fields that can hold personal data is declared here (`declare`), as
erased (and how) or as not personal. Records with their own erasure work register a
`PersonalRecords`.
"""

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from . import sessions
from .history import Actor
from .identity import key_or_refused
from .models import LinkRequest, OutgoingMail, Person
from .privacy import (
    ANONYMISED_DOMAIN,
    ANONYMISED_MAIL_TO,
    ERASED_ON_REQUEST,
    PURGE_COMMAND,
    news_kept_until,
    retention_cutoff,
)

logger = logging.getLogger(__name__)

# What an erased admin-history line says instead of the object's name.
ERASED_LOG_REPR = "[personal data erased]"


# What each app registers. ----------------------------------------------------------------


@dataclass(frozen=True)
class PersonalRecords:
    """One kind of record that names a person through a `person` foreign key.

    - `erase(person=, by=, now=)`: erase the person's records of this kind (free what they
      hold first: a seat, a place in the programme), recording it in their history; it
      returns nothing. It may queue notices to organisers that name nobody.
    - `purge(now=, cutoff=, by=)`: retention: erase the records of days on or before
      `cutoff`; returns counts by name, for the command's log line.
    - `describe(person=, now=)`: what erasing will do to the person's records, one sentence
      each, for the "delete my data" page.
    - `day`: the lookup from a record to the date of the day it is about.
    - `live`: the records that still need the person's details.
    - `shows_name`: erased records that still show the person's name in public (a
      published programme), or None.
    """

    model: type[models.Model]
    erase: Callable[..., None]
    purge: Callable[..., dict[str, int]]
    describe: Callable[..., list[str]]
    day: str = "event__date"
    live: Q = field(default_factory=lambda: Q(anonymised_at__isnull=True))
    shows_name: Q | None = None


_records: list[PersonalRecords] = []


def register(records: PersonalRecords) -> None:
    if all(each.model is not records.model for each in _records):
        _records.append(records)


# The inventory: every field that can hold personal data, and what erasure does with it.


@dataclass(frozen=True)
class Declaration:
    erased: dict[str, str]
    not_personal: dict[str, str]


_declarations: dict[str, Declaration] = {}


def declare(
    label: str, *, erased: dict[str, str] | None = None, not_personal: dict[str, str] | None = None
) -> None:
    """Say, for the model `label` ("app_label.ModelName"), how erasure treats each of its
    fields that can hold personal data: `erased` maps a field to how it is erased,
    `not_personal` to why it holds none. The inventory test reads these."""
    _declarations[label] = Declaration(
        erased=dict(erased or {}), not_personal=dict(not_personal or {})
    )


def declarations() -> dict[str, Declaration]:
    return dict(_declarations)


declare(
    "iness.Person",
    erased={
        "email": "replaced by anonymised-person-<pk>@anonymised.invalid",
        "email_key": "follows the address",
        "first_name": "blanked (kept while a published programme shows the person's name)",
        "last_name": "blanked (kept while a published programme shows the person's name)",
    },
    not_personal={
        "language": "one of the site's languages",
        "privacy_notice_version": "a version of our notice",
    },
)
declare(
    "iness.OutgoingMail",
    erased={
        "to": "deleted if unsent, else replaced by nobody@anonymised.invalid (by the person)",
        "subject": "deleted if unsent, else blanked",
        "body": "deleted if unsent, else blanked",
        "html_body": "deleted if unsent, else blanked",
        "attachments": "deleted if unsent, else emptied",
        "last_error": "deleted if unsent, else blanked (only an error class and code)",
        "hook_args": "deleted if unsent, else emptied",
    },
    not_personal={
        "kind": "a template name",
        "status": "a choice",
        "hook": "the name of a send hook",
        "claimed_by": "the mail worker's host, process and claim number",
    },
)
declare(
    "iness.MailBatch",
    not_personal={
        "label": "the subject organisers gave a message to a whole audience, or a fixed "
        "label for a release of decisions; each copy is an OutgoingMail filed under its person",
    },
)
declare(
    "iness.MailServerState",
    not_personal={
        "reason": "a fixed reason (unreachable, password refused...)",
        "error": "an error class and SMTP code, never the server's text (iness.smtp)",
    },
)
declare(
    "iness.LinkRequest",
    erased={
        "email": "deleted with the request once the mail worker answers it (seconds); a "
        "request for the person's address not answered yet is deleted when they are erased",
    },
    not_personal={"language": "one of the site's languages"},
)
declare(
    "iness.StatusChange",
    not_personal={
        "by_label": "an organiser's username or a label such as 'public site'",
        "from_status": "a status",
        "to_status": "a status",
    },
)
declare(
    "iness.Event",
    not_personal={
        name: "the day's public facts, written by organisers"
        for name in [
            "slug",
            "title",
            "title_en",
            "description",
            "description_en",
            "venue",
            "address",
            "access",
            "access_en",
            "contact_email",
            "committee",
            "presentation",
            "presentation_en",
            "practical_information",
            "practical_information_en",
        ]
    },
)
declare(
    "admin.LogEntry",
    erased={
        "object_repr": f"replaced by {ERASED_LOG_REPR!r} for the person and every row naming them",
        "change_message": "blanked for the person and every row naming them",
    },
    not_personal={"object_id": "a primary key"},
)
declare(
    "sessions.Session",
    erased={
        "session_data": "holds only record numbers (iness.sessions); the session is deleted "
        "when the person is erased",
    },
    not_personal={"session_key": "a random key"},
)


# Erasure on request. -----------------------------------------------------------------------


@dataclass(frozen=True)
class MailErasure:
    deleted: int
    anonymised: int


def erase_person(
    person: Person, *, by: Actor = ERASED_ON_REQUEST, now: dt.datetime | None = None
) -> MailErasure | None:
    """Erase everything held about `person` (see the module's docstring); None when it was
    erased already (a second click, sent before the first one answered)."""
    now = now or timezone.now()
    with transaction.atomic():
        # The person's row first, then (in the erasers) each event's: the order sign-up and
        # proposal services take them in too (iness.people.person_for).
        person = Person.objects.select_for_update().get(pk=person.pk)
        if person.is_erased:
            return None
        for records in _records:
            records.erase(person=person, by=by, now=now)
        mails = _forget(person)
        _anonymise(person, now=now)
    logger.info(
        "Person %s: personal data erased (%s); %s email(s) deleted, %s anonymised",
        person.pk,
        "on request" if by == ERASED_ON_REQUEST else by,
        mails.deleted,
        mails.anonymised,
    )
    return mails


def describe(person: Person, *, now: dt.datetime | None = None) -> list[str]:
    """What erasing `person` will do to their records, for the confirmation page."""
    now = now or timezone.now()
    return [line for records in _records for line in records.describe(person=person, now=now)]


def erase_mails(mails: QuerySet[OutgoingMail]) -> MailErasure:
    """Delete the messages not sent (queued, or given up), anonymise the others.

    An anonymised message keeps its row (kind, day, status, dates, attempts) for the figures,
    without recipient, subject, text or attachments; it can no longer be sent again.
    """
    mails = mails.exclude(to=ANONYMISED_MAIL_TO)
    unsent = [OutgoingMail.Status.QUEUED, OutgoingMail.Status.FAILED]
    deleted, _per_model = mails.filter(status__in=unsent).delete()
    # A message being sent right now is anonymised too: the sender already holds its text,
    # and records only the outcome (status, attempts), never the text, afterwards.
    anonymised = mails.update(
        to=ANONYMISED_MAIL_TO,
        subject="",
        body="",
        html_body="",
        attachments=[],
        last_error="",
        hook_args={},
    )
    return MailErasure(deleted=deleted, anonymised=anonymised)


def erase_admin_log(model: type[models.Model], pks) -> int:
    """Erase the text of the admin history of these rows (who acted and when stay)."""
    ids = [str(pk) for pk in pks]
    if not ids:
        return 0
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model, for_concrete_model=False),
        object_id__in=ids,
    ).update(object_repr=ERASED_LOG_REPR, change_message="")


def _forget(person: Person) -> MailErasure:
    """Everything but the person's own row: mail, admin history, sessions, link requests."""
    mails = erase_mails(OutgoingMail.objects.filter(person=person))
    erase_admin_log(Person, [person.pk])
    for relation in Person._meta.related_objects:
        rows = relation.related_model._base_manager.filter(**{relation.field.name: person})
        erase_admin_log(relation.related_model, rows.values_list("pk", flat=True))
    sessions.forget_people({person.pk})
    _forget_link_requests(person)
    return mails


def _forget_link_requests(person: Person) -> int:
    """Delete the "Lost your link?" requests for the person's address that the mail worker
    has not answered yet: answered after the erasure, they would find nothing, but the
    address would wait in the table until then. The worker deletes each request within
    seconds, so the few waiting are compared one by one, by key."""
    waiting = LinkRequest.objects.values_list("pk", "email")
    pks = [pk for pk, email in waiting if key_or_refused(email) == person.email_key]
    return LinkRequest.objects.filter(pk__in=pks).delete()[0]


def _anonymise(person: Person, *, now: dt.datetime, keep_name: bool = False) -> None:
    """Erase the person's own details; `keep_name`: for a published programme."""
    person.email = f"anonymised-person-{person.pk}@{ANONYMISED_DOMAIN}"
    person.wants_news = False
    if not keep_name:
        person.first_name = ""
        person.last_name = ""
    person.anonymised_at = person.anonymised_at or now
    person.save(
        update_fields=[
            "email",
            "first_name",
            "last_name",
            "wants_news",
            "anonymised_at",
            "updated_at",
        ]
    )


# Retention. -------------------------------------------------------------------------------


def purge_mails(*, now: dt.datetime) -> MailErasure:
    """Mail records of days past the retention period; records filed under no day (lost-link
    messages) once they are RETENTION_DAYS old."""
    old = OutgoingMail.objects.filter(
        Q(event__date__lte=retention_cutoff(now))
        | Q(event__isnull=True, created_at__lte=now - dt.timedelta(days=settings.RETENTION_DAYS))
    )
    return erase_mails(old)


def purge_people(*, now: dt.datetime, by: Actor) -> dict[str, int]:
    """Erase the people no record needs any more (after each app's retention has run)."""
    counts = {
        "people erased": 0,
        "news contacts kept": 0,
        "news contacts erased": 0,
        "names kept in a published programme": 0,
    }
    today = timezone.localdate(now)
    candidates = Person.objects.exclude(first_name="", last_name="", anonymised_at__isnull=False)
    for records in _records:
        candidates = candidates.exclude(
            pk__in=records.model._base_manager.filter(records.live).values("person")
        )
    for person in candidates.order_by("pk"):
        if person.wants_news and news_kept_until(_last_day(person) or today) > today:
            counts["news contacts kept"] += 1
            continue
        if _shows_name(person):
            if person.anonymised_at is None:
                _forget(person)
                _anonymise(person, now=now, keep_name=True)
                counts["names kept in a published programme"] += 1
            continue
        erase_person(person, by=by, now=now)
        counts["news contacts erased" if person.wants_news else "people erased"] += 1
    return counts


def purge_personal_data(*, now: dt.datetime | None = None, by: str = PURGE_COMMAND) -> dict:
    """Anonymise everything past the retention period, as the privacy notice promises.

    Returns counts only (no personal data), for the command's log line.
    """
    now = now or timezone.now()
    cutoff = retention_cutoff(now)
    counts: dict[str, int] = {}
    with transaction.atomic():
        for records in _records:
            counts.update(records.purge(now=now, cutoff=cutoff, by=by))
        mails = purge_mails(now=now)
        counts.update(purge_people(now=now, by=by))
        sessions.clear_expired()
    counts["emails deleted unsent"] = mails.deleted
    counts["emails anonymised"] = mails.anonymised
    return counts


def _last_day(person: Person) -> dt.date | None:
    days = [
        records.model._base_manager.filter(person=person).aggregate(day=models.Max(records.day))[
            "day"
        ]
        for records in _records
    ]
    return max((day for day in days if day), default=None)


def _shows_name(person: Person) -> bool:
    return any(
        records.model._base_manager.filter(records.shows_name, person=person).exists()
        for records in _records
        if records.shows_name is not None
    )
