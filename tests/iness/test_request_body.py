"""File parts and undecodable bytes are refused with a 400 before anything is parsed or
stored (iness.middleware; issue 13.4)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from iness.middleware import accepts_files
from iness.models import LinkRequest, Person
from registrations.models import Registration
from tests import states

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def no_disk(monkeypatch):
    """Fails the test if an upload handler receives any byte of a file."""
    from django.core.files import uploadhandler

    def refuse(self, *args, **kwargs):
        raise AssertionError("a file part reached an upload handler")

    for handler in (
        uploadhandler.MemoryFileUploadHandler,
        uploadhandler.TemporaryFileUploadHandler,
    ):
        monkeypatch.setattr(handler, "receive_data_chunk", refuse)


def _public_forms() -> list[tuple[str, dict]]:
    return [
        (states.signup_form(), states.signup_form_data()),
        (states.proposal_form(), states.proposal_form_data()),
        ("/lien-perdu/", {"email": "ada@example.org"}),
        (states.proposal_page("submitted", "edit"), states.proposal_form_data(title="Neuf")),
        (states.registration_page("confirmed", "cancel"), {}),
    ]


def test_a_file_part_posted_to_any_public_form_gets_400_and_is_never_stored(client, no_disk):
    for form, data in _public_forms():
        before = (Person.objects.count(), Registration.objects.count())
        upload = SimpleUploadedFile("big.bin", b"\x00" * 300_000)

        response = client.post(form, {**data, "attachment": upload}, **EN)

        assert response.status_code == 400, form
        assert (Person.objects.count(), Registration.objects.count()) == before


def test_the_same_forms_without_a_file_part_still_work_as_multipart(client):
    form, data = states.signup_form(), states.signup_form_data()

    # The test client posts multipart by default: text fields only.
    assert client.post(form, data, **EN).status_code == 302


@csrf_exempt
@accepts_files
def _takes_files(request):
    return HttpResponse(",".join(sorted(request.FILES)))


urlpatterns = [path("uploads/", _takes_files)]


@override_settings(ROOT_URLCONF=__name__)
def test_a_view_that_opts_in_receives_its_files():
    upload = SimpleUploadedFile("slides.pdf", b"%PDF-1.4 ...")

    response = Client().post("/uploads/", {"slides": upload})

    assert response.status_code == 200
    assert response.content == b"slides"


def test_a_file_part_to_the_admin_from_someone_not_signed_in_gets_400(client, no_disk):
    upload = SimpleUploadedFile("f.bin", b"\x00" * 10)

    assert client.post("/admin/login/", {"username": "x", "f": upload}).status_code == 400


def test_staff_may_send_files_in_the_admin(admin_client):
    upload = SimpleUploadedFile("f.bin", b"\x00" * 10)

    assert admin_client.post("/admin/iness/event/add/", {"f": upload}).status_code == 200


def _raw_post(client, path: str, body: bytes, content_type="application/x-www-form-urlencoded"):
    return client.generic("POST", path, body, content_type=content_type, **EN)


def test_undecodable_bytes_in_a_form_get_400_and_nothing_is_stored(client):
    form = states.signup_form()

    response = _raw_post(
        client,
        form,
        b"first_name=Z%FF%FEo&last_name=Petit&email=zoe%40example.org&organisation=X"
        b"&organisation_kind=ess&profile=both&consent=on",
    )

    assert response.status_code == 400
    assert Person.objects.count() == 0


def test_raw_undecodable_bytes_get_400_too(client):
    response = _raw_post(client, "/lien-perdu/", b"email=\xffada@example.org")

    assert response.status_code == 400
    assert LinkRequest.objects.count() == 0


def test_undecodable_bytes_in_a_multipart_form_get_400(client):
    boundary = b"XyZ"
    body = (
        b'--XyZ\r\nContent-Disposition: form-data; name="email"\r\n\r\n'
        b"ada\xc3@example.org\r\n--XyZ--\r\n"
    )

    response = _raw_post(
        client,
        "/lien-perdu/",
        body,
        content_type=f"multipart/form-data; boundary={boundary.decode()}",
    )

    assert response.status_code == 400
    assert LinkRequest.objects.count() == 0


def test_accented_text_in_utf8_is_welcome(client, delivered):
    form = states.signup_form()

    response = _raw_post(
        client,
        form,
        "first_name=Zoé&last_name=Łukasiewicz&email=zoe%40example.org&organisation=Coopérative"
        "&organisation_kind=ess&profile=both&consent=on".encode(),
    )

    assert response.status_code == 302
    assert Person.objects.get().first_name == "Zoé"
