"""What the sign-up emails say in each case: who acted, what the person can do, and when."""

import datetime as dt

import pytest
from django.utils import formats, timezone, translation

from iness.history import PUBLIC
from registrations import services
from registrations.models import Registration

from .conftest import fill, mail_went, sign_up

pytestmark = pytest.mark.django_db

Status = Registration.Status


@pytest.fixture
def organiser(django_user_model):
    return django_user_model.objects.create_user(username="alice", password="x" * 16)


@pytest.fixture
def sent(mailoutbox, delivered):
    """Run a change and return the messages it sent, after commit."""

    def run(change, *args, **kwargs):
        before = len(mailoutbox)
        with delivered():
            change(*args, **kwargs)
        return mailoutbox[before:]

    return run


def to(address, mails):
    [mail] = [m for m in mails if m.to == [address]]
    return mail


def offer_seat(event):
    """Fill the event, and offer a freed seat to the first person waiting; returns that person."""
    seated = fill(event, event.capacity)
    waiting = sign_up(event, email="waiting@example.org").registration
    services.cancel(registration=seated[0], by=PUBLIC)
    waiting.refresh_from_db()
    assert waiting.status == Status.OFFERED
    return waiting


def deadline_in(language, moment):
    """How a deadline reads in a mail: "9:30 am on Wednesday 10 March 2027"."""
    with translation.override(language):
        local = timezone.localtime(moment)
        return formats.time_format(local), formats.date_format(local)


# A new link: one wording whoever asked, one sentence for each status.


def test_link_again_does_not_claim_the_person_asked(sent, event):
    registration = sign_up(event, email="ada@example.org").registration

    mail = to("ada@example.org", sent(services.resend_link, registration=registration))

    assert "Here is a new private link to your sign-up. Nothing else has changed." in mail.body
    assert "You asked" not in mail.body
    assert "Your seat is confirmed." in mail.body
    assert "Your private link, to see your sign-up or cancel it:" in mail.body


def test_link_again_gives_a_waitlisted_person_their_number(sent, event):
    fill(event, 20)
    sign_up(event)
    registration = sign_up(event, email="late@example.org").registration

    mail = to("late@example.org", sent(services.resend_link, registration=registration))

    assert "You are number 2 on the waiting list." in mail.body
    assert "to see your place on the waiting list or leave it:" in mail.body


def test_link_again_gives_an_offered_seat_its_deadline(sent, event):
    waiting = offer_seat(event)

    mail = to("waiting@example.org", sent(services.resend_link, registration=waiting))

    time, date = deadline_in("en", waiting.offer_expires_at)
    assert f"A seat is held for you until {time} on {date} (Paris time)" in mail.body
    assert "Your private link, to accept the seat or give it up:" in mail.body


def test_link_again_for_a_sign_up_cancelled_by_organisers_says_it_is_cancelled(
    sent, event, organiser
):
    registration = sign_up(event, email="ada@example.org").registration
    services.cancel(registration=registration, by=organiser)
    registration.refresh_from_db()

    mail = to("ada@example.org", sent(services.resend_link, registration=registration))

    assert "Your sign-up is cancelled." in mail.body
    assert "number" not in mail.body
    assert "None" not in mail.body
    assert "Your private link, to see your sign-up:" in mail.body
    assert "you can sign up again" in mail.body
    assert "http://testserver/inscription/journee-test/" in mail.body


