"""The organisers' dashboard, the admin home: seats, proposals, mail, two pictures."""

import datetime as dt
from collections import Counter

import pytest
from django.urls import reverse
from django.utils import timezone

from backoffice.summary import Summary, summaries
from iness.models import OutgoingMail
from proposals import services
from proposals.models import Proposal, Review
from registrations.models import Registration

from .conftest import propose, sign_up

pytestmark = pytest.mark.django_db

HOME = reverse("admin:index")


def seat_figures(response) -> dict[str, int]:
    [summary] = response.context["summaries"]
    return {str(label): n for label, n, _query in summary.seat_rows}


def stage_figures(response) -> dict[str, int]:
    [summary] = response.context["summaries"]
    return {str(label): n for label, n, _query in summary.stage_rows}


def test_dashboard_counts_seats_by_state_and_the_waiting_list(organiser_client, make_event):
    event = make_event(capacity=3)
    for _ in range(5):
        sign_up(event)

    response = organiser_client.get(HOME)

    assert seat_figures(response) == {
        "Confirmed": 3,
        "Held while the address is verified": 0,
        "Offered, awaiting an answer": 0,
        "Kept for speakers": 0,
        "Free": 0,
    }
    assert response.context["summaries"][0].waiting == 2
    assert "2 people on the waiting list" in response.content.decode()


def test_held_seats_are_counted_by_their_status_and_taken_from_the_free_ones(event):
    summary = Summary(event=event, registrations=Counter({"held": 2, "confirmed": 5}))

    assert (summary.held, summary.free) == (2, event.capacity - 7)


def test_dashboard_counts_proposals_by_the_committees_stage_for_the_reader(
    organiser, organiser_client, event
):
    to_review, reviewed, decided, announced = (propose(event) for _ in range(4))
    Review.objects.create(proposal=reviewed, reviewer=organiser, score=4)
    services.decide(proposal=decided, decision="accepted", by="test")
    services.decide(proposal=announced, decision="rejected", by="test")
    services.notify_decisions(proposals=Proposal.objects.filter(pk=announced.pk), by="test")

    response = organiser_client.get(HOME)

    assert stage_figures(response) == {
        "To review by you": 1,
        "Reviewed by you, not decided": 1,
        "Decided, not announced": 1,
        "Announced": 1,
        "Confirmed by the speaker": 0,
    }
    assert reverse("admin:proposals_proposal_announce") in response.content.decode()


def test_another_members_review_leaves_the_proposal_to_review_by_me(
    make_organiser, organiser, event
):
    proposal = propose(event)
    Review.objects.create(proposal=proposal, reviewer=make_organiser("bruno"), score=2)

    [summary] = summaries([event], reader=organiser)

    assert summary.stages["to_review"] == 1


def test_dashboard_draws_sign_ups_per_day_with_words_and_a_table(organiser_client, event):
    for days_ago in (0, 0, 2):
        registration = sign_up(event)
        Registration.objects.filter(pk=registration.pk).update(
            created_at=timezone.now() - dt.timedelta(days=days_ago)
        )

    response = organiser_client.get(HOME)
    text = response.content.decode()

    chart = response.context["summaries"][0].daily_chart
    assert [bar["n"] for bar in chart["bars"]] == [1, 0, 2]
    assert '<svg class="daily-chart"' in text and 'role="img"' in text
    assert "3 sign-ups from" in text and "Busiest day:" in text
    assert "See the figures, day by day" in text


def test_dashboard_shows_the_mix_of_the_audience(organiser_client, event):
    sign_up(event, profile="researcher", organisation_kind="research")
    sign_up(event, profile="practitioner", organisation_kind="ess")

    text = organiser_client.get(HOME).content.decode()

    assert "Audience by profile" in text and "Audience by kind of organisation" in text
    assert "Researcher" in text and "Practitioner" in text
    assert 'class="mix-bar"' in text


def test_dashboard_tells_stuck_and_failed_mail(organiser_client, event):
    OutgoingMail.objects.all().delete()
    long_ago = timezone.now() - dt.timedelta(hours=1)
    OutgoingMail.objects.create(
        kind="x", to="a@example.org", subject="s", body="b", next_attempt_at=long_ago
    )
    OutgoingMail.objects.create(
        kind="x", to="b@example.org", subject="s", body="b", status="failed"
    )

    text = organiser_client.get(HOME).content.decode()

    assert "1 email stuck" in text
    assert "1 email failed in the last 7 days." in text
