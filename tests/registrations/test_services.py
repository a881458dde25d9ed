import datetime as dt

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.utils import formats, timezone, translation

from iness import history, links
from iness.history import PUBLIC, changes_of
from iness.models import OutgoingMail
from iness.privacy import PRIVACY_NOTICE_VERSION
from iness.tokens import hash_token
from registrations import services
from registrations.models import Registration

from .conftest import fill, link_token, mail_went, person, sign_up

pytestmark = pytest.mark.django_db

Status = Registration.Status


def lapse(registration):
    """Move an offer's deadline into the past, as if its mail had gone long ago and its
    hours had run out."""
    mail_went(registration)
    Registration.objects.filter(pk=registration.pk).update(
        offer_expires_at=timezone.now() - dt.timedelta(minutes=1)
    )


# Sign-up and the cap


def test_register_confirms_while_seats_remain(event):
    outcome = sign_up(event)

    assert outcome.created is True
    assert outcome.position is None
    assert outcome.registration.status == Status.CONFIRMED


def test_register_waitlists_the_21st_attendee_with_position_1(event):
    fill(event, 20)

    outcome = sign_up(event)
    second = sign_up(event)

    assert outcome.registration.status == Status.WAITLISTED
    assert (outcome.position, second.position) == (1, 2)
    assert services.waitlist_position(second.registration) == 2
    assert Registration.objects.filter(status=Status.CONFIRMED).count() == 20


def test_register_records_consent_with_the_notice_version(event):
    registration = sign_up(event).registration

    assert registration.person.consent_at is not None
    assert registration.person.privacy_notice_version == PRIVACY_NOTICE_VERSION


def test_register_records_the_new_status_in_the_history(event):
    registration = sign_up(event).registration

    [change] = changes_of(registration)
    assert (change.from_status, change.to_status, change.by_label) == ("", "confirmed", PUBLIC)


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"is_published": False}, services.NOT_PUBLISHED),
        (
            {"registration_opens_at": timezone.now() + dt.timedelta(days=1)},
            services.NOT_OPEN_YET,
        ),
        (
            {
                "registration_opens_at": timezone.now() - dt.timedelta(days=5),
                "registration_closes_at": timezone.now() - dt.timedelta(hours=1),
            },
            services.CLOSED,
        ),
        (
            {
                "date": timezone.localdate() - dt.timedelta(days=1),
                "registration_closes_at": timezone.now() + dt.timedelta(days=3),
            },
            services.STARTED,
        ),
    ],
    ids=["unpublished", "not-open-yet", "closed", "started"],
)
def test_register_accepts_nothing_when_sign_up_is_closed(make_event, overrides, reason):
    event = make_event(**overrides)

    with pytest.raises(services.RegistrationClosed) as raised:
        sign_up(event)

    assert raised.value.reason == reason
    assert Registration.objects.count() == 0
    assert OutgoingMail.objects.count() == 0


# Same address again


def test_same_email_in_other_letter_case_gets_no_second_registration(event):
    first = sign_up(event, email="Ada@Example.org", first_name="Ada").registration

    again = sign_up(event, email="ada@EXAMPLE.org", first_name="Someone else")

    assert again.created is False
    assert again.registration.pk == first.pk
    assert Registration.objects.count() == 1
    first.refresh_from_db()
    assert first.person.first_name == "Ada"
    assert first.status == Status.CONFIRMED


def test_same_email_again_emails_a_new_link_and_the_old_one_stops_working(
    event, mailoutbox, delivered
):
    with delivered():
        sign_up(event, email="ada@example.org")
    old_token = link_token(mailoutbox[0])

    with delivered():
        sign_up(event, email="ADA@example.org")

    new_token = link_token(mailoutbox[-1])
    assert mailoutbox[-1].to == ["ada@example.org"]
    assert new_token != old_token
    assert services.find_by_token(old_token) is None
    assert services.find_by_token(new_token).person.email == "ada@example.org"
    # No organisers' notice: nothing changed.
    assert [m.to for m in mailoutbox].count(["iness@listes.imt.fr"]) == 1


def test_same_email_after_cancelling_signs_up_anew(event):
    first = sign_up(event, email="ada@example.org").registration
    services.cancel(registration=first, by=PUBLIC)

    again = sign_up(event, email="ada@example.org")

    assert again.created is True
    assert Registration.objects.filter(person__email="ada@example.org").count() == 2


