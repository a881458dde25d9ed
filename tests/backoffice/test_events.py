import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from iness.models import Event
from proposals import services as proposal_services
from registrations import services as registration_services
from registrations.models import Registration

from .conftest import changelist, messages_of, propose, sign_up

pytestmark = pytest.mark.django_db


def event_form(event, **changes) -> dict:
    """The event change form as the admin shows it, with `changes`."""
    local = timezone.localtime
    data = {
        "title": event.title,
        "title_en": event.title_en,
        "slug": event.slug,
        "description": event.description,
        "description_en": event.description_en,
        "date": event.date.isoformat(),
        "starts_at": event.starts_at.strftime("%H:%M"),
        "ends_at": event.ends_at.strftime("%H:%M"),
        "venue": event.venue,
        "address": event.address,
        "access": event.access,
        "access_en": event.access_en,
        "capacity": event.capacity,
        "registration_opens_at_0": local(event.registration_opens_at).strftime("%Y-%m-%d"),
        "registration_opens_at_1": local(event.registration_opens_at).strftime("%H:%M:%S"),
        "registration_closes_at_0": local(event.registration_closes_at).strftime("%Y-%m-%d"),
        "registration_closes_at_1": local(event.registration_closes_at).strftime("%H:%M:%S"),
        "offer_hours": event.offer_hours,
        "verify_minutes": event.verify_minutes,
        "proposals_close_at_0": local(event.proposals_close_at).strftime("%Y-%m-%d"),
        "proposals_close_at_1": local(event.proposals_close_at).strftime("%H:%M:%S"),
        "contact_email": event.contact_email,
        "committee": event.committee,
        "is_published": "on" if event.is_published else "",
        "programme_published": "on" if event.programme_published else "",
        # The programme's table (proposals.admin.SlotInline), sent with no line.
        "slots-TOTAL_FORMS": "0",
        "slots-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def test_event_list_shows_seats_offers_waiting_list_and_proposals_by_state(
    organiser_client, make_event
):
    event = make_event(capacity=2)
    first, _second, _third, _fourth = [sign_up(event) for _ in range(4)]
    registration_services.cancel(registration=first, by="test")  # the third is offered the seat
    accepted = propose(event)
    propose(event)
    proposal_services.decide(proposal=accepted, decision="accepted", by="test")

    response = organiser_client.get(changelist("iness.event"))

    row = response.context["cl"].result_list[0]
    assert (row.confirmed_count, row.offered_count, row.waiting_count) == (1, 1, 1)
    html = response.content.decode()
    text = re.sub(r"<[^>]+>", "", html)
    assert "1 / 2" in text
    assert "1 submitted, 1 accepted" in text
    assert f"?event__id__exact={event.pk}&amp;status__exact=waitlisted" in html
    assert f"?event__id__exact={event.pk}&amp;status__exact=accepted" in html


def test_raising_the_capacity_offers_the_new_seats_to_the_waiting_list(
    organiser_client, make_event, mailoutbox, delivered
):
    event = make_event(capacity=2)
    people = [sign_up(event) for _ in range(5)]

    with delivered():
        response = organiser_client.post(
            reverse("admin:iness_event_change", args=[event.pk]),
            event_form(event, capacity=4),
            follow=True,
        )

    event.refresh_from_db()
    assert event.capacity == 4
    statuses = [Registration.objects.get(pk=p.pk).status for p in people]
    assert statuses == ["confirmed", "confirmed", "offered", "offered", "waitlisted"]
    offers = [m for m in mailoutbox if m.subject.startswith("A seat is free for you")]
    assert sorted(m.to[0] for m in offers) == sorted(
        [people[2].person.email, people[3].person.email]
    )
    assert (
        "Capacity changed from 2 to 4 seats. 2 people on the waiting list were offered a seat "
        "by email." in messages_of(response)
    )


