"""What organisers see of an event at a glance: seats, waiting list, who comes, proposals.

`with_counts` annotates an event queryset in one query (one sub-select per figure, so that the
admin list does not run a query per row); `summaries` builds the fuller picture shown on the
admin index and the event page, in two grouped queries whatever the number of events.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from iness.models import Event, Profile
from proposals.models import Format, Proposal
from registrations.models import OrganisationKind, Registration

R = Registration.Status
P = Proposal.Status


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

    @property
    def confirmed(self) -> int:
        return self.registrations[R.CONFIRMED]

    @property
    def offered(self) -> int:
        return self.registrations[R.OFFERED]

    @property
    def held(self) -> int:
        """Seats held until the person confirms their address: they count against the cap."""
        return self.registrations[R.HELD]

    @property
    def waiting(self) -> int:
        return self.registrations[R.WAITLISTED]

    @property
    def free(self) -> int:
        return max(self.event.capacity - self.confirmed - self.offered - self.held, 0)

    def _mix(self, counts: Counter, choices) -> list[dict]:
        rows = [
            {
                "label": label,
                "seated": counts[(value, True)],
                "waiting": counts[(value, False)],
            }
            for value, label in choices
        ]
        return [row for row in rows if row["seated"] or row["waiting"]]

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


def summaries(events: list[Event]) -> list[Summary]:
    """One `Summary` per event, in the order given."""
    by_pk = {event.pk: Summary(event=event) for event in events}
    seated = {R.CONFIRMED, R.OFFERED, R.HELD}
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
    proposals = (
        Proposal.objects.filter(event__in=by_pk)
        .order_by()
        .values_list("event", "format", "status")
        .annotate(n=Count("pk"))
    )
    for event_pk, fmt, status, n in proposals:
        by_pk[event_pk].proposals[(fmt, status)] += n
    return list(by_pk.values())


def upcoming_summaries() -> list[Summary]:
    return summaries(list(Event.objects.upcoming()))