def test_database_refuses_two_active_registrations_for_one_person(event):
    registration = sign_up(event, email="ada@example.org").registration
    registration.pk = None
    registration.token_hash = "0" * 64

    with pytest.raises(IntegrityError), transaction.atomic():
        registration.save()


# Tokens


def test_private_link_token_is_never_stored_in_clear(event, mailoutbox, delivered):
    with delivered():
        registration = sign_up(event).registration
    token = link_token(mailoutbox[0])

    assert len(token) >= 22  # 128 bits and more in URL-safe base64
    registration.refresh_from_db()
    assert registration.token_hash == hash_token(token)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM registrations_registration")
        stored = " ".join(str(value) for row in cursor.fetchall() for value in row)
    assert token not in stored


@pytest.mark.parametrize("token", ["", "not-a-real-token", "x" * 500, "../../admin"])
def test_unknown_tokens_find_nothing(event, token):
    sign_up(event)

    assert services.find_by_token(token) is None


# Cancel, offer, accept, decline, lapse


def test_cancel_offers_the_seat_to_the_oldest_waitlisted_person(event, mailoutbox, delivered):
    seated = fill(event, 20)
    first, second = sign_up(event).registration, sign_up(event).registration

    with delivered():
        services.cancel(registration=seated[3], by=PUBLIC)

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Status.OFFERED
    assert second.status == Status.WAITLISTED
    assert services.waitlist_position(second) == 1
    offer = next(m for m in mailoutbox if m.to == [first.person.email])
    assert "A seat is free for you" in offer.subject
    assert services.find_by_token(link_token(offer)) == first


def test_offer_is_held_48_hours_by_default(event):
    seated = fill(event, 20)
    waiting = sign_up(event).registration
    before = timezone.now()

    services.cancel(registration=seated[0], by=PUBLIC)

    waiting.refresh_from_db()
    held_for = waiting.offer_expires_at - before
    assert dt.timedelta(hours=47, minutes=59) < held_for <= dt.timedelta(hours=48, seconds=5)


def test_offer_deadline_never_runs_past_the_start_of_the_day(make_event):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    event = make_event(
        date=tomorrow, capacity=1, registration_closes_at=timezone.now() + dt.timedelta(hours=2)
    )
    seated = sign_up(event).registration
    waiting = sign_up(event).registration

    services.cancel(registration=seated, by=PUBLIC)

    waiting.refresh_from_db()
    assert waiting.offer_expires_at == event.start


def test_an_offered_seat_counts_against_the_cap(event):
    seated = fill(event, 20)
    sign_up(event)
    services.cancel(registration=seated[0], by=PUBLIC)

    newcomer = sign_up(event)

    assert newcomer.registration.status == Status.WAITLISTED
    assert Registration.objects.holding_seat().count() == 20


def test_accepting_an_offer_confirms_the_seat_and_mails_the_calendar(event, mailoutbox, delivered):
    seated = fill(event, 20)
    waiting = sign_up(event).registration
    services.cancel(registration=seated[0], by=PUBLIC)
    waiting.refresh_from_db()

    with delivered():
        services.accept_offer(registration=waiting, by=PUBLIC)

    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED
    assert waiting.offer_expires_at is None
    [confirmation] = mailoutbox
    assert "Your seat is confirmed" in confirmation.subject
    assert confirmation.attachments[0][0] == f"{event.slug}.ics"


def test_declining_an_offer_passes_the_seat_to_the_next_person(event):
    seated = fill(event, 20)
    first, second = sign_up(event).registration, sign_up(event).registration
    services.cancel(registration=seated[0], by=PUBLIC)
    first.refresh_from_db()

    services.decline_offer(registration=first, by=PUBLIC)

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Status.CANCELLED
    assert second.status == Status.OFFERED


def test_a_lapsed_offer_passes_on_at_the_next_sign_up(event, mailoutbox, delivered):
    seated = fill(event, 20)
    first, second = sign_up(event).registration, sign_up(event).registration
    services.cancel(registration=seated[0], by=PUBLIC)
    lapse(first)

    with delivered():
        newcomer = sign_up(event)

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Status.EXPIRED
    assert second.status == Status.OFFERED
    assert newcomer.position == 1
    lapsed = next(m for m in mailoutbox if m.to == [first.person.email])
    assert "Your seat offer for the INESS day" in lapsed.subject
    assert "has lapsed" in lapsed.subject
    assert [c.by_label for c in changes_of(first)][-1] == services.OFFER_DEADLINE


