""" "Delete my data" from a sign-up's private link: what erasing the person does to their
sign-ups (iness.erasure.erase_person), then the pages behind the link."""

import datetime as dt
import logging

import pytest
from django.test import Client
from django.utils import timezone, translation

from iness.erasure import erase_person
from iness.history import changes_of
from iness.models import OutgoingMail, Person, StatusChange
from iness.privacy import ANONYMISED_MAIL_TO, ERASED_ON_REQUEST
from registrations import services
from registrations.models import Registration

from .conftest import fill, link_token, sign_up

pytestmark = pytest.mark.django_db

Status = Registration.Status
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def manage_path(token: str) -> str:
    return f"/mon-inscription/{token}/"


def delete_path(token: str) -> str:
    return f"/mon-inscription/{token}/supprimer-mes-donnees/"


def signed_up_with_link(event, mailoutbox, delivered, **overrides):
    """A sign-up made through the service, and the token of the link its email carries."""
    with delivered():
        registration = sign_up(event, **overrides).registration
    message = [m for m in mailoutbox if m.to == [registration.person.email]][-1]
    return registration, link_token(message)


# The service


def test_erase_gives_the_seat_to_the_first_person_on_the_waiting_list(
    make_event, mailoutbox, delivered
):
    event = make_event(capacity=2)
    leaving, staying = fill(event, 2)
    first_waiting = sign_up(event).registration
    second_waiting = sign_up(event).registration

    with delivered():
        erase_person(leaving.person)

    leaving.refresh_from_db()
    first_waiting.refresh_from_db()
    second_waiting.refresh_from_db()
    assert leaving.status == Status.CANCELLED
    assert first_waiting.status == Status.OFFERED
    assert second_waiting.status == Status.WAITLISTED
    offer = [m for m in mailoutbox if m.to == [first_waiting.person.email]][-1]
    assert "A seat is free for you" in offer.subject
    assert Registration.objects.filter(event=event).holding_seat().count() == 2


def test_erase_moves_the_waiting_list_up_when_the_person_was_waiting(make_event):
    event = make_event(capacity=1)
    fill(event, 1)
    leaving = sign_up(event).registration
    behind = sign_up(event).registration

    erase_person(leaving.person)

    leaving.refresh_from_db()
    assert leaving.status == Status.CANCELLED
    assert services.waitlist_position(behind) == 1


def test_erase_replaces_every_personal_field_by_a_neutral_value(event):
    registration = sign_up(
        event,
        first_name="Ada",
        last_name="Lovelace",
        email="ada@example.org",
        organisation="Analytical Engines",
        interests="Cooperative platforms",
        needs="Vegetarian meal",
        wants_news=True,
    ).registration

    erase_person(registration.person)

    registration.refresh_from_db()
    person = registration.person
    assert (person.first_name, person.last_name) == ("", "")
    assert person.email == f"anonymised-person-{person.pk}@anonymised.invalid"
    assert person.email_key == person.email
    assert person.wants_news is False
    assert person.anonymised_at is not None
    assert registration.organisation == ""
    assert registration.interests == ""
    assert registration.needs == ""
    assert registration.anonymised_at is not None
    # What remains are anonymous figures.
    assert (registration.profile, registration.organisation_kind) == ("practitioner", "ess")
    with translation.override("en"):
        assert str(registration) == f"Anonymised sign-up {registration.pk}"


def test_erase_kills_the_private_link(event, mailoutbox, delivered):
    registration, token = signed_up_with_link(event, mailoutbox, delivered)

    erase_person(registration.person)

    assert services.find_by_token(token) is None


def test_erase_deletes_unsent_mail_and_anonymises_sent_mail(event, mailoutbox, delivered):
    with delivered():
        registration = sign_up(event, email="ada@example.org").registration
    services.resend_link(registration=registration)  # stays queued: nothing commits here
    sent = OutgoingMail.objects.filter(to="ada@example.org", status=OutgoingMail.Status.SENT)
    [confirmation] = sent
    [queued] = OutgoingMail.objects.filter(to="ada@example.org", status=OutgoingMail.Status.QUEUED)
    [signup_notice] = OutgoingMail.objects.filter(kind="registrations.organisers_signup")

    erase_person(registration.person)

    assert not OutgoingMail.objects.filter(pk=queued.pk).exists()
    for record in (confirmation, signup_notice):
        record.refresh_from_db()
        assert record.status == OutgoingMail.Status.SENT
        assert (record.to, record.subject, record.body) == (ANONYMISED_MAIL_TO, "", "")
        assert record.attachments == []
    assert not OutgoingMail.objects.filter(body__contains="ada@example.org").exists()
    assert not OutgoingMail.objects.filter(to__iexact="ada@example.org").exists()


