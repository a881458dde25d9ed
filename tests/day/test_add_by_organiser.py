import pytest
from django.contrib.auth import get_user_model

from iness.history import changes_of
from registrations import services
from registrations.models import Registration

from .conftest import fill, make_past, make_today, person, sign_up

pytestmark = pytest.mark.django_db

Status = Registration.Status


@pytest.fixture
def organiser(db):
    return get_user_model().objects.create_user("claire", password="x" * 16, is_staff=True)


def test_organiser_adds_a_person_into_a_free_seat(event, organiser, mailoutbox, delivered):
    with delivered():
        outcome = services.add_by_organiser(event=event, data=person(), by=organiser)

    registration = outcome.registration
    assert registration.status == Status.CONFIRMED
    assert changes_of(registration).get().by_user == organiser
    [message] = mailoutbox
    assert message.to == [registration.person.email]
    assert "/mon-inscription/" in message.body
    assert "organising committee has signed you up" in message.body
    assert message.attachments[0][0].endswith(".ics")


def test_organiser_add_puts_the_person_on_the_waiting_list_when_full(event, organiser):
    fill(event, 20)

    outcome = services.add_by_organiser(event=event, data=person(), by=organiser)

    assert outcome.registration.status == Status.WAITLISTED
    assert outcome.position == 1
    event.refresh_from_db()
    assert event.seats_held == 20


def test_organiser_add_works_after_public_sign_up_closed(event, organiser):
    make_today(event)
    assert services.closed_reason(event) is not None

    outcome = services.add_by_organiser(event=event, data=person(), by=organiser)

    assert outcome.registration.status == Status.CONFIRMED


def test_walk_in_is_refused_on_the_day_when_every_seat_is_taken(event, organiser):
    fill(event, 20)
    make_today(event)

    with pytest.raises(services.NoSeatAvailable) as refusal:
        services.add_by_organiser(event=event, data=person(), by=organiser, present=True)

    assert "capacit" in str(refusal.value.message)  # raise the capacity first
    assert Registration.objects.filter(event=event).count() == 20


def test_walk_in_is_confirmed_and_marked_present(event, organiser):
    make_today(event)

    outcome = services.add_by_organiser(event=event, data=person(), by=organiser, present=True)

    assert outcome.registration.status == Status.CONFIRMED
    assert outcome.registration.checked_in_at is not None


def test_organiser_add_of_someone_already_signed_up_changes_nothing(event, organiser):
    first = sign_up(event, email="grace@example.org").registration

    with pytest.raises(services.AlreadySignedUp):
        services.add_by_organiser(event=event, data=person(email="Grace@Example.org"), by=organiser)

    assert list(Registration.objects.filter(event=event)) == [first]


def test_organiser_add_is_refused_after_the_day(event, organiser):
    make_past(event)

    with pytest.raises(services.DayOver):
        services.add_by_organiser(event=event, data=person(), by=organiser)


def test_organiser_add_records_no_consent_for_a_new_person(event, organiser):
    outcome = services.add_by_organiser(event=event, data=person(), by=organiser)

    assert outcome.registration.person.consent_at is None


def test_organiser_add_keeps_a_known_persons_consent(event, organiser):
    known = sign_up(event, email="ada@example.org").registration
    services.cancel(registration=known, by=organiser)

    outcome = services.add_by_organiser(
        event=event, data=person(email="ada@example.org"), by=organiser
    )

    assert outcome.registration.person.consent_at == known.person.consent_at
