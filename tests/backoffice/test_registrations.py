import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from iness.models import OutgoingMail
from registrations import services
from registrations.models import Registration
from tests.registrations.conftest import mail_went

from .conftest import action, changelist, messages_of, sign_up

pytestmark = pytest.mark.django_db

REGISTRATIONS = "registrations.registration"


def listed(response) -> list[str]:
    return [r.person.email for r in response.context["cl"].result_list]


def test_list_shows_the_waiting_list_in_order_with_positions(organiser_client, make_event):
    event = make_event(capacity=1)
    seated, first, second = [sign_up(event) for _ in range(3)]

    response = organiser_client.get(
        changelist(REGISTRATIONS) + f"?event__id__exact={event.pk}&status__exact=waitlisted"
    )

    rows = response.context["cl"].result_list
    assert [(r.person.email, r.waitlist_position) for r in rows] == [
        (first.person.email, 1),
        (second.person.email, 2),
    ]
    text = response.content.decode()
    for column in ["Name", "Email", "Organisation", "Profile", "Status", "Waiting-list position"]:
        assert column in text
    assert first.person.full_name in text and seated.person.email not in text


def test_positions_match_the_sign_up_service(organiser_client, make_event):
    event = make_event(capacity=1)
    people = [sign_up(event) for _ in range(5)]
    services.cancel(registration=people[2], by="test")

    rows = organiser_client.get(changelist(REGISTRATIONS)).context["cl"].result_list

    for row in rows:
        assert row.waitlist_position == services.waitlist_position(row), row.person.email


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status__exact=waitlisted", {"w@example.org"}),
        ("profile__exact=researcher", {"r@example.org"}),
        ("organisation_kind__exact=public", {"w@example.org"}),
        ("q=Mairie", {"w@example.org"}),
        ("q=lovelace-r", {"r@example.org"}),
        ("q=R@EXAMPLE.ORG", {"r@example.org"}),
    ],
)
def test_filters_and_search(organiser_client, make_event, query, expected):
    event = make_event(capacity=1)
    sign_up(event, email="r@example.org", last_name="Lovelace-R", profile="researcher")
    sign_up(
        event,
        email="w@example.org",
        organisation="Mairie du 15e",
        organisation_kind="public",
        profile="both",
    )

    response = organiser_client.get(changelist(REGISTRATIONS) + "?" + query)

    assert set(listed(response)) == expected


def test_filter_by_event(organiser_client, make_event):
    one = make_event(slug="one")
    other = make_event(slug="other")
    mine = sign_up(one)
    sign_up(other)

    response = organiser_client.get(changelist(REGISTRATIONS) + f"?event__id__exact={one.pk}")

    assert listed(response) == [mine.person.email]


def change_url(registration):
    return reverse("admin:registrations_registration_change", args=[registration.pk])


def test_status_is_read_only_on_the_change_form(organiser_client, make_event):
    event = make_event(capacity=1)
    sign_up(event)
    waiting = sign_up(event)

    form = organiser_client.get(change_url(waiting)).context["adminform"].form
    assert "status" not in form.fields and "event" not in form.fields
    assert "person" not in form.fields

    organiser_client.post(
        change_url(waiting),
        {
            "organisation": "Analytical Engines",
            "organisation_kind": waiting.organisation_kind,
            "profile": waiting.profile,
            "status": "confirmed",
        },
    )
    waiting.refresh_from_db()
    assert (waiting.organisation, waiting.status) == ("Analytical Engines", "waitlisted")


def test_change_page_shows_the_status_history(organiser, organiser_client, event):
    registration = sign_up(event)
    services.cancel(registration=registration, by=organiser)

    text = organiser_client.get(change_url(registration)).content.decode()

    assert "created: seat confirmed" in text
    assert "seat confirmed → cancelled" in text
    # People, not logins: the organiser by name, the person as the one on the site.
    assert "the person, on the site" in text and "Claire Dupont" in text


def test_cancel_action_frees_the_seat_for_the_first_on_the_waiting_list(
    organiser, organiser_client, make_event, mailoutbox, delivered
):
    event = make_event(capacity=1)
    seated = sign_up(event)
    first = sign_up(event)
    sign_up(event)

    with delivered():
        response = action(organiser_client, REGISTRATIONS, "cancel_selected", [seated])

    seated.refresh_from_db()
    first.refresh_from_db()
    assert (seated.status, first.status) == ("cancelled", "offered")
    assert "1 sign-up cancelled." in messages_of(response)
    assert first.person.email in [m.to[0] for m in mailoutbox]
    from iness.history import changes_of

    assert changes_of(seated).last().by_user == organiser


def test_cancel_action_says_what_it_left_alone(organiser_client, event):
    gone = sign_up(event)
    services.cancel(registration=gone, by="test")
    active = sign_up(event)

    response = action(organiser_client, REGISTRATIONS, "cancel_selected", [gone, active])

    assert messages_of(response) == [
        "1 sign-up cancelled.",
        "1 was already cancelled or lapsed: nothing changed.",
    ]


