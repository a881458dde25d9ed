"""What organisers see of an event at a glance: seats, waiting list, who comes, proposals.

`with_counts` annotates an event queryset in one query (one sub-select per figure, so that the
admin list does not run a query per row); `summaries` builds the fuller picture shown on the
admin index (the dashboard) and the event page, in a few grouped queries whatever the number
of events: seats by status, the audience's mix, proposals by state (and by the reader's own
reviews), sign-ups per day.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy

from iness.models import Event, Profile
from proposals.models import Format, Proposal, Review
from registrations.models import OrganisationKind, Registration

R = Registration.Status
P = Proposal.Status
R_SEATS = set(Registration.SEAT_STATUSES)


def _count(queryset: QuerySet) -> Coalesce:
    counted = (
        queryset.filter(event=OuterRef("pk"))
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_counts(events: QuerySet[Event]) -> QuerySet[Event]:
    """Annotate `confirmed_count`, `held_count` (seats waiting for an address to be
    confirmed), `offered_count`, `waiting_count` and `proposals_<status>`."""
    registrations = Registration.objects.all()
    proposals = Proposal.objects.all()
    return events.annotate(
        confirmed_count=_count(registrations.filter(status=R.CONFIRMED)),
        held_count=_count(registrations.filter(status=R.HELD)),
        offered_count=_count(registrations.filter(status=R.OFFERED)),
        waiting_count=_count(registrations.filter(status=R.WAITLISTED)),
        **{f"proposals_{status}": _count(proposals.filter(status=status)) for status in P.values},
    )


@dataclass
class Summary:
    event: Event
    registrations: Counter = field(default_factory=Counter)  # status -> n
    profiles: Counter = field(default_factory=Counter)  # (profile, seated) -> n
    kinds: Counter = field(default_factory=Counter)  # (organisation kind, seated) -> n
    proposals: Counter = field(default_factory=Counter)  # (format, status) -> n

    # Per proposal state as the committee follows it (see PROPOSAL_STAGES), for the reader.
    stages: Counter = field(default_factory=Counter)
    daily: Counter = field(default_factory=Counter)  # date -> sign-ups made that day

    @property
    def confirmed(self) -> int:
        return self.registrations[R.CONFIRMED]

    @property
    def offered(self) -> int:
        return self.registrations[R.OFFERED]

    @property
    def kept_for_speakers(self) -> int:
        # Seats an event keeps for speakers until decisions are announced; 0 until events
        # have that setting.
        return getattr(self.event, "speaker_seats", 0) or 0

    @property
    def held(self) -> int:
        """Seats held until the person confirms their address: they count against the cap."""
        return self.registrations[R.HELD]

    @property
    def waiting(self) -> int:
        return self.registrations[R.WAITLISTED]

    @property
    def taken(self) -> int:
        """Every seat that counts against the capacity (Registration.SEAT_STATUSES)."""
        return sum(self.registrations[status] for status in R_SEATS)

    @property
    def free(self) -> int:
        return max(self.event.capacity - self.taken - self.kept_for_speakers, 0)

    @property
    def seat_rows(self) -> list[tuple[str, int, str]]:
        """(label, count, filter of the sign-ups' list) for the seats table."""
        return [
            (gettext_lazy("Confirmed"), self.confirmed, "status__exact=confirmed"),
            (
                gettext_lazy("Held while the address is verified"),
                self.held,
                f"status__exact={R.HELD}",
            ),
            (gettext_lazy("Offered, awaiting an answer"), self.offered, "status__exact=offered"),
            (gettext_lazy("Kept for speakers"), self.kept_for_speakers, ""),
            (gettext_lazy("Free"), self.free, ""),
        ]

    @property
    def stage_rows(self) -> list[tuple[str, int, str]]:
        """(label, count, filter of the proposals' list) for the committee's table."""
        return [(label, self.stages[key], query) for key, label, query in PROPOSAL_STAGES]

    @property
    def daily_rows(self) -> list[tuple[dt.date, int]]:
        """Every day from the opening of sign-up to today (or the closing), with its count."""
        opened = timezone.localdate(self.event.registration_opens_at)
        last = min(
            timezone.localdate(),
            timezone.localdate(self.event.registration_closes_at),
            self.event.date,
        )
        if self.daily:
            opened = min(opened, min(self.daily))
            last = max(last, max(self.daily))
        days = (last - opened).days + 1
        return [
            (opened + dt.timedelta(days=n), self.daily[opened + dt.timedelta(days=n)])
            for n in range(max(days, 0))
        ]

    @property
    def daily_total(self) -> int:
        return sum(self.daily.values())

    @property
    def daily_chart(self) -> dict:
        """Bars of an inline SVG (drawn by the template): one per day, heights in 0..100."""
        rows = self.daily_rows
        top = max((n for _day, n in rows), default=0) or 1
        bars = [
            {"x": i * 10 + 1, "height": n * 100 / top, "y": 100 - n * 100 / top, "day": day, "n": n}
            for i, (day, n) in enumerate(rows)
        ]
        busiest = max(rows, key=lambda row: row[1], default=None)
        return {
            "bars": bars,
            "width": max(len(rows), 1) * 10,
            "first": rows[0][0] if rows else None,
            "last": rows[-1][0] if rows else None,
            "busiest": busiest if busiest and busiest[1] else None,
        }

    def _mix(self, counts: Counter, choices) -> list[dict]:
        rows = [
            {
                "label": label,
                "seated": counts[(value, True)],
                "waiting": counts[(value, False)],
            }
            for value, label in choices
        ]
        rows = [row for row in rows if row["seated"] or row["waiting"]]
        # Bar lengths (0..100) against the largest group, for the picture beside the table.
        top = max((row["seated"] + row["waiting"] for row in rows), default=0) or 1
        for row in rows:
            row["seated_bar"] = row["seated"] * 100 / top
            row["waiting_bar"] = row["waiting"] * 100 / top
        return rows

    @property
    def profile_mix(self) -> list[dict]:
        """Per profile: how many hold a seat (confirmed, offered or held), how many wait."""
        return self._mix(self.profiles, Profile.choices)

    @property
    def kind_mix(self) -> list[dict]:
        return self._mix(self.kinds, OrganisationKind.choices)

    @property
    def proposal_table(self) -> dict:
        """Rows per format, a column per status, with totals; statuses nobody has are left out."""
        statuses = [
            (v, label)
            for v, label in P.choices
            if any(self.proposals[(f, v)] for f in Format.values)
        ]
        rows = [
            {
                "label": label,
                "counts": [self.proposals[(value, s)] for s, _label in statuses],
                "total": sum(self.proposals[(value, s)] for s in P.values),
            }
            for value, label in Format.choices
        ]
        return {"statuses": [label for _v, label in statuses], "rows": rows}

    @property
    def proposal_total(self) -> int:
        return sum(self.proposals.values())


def summaries(events: list[Event], *, reader=None) -> list[Summary]:
    """One `Summary` per event, in the order given; `reader`, the organiser reading, for
    the proposals they have still to review."""
    by_pk = {event.pk: Summary(event=event) for event in events}
    seated = R_SEATS
    registrations = (
        Registration.objects.filter(event__in=by_pk)
        .order_by()
        .values_list("event", "status", "profile", "organisation_kind")
        .annotate(n=Count("pk"))
    )
    for event_pk, status, profile, kind, n in registrations:
        summary = by_pk[event_pk]
        summary.registrations[status] += n
        if status in seated or status == R.WAITLISTED:
            summary.profiles[(profile, status in seated)] += n
            summary.kinds[(kind, status in seated)] += n
    daily = (
        Registration.objects.filter(event__in=by_pk)
        .order_by()
        .annotate(day=TruncDate("created_at", tzinfo=timezone.get_default_timezone()))
        .values_list("event", "day")
        .annotate(n=Count("pk"))
    )
    for event_pk, day, n in daily:
        by_pk[event_pk].daily[day] += n
    mine = Review.objects.filter(proposal=OuterRef("pk"), reviewer_id=getattr(reader, "pk", None))
    proposals = (
        Proposal.objects.filter(event__in=by_pk)
        .order_by()
        .annotate(mine=Exists(mine), unannounced=Q(decision_notified_at__isnull=True))
        .values_list("event", "format", "status", "unannounced", "mine")
        .annotate(n=Count("pk"))
    )
    for event_pk, fmt, status, unannounced, reviewed_by_me, n in proposals:
        summary = by_pk[event_pk]
        summary.proposals[(fmt, status)] += n
        summary.stages[_stage(status, unannounced, reviewed_by_me)] += n
    return list(by_pk.values())


def _stage(status: str, unannounced: bool, reviewed_by_me: bool) -> str:
    if status == P.SUBMITTED:
        return "reviewed" if reviewed_by_me else "to_review"
    if status in Proposal.DECISIONS:
        return "decided" if unannounced else "announced"
    return status  # confirmed, withdrawn


# The committee's work on proposals, in order: key, label, filter of the proposals' list.
PROPOSAL_STAGES = [
    ("to_review", gettext_lazy("To review by you"), "status__exact=submitted&my_review=todo"),
    (
        "reviewed",
        gettext_lazy("Reviewed by you, not decided"),
        "status__exact=submitted&my_review=done",
    ),
    ("decided", gettext_lazy("Decided, not announced"), "announced=pending"),
    ("announced", gettext_lazy("Announced"), "announced=done"),
    ("confirmed", gettext_lazy("Confirmed by the speaker"), "status__exact=confirmed"),
]


def upcoming_summaries(*, reader=None) -> list[Summary]:
    return summaries(list(Event.objects.upcoming()), reader=reader)
