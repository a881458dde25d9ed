"""Messages from organisers to the people of an event.

Organisers write one message to an audience (`Audience`); each person gets their own copy
through `iness.mail.queue_message` (recorded for the mail worker, retried), with a short note
in their language saying why they receive it. The copies are one mailing, whose sending
organisers follow on the message's page.
"""

import uuid
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation

from iness.mail import new_batch, queue_message
from iness.models import Event, Person
from proposals.models import Proposal
from registrations.models import Registration

from .models import Announcement, Audience

KIND = "announcement"


@dataclass(frozen=True)
class Recipient:
    person: Person

    @property
    def email(self) -> str:
        return self.person.email

    @property
    def name(self) -> str:
        return self.person.full_name

    @property
    def language(self) -> str:
        return self.person.language


def recipients(*, event: Event, audience: str) -> list[Recipient]:
    """The people `audience` means for `event`, each once (a person is one email key).

    Speakers are those of accepted proposals who have been told so: writing to a speaker
    whose acceptance is not released yet would announce it early.
    """
    if audience == Audience.CONFIRMED:
        rows = Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED)
    elif audience == Audience.WAITING:
        rows = Registration.objects.filter(
            event=event,
            status__in=[Registration.Status.WAITLISTED, Registration.Status.OFFERED],
        )
    elif audience == Audience.SPEAKERS:
        rows = Proposal.objects.filter(event=event).on_programme()
    else:
        raise ValueError(f"unknown audience: {audience!r}")
    chosen = Person.objects.filter(pk__in=rows.values("person"))
    return [Recipient(person=person) for person in chosen.order_by("last_name", "first_name", "pk")]


def message_body(*, event: Event, audience: str, body: str, language: str) -> str:
    """The text one person receives: the organisers' words, then why they receive it."""
    with translation.override(language):
        footer = render_to_string(
            "email/backoffice/announcement_footer.txt",
            {"event": event, "audience": audience, "Audience": Audience},
        )
    return f"{_plain(body)}\n\n-- \n{footer.strip()}\n"


def _plain(text: str) -> str:
    """Browsers send a textarea with CRLF line ends: keep plain newlines."""
    return "\n".join(text.strip().splitlines())


def send_announcement(
    *,
    event: Event,
    audience: str,
    subject: str,
    body: str,
    by: AbstractBaseUser,
    key: uuid.UUID | None = None,
) -> tuple[Announcement, bool]:
    """Send the message to everyone in the audience and record the sending.

    Returns the record and whether it was sent now: a `key` already used (a double click on
    "send", a resent form) returns the earlier record and sends nothing.
    """
    key = key or uuid.uuid4()
    earlier = Announcement.objects.filter(key=key).first()
    if earlier is not None:
        return earlier, False
    try:
        with transaction.atomic():
            people = recipients(event=event, audience=audience)
            batch = new_batch(label=subject, event=event, by=by)
            announcement = Announcement.objects.create(
                event=event,
                audience=audience,
                subject=subject,
                body=_plain(body),
                recipient_count=len(people),
                sent_by=by,
                key=key,
                batch=batch,
            )
            for person in people:
                queue_message(
                    to=person.email,
                    subject=subject,
                    body=message_body(
                        event=event, audience=audience, body=body, language=person.language
                    ),
                    kind=KIND,
                    batch=batch,
                    person=person.person,
                )
    except IntegrityError:
        # The same form sent twice at the same moment: the other request recorded it.
        return Announcement.objects.get(key=key), False
    return announcement, True