def test_confirming_from_the_waiting_list_is_refused_when_no_seat_is_free(
    organiser_client, make_event
):
    event = make_event(capacity=2)
    sign_up(event)
    sign_up(event)
    waiting = sign_up(event, first_name="Mary", last_name="Shelley")

    response = action(organiser_client, REGISTRATIONS, "confirm_selected", [waiting])

    waiting.refresh_from_db()
    assert waiting.status == "waitlisted"
    assert Registration.objects.filter(event=event).holding_seat().count() == 2
    (message,) = messages_of(response)
    assert message.startswith("Mary Shelley was not confirmed: Every seat is taken")


def test_confirming_someone_offered_a_seat_confirms_at_once(organiser_client, make_event):
    event = make_event(capacity=1)
    seated = sign_up(event)
    offered = sign_up(event)
    services.cancel(registration=seated, by="test")

    response = action(organiser_client, REGISTRATIONS, "confirm_selected", [offered])

    offered.refresh_from_db()
    assert offered.status == "confirmed"
    assert "1 person confirmed and emailed." in messages_of(response)


def test_offer_free_seats_passes_a_lapsed_offer_to_the_next_person(organiser_client, make_event):
    event = make_event(capacity=1)
    seated = sign_up(event)
    offered = sign_up(event)
    following = sign_up(event)
    services.cancel(registration=seated, by="test")
    mail_went(offered)  # the offer's hours count from its mail
    Registration.objects.filter(pk=offered.pk).update(
        offer_expires_at=timezone.now() - dt.timedelta(minutes=1)
    )

    response = action(organiser_client, REGISTRATIONS, "offer_free_seats", [following])

    offered.refresh_from_db()
    following.refresh_from_db()
    assert (offered.status, following.status) == ("expired", "offered")
    assert messages_of(response) == [
        f"{event.title}: 1 person on the waiting list was offered a seat."
    ]


def test_offer_free_seats_says_when_no_seat_is_free(organiser_client, make_event):
    event = make_event(capacity=1)
    sign_up(event)
    waiting = sign_up(event)

    response = action(organiser_client, REGISTRATIONS, "offer_free_seats", [waiting])

    waiting.refresh_from_db()
    assert waiting.status == "waitlisted"
    assert messages_of(response) == [f"{event.title}: no seat is free, nobody was offered one."]


def test_resend_link_emails_a_new_working_link(organiser_client, event, mailoutbox, delivered):
    registration = sign_up(event)
    old_hash = registration.token_hash

    with delivered():
        response = action(organiser_client, REGISTRATIONS, "resend_link", [registration])

    registration.refresh_from_db()
    assert registration.token_hash != old_hash
    assert "1 link emailed." in messages_of(response)
    (mail,) = mailoutbox
    assert mail.to == [registration.person.email]
    token = mail.body.split("/mon-inscription/")[1].split("/")[0]
    assert services.find_by_token(token) == registration


def test_resend_link_skips_cancelled_sign_ups(organiser_client, event):
    registration = sign_up(event)
    services.cancel(registration=registration, by="test")
    before = OutgoingMail.objects.count()

    response = action(organiser_client, REGISTRATIONS, "resend_link", [registration])

    assert OutgoingMail.objects.count() == before
    assert messages_of(response) == ["1 sign-up is cancelled or lapsed: no link sent."]


def test_the_cap_holds_through_every_admin_action(organiser_client, make_event):
    event = make_event(capacity=3)
    people = [sign_up(event) for _ in range(8)]

    action(organiser_client, REGISTRATIONS, "confirm_selected", people)
    action(organiser_client, REGISTRATIONS, "cancel_selected", people[:2])
    action(organiser_client, REGISTRATIONS, "confirm_selected", people)
    action(organiser_client, REGISTRATIONS, "offer_free_seats", people)

    assert Registration.objects.filter(event=event).holding_seat().count() == 3
    assert Registration.objects.filter(event=event, status="confirmed").count() == 3


def test_buttons_on_a_sign_up_page_do_what_the_list_actions_do(organiser_client, event):
    registration = sign_up(event)
    cancel = reverse(
        "admin:registrations_registration_object_action", args=[registration.pk, "cancel_selected"]
    )
    assert cancel in organiser_client.get(change_url(registration)).content.decode()

    response = organiser_client.post(cancel, follow=True)

    registration.refresh_from_db()
    assert registration.status == "cancelled"
    assert messages_of(response) == ["1 sign-up cancelled."]


def test_a_button_is_refused_for_an_action_the_page_does_not_offer(organiser_client, event):
    registration = sign_up(event)
    url = reverse(
        "admin:registrations_registration_object_action", args=[registration.pk, "export_csv"]
    )

    assert organiser_client.post(url).status_code == 403
