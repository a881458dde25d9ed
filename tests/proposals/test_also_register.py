"""The "also sign me up to attend" box: the speaker gets a seat or a waiting-list place by the
sign-up rules, and the result page says which."""

import datetime as dt

import pytest
from django.utils import timezone

from iness.models import OutgoingMail
from proposals import services
from proposals.models import Proposal
from registrations.models import Registration
from registrations.services import RegistrationData, register

from .conftest import form_data, proposal_data

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def someone(email: str, **overrides) -> RegistrationData:
    fields = {
        "first_name": "Grace",
        "last_name": "Hopper",
        "email": email,
        "organisation": "Navy",
        "profile": "researcher",
        "organisation_kind": "public",
        "language": "en",
    }
    fields.update(overrides)
    return RegistrationData(**fields)


def kinds_to(address):
    return list(
        OutgoingMail.objects.filter(to=address).order_by("pk").values_list("kind", flat=True)
    )


@pytest.fixture
def signup_closed_event(make_event):
    """Proposals still open, sign-up already closed."""
    now = timezone.now()
    return make_event(
        registration_opens_at=now - dt.timedelta(days=5),
        registration_closes_at=now - dt.timedelta(days=1),
        proposals_close_at=now + dt.timedelta(days=3),
    )


# the service ----------------------------------------------------------------------------


def test_also_register_holds_a_seat_until_the_speaker_confirms_it(event):
    outcome = services.submit(event=event, data=proposal_data(), also_register=True)

    registration = Registration.objects.get()
    assert outcome.registration.created
    assert outcome.registration.registration == registration
    assert registration.status == Registration.Status.HELD
    assert registration.verify_by is not None
    assert (
        registration.person.email,
        registration.organisation_kind,
        registration.person.language,
    ) == (
        "ada@example.org",
        "ess",
        "en",
    )
    assert registration.person.consent_at is not None
    assert Proposal.objects.get().registration == registration
    # One mail: the proposal's link confirms the seat too.
    assert kinds_to("ada@example.org") == ["proposals/received"]


def test_confirming_through_the_proposal_link_confirms_the_seat_with_its_own_link(
    client, event, mailoutbox
):
    from .conftest import latest_link

    services.submit(event=event, data=proposal_data(), also_register=True)
    page = latest_link()
    received = next(m for m in mailoutbox if m.to == ["ada@example.org"])
    assert "a seat is held for you until" in received.body

    assert client.get(page, **EN).status_code == 200
    assert Registration.objects.get().status == Registration.Status.HELD  # a GET: nothing
    response = client.post(page + "ma-place/", follow=True, **EN)

    assert "Your seat is confirmed" in response.content.decode()
    assert Registration.objects.get().status == Registration.Status.CONFIRMED
    assert "registrations.confirmed" in kinds_to("ada@example.org")
    from tests.conftest import deliver_mail

    deliver_mail()
    assert "/mon-inscription/" in [m for m in mailoutbox if m.to == ["ada@example.org"]][-1].body
    assert client.get(page, **EN).status_code == 200  # the proposal's link still works


def test_also_register_leaves_the_proposals_technical_needs_with_the_proposal(event):
    services.submit(event=event, data=proposal_data(needs="Un vidéoprojecteur"), also_register=True)

    assert Registration.objects.get().needs == ""
    assert Proposal.objects.get().needs == "Un vidéoprojecteur"


def test_also_register_joins_the_waiting_list_when_seats_are_taken(make_event):
    event = make_event(capacity=1)
    register(event=event, data=someone("grace@example.org"), verified=True)

    outcome = services.submit(event=event, data=proposal_data(), also_register=True)

    assert outcome.registration.registration.status == Registration.Status.WAITLISTED
    assert outcome.registration.position == 1
    assert Registration.objects.filter(status="confirmed").count() == 1
    assert kinds_to("ada@example.org") == ["proposals/received"]


def test_also_register_with_an_address_already_signed_up_makes_no_second_sign_up(event):
    register(event=event, data=someone("ADA@example.org"), verified=True)

    outcome = services.submit(event=event, data=proposal_data(), also_register=True)

    assert outcome.created  # the proposal itself is new
    assert not outcome.registration.created
    assert Registration.objects.count() == 1
    assert Proposal.objects.get().registration is None
    assert "registrations.link_again" in kinds_to("ADA@example.org")


def test_proposal_is_recorded_when_sign_up_is_closed(signup_closed_event):
    outcome = services.submit(event=signup_closed_event, data=proposal_data(), also_register=True)

    assert outcome.created
    assert outcome.registration is None
    assert outcome.registration_closed == "closed"
    assert Proposal.objects.count() == 1
    assert Registration.objects.count() == 0
    assert kinds_to("ada@example.org") == ["proposals/received"]


def test_proposal_is_recorded_when_sign_up_is_not_open_yet(make_event):
    now = timezone.now()
    event = make_event(
        registration_opens_at=now + dt.timedelta(days=2),
        registration_closes_at=now + dt.timedelta(days=20),
    )

    outcome = services.submit(event=event, data=proposal_data(), also_register=True)

    assert outcome.registration_closed == "not_open_yet"
    assert Proposal.objects.count() == 1 and Registration.objects.count() == 0