def test_a_lapsed_offer_cannot_be_accepted_and_goes_to_the_next_person(event):
    seated = fill(event, 20)
    first, second = sign_up(event).registration, sign_up(event).registration
    services.cancel(registration=seated[0], by=PUBLIC)
    lapse(first)

    with pytest.raises(services.OfferNotOpen):
        services.accept_offer(registration=first, by=PUBLIC)

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Status.EXPIRED
    assert second.status == Status.OFFERED


def test_expire_offers_command_passes_lapsed_seats_on(event):
    seated = fill(event, 20)
    first, second = sign_up(event).registration, sign_up(event).registration
    services.cancel(registration=seated[0], by=PUBLIC)
    lapse(first)

    call_command("expire_offers")

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Status.EXPIRED, Status.OFFERED)
    assert changes_of(second).last().by_label == history.command("expire_offers")


def test_a_seat_freed_with_nobody_waiting_is_simply_free(event):
    seated = fill(event, 3)

    services.cancel(registration=seated[0], by=PUBLIC)

    assert Registration.objects.holding_seat().count() == 2
    assert not Registration.objects.filter(status=Status.OFFERED).exists()


def test_no_seat_is_offered_once_the_day_has_started(make_event):
    event = make_event(capacity=1)
    seated = sign_up(event).registration
    waiting = sign_up(event).registration
    type(event).objects.filter(pk=event.pk).update(date=timezone.localdate() - dt.timedelta(days=1))

    services.cancel(registration=seated, by=PUBLIC)

    waiting.refresh_from_db()
    assert waiting.status == Status.WAITLISTED


def test_cancelling_a_waitlisted_person_moves_the_others_up(event):
    fill(event, 20)
    first, second = sign_up(event).registration, sign_up(event).registration

    services.cancel(registration=first, by=PUBLIC)

    assert services.waitlist_position(second) == 1
    assert Registration.objects.holding_seat().count() == 20


def test_cancel_records_who_cancelled(event, django_user_model):
    organiser = django_user_model.objects.create_user("claire", password="x" * 12)
    registration = sign_up(event).registration

    services.cancel(registration=registration, by=organiser)

    change = changes_of(registration).last()
    assert (change.from_status, change.to_status, change.by_user) == (
        "confirmed",
        "cancelled",
        organiser,
    )


def test_cancelling_twice_changes_nothing_more(event, mailoutbox, delivered):
    registration = sign_up(event).registration
    services.cancel(registration=registration, by=PUBLIC)

    with delivered():
        services.cancel(registration=registration, by=PUBLIC)

    assert mailoutbox == []
    assert changes_of(registration).count() == 2


# Capacity


def test_raising_the_capacity_offers_the_new_seats_to_the_waiting_list(event):
    fill(event, 20)
    waiting = [sign_up(event).registration for _ in range(3)]

    services.set_capacity(event=event, capacity=22, by="test")

    statuses = [Registration.objects.get(pk=r.pk).status for r in waiting]
    assert statuses == [Status.OFFERED, Status.OFFERED, Status.WAITLISTED]
    event.refresh_from_db()
    assert event.capacity == 22


def test_capacity_cannot_go_below_the_seats_held(event):
    fill(event, 5)

    with translation.override("en"), pytest.raises(services.CapacityError) as refusal:
        services.set_capacity(event=event, capacity=4, by="test")

    assert "5 seats are already confirmed or offered" in refusal.value.message

    event.refresh_from_db()
    assert event.capacity == 20


def test_promoting_a_waitlisted_person_is_refused_when_every_seat_is_held(event):
    fill(event, 20)
    waiting = sign_up(event).registration

    with pytest.raises(services.NoSeatAvailable):
        services.promote(registration=waiting, by="test")

    waiting.refresh_from_db()
    assert waiting.status == Status.WAITLISTED


def test_promoting_an_offered_person_confirms_the_held_seat(event):
    seated = fill(event, 20)
    waiting = sign_up(event).registration
    services.cancel(registration=seated[0], by=PUBLIC)

    services.promote(registration=waiting, by="test")

    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED
    assert Registration.objects.holding_seat().count() == 20


