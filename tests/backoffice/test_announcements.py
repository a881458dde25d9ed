import re
import smtplib

import pytest
from django.core.mail.backends import locmem
from django.urls import reverse

from backoffice.models import Announcement
from iness.models import OutgoingMail
from proposals import services as proposal_services
from proposals.models import Proposal
from registrations import services as registration_services
from tests.conftest import deliver_mail

from .conftest import changelist, messages_of, propose, sign_up

pytestmark = pytest.mark.django_db

URL = reverse("admin:backoffice_announcement_add")


@pytest.fixture
def crowd(make_event):
    """Two confirmed, one offered a seat, one waiting, one cancelled; speakers told or not."""
    event = make_event(capacity=3)
    confirmed = [sign_up(event, email=f"seat{n}@example.org", language="fr") for n in range(3)]
    offered = sign_up(event, email="offered@example.org")
    waiting = sign_up(event, email="waiting@example.org")
    registration_services.cancel(registration=confirmed[2], by="test")
    told = propose(event, email="told@example.org")
    confirmed_speaker = propose(event, email="seat0@example.org")  # also an attendee
    untold = propose(event, email="untold@example.org")
    rejected = propose(event, email="rejected@example.org")
    for proposal, decision in [
        (told, "accepted"),
        (confirmed_speaker, "accepted"),
        (rejected, "rejected"),
    ]:
        proposal_services.decide(proposal=proposal, decision=decision, by="test")
    proposal_services.notify_decisions(proposals=Proposal.objects.exclude(pk=untold.pk), by="test")
    proposal_services.decide(proposal=untold, decision="accepted", by="test")
    return {
        "event": event,
        "confirmed": confirmed[:2],
        "offered": offered,
        "waiting": waiting,
    }


def compose(event, audience, **extra):
    return {
        "event": event.pk,
        "audience": audience,
        "subject": "Plan d'accès",
        "body": "Bonjour,\r\nvoici le plan.",  # as browsers send a textarea
        **extra,
    }


def preview(client, event, audience):
    response = client.post(URL, {**compose(event, audience), "preview": "1"})
    assert response.status_code == 200
    return response


def send(client, event, audience, **override):
    shown = preview(client, event, audience).context["form"].initial
    data = {
        **compose(event, audience),
        "key": shown["key"],
        "expected_count": shown["expected_count"],
        "send": "1",
        **override,
    }
    return client.post(URL, data, follow=True)


def sent_to() -> list[str]:
    return sorted(OutgoingMail.objects.filter(kind="announcement").values_list("to", flat=True))


def test_the_event_page_opens_the_form_for_that_event(organiser_client, crowd):
    response = organiser_client.get(URL + f"?event={crowd['event'].pk}")

    assert response.status_code == 200
    assert response.context["form"].initial["event"] == str(crowd["event"].pk)


def test_preview_shows_the_count_and_the_message_and_sends_nothing(organiser_client, crowd):
    mails_before = OutgoingMail.objects.count()

    response = preview(organiser_client, crowd["event"], "confirmed")

    text = re.sub(r"\s+", " ", response.content.decode())
    assert "This message will go to 2 people" in text
    assert "Send to 2 people" in text
    assert "voici le plan." in text
    # The footer is in the language of the person previewed: they signed up in French.
    assert "car vous avez une place pour cette journée" in text
    assert OutgoingMail.objects.count() == mails_before
    assert not Announcement.objects.exists()


def test_confirmed_attendees_get_it_and_nobody_else(
    organiser, organiser_client, crowd, mailoutbox, delivered
):
    with delivered():
        response = send(organiser_client, crowd["event"], "confirmed")

    assert sent_to() == ["seat0@example.org", "seat1@example.org"]
    assert sorted(m.to[0] for m in mailoutbox) == sent_to()
    mail = mailoutbox[0]
    assert mail.subject == "Plan d'accès"
    assert mail.body.startswith("Bonjour,\nvoici le plan.\n\n-- \n")
    record = Announcement.objects.get()
    assert (record.event, record.audience, record.recipient_count, record.sent_by) == (
        crowd["event"],
        "confirmed",
        2,
        organiser,
    )
    assert "Message to 2 people recorded: it is being sent, follow it below." in messages_of(
        response
    )