def test_an_unticked_box_signs_nobody_up(event):
    outcome = services.submit(event=event, data=proposal_data(), also_register=False)

    assert outcome.registration is None and outcome.registration_closed is None
    assert Registration.objects.count() == 0


def test_the_same_proposal_sent_twice_signs_up_once_and_reports_the_same_seat(make_event):
    event = make_event(capacity=1)
    register(event=event, data=someone("grace@example.org"), verified=True)

    first = services.submit(event=event, data=proposal_data(), also_register=True)
    again = services.submit(event=event, data=proposal_data(), also_register=True)

    assert not again.created
    assert again.registration.registration == first.registration.registration
    assert again.registration.created and again.registration.position == 1
    assert Registration.objects.filter(person__email="ada@example.org").count() == 1
    assert kinds_to("ada@example.org") == ["proposals/received"]


def test_speaker_registration_finds_a_sign_up_made_separately(event, proposal):
    assert services.speaker_registration(proposal) is None

    registration = register(event=event, data=someone("Ada@Example.org")).registration

    assert services.speaker_registration(proposal) == registration


# the pages ------------------------------------------------------------------------------


CHECK_INBOX = "To attend the day as well, check your inbox: open the link we sent to"


def _attending(response) -> str:
    """The result page's part about attending, with the time to confirm before taken out."""
    import re

    text = response.content.decode().split("<main")[1].split('id="attending"')[1]
    return re.sub(r"before [^(]+\(Paris time\)", "before …", text.split("</section>")[0])


def test_result_page_says_to_check_the_inbox(client, event):
    response = client.post(
        f"/proposition/{event.slug}/", form_data(also_register="on"), follow=True, **EN
    )

    assert CHECK_INBOX in response.content.decode()
    assert Registration.objects.get().status == "held"


def test_result_page_is_the_same_for_a_new_a_waitlisted_and_a_known_address(client, make_event):
    event = make_event(capacity=1)
    register(event=event, data=someone("grace@example.org"), verified=True)
    new = client.post(
        f"/proposition/{event.slug}/", form_data(also_register="on"), follow=True, **EN
    )
    register(event=event, data=someone("linus@example.org"), verified=True)  # waitlisted
    known = client.post(
        f"/proposition/{event.slug}/",
        form_data(also_register="on", email="linus@example.org", title="Another"),
        follow=True,
        **EN,
    )

    assert _attending(new).replace("ada@", "x@") == _attending(known).replace("linus@", "x@")
    assert "waiting list, in position" not in _attending(known)
    assert Registration.objects.count() == 3


def test_a_closed_sign_up_records_the_proposal_and_claims_no_seat(client, signup_closed_event):
    event = signup_closed_event

    response = client.post(
        f"/proposition/{event.slug}/", form_data(also_register="on"), follow=True, **EN
    )

    text = response.content.decode()
    assert "Proposal received" in text
    assert "seat is confirmed" not in text and "waiting list" not in text
    assert Proposal.objects.count() == 1 and Registration.objects.count() == 0


def test_form_hides_the_box_when_sign_up_is_closed(client, signup_closed_event):
    page = client.get(f"/proposition/{signup_closed_event.slug}/", **EN).content.decode()

    assert 'name="also_register"' not in page
    assert "Sign-up to attend the day is closed" in page


def test_a_double_click_still_shows_the_seat(client, event):
    client.post(f"/proposition/{event.slug}/", form_data(also_register="on"), **EN)
    second = client.post(
        f"/proposition/{event.slug}/", form_data(also_register="on"), follow=True, **EN
    )

    assert CHECK_INBOX in second.content.decode()
    assert Proposal.objects.count() == 1 and Registration.objects.count() == 1


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("closed", "Sign-up to attend is closed, so you are not signed up"),
        ("not_open_yet", "You are not signed up to attend yet: sign-up opens on"),
    ],
)
def test_result_page_explains_a_sign_up_that_closed_meanwhile(client, event, reason, message):
    # Sign-up can close between the form being shown and being sent; the service then
    # records the proposal alone and the page says why there is no seat.
    proposal = services.submit(event=event, data=proposal_data()).proposal
    session = client.session
    session["proposal_submitted"] = {
        "proposal": proposal.pk,
        "attendance": "closed",
        "closed_reason": reason,
    }
    session.save()

    response = client.get(f"/proposition/{event.slug}/envoyee/", **EN)

    assert message in response.content.decode()


def test_sending_again_with_the_box_ticked_signs_up_without_a_second_proposal(event):
    services.submit(event=event, data=proposal_data(), also_register=False)

    again = services.submit(event=event, data=proposal_data(), also_register=True)

    assert not again.created
    assert again.registration.created
    assert Proposal.objects.count() == 1
    assert Proposal.objects.get().registration == Registration.objects.get()