def test_lowering_the_capacity_below_the_seats_held_is_refused_beside_the_field(
    organiser_client, make_event
):
    event = make_event(capacity=3)
    for _ in range(3):
        sign_up(event)

    response = organiser_client.post(
        reverse("admin:iness_event_change", args=[event.pk]),
        event_form(event, capacity=2, venue="Ailleurs"),
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "3 seats are already confirmed or offered" in errors["capacity"][0]
    event.refresh_from_db()
    assert (event.capacity, event.venue) == (3, "Institut Mines-Télécom")


def test_lowering_the_capacity_to_the_seats_held_is_allowed(organiser_client, make_event):
    event = make_event(capacity=5)
    for _ in range(3):
        sign_up(event)

    organiser_client.post(
        reverse("admin:iness_event_change", args=[event.pk]), event_form(event, capacity=3)
    )

    event.refresh_from_db()
    assert event.capacity == 3


def test_editing_other_fields_leaves_the_capacity_to_the_service(organiser_client, event):
    organiser_client.post(
        reverse("admin:iness_event_change", args=[event.pk]),
        event_form(event, venue="Télécom Paris"),
    )

    event.refresh_from_db()
    assert (event.venue, event.capacity) == ("Télécom Paris", 20)


def test_capacity_change_is_recorded_as_the_organisers(organiser, organiser_client, make_event):
    event = make_event(capacity=1)
    sign_up(event)
    waiting = sign_up(event)

    organiser_client.post(
        reverse("admin:iness_event_change", args=[event.pk]), event_form(event, capacity=2)
    )

    waiting.refresh_from_db()
    assert waiting.status == "offered"
    from iness.history import changes_of

    assert changes_of(waiting).last().by_user == organiser


def test_event_page_sums_up_seats_profiles_kinds_and_proposals(organiser_client, make_event):
    event = make_event(capacity=2)
    sign_up(event, profile="researcher", organisation_kind="research")
    sign_up(event, profile="researcher", organisation_kind="public")
    sign_up(event, profile="both", organisation_kind="public")
    propose(event, format="round_table")
    talk = propose(event, format="talk")
    proposal_services.decide(proposal=talk, decision="rejected", by="test")

    response = organiser_client.get(reverse("admin:iness_event_change", args=[event.pk]))

    summary = response.context["summary"]
    assert (summary.confirmed, summary.offered, summary.free, summary.waiting) == (2, 0, 0, 1)
    profiles = {row["label"]: (row["seated"], row["waiting"]) for row in summary.profile_mix}
    assert profiles == {"Researcher": (2, 0), "Both researcher and practitioner": (0, 1)}
    kinds = {row["label"]: (row["seated"], row["waiting"]) for row in summary.kind_mix}
    assert kinds == {"Research or higher education": (1, 0), "Public sector": (1, 1)}
    table = summary.proposal_table
    assert table["statuses"] == ["submitted", "not retained"]
    assert [(r["label"], r["counts"], r["total"]) for r in table["rows"]] == [
        ("Talk", [0, 1], 1),
        ("Round table", [1, 0], 1),
    ]
    text = re.sub(r"\s+", " ", response.content.decode())
    assert "<strong>2</strong> of 2 seats confirmed" in text
    assert "1 person on the waiting list" in text


def test_admin_index_sums_up_upcoming_events_only(organiser_client, make_event):
    upcoming = make_event(slug="a-venir", title="Journée à venir")
    make_event(
        slug="passee",
        title="Journée passée",
        date=timezone.localdate() - dt.timedelta(days=30),
        registration_opens_at=timezone.now() - dt.timedelta(days=90),
        registration_closes_at=timezone.now() - dt.timedelta(days=31),
    )
    sign_up(upcoming)

    text = organiser_client.get(reverse("admin:index")).content.decode()

    assert "Journée à venir" in text
    assert "Journée passée" not in text
    assert "<strong>1</strong> of 20 seats confirmed" in re.sub(r"\s+", " ", text)


def test_event_page_links_to_the_sign_in_sheet_and_the_lists(organiser_client, event):
    text = organiser_client.get(reverse("admin:iness_event_change", args=[event.pk])).content
    text = text.decode()

    assert reverse("admin:iness_event_sign_in_sheet", args=[event.pk]) in text
    # The waiting list with whoever holds a seat offer from it.
    assert f"?event__id__exact={event.pk}&amp;status__in=waitlisted,offered" in text
    assert reverse("admin:backoffice_announcement_add") + f"?event={event.pk}" in text


def test_events_are_not_deleted_from_the_admin(organiser_client, event):
    response = organiser_client.post(
        reverse("admin:iness_event_delete", args=[event.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert Event.objects.filter(pk=event.pk).exists()


def test_waiting_list_button_shows_people_holding_a_seat_offer(organiser_client, make_event):
    event = make_event(capacity=1)
    seated, offered, waiting = sign_up(event), sign_up(event), sign_up(event)
    registration_services.cancel(registration=seated, by="test")
    url = changelist("registrations.registration")

    response = organiser_client.get(
        url + f"?event__id__exact={event.pk}&status__in=waitlisted,offered"
    )

    assert {r.pk for r in response.context["cl"].result_list} == {offered.pk, waiting.pk}
