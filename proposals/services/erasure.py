"""A person's proposals when their data is erased (iness.erasure): on request, and after the
retention period.

On request, before the day, the proposal is withdrawn first (the organisers get a notice that
names nobody); after the day, a proposal on the published programme leaves it. Then
everything the speaker wrote is erased (the title and summary too: they are the speaker's
text), the private link stops working, the committee's comments are erased (they may name the
speaker; scores stay) and one line of history says what happened. Format, status and dates
stay.
"""

import datetime as dt
import logging

from django.db.models import Q
from django.utils.translation import gettext as _

from iness import erasure, history, links
from iness.dates import format_date
from iness.history import Actor
from iness.models import Person

from ..models import Panellist, Proposal, Slides
from . import mails, panel
from .lifecycle import can_withdraw
from .states import set_status

logger = logging.getLogger(__name__)

Status = Proposal.Status

# What erasure on request has not erased yet: proposals alive, and proposals kept in a
# published programme after the retention period (title kept).
NOT_ERASED = Q(anonymised_at__isnull=True) | ~Q(title="")


def erase_records(*, person: Person, by: Actor, now: dt.datetime) -> None:
    """Erase the person's proposals not erased yet (iness.erasure.erase_person)."""
    for pk in (
        Proposal.objects.filter(NOT_ERASED, person=person)
        .order_by("pk")
        .values_list("pk", flat=True)
    ):
        proposal = (
            Proposal.objects.select_for_update(of=("self",)).select_related("event").get(pk=pk)
        )
        proposal.person = person
        withdrawn = can_withdraw(proposal, now=now)
        on_programme = Proposal.objects.filter(pk=pk).on_programme().exists()
        if withdrawn or on_programme:
            # After the day the speaker cannot withdraw, but their name must leave the
            # programme all the same.
            set_status(proposal, Status.WITHDRAWN, by=by)
        anonymise(proposal, now=now)
        history.note(proposal, history.Kind.ERASED, by=by)
        if withdrawn:
            mails.notify_organisers(proposal, "proposals/organisers_erased", names_person=False)
        logger.info("Proposal %s (%s): personal data erased", pk, proposal.event.slug)


def purge_past(*, now: dt.datetime, cutoff: dt.date, by: Actor) -> dict[str, int]:
    """Retention (the `purge_personal_data` command): erase the proposals of days on or
    before `cutoff`.

    A proposal in a published programme keeps what the programme shows (title, summary,
    organisation and other speakers; the speaker's name is their person's) as the record of
    the day; the rest goes.
    """
    counts = {"proposals anonymised": 0, "proposals kept in a published programme": 0}
    due = Proposal.objects.filter(event__date__lte=cutoff, anonymised_at=None)
    published = set(
        due.filter(event__programme_published=True).on_programme().values_list("pk", flat=True)
    )
    for proposal in due.select_for_update(of=("self",)).order_by("pk"):
        keep = proposal.pk in published
        anonymise(proposal, now=now, keep_programme=keep)
        counts["proposals kept in a published programme" if keep else "proposals anonymised"] += 1
    return counts


def describe(*, person: Person, now: dt.datetime) -> list[str]:
    """What erasing the person does to each of their proposals, for the confirmation page."""
    lines = []
    for proposal in (
        Proposal.objects.filter(NOT_ERASED, person=person)
        .select_related("event")
        .order_by("event__date", "pk")
    ):
        facts = {"title": proposal.title, "date": format_date(proposal.event.date)}
        if can_withdraw(proposal, now=now):
            line = _(
                "Your proposal “%(title)s” (%(date)s) is withdrawn, then erased with the "
                "committee's comments on it; the committee is told that a proposal was "
                "withdrawn, without your name."
            )
        elif proposal.status_for_speaker in {Status.ACCEPTED, Status.CONFIRMED}:
            line = _(
                "Your proposal “%(title)s” (%(date)s) leaves the programme and is erased "
                "with the committee's comments on it."
            )
        else:
            line = _(
                "Your proposal “%(title)s” (%(date)s) is erased with the committee's "
                "comments on it."
            )
        lines.append(line % facts)
    return lines


def anonymise(proposal: Proposal, *, now: dt.datetime, keep_programme: bool = False) -> None:
    """Erase what the proposal holds, kill its private link, and erase the committee's
    comments (scores stay). `keep_programme`: keep what the public programme shows."""
    proposal.experience = ""
    proposal.needs = ""
    proposal.decision_comment = ""
    links.kill(proposal)
    proposal.registration = None
    # The old free-text note of other speakers is shown nowhere public: it always goes.
    proposal.co_speakers = ""
    if not keep_programme:
        proposal.title = ""
        proposal.summary = ""
        proposal.organisation = ""
    proposal.anonymised_at = proposal.anonymised_at or now
    proposal.save(
        update_fields=[
            "experience",
            "needs",
            "decision_comment",
            "token_hash",
            "registration",
            "title",
            "summary",
            "organisation",
            "co_speakers",
            "anonymised_at",
            "updated_at",
        ]
    )
    proposal.reviews.update(comment="")
    Slides.objects.filter(proposal=proposal).delete()


