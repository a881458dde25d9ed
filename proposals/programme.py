"""The programme of a day: its rules, what it shows, and the one way it changes.

Organisers place the accepted proposals and the other moments of the day (welcome, breaks,
lunch, free discussion, closing) as `Slot` rows, on the event's admin page. The rules, checked
over the whole day at once by `day_problems` (the admin shows each problem beside its field,
and `save_day` checks again under the event's lock):

- every item lies within the day's hours (`Event.starts_at` to `Event.ends_at`);
- two items may run at the same time only in two different rooms; an item without a room
  takes the whole venue, so when rooms are not used no two items overlap;
- an item is either a proposal of that day, accepted (or confirmed by its speaker) and placed
  once, or another kind of moment; "Other" needs a title.

Checked as a whole, so that swapping two items is one save and not a refusal.

Once the programme is published (`Event.programme_published`), each speaker whose slot is
placed, moved or removed gets an email, recorded in the transaction that makes the change.
The public page, the calendar feed and the speaker's private page read the programme through
`published_items`, `unscheduled` and `speaker_slot`; the people a proposal names, through
`speakers`.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from iness.dates import format_time, format_time_range
from iness.mail import Attachment, queue_mail
from iness.models import Event

from .calendar import item_calendar, programme_page
from .models import Panellist, Proposal, Slot
from .services import ProposalError

# A proposal may be placed once the committee has accepted it; the public programme shows it
# once the speaker has been told (`Proposal.objects.on_programme()`).
SCHEDULABLE = (Proposal.Status.ACCEPTED, Proposal.Status.CONFIRMED)


class ProgrammeRefused(ProposalError):
    """The day as changed breaks a rule; `message` says which, `problems` lists them all."""

    message = _("The programme was not saved: it breaks a rule.")

    def __init__(self, problems: Sequence["Problem"]):
        self.problems = list(problems)
        super().__init__(self.problems[0].message if self.problems else None)


@dataclass(frozen=True)
class Problem:
    """What is wrong with the `index`-th item given to `day_problems`, said beside `field`."""

    index: int
    field: str
    message: str


@dataclass(frozen=True)
class Speaker:
    name: str
    organisation: str = ""


@dataclass(frozen=True)
class ProgrammeItem:
    """One line of the public programme."""

    slot: Slot
    speakers: tuple[Speaker, ...] = ()

    @property
    def proposal(self) -> Proposal | None:
        return self.slot.proposal

    @property
    def title(self) -> str:
        return self.slot.display_title


@dataclass(frozen=True)
class Timing:
    """Where and when a speaker presents: what their email says when it changes."""

    start: dt.datetime
    end: dt.datetime
    room: str = ""


# The rules. --------------------------------------------------------------------------------


def fill_start_times(event: Event, slots: Sequence[Slot]) -> None:
    """An item without a start time starts when the item above it ends (the first one, when
    the day starts), so that organisers can build a day by lengths alone."""
    previous_end = event.starts_at
    for slot in slots:
        if slot.starts_at is None and slot.duration:
            slot.starts_at = previous_end
        if slot.starts_at is not None and slot.duration:
            previous_end = (
                dt.datetime.combine(event.date, slot.starts_at)
                + dt.timedelta(minutes=slot.duration)
            ).time()


def day_problems(event: Event, slots: Sequence[Slot]) -> list[Problem]:
    """Every rule the day breaks if it is made of `slots` (saved or not), item by item.

    An item without a start time or a length is skipped for the time rules: its form says
    what is missing.
    """
    problems = []
    placed = []
    scheduled: dict[int, int] = {}
    for index, slot in enumerate(slots):
        problems += _what_problems(event, index, slot, scheduled)
        if slot.starts_at is None or not slot.duration:
            continue
        start = _at(event, slot.starts_at)
        end = start + dt.timedelta(minutes=slot.duration)
        if start < event.start:
            problems.append(
                Problem(
                    index,
                    "starts_at",
                    _("The day starts at %(start)s: this item cannot start before.")
                    % {"start": format_time(event.starts_at)},
                )
            )
        elif end > event.end:
            problems.append(
                Problem(
                    index,
                    "duration",
                    _(
                        "This item would end at %(end)s, after the end of the day (%(day_end)s): "
                        "shorten it or start it earlier."
                    )
                    % {"end": format_time(end), "day_end": format_time(event.ends_at)},
                )
            )
        else:
            placed.append((start, end, index, slot))
    problems += _overlaps(sorted(placed, key=lambda p: (p[0], p[2])))
    return sorted(problems, key=lambda p: p.index)


def _what_problems(
    event: Event, index: int, slot: Slot, scheduled: dict[int, int]
) -> list[Problem]:
    """A proposal of the day, accepted and placed once; or another kind of item."""
    problems = []
    if slot.proposal_id is None:
        if not slot.kind:
            problems.append(
                Problem(
                    index,
                    "kind",
                    _("Choose an accepted proposal, or the kind of item (welcome, lunch…)."),
                )
            )
        elif slot.kind == Slot.Kind.OTHER and not slot.title.strip():
            problems.append(Problem(index, "title", _("Give this item a title.")))
        return problems
    proposal = slot.proposal
    if slot.kind:
        problems.append(
            Problem(
                index,
                "kind",
                _("An item is a proposal or another kind of moment: leave this empty."),
            )
        )
    if slot.title.strip() or slot.title_en.strip():
        problems.append(
            Problem(
                index,
                "title",
                _("A proposal keeps the title its speaker gave it: leave this empty."),
            )
        )
    if proposal.event_id != event.pk:
        problems.append(Problem(index, "proposal", _("This proposal is for another day.")))
    elif proposal.status not in SCHEDULABLE:
        problems.append(
            Problem(
                index,
                "proposal",
                _(
                    "“%(title)s” is no longer accepted (%(status)s): remove this item or "
                    "choose another proposal."
                )
                % {"title": proposal, "status": proposal.get_status_display()},
            )
        )
    if proposal.pk in scheduled:
        problems.append(
            Problem(
                index,
                "proposal",
                _("“%(title)s” is already on the programme: a proposal has one slot.")
                % {"title": proposal},
            )
        )
    scheduled[proposal.pk] = index
    return problems


def _overlaps(placed: list[tuple[dt.datetime, dt.datetime, int, Slot]]) -> list[Problem]:
    """Each item that overlaps an earlier one in the same room (or the whole venue)."""
    problems = []
    told = set()
    for position, (start, end, _index, slot) in enumerate(placed):
        for other_start, _other_end, other_index, other in placed[position + 1 :]:
            if other_start >= end:
                break
            if other_index in told or not _share_a_room(slot, other):
                continue
            told.add(other_index)
            values = {"title": slot.display_title, "times": format_time_range(start, end)}
            if slot.room.strip() and other.room.strip():
                message = _("Overlaps “%(title)s” (%(times)s) in the same room.") % values
            else:
                message = (
                    _(
                        "Overlaps “%(title)s” (%(times)s). Move one of them, or give them "
                        "two different rooms."
                    )
                    % values
                )
            problems.append(Problem(other_index, "starts_at", message))
    return problems


def _share_a_room(one: Slot, other: Slot) -> bool:
    """An item without a room takes the whole venue; rooms compare without case or spaces."""
    mine, theirs = one.room.strip().casefold(), other.room.strip().casefold()
    return not mine or not theirs or mine == theirs


# The one way the programme changes. --------------------------------------------------------


def save_day(
    *,
    event: Event,
    changed: Sequence[Slot],
    removed: Sequence[Slot] = (),
    now: dt.datetime | None = None,
) -> None:
    """Save new and changed items and delete removed ones, as one change of the day.

    The whole day is checked again under the event's lock (two organisers may save at once):
    `ProgrammeRefused` if a rule is broken, and nothing is saved. Items that move or are
    renamed get a new calendar sequence. Once the programme is published, each speaker whose
    slot is placed, moved or removed is emailed.
    """
    now = now or timezone.now()
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        before = {
            s.pk: s for s in Slot.objects.filter(event=event).select_related("proposal__person")
        }
        gone = {s.pk for s in removed if s.pk in before}
        replaced = {s.pk for s in changed if s.pk}
        day = [s for pk, s in before.items() if pk not in gone | replaced] + list(changed)
        for slot in day:
            slot.event = event
        problems = day_problems(event, sorted(day, key=lambda s: (s.starts_at, s.room)))
        if problems:
            raise ProgrammeRefused(problems)

        Slot.objects.filter(pk__in=gone).delete()
        # A proposal may go from one item to another in the same save (two talks swapped):
        # the items it leaves let go of it first, as a proposal has one slot at any moment.
        leaving = [
            s.pk
            for s in changed
            if s.pk in before and before[s.pk].proposal_id not in (None, s.proposal_id)
        ]
        Slot.objects.filter(pk__in=leaving).update(proposal=None, kind=Slot.Kind.OTHER)
        for slot in changed:
            old = before.get(slot.pk)
            if old is None:
                slot.sequence, slot.changed_at = 0, now
            elif _calendar_fields(old) != _calendar_fields(slot):
                slot.sequence, slot.changed_at = old.sequence + 1, now
            else:
                slot.sequence, slot.changed_at = old.sequence, old.changed_at
            slot.save()
        if event.programme_published:
            _tell_speakers(
                event,
                before=_timings(before.values(), date=event.date),
                after=_timings(day, date=event.date),
            )


def day_moved(*, event: Event, previous_date: dt.date, now: dt.datetime | None = None) -> int:
    """The event's date changed: every item moves with it (new calendar sequence), and once
    the programme is published each speaker with a slot is told. Returns the items moved."""
    now = now or timezone.now()
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        slots = list(Slot.objects.filter(event=event).select_related("proposal__person"))
        if not slots or previous_date == event.date:
            return 0
        before = _timings(slots, date=previous_date)
        for slot in slots:
            slot.event = event
            slot.sequence += 1
            slot.changed_at = now
        Slot.objects.bulk_update(slots, ["sequence", "changed_at"])
        if event.programme_published:
            _tell_speakers(event, before=before, after=_timings(slots, date=event.date))
    return len(slots)


def _calendar_fields(slot: Slot) -> tuple:
    """What a calendar shows of an item: a change in any of them is a new version of it."""
    return (
        slot.starts_at,
        slot.duration,
        slot.room,
        slot.proposal_id,
        slot.kind,
        slot.title,
        slot.title_en,
    )


def _timings(slots: Iterable[Slot], *, date: dt.date) -> dict[int, tuple]:
    """{proposal pk: (slot, Timing)} for the items that are proposals, on the day `date`."""
    timings = {}
    for slot in slots:
        if slot.proposal_id is None:
            continue
        start = dt.datetime.combine(date, slot.starts_at, tzinfo=timezone.get_default_timezone())
        end = start + dt.timedelta(minutes=slot.duration)
        timings[slot.proposal_id] = (slot, Timing(start, end, slot.room.strip()))
    return timings


def _tell_speakers(event: Event, *, before: dict, after: dict) -> None:
    """Email each speaker on the public programme whose slot is not what it was."""
    for proposal_pk in sorted(before.keys() | after.keys()):
        old_slot, old = before.get(proposal_pk, (None, None))
        slot, new = after.get(proposal_pk, (None, None))
        proposal = (slot or old_slot).proposal
        if old != new and _on_programme(proposal):
            _mail_speaker(event, proposal, slot=slot, old=old, new=new)


def _on_programme(proposal: Proposal) -> bool:
    return proposal.status in SCHEDULABLE and proposal.decision_released


def _mail_speaker(
    event: Event,
    proposal: Proposal,
    *,
    slot: Slot | None,
    old: Timing | None,
    new: Timing | None,
) -> None:
    """In the speaker's language, with the new slot as a calendar file when there is one;
    filed under the speaker (iness.erasure)."""
    person = proposal.person
    attachments = []
    if slot is not None:
        attachments.append(
            Attachment(
                filename=f"{event.slug}-{slot.pk}.ics",
                content=item_calendar(
                    ProgrammeItem(slot, tuple(speakers(proposal))), language=person.language
                ),
                mimetype="text/calendar",
            )
        )
    queue_mail(
        to=person.email,
        template="proposals/slot_changed",
        context={
            "proposal": proposal,
            "person": person,
            "event": event,
            "old": old,
            "new": new,
            "programme_url": programme_page(event),
        },
        language=person.language,
        kind="proposals/slot_changed",
        attachments=attachments,
        person=person,
    )


# What the programme shows. -----------------------------------------------------------------


def speakers(proposal: Proposal) -> list[Speaker]:
    """The people the programme names for a proposal: the speaker, then the other speakers
    or panellists who accepted to be named, in the speaker's order.

    The page, the calendar and the mails all read it. Lists of proposals prefetch the
    accepted people (`with_named`) so that this costs no query per proposal.
    """
    named = getattr(proposal, NAMED, None)
    if named is None:
        named = _named_people().filter(proposal=proposal)
    people = [Speaker(proposal.person.full_name, proposal.organisation)]
    people += [Speaker(each.person.full_name, each.organisation) for each in named]
    return people


NAMED = "named_people"


def _named_people():
    return Panellist.objects.filter(status=Panellist.Status.ACCEPTED).select_related("person")


def with_named(path: str = "") -> Prefetch:
    """Prefetch the accepted other speakers and panellists of proposals (at `path`)."""
    return Prefetch(f"{path}panellists", queryset=_named_people(), to_attr=NAMED)


def _public(event: Event):
    """Items that are not proposals, and proposals on the public programme."""
    return (
        Slot.objects.filter(event=event)
        .filter(
            Q(proposal__isnull=True)
            | Q(proposal__in=Proposal.objects.filter(event=event).on_programme())
        )
        .select_related("event", "proposal__person")
        .prefetch_related(with_named("proposal__"))
        .order_by("starts_at", "room", "pk")
    )


def published_items(event: Event) -> list[ProgrammeItem]:
    """The public programme, by start time; empty until organisers publish it."""
    if not event.programme_published:
        return []
    return [
        ProgrammeItem(slot, tuple(speakers(slot.proposal)) if slot.proposal_id else ())
        for slot in _public(event)
    ]


def published_item(event: Event, pk: int) -> ProgrammeItem | None:
    """One item of the public programme, or None (unknown, hidden, or not published)."""
    if not event.programme_published:
        return None
    slot = _public(event).filter(pk=pk).first()
    if slot is None:
        return None
    return ProgrammeItem(slot, tuple(speakers(slot.proposal)) if slot.proposal_id else ())


def unscheduled(event: Event) -> list[tuple[Proposal, tuple[Speaker, ...]]]:
    """Proposals on the public programme that have no time yet, with their speakers."""
    if not event.programme_published:
        return []
    proposals = (
        Proposal.objects.filter(event=event, slot__isnull=True)
        .on_programme()
        .select_related("person")
        .prefetch_related(with_named())
        .order_by("title", "pk")
    )
    return [(proposal, tuple(speakers(proposal))) for proposal in proposals]


def speaker_slot(proposal: Proposal) -> Slot | None:
    """The slot a speaker may see on their private page: once the programme is published
    and they have been told their proposal is accepted."""
    if not (proposal.event.programme_published and _on_programme(proposal)):
        return None
    return Slot.objects.filter(proposal=proposal).select_related("event").first()


def _at(event: Event, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(event.date, time, tzinfo=timezone.get_default_timezone())
