import io

import pytest
from pypdf import PdfReader

from registrations import services
from registrations.models import Feedback
from tests.registrations.conftest import link_token

from .conftest import make_past, mark_present, sign_up

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
FR = {"HTTP_ACCEPT_LANGUAGE": "fr"}


def released(event, mailoutbox, delivered, **overrides):
    """A person marked present whose certificate was released; returns (registration, link)."""
    registration = sign_up(event, **overrides).registration
    make_past(event)
    mark_present(registration)
    with delivered():
        services.release_certificates(event=event, by="claire")
    [certificate_mail] = [m for m in mailoutbox if m.attachments]
    return registration, f"/mon-inscription/{link_token(certificate_mail)}/"


def test_private_page_offers_the_certificate_once_released(client, event, mailoutbox, delivered):
    _registration, link = released(event, mailoutbox, delivered)

    page = client.get(link, **EN).content.decode()

    assert "Download your certificate of attendance" in page
    response = client.get(link + "attestation.pdf", **EN)
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "CERTIFICATE OF ATTENDANCE" in text


def test_certificate_is_in_french_for_a_french_reader(client, event, mailoutbox, delivered):
    _registration, link = released(event, mailoutbox, delivered)

    response = client.get(link + "attestation.pdf", **FR)

    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "ATTESTATION DE PRÉSENCE" in text


def test_no_certificate_for_someone_not_marked_present(client, event, mailoutbox, delivered):
    registration = sign_up(event).registration
    make_past(event)
    with delivered():
        services.resend_link(registration=registration)

    link = f"/mon-inscription/{link_token(mailoutbox[0])}/"
    assert "certificate" not in client.get(link, **EN).content.decode()
    assert client.get(link + "attestation.pdf", **EN).status_code == 404


def test_feedback_form_records_ratings_once(client, event, mailoutbox, delivered):
    _registration, link = released(event, mailoutbox, delivered)
    form = {"overall": "5", "exchanges": "4", "organisation": "3", "comment": "Merci !"}

    assert "What did you think of the day?" in client.get(link + "avis/", **EN).content.decode()
    response = client.post(link + "avis/", form, follow=True, **EN)
    client.post(link + "avis/", form | {"overall": "1"}, **EN)

    assert "Thank you: your feedback is recorded." in response.content.decode()
    assert Feedback.objects.get().overall == 5
    assert client.get(link + "avis/", **EN).status_code == 302


def test_feedback_form_says_what_is_missing(client, event, mailoutbox, delivered):
    _registration, link = released(event, mailoutbox, delivered)

    response = client.post(link + "avis/", {"overall": "9", "comment": "x"}, **EN)

    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    assert not Feedback.objects.exists()


def test_feedback_is_not_offered_before_the_day(client, event, mailoutbox, delivered):
    with delivered():
        sign_up(event)
    link = f"/mon-inscription/{link_token(mailoutbox[0])}/"

    assert client.get(link + "avis/", **EN).status_code == 302
    assert "what you thought of the day" not in client.get(link, **EN).content.decode()


def test_lost_link_reaches_a_seat_holder_after_the_day(event, mailoutbox, delivered):
    from iness import links

    registration = sign_up(event).registration
    make_past(event)

    with delivered():
        links.send_lost_links(email=registration.person.email, language="en")

    assert "/mon-inscription/" in mailoutbox[0].body