# Mail


def test_confirmation_mail_has_the_facts_the_link_and_a_calendar_file(event, mailoutbox, delivered):
    with delivered():
        registration = sign_up(event, first_name="Ada", email="ada@example.org").registration

    mine = [m for m in mailoutbox if m.to == ["ada@example.org"]]
    [confirmation] = mine
    with translation.override("en"):
        day = formats.date_format(event.date)  # "Wednesday 10 March 2027"
    assert confirmation.subject == f"Your seat is confirmed for the INESS day on {day}"
    assert "Hello Ada," in confirmation.body
    assert "Test day" in confirmation.body
    assert f"{day}, from 9:30\xa0am to 5:30\xa0pm (Paris time)" in confirmation.body
    assert "Institut Mines-Télécom, 2, Villa Thoréton, 75015 Paris" in confirmation.body
    assert services.find_by_token(link_token(confirmation)) == registration
    filename, content, mimetype = confirmation.attachments[0]
    assert (filename, mimetype) == ("journee-test.ics", "text/calendar")
    assert f"DTSTART;TZID=Europe/Paris:{event.date:%Y%m%d}T093000" in content
    assert "SUMMARY:Test day" in content


def test_waiting_list_mail_gives_the_position(event, mailoutbox, delivered):
    fill(event, 20)
    sign_up(event)

    with delivered():
        sign_up(event, email="late@example.org")

    [mail] = [m for m in mailoutbox if m.to == ["late@example.org"]]
    assert mail.subject.startswith("Waiting list for the INESS day on ")
    assert mail.subject.endswith(": you are number 2")
    assert "you are number 2 on the waiting list" in mail.body
    assert mail.attachments == []


def test_mail_is_written_in_the_language_of_the_person(event, mailoutbox, delivered):
    with delivered():
        sign_up(event, email="fr@example.org", language="fr")

    [mail] = [m for m in mailoutbox if m.to == ["fr@example.org"]]
    # Dates and times are written the French way.
    assert "Journée test" in mail.body
    assert event.date.strftime("%Y") in mail.body
    weekday_fr = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
    assert weekday_fr[event.date.weekday()] in mail.body
    assert "9\xa0h\xa030" in mail.body
    assert "a.m." not in mail.body


def test_organisers_are_told_of_each_sign_up_and_cancellation(
    event, settings, mailoutbox, delivered
):
    settings.ORGANISERS_EMAIL = "committee@example.org"
    with delivered():
        registration = sign_up(event, first_name="Ada", last_name="Lovelace").registration
        services.cancel(registration=registration, by=PUBLIC)

    notices = [m for m in mailoutbox if m.to == ["committee@example.org"]]
    # Organisers read their notices in the site's language, French.
    assert [m.subject for m in notices] == [
        "Nouvelle inscription (place confirmée)\xa0: Ada Lovelace",
        "Inscription annulée\xa0: Ada Lovelace",
    ]


def test_cancellation_is_acknowledged_to_the_person(event, mailoutbox, delivered):
    registration = sign_up(event, email="ada@example.org").registration

    with delivered():
        services.cancel(registration=registration, by=PUBLIC)

    [ack] = [m for m in mailoutbox if m.to == ["ada@example.org"]]
    assert ack.subject.startswith("Your sign-up for the INESS day on ")
    assert ack.subject.endswith(" is cancelled")


def test_names_are_not_html_escaped_in_plain_text_mail(event, mailoutbox, delivered):
    with delivered():
        sign_up(event, first_name="Zoë O'Brien & co", email="zoe@example.org")

    [mail] = [m for m in mailoutbox if m.to == ["zoe@example.org"]]
    assert "Hello Zoë O'Brien & co," in mail.body


# Lost link


def test_lost_link_sender_emails_a_new_link_and_the_old_one_stops_working(
    event, mailoutbox, delivered
):
    with delivered():
        registration = sign_up(event, email="ada@example.org").registration
    old_token = link_token(mailoutbox[0])

    with delivered():
        links.send_lost_links(email="ADA@example.org", language="en")

    new_token = link_token(mailoutbox[-1])
    assert mailoutbox[-1].to == ["ada@example.org"]
    assert services.find_by_token(new_token) == registration
    assert services.find_by_token(old_token) is None