def test_the_waiting_list_includes_people_offered_a_seat(organiser_client, crowd):
    send(organiser_client, crowd["event"], "waiting")

    assert sent_to() == ["offered@example.org", "waiting@example.org"]


def test_speakers_are_those_told_of_an_acceptance_once_each(organiser_client, crowd):
    send(organiser_client, crowd["event"], "speakers")

    assert sent_to() == ["seat0@example.org", "told@example.org"]


def test_nothing_is_sent_twice_for_one_preview(organiser_client, crowd):
    first = preview(organiser_client, crowd["event"], "confirmed").context["form"].initial
    data = {
        **compose(crowd["event"], "confirmed"),
        "key": first["key"],
        "expected_count": first["expected_count"],
        "send": "1",
    }

    organiser_client.post(URL, data, follow=True)
    again = organiser_client.post(URL, data, follow=True)

    assert len(sent_to()) == 2
    assert Announcement.objects.count() == 1
    assert messages_of(again) == ["This message had already been sent; it was not sent again."]


def test_a_changed_audience_is_previewed_again_before_sending(organiser_client, crowd):
    response = send(organiser_client, crowd["event"], "confirmed", expected_count="5")

    assert sent_to() == []
    text = response.content.decode()
    assert "has changed since your preview" in text
    assert response.context["form"].initial["expected_count"] == 2


def test_an_incomplete_message_is_refused_beside_the_field(organiser_client, crowd):
    response = organiser_client.post(
        URL, {**compose(crowd["event"], "confirmed", subject=""), "send": "1"}
    )

    assert response.context["form"].errors["subject"] == ["This field is required."]
    assert sent_to() == []


def test_the_record_is_read_only(organiser_client, crowd):
    send(organiser_client, crowd["event"], "confirmed")
    record = Announcement.objects.get()

    url = reverse("admin:backoffice_announcement_change", args=[record.pk])
    response = organiser_client.post(url, {"subject": "Autre"})

    assert response.status_code == 403
    record.refresh_from_db()
    assert record.subject == "Plan d'accès"


def test_staff_who_cannot_add_a_message_cannot_send_one(client, django_user_model, crowd):
    from django.contrib.auth.models import Permission

    clerk = django_user_model.objects.create_user(
        username="clerk", password="x" * 16, is_staff=True
    )
    clerk.user_permissions.add(*Permission.objects.filter(codename__startswith="view_"))
    client.force_login(clerk)

    response = client.post(URL, {**compose(crowd["event"], "confirmed"), "send": "1"})

    assert response.status_code == 403
    assert sent_to() == []


class RefusingSeat1(locmem.EmailBackend):
    """A mail server whose recipient seat1@example.org does not exist."""

    def send_messages(self, messages):
        if any("seat1@example.org" in m.to for m in messages):
            raise smtplib.SMTPRecipientsRefused({"seat1@example.org": (550, b"5.1.1 Unknown")})
        return super().send_messages(messages)


def test_organisers_follow_the_sending_and_send_the_failed_copies_again(
    organiser_client, crowd, mailoutbox, settings
):
    deliver_mail()  # what setting up the crowd recorded
    mailoutbox.clear()
    response = send(organiser_client, crowd["event"], "confirmed")
    assert "2 waiting, 0 sent, 0 failed, of 2" in response.content.decode()

    settings.EMAIL_BACKEND = f"{__name__}.RefusingSeat1"
    deliver_mail()
    page = organiser_client.get(response.redirect_chain[-1][0]).content.decode()
    assert "0 waiting, 1 sent, 1 failed, of 2" in page
    listed = organiser_client.get(changelist("backoffice.announcement")).content.decode()
    assert "0 waiting, 1 sent, 1 failed, of 2" in listed

    batch = Announcement.objects.get().batch
    mailing = reverse("admin:iness_mailbatch_change", args=[batch.pk])
    assert "Send the failed emails again" in organiser_client.get(mailing).content.decode()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    resent = organiser_client.post(
        reverse("admin:iness_mailbatch_resend_failed", args=[batch.pk]), follow=True
    )
    assert messages_of(resent) == ["1 failed email put back in the queue."]
    deliver_mail()

    assert sorted(m.to[0] for m in mailoutbox) == ["seat0@example.org", "seat1@example.org"]
    page = organiser_client.get(mailing).content.decode()
    assert "0 waiting, 2 sent, 0 failed, of 2" in page