def test_erase_leaves_the_mail_of_other_people_alone(event, delivered):
    with delivered():
        registration = sign_up(event, email="ada@example.org").registration
        # An address that contains the other one.
        other = sign_up(event, email="nada@example.org").registration
    before = set(
        OutgoingMail.objects.filter(body__contains="nada@example.org").values_list("pk", "body")
    )

    erase_person(registration.person)

    assert (
        set(
            OutgoingMail.objects.filter(body__contains="nada@example.org").values_list("pk", "body")
        )
        == before
    )
    assert OutgoingMail.objects.filter(to=other.person.email).count() == 1


def test_erase_mails_nothing_to_the_person_and_tells_organisers_without_naming_them(
    event, settings, mailoutbox, delivered
):
    settings.ORGANISERS_EMAIL = "committee@example.org"
    settings.LANGUAGE_CODE = "en"  # the organisers' language, English to read it here
    registration = sign_up(
        event, first_name="Ada", last_name="Lovelace", email="ada@example.org"
    ).registration

    with delivered():
        erase_person(registration.person)

    assert [m.to for m in mailoutbox] == [["committee@example.org"]]
    [notice] = mailoutbox
    assert notice.subject == "Sign-up deleted at the person's request: Test day"
    assert "offered to the waiting list" in notice.body
    for personal in ("Ada", "Lovelace", "ada@example.org", "Coopérative"):
        assert personal not in notice.subject + notice.body


def test_erase_keeps_an_audit_line_without_personal_data(event, caplog):
    registration = sign_up(event, first_name="Ada", email="ada@example.org").registration

    with caplog.at_level(logging.INFO):
        erase_person(registration.person)

    history = [(c.kind, c.from_status, c.to_status, c.by_label) for c in changes_of(registration)]
    assert history[-2:] == [
        (StatusChange.Kind.STATUS, Status.CONFIRMED, Status.CANCELLED, ERASED_ON_REQUEST),
        (StatusChange.Kind.ERASED, "", Status.CANCELLED, ERASED_ON_REQUEST),
    ]
    lines = [r.getMessage() for r in caplog.records if "erased" in r.getMessage()]
    assert f"Sign-up {registration.pk} (journee-test): personal data erased" in lines
    assert f"Person {registration.person_id}: personal data erased (on request)" in lines[-1]
    assert not any("Ada" in line or "ada@example.org" in line for line in lines)


def test_erase_after_the_day_keeps_the_status_for_the_attendance_figures(event):
    registration = sign_up(event).registration
    event.date = timezone.localdate() - dt.timedelta(days=2)
    event.save()

    erase_person(registration.person)

    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED
    assert registration.person.first_name == ""


def test_erase_also_forgets_the_news_wish_kept_from_an_earlier_day(make_event, event):
    earlier = make_event(slug="earlier", date=timezone.localdate() - dt.timedelta(days=400))
    person = Person.objects.create(
        first_name="Ada", last_name="Lovelace", email="Ada@Example.org", wants_news=True
    )
    old = Registration.objects.create(
        event=earlier,
        person=person,
        organisation="",
        profile="researcher",
        organisation_kind="research",
        status=Status.CONFIRMED,
        token_hash="old",
        anonymised_at=timezone.now() - dt.timedelta(days=300),
    )
    registration = sign_up(event, email="ada@example.org").registration
    assert registration.person == person

    erase_person(registration.person)

    old.refresh_from_db()
    assert (old.person.first_name, old.person.last_name, old.person.wants_news) == ("", "", False)
    assert old.person.email.endswith("@anonymised.invalid")
    assert old.status == Status.CONFIRMED


def test_erasing_from_an_old_cancelled_sign_up_erases_the_new_one_too(event, delivered):
    with delivered():
        old = sign_up(event, email="ada@example.org").registration
        services.cancel(registration=old, by="test")
    new = sign_up(event, email="ada@example.org").registration  # its mail stays queued
    waiting = OutgoingMail.objects.filter(status=OutgoingMail.Status.QUEUED, person=new.person)
    assert set(waiting.values_list("to", flat=True)) == {"ada@example.org", "iness@listes.imt.fr"}

    erase_person(old.person)

    assert not waiting.exists()
    new.refresh_from_db()
    assert new.status == Status.CANCELLED and new.anonymised_at is not None
    assert Registration.objects.filter(event=event).holding_seat().count() == 0


def test_erase_takes_mail_sent_to_an_address_the_person_no_longer_has(event, delivered):
    with delivered():
        registration = sign_up(event, email="old@example.org").registration
    person = registration.person
    person.email = "new@example.org"
    person.save()

    erase_person(person)

    assert not OutgoingMail.objects.filter(to="old@example.org").exists()
    assert not OutgoingMail.objects.filter(body__contains="old@example.org").exists()


