import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from fpdf import FPDF

from iness.erasure import erase_person
from proposals import services
from proposals.models import Slides
from tests.proposals.conftest import accepted, item, latest_link, place, publish

from .conftest import make_past

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def pdf_bytes(text="Nos diapositives") -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text=text)
    return bytes(pdf.output())


def upload(client, link, content=None, *, name="slides.pdf", public=True, **extra):
    data = {"file": SimpleUploadedFile(name, content or pdf_bytes(), "application/pdf")}
    if public:
        data["public"] = "on"
    return client.post(link + "diapositives/", data, **EN, **extra)


def test_speaker_uploads_a_pdf_from_the_private_link(client, event):
    proposal = accepted(event)
    link = latest_link()

    response = upload(client, link)

    assert response.status_code == 302
    slides = Slides.objects.get(proposal=proposal)
    assert bytes(slides.content).startswith(b"%PDF-")
    assert slides.public is True


def test_a_file_that_is_not_a_pdf_is_refused_whatever_its_name(client, event):
    accepted(event)

    response = upload(client, latest_link(), b"<html>not a pdf</html>", name="slides.pdf")

    assert "This file is not a PDF" in response.content.decode()
    assert not Slides.objects.exists()


def test_a_file_that_only_starts_like_a_pdf_is_refused(client, event):
    accepted(event)

    response = upload(client, latest_link(), b"%PDF-1.7\n garbage")

    assert "This PDF cannot be read" in response.content.decode()
    assert not Slides.objects.exists()


def test_a_file_above_the_size_limit_is_refused(client, event, settings):
    settings.SLIDES_MAX_MB = 1
    accepted(event)
    big = pdf_bytes() + b"%" + b"0" * (1024 * 1024)

    response = upload(client, latest_link(), big)

    assert "too large" in response.content.decode()
    assert not Slides.objects.exists()


def test_no_upload_before_the_speaker_is_told_of_the_acceptance(client, event):
    untold = accepted(event, notified=False)

    with pytest.raises(services.SlidesRefused):
        services.slides.upload(proposal=untold, content=pdf_bytes(), public=True)
    assert not Slides.objects.exists()


def published_day(event, *, public=True):
    proposal = accepted(event, title="Données de caisse")
    place(event, item(event, "10:00", 45, proposal=proposal))
    services.slides.upload(proposal=proposal, content=pdf_bytes(), public=public)
    return publish(event), proposal


def test_programme_offers_slides_only_after_the_day(client, event):
    event, proposal = published_day(event)
    url = f"/programme/{event.slug}/diapositives/{proposal.pk}.pdf"

    assert url not in client.get(f"/programme/{event.slug}/", **EN).content.decode()
    assert client.get(url).status_code == 404

    make_past(event)
    assert url in client.get(f"/programme/{event.slug}/", **EN).content.decode()
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_programme_does_not_offer_slides_the_speaker_keeps_private(client, event):
    event, proposal = published_day(event, public=False)
    make_past(event)

    assert client.get(f"/programme/{event.slug}/diapositives/{proposal.pk}.pdf").status_code == 404


def test_erasing_the_speaker_deletes_the_slides(event):
    _event, proposal = published_day(event)

    erase_person(proposal.person)

    assert not Slides.objects.exists()


def test_programme_offers_no_slides_of_a_withdrawn_proposal(client, event):
    event, proposal = published_day(event)
    services.withdraw(proposal=proposal)
    make_past(event)

    assert client.get(f"/programme/{event.slug}/diapositives/{proposal.pk}.pdf").status_code == 404