RECORDS = erasure.PersonalRecords(
    model=Proposal,
    erase=erase_records,
    purge=purge_past,
    describe=describe,
    # After the retention period, a proposal in a published programme keeps its title, and
    # the programme shows its speaker's name.
    shows_name=Q(anonymised_at__isnull=False) & ~Q(title=""),
)

erasure.declare(
    "proposals.Proposal",
    erased={
        name: "blanked (kept while the proposal is in a published programme)"
        for name in ["title", "summary", "organisation"]
    }
    | {
        "experience": "blanked",
        "co_speakers": "blanked (an old free-text note that no page shows)",
        "needs": "blanked",
        "decision_comment": "blanked (the committee's words to the speaker)",
        "token_hash": "replaced by a value no link can match",
    },
)
erasure.declare(
    "proposals.Slides",
    erased={
        "content": "deleted with the row when the speaker's data is erased, or after the "
        "retention period"
    },
)
erasure.declare("proposals.Review", erased={"comment": "blanked with the proposal"})
# A programme item points to its proposal, whose speaker is the person: the item itself
# holds only what organisers wrote about the day (the speaker's name it shows is the
# person's, erased with them).
erasure.declare(
    "proposals.Slot",
    not_personal={
        "title": "organisers' name for a moment that is not a proposal (lunch, a break...)",
        "title_en": "organisers' name for a moment that is not a proposal, in English",
        "room": "a room of the venue",
    },
)


# Other speakers and panellists (proposals.Panellist). -----------------------------------------


def erase_panel_places(*, person: Person, by: Actor, now: dt.datetime) -> None:
    """Erase the person's places on other people's proposals: taken off each (so the
    programme no longer names them), what they or the speaker wrote about them erased, their
    link killed. The speaker is not told: the proposal's page shows the list as it is."""
    for panellist in (
        Panellist.objects.filter(person=person, anonymised_at__isnull=True)
        .select_for_update(of=("self",))
        .order_by("pk")
    ):
        panellist.person = person
        if panellist.status != Panellist.Status.REMOVED:
            panel.set_status(panellist, Panellist.Status.REMOVED, by=by)
        anonymise_panellist(panellist, now=now)
        history.note(panellist, history.Kind.ERASED, by=by)


def purge_panel_places(*, now: dt.datetime, cutoff: dt.date, by: Actor) -> dict[str, int]:
    """Retention: the places of days on or before `cutoff`. Someone named on a proposal in a
    published programme, who accepted, keeps what the programme shows (name, organisation)."""
    counts = {"panellists anonymised": 0, "panellists kept in a published programme": 0}
    due = Panellist.objects.filter(proposal__event__date__lte=cutoff, anonymised_at=None)
    published = set(due.filter(PUBLISHED_PANELLIST).values_list("pk", flat=True))
    for panellist in due.select_for_update(of=("self",)).order_by("pk"):
        keep = panellist.pk in published
        anonymise_panellist(panellist, now=now, keep_programme=keep)
        counts["panellists kept in a published programme" if keep else "panellists anonymised"] += 1
    return counts


def describe_panel_places(*, person: Person, now: dt.datetime) -> list[str]:
    lines = []
    for panellist in (
        Panellist.objects.filter(person=person, anonymised_at__isnull=True)
        .select_related("proposal__event")
        .order_by("proposal__event__date", "pk")
    ):
        lines.append(
            _(
                "You are taken off the proposal “%(title)s” (%(date)s), which named you, and "
                "what it said about you is erased."
            )
            % {
                "title": panellist.proposal.title,
                "date": format_date(panellist.proposal.event.date),
            }
        )
    return lines


def anonymise_panellist(
    panellist: Panellist, *, now: dt.datetime, keep_programme: bool = False
) -> None:
    panellist.bio = ""
    links.kill(panellist)
    if not keep_programme:
        panellist.organisation = ""
    panellist.anonymised_at = panellist.anonymised_at or now
    panellist.save(
        update_fields=["bio", "token_hash", "organisation", "anonymised_at", "updated_at"]
    )


# Accepted, on a proposal of a published programme: the programme names them.
PUBLISHED_PANELLIST = Q(
    status=Panellist.Status.ACCEPTED,
    proposal__event__programme_published=True,
    proposal__status__in=[Status.ACCEPTED, Status.CONFIRMED],
    proposal__decision_notified_at__isnull=False,
)

PANEL_RECORDS = erasure.PersonalRecords(
    model=Panellist,
    erase=erase_panel_places,
    purge=purge_panel_places,
    describe=describe_panel_places,
    day="proposal__event__date",
    shows_name=Q(anonymised_at__isnull=False) & PUBLISHED_PANELLIST,
)

erasure.declare(
    "proposals.Panellist",
    erased={
        "organisation": "blanked (kept while the person is named in a published programme)",
        "bio": "blanked",
        "token_hash": "replaced by a value no link can match",
    },
)