def test_anonymised_mail_cannot_be_sent_again(event, delivered):
    from iness.mail import requeue

    with delivered():
        registration = sign_up(event).registration
    [record] = OutgoingMail.objects.filter(to=registration.person.email)
    erase_person(registration.person)
    record.refresh_from_db()

    requeue(record)

    record.refresh_from_db()
    assert record.status == OutgoingMail.Status.SENT


def test_mail_is_filed_under_the_day_it_is_about(event):
    registration = sign_up(event).registration

    assert set(OutgoingMail.objects.values_list("event", flat=True)) == {event.pk}
    assert registration.event_id == event.pk


# The pages


def test_private_page_offers_to_delete_my_data(client, event, mailoutbox, delivered):
    _registration, token = signed_up_with_link(event, mailoutbox, delivered)

    page = client.get(manage_path(token), **EN).content.decode()

    assert '<h2 class="h4" id="delete-data-heading">Delete my data</h2>' in page
    assert f'href="{delete_path(token)}"' in page


def test_delete_page_asks_for_confirmation_and_changes_nothing(
    client, event, mailoutbox, delivered
):
    registration, token = signed_up_with_link(event, mailoutbox, delivered)

    response = client.get(delete_path(token), **EN)

    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Delete my data · INESS</title>" in page
    assert "This erases everything we hold about you" in page
    assert "the seat you hold goes to the next person on the waiting list." in page
    assert "Yes, delete my data" in page
    assert f'href="{manage_path(token)}"' in page
    assert response["Cache-Control"].startswith("max-age=0")
    assert response["Referrer-Policy"] == "same-origin"
    registration.refresh_from_db()
    assert registration.person.first_name != "" and registration.status == Status.CONFIRMED


def test_confirming_deletes_the_data_and_says_so(client, make_event, mailoutbox, delivered):
    event = make_event(capacity=1)
    registration, token = signed_up_with_link(event, mailoutbox, delivered)
    waiting = sign_up(event).registration

    response = client.post(delete_path(token), **EN)

    assert response.status_code == 302
    assert response["Location"] == "/donnees-supprimees/inscription/"
    registration.refresh_from_db()
    waiting.refresh_from_db()
    assert registration.anonymised_at is not None and registration.person.first_name == ""
    assert waiting.status == Status.OFFERED
    done = client.get(response["Location"], **EN).content.decode()
    assert "Your data is deleted" in done
    assert "We have erased everything we held about you" in done


def test_a_deleted_persons_link_does_not_work(client, event, mailoutbox, delivered):
    _registration, token = signed_up_with_link(event, mailoutbox, delivered)
    client.post(delete_path(token))

    for path in (manage_path(token), delete_path(token)):
        response = client.get(path, **EN)
        assert response.status_code == 404
        assert "This link does not work" in response.content.decode()


def test_delete_needs_the_forms_csrf_token(event, mailoutbox, delivered):
    registration, token = signed_up_with_link(event, mailoutbox, delivered)

    response = Client(enforce_csrf_checks=True).post(delete_path(token))

    assert response.status_code == 403
    registration.refresh_from_db()
    assert registration.anonymised_at is None


def test_delete_accepts_only_get_and_post(client, event, mailoutbox, delivered):
    registration, token = signed_up_with_link(event, mailoutbox, delivered)

    assert client.put(delete_path(token)).status_code == 405
    registration.refresh_from_db()
    assert registration.anonymised_at is None


def test_delete_page_of_a_cancelled_sign_up_promises_no_seat_change(
    client, event, mailoutbox, delivered
):
    registration, token = signed_up_with_link(event, mailoutbox, delivered)
    services.cancel(registration=registration, by="test")

    page = client.get(delete_path(token), **EN).content.decode()

    assert "waiting list" not in page.split("We will erase")[0]
    assert "Yes, delete my data" in page


def test_erasing_twice_changes_nothing_more(event, mailoutbox, delivered):
    registration = sign_up(event).registration
    with delivered():
        erase_person(registration.person)
    history = list(changes_of(registration))
    mails = set(OutgoingMail.objects.values_list("pk", flat=True))
    before = len(mailoutbox)

    with delivered():
        assert erase_person(registration.person) is None

    assert list(changes_of(registration)) == history
    assert set(OutgoingMail.objects.values_list("pk", flat=True)) == mails
    assert mailoutbox[before:] == []


def test_deleting_sets_no_cookie_but_the_csrf_one(client, event, mailoutbox, delivered):
    _registration, token = signed_up_with_link(event, mailoutbox, delivered)

    client.get(delete_path(token))
    response = client.post(delete_path(token), follow=True)

    assert response.status_code == 200
    assert set(client.cookies) <= {"csrftoken"}