def test_lost_link_sender_sends_nothing_for_an_unknown_or_cancelled_address(
    event, mailoutbox, delivered
):
    registration = sign_up(event, email="gone@example.org").registration
    services.cancel(registration=registration, by=PUBLIC)

    with delivered():
        links.send_lost_links(email="gone@example.org", language="en")
        links.send_lost_links(email="nobody@example.org", language="en")

    assert mailoutbox == []


# Reminders


def test_reminders_go_once_to_confirmed_attendees_of_a_day_that_is_near(
    make_event, mailoutbox, delivered
):
    soon = make_event(slug="soon", date=timezone.localdate() + dt.timedelta(days=2))
    later = make_event(slug="later")
    confirmed = sign_up(soon, email="seat@example.org").registration
    sign_up(later, email="later@example.org")
    cancelled = sign_up(soon, email="cancelled@example.org").registration
    services.cancel(registration=cancelled, by=PUBLIC)

    with delivered():
        call_command("send_reminders", days=3)
        call_command("send_reminders", days=3)

    [reminder] = mailoutbox
    assert reminder.to == ["seat@example.org"]
    assert reminder.subject.startswith("See you on")
    assert services.find_by_token(link_token(reminder)) == confirmed
    assert reminder.attachments[0][2] == "text/calendar"


def test_register_keeps_the_interface_the_proposal_form_uses(event):
    outcome = services.register(event=event, data=person(), by=PUBLIC)

    assert isinstance(outcome, services.RegistrationOutcome)
    assert outcome.registration.pk is not None


def test_resend_link_emails_a_new_link_in_the_language_asked(event, mailoutbox, delivered):
    with delivered():
        registration = sign_up(event, language="en").registration
    old_token = link_token(mailoutbox[0])

    with delivered():
        services.resend_link(registration=registration, language="fr")

    resent = mailoutbox[-1]
    assert services.find_by_token(link_token(resent)) == registration
    assert services.find_by_token(old_token) is None
    assert "Journée test" in resent.body


# Calendars stay true (issue 15.6)


def _calendar_entry(message):
    from icalendar import Calendar

    [(filename, content, mimetype)] = message.attachments
    calendar = Calendar.from_ical(content)
    [entry] = calendar.walk("VEVENT")
    return calendar, entry


def test_cancelling_a_confirmed_seat_mails_a_calendar_cancellation_of_the_same_entry(
    event, mailoutbox, delivered
):
    with delivered():
        registration = sign_up(event, email="ada@example.org").registration
        services.cancel(registration=registration, by=PUBLIC)

    confirmation, cancellation = [m for m in mailoutbox if m.to == ["ada@example.org"]]
    added_calendar, added = _calendar_entry(confirmation)
    calendar, entry = _calendar_entry(cancellation)
    assert str(added_calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(entry["UID"]) == str(added["UID"])
    assert str(entry["STATUS"]) == "CANCELLED"
    assert int(entry["SEQUENCE"]) > int(added["SEQUENCE"])
    assert "takes the entry out again" in cancellation.body


def test_leaving_the_waiting_list_mails_no_calendar(event, mailoutbox, delivered):
    fill(event, 20)
    waiting = sign_up(event, email="ada@example.org").registration

    with delivered():
        services.cancel(registration=waiting, by=PUBLIC)

    [cancellation] = [m for m in mailoutbox if m.to == ["ada@example.org"]]
    assert cancellation.attachments == []


def test_a_confirmation_after_an_offer_carries_the_day_again_under_a_new_entry(
    event, mailoutbox, delivered
):
    with delivered():
        first = sign_up(event, email="ada@example.org").registration
        services.cancel(registration=first, by=PUBLIC)
    fill(event, 20)
    again = sign_up(event, email="ada@example.org").registration
    seated = Registration.objects.filter(status=Status.CONFIRMED).first()
    services.cancel(registration=seated, by=PUBLIC)
    again.refresh_from_db()
    mailoutbox.clear()

    with delivered():
        services.accept_offer(registration=again, by=PUBLIC)

    [confirmation] = [m for m in mailoutbox if m.to == ["ada@example.org"]]
    calendar, entry = _calendar_entry(confirmation)
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert f"{event.slug}-signup-{again.pk}@" in str(entry["UID"])
    assert f"{event.slug}-signup-{first.pk}@" not in str(entry["UID"])