def test_link_again_for_a_lapsed_offer_says_the_seat_went_on(sent, event):
    waiting = offer_seat(event)
    mail_went(waiting)
    Registration.objects.filter(pk=waiting.pk).update(
        offer_expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    services.expire_offers(by="test", event=event)
    waiting.refresh_from_db()
    assert waiting.status == Status.EXPIRED

    mail = to("waiting@example.org", sent(services.resend_link, registration=waiting))

    assert "was not accepted in time, so it went to the next person" in mail.body
    assert "None" not in mail.body
    assert "you can sign up again" in mail.body


def test_no_sign_up_again_line_once_sign_up_has_closed(sent, make_event, organiser):
    event = make_event()
    registration = sign_up(event, email="ada@example.org").registration
    services.cancel(registration=registration, by=organiser)
    registration.refresh_from_db()
    event.is_published = False
    event.save()

    mail = to("ada@example.org", sent(services.resend_link, registration=registration))

    assert "sign up again" not in mail.body


# Cancellation: worded for whoever cancelled, and for what the person had.


def test_cancellation_by_the_person_thanks_them(sent, event, settings):
    settings.LANGUAGE_CODE = "en"  # the organisers' notice in the source wording
    settings.ORGANISERS_EMAIL = "committee@example.org"
    registration = sign_up(event, email="ada@example.org").registration

    mails = sent(services.cancel, registration=registration, by=PUBLIC)

    ack = to("ada@example.org", mails)
    assert "As you asked, your sign-up for this day is cancelled." in ack.body
    assert "Thank you for letting us know" in ack.body
    notice = to("committee@example.org", mails)
    assert "Cancelled by the person, through their private link." in notice.body


def test_cancellation_by_an_organiser_says_so_and_does_not_thank_the_person(
    sent, event, organiser, settings
):
    settings.LANGUAGE_CODE = "en"  # the organisers' notice in the source wording
    settings.ORGANISERS_EMAIL = "committee@example.org"
    registration = sign_up(event, email="ada@example.org").registration

    mails = sent(services.cancel, registration=registration, by=organiser)

    ack = to("ada@example.org", mails)
    assert "The organising committee has cancelled your sign-up for this day." in ack.body
    assert "Thank you for letting us know" not in ack.body
    assert "As you asked" not in ack.body
    # The address is given once, in the sentence that invites a question.
    assert ack.body.count("iness@listes.imt.fr") == 1
    notice = to("committee@example.org", mails)
    assert "Cancelled by alice." in notice.body
    assert "The freed seat is offered to the first person on the waiting list" in notice.body


def test_leaving_the_waiting_list_frees_no_seat_and_says_so(sent, event, settings):
    settings.LANGUAGE_CODE = "en"
    settings.ORGANISERS_EMAIL = "committee@example.org"
    fill(event, 20)
    waiting = sign_up(event, email="late@example.org").registration

    mails = sent(services.cancel, registration=waiting, by=PUBLIC)

    ack = to("late@example.org", mails)
    assert "As you asked, you have left the waiting list for this day." in ack.body
    assert "your seat" not in ack.body
    notice = to("committee@example.org", mails)
    assert "Cancelled by the person, through their private link." in notice.body
    assert "no seat is freed" in notice.body


def test_giving_up_an_offered_seat_is_acknowledged_as_such(sent, event, settings):
    settings.LANGUAGE_CODE = "en"
    settings.ORGANISERS_EMAIL = "committee@example.org"
    waiting = offer_seat(event)

    mails = sent(services.decline_offer, registration=waiting, by=PUBLIC)

    ack = to("waiting@example.org", mails)
    assert "As you asked, you have given up the seat we held for you" in ack.body
    notice = to("committee@example.org", mails)
    assert "The person gave up the seat offered to them." in notice.body


# Offers and the waiting list.


def test_offer_mail_link_is_to_accept_or_give_up_the_seat(sent, event):
    seated = fill(event, 20)
    waiting = sign_up(event, email="waiting@example.org").registration

    mail = to("waiting@example.org", sent(services.cancel, registration=seated[0], by=PUBLIC))

    waiting.refresh_from_db()
    time, date = deadline_in("en", waiting.offer_expires_at)
    assert f"We hold it for you until {time} on {date} (Paris time)." in mail.body
    assert "Your private link, to accept the seat or give it up:" in mail.body
    assert "to see your sign-up or cancel it" not in mail.body


def test_offer_deadline_is_written_the_french_way_in_french(sent, event):
    seated = fill(event, 20)
    waiting = sign_up(event, email="waiting@example.org", language="fr").registration

    mail = to("waiting@example.org", sent(services.cancel, registration=seated[0], by=PUBLIC))

    waiting.refresh_from_db()
    time, date = deadline_in("fr", waiting.offer_expires_at)
    assert "\xa0h\xa0" in time
    assert time in mail.body
    assert date in mail.body


def test_waiting_list_mail_says_hour_in_the_singular(sent, make_event):
    event = make_event(capacity=1, offer_hours=1)
    sign_up(event)

    mail = to("late@example.org", sent(sign_up, event, email="late@example.org"))

    assert "who then has 1 hour to accept it" in mail.body


def test_waiting_list_mail_says_hours_in_the_plural(sent, make_event):
    event = make_event(capacity=1)
    sign_up(event)

    mail = to("late@example.org", sent(sign_up, event, email="late@example.org"))

    assert "who then has 48 hours to accept it" in mail.body


# Organisers' notices.


def test_organisers_notice_of_a_sign_up_lists_what_the_person_wrote(sent, event, settings):
    settings.LANGUAGE_CODE = "en"
    settings.ORGANISERS_EMAIL = "committee@example.org"

    mails = sent(sign_up, event, interests="Commons", needs="Vegetarian meal")

    notice = to("committee@example.org", mails)
    assert "Status: seat confirmed" in notice.body
    assert "Would like to discuss:\nCommons" in notice.body
    assert "Accessibility or dietary needs:\nVegetarian meal" in notice.body


# Refusals organisers read: counted in the singular or the plural.


def test_promotion_refusal_counts_a_single_seat_in_the_singular(make_event):
    event = make_event(capacity=1)
    sign_up(event)
    waiting = sign_up(event).registration

    with translation.override("en"), pytest.raises(services.NoSeatAvailable) as refusal:
        services.promote(registration=waiting, by="test")

    assert "(1 seat in all)" in str(refusal.value)
