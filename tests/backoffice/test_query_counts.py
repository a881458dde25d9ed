"""Every admin list runs the same number of queries with 3 rows as with 50: no query per row."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from backoffice.models import Announcement
from iness.mail import new_batch, queue_message
from proposals import services as proposal_services
from proposals.models import Review

from .conftest import changelist, propose, sign_up

pytestmark = pytest.mark.django_db


def add_events(make_event, count, start):
    for n in range(start, start + count):
        event = make_event(slug=f"day-{n}", capacity=1)
        sign_up(event)
        sign_up(event)
        proposal = propose(event)
        proposal_services.decide(proposal=proposal, decision="accepted", by="test")


def add_registrations(event, count, start):
    for _ in range(count):
        sign_up(event)


def add_proposals(event, count, start, *, reviewers):
    for n in range(start, start + count):
        proposal = propose(event, title=f"Proposal {n}")
        if n % 2:
            sign_up(event, email=proposal.person.email)
        for reviewer in reviewers[: n % 3]:
            Review.objects.create(proposal=proposal, reviewer=reviewer, score=1 + n % 5)


def add_mail(count, start):
    for n in range(start, start + count):
        queue_message(to=f"p{n}@example.org", subject=f"Subject {n}", body="Text", kind="test")


def add_announcements(event, count, start, *, by):
    for n in range(start, start + count):
        batch = new_batch(label=f"News {n}", event=event, by=by)
        Announcement.objects.create(
            event=event,
            audience="confirmed",
            subject=f"News {n}",
            body="Text",
            recipient_count=n,
            sent_by=by,
            batch=batch,
        )
        for k in range(2):
            queue_message(to=f"a{n}-{k}@example.org", subject="S", body="T", kind="t", batch=batch)


def add_mailings(event, count, start, *, by):
    for n in range(start, start + count):
        batch = new_batch(label=f"Decisions {n}", event=event, by=by)
        for k in range(2):
            queue_message(to=f"m{n}-{k}@example.org", subject="S", body="T", kind="t", batch=batch)


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.fixture
def filler(make_event, event, organiser, make_organiser):
    """For each list: its URL and a function that adds `count` more rows."""
    reviewers = [organiser, make_organiser(username="bruno"), make_organiser(username="chloe")]
    event.capacity = 20
    event.save()
    return {
        "events": (
            changelist("iness.event"),
            lambda count, start: add_events(make_event, count, start),
            1,  # the `event` fixture is listed too
        ),
        "registrations": (
            changelist("registrations.registration") + f"?event__id__exact={event.pk}",
            lambda count, start: add_registrations(event, count, start),
            0,
        ),
        "proposals": (
            changelist("proposals.proposal") + f"?event__id__exact={event.pk}",
            lambda count, start: add_proposals(event, count, start, reviewers=reviewers),
            0,
        ),
        "mail": (
            changelist("iness.outgoingmail") + "?kind=test",
            add_mail,
            0,
        ),
        "announcements": (
            changelist("backoffice.announcement"),
            lambda count, start: add_announcements(event, count, start, by=organiser),
            0,
        ),
        "mailings": (
            changelist("iness.mailbatch"),
            lambda count, start: add_mailings(event, count, start, by=organiser),
            0,
        ),
    }


@pytest.mark.parametrize(
    "name", ["events", "registrations", "proposals", "mail", "announcements", "mailings"]
)
def test_list_queries_do_not_grow_with_rows(
    name, filler, organiser_client, django_assert_max_num_queries
):
    url, add, already = filler[name]
    add(3, 0)
    with_three = queries(organiser_client, url)
    assert organiser_client.get(url).context["cl"].result_count == 3 + already

    add(47, 3)
    with django_assert_max_num_queries(with_three) as captured:
        response = organiser_client.get(url)

    assert response.context["cl"].result_count == 50 + already
    assert len(captured) == with_three


def test_admin_index_queries_do_not_grow_with_upcoming_events(
    make_event, organiser_client, django_assert_max_num_queries
):
    add_events(make_event, 3, 0)
    with_three = queries(organiser_client, reverse("admin:index"))

    add_events(make_event, 47, 3)
    with django_assert_max_num_queries(with_three) as captured:
        response = organiser_client.get(reverse("admin:index"))

    assert response.content.decode().count("seats confirmed") == 50
    assert len(captured) == with_three
