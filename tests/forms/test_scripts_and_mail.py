"""Names in any script go through the forms, pages and mails unchanged; mail headers hold
exactly what they should, whatever people type."""

import email
import re
from email import policy

import pytest

from iness.models import Person
from proposals import services as proposal_services
from proposals.models import Proposal
from registrations import services as registration_services
from registrations.models import Registration
from tests import states
from tests.proposals.conftest import proposal_data
from tests.registrations.conftest import person

from .conftest import EN

pytestmark = pytest.mark.django_db

NAMES = {
    "accents": ("Zoé", "Lefèvre-Müller"),
    "Polish": ("Łucja", "Żółkiewska-Wąsik"),
    "Arabic": ("أمينة", "حداد"),
    "Chinese": ("娜", "李"),
    "emoji": ("Ada 🦄", "Lovelace 👩🏽‍💻"),
    "combining characters": ("Zoe\u0308", "Nguye\u0302\u0303n"),
    "Greek and Devanagari": ("Ελένη", "अनीता"),
}


def parsed(message) -> email.message.EmailMessage:
    """The message as a mail client reads it from the bytes Django sends."""
    return email.message_from_bytes(message.message().as_bytes(), policy=policy.default)


def subject_of(message) -> str:
    # A long encoded subject is folded onto the next line by Django; mail clients, like the
    # parser, unfold it with a leading space, which they do not show.
    return parsed(message)["Subject"].strip()


def text_of(message) -> str:
    return parsed(message).get_body(preferencelist=("plain",)).get_content()


@pytest.fixture
def sent(mailoutbox, delivered):
    """`with sent(): ...` sends what the block queued; the messages are in `mailoutbox`."""
    return lambda: delivered()


@pytest.mark.parametrize(("first", "last"), NAMES.values(), ids=NAMES.keys())
def test_a_name_in_any_script_survives_sign_up_pages_and_mails(
    client, mailoutbox, sent, first, last
):
    path = states.signup_form()
    data = states.signup_form_data(first_name=first, last_name=last, organisation=f"{last} & Co")

    with sent():
        client.post(path, data, **EN)
    # The person confirms from the mailed link; the organisers hear of it then.
    confirm = re.search(r"http://testserver(/mon-inscription/\S+/confirmer/)", mailoutbox[0].body)
    with sent():
        client.post(confirm.group(1), **EN)

    registration = Registration.objects.get()
    assert (registration.person.first_name, registration.person.last_name) == (first, last)
    page = client.get(states.private_path(registration, "registrations:manage"), **EN)
    assert f"{first} {last}" in page.content.decode()
    to_person, _confirmed, to_organisers = mailoutbox
    assert f"Hello {first}," in text_of(to_person)
    # Organisers read their notices in the site's language, French.
    assert (
        subject_of(to_organisers) == f"Nouvelle inscription (place confirmée)\xa0: {first} {last}"
    )
    assert f"{first} {last} <{data['email']}>" in text_of(to_organisers)
    assert f"{last} & Co" in text_of(to_organisers)


@pytest.mark.parametrize(("first", "last"), NAMES.values(), ids=NAMES.keys())
def test_a_title_and_name_in_any_script_survive_proposal_pages_and_mails(
    client, mailoutbox, sent, first, last
):
    path = states.proposal_form()
    title = f"{last}: {first}"
    data = states.proposal_form_data(title=title, first_name=first, last_name=last)

    with sent():
        client.post(path, data, **EN)

    proposal = Proposal.objects.get()
    assert (proposal.title, proposal.person.first_name, proposal.person.last_name) == (
        title,
        first,
        last,
    )
    result = client.get(path + "envoyee/", **EN).content.decode()
    assert title in result
    receipt, to_organisers = mailoutbox
    assert subject_of(to_organisers) == f"Nouvelle proposition (Restitution)\xa0: {title}"
    assert title in text_of(receipt)
    manage = client.get(states.private_path(proposal, "proposals:manage"), **EN).content.decode()
    assert title in manage and f"{first} {last}" in manage


def test_accepted_proposal_in_any_script_is_shown_as_written_in_the_programme(client):
    path = states.programme()
    Proposal.objects.update(title="Entraide 互助 تعاون 🤝")
    Person.objects.update(first_name="Zoe\u0308")

    page = client.get(path, **EN).content.decode()

    # The four accepted proposals' headings: three on the timeline, one still without a time.
    assert page.count("<bdi>Entraide 互助 تعاون 🤝</bdi>") == 4
    assert "Zoe\u0308 Lovelace" in page


# Headers


def test_a_name_with_a_line_break_given_to_the_service_stays_on_the_subject_line(
    event, mailoutbox, sent
):
    # The form refuses line breaks in names; the services may still be given one (by the
    # admin, an import): the subject stays one line and no header is added.
    with sent():
        registration_services.register(
            verified=True,
            event=event,
            data=person(first_name="Ada", last_name="Lovelace\r\nBcc: eve@example.org"),
        )

    for message in mailoutbox:
        headers = parsed(message)
        assert "\n" not in headers["Subject"] and "\r" not in headers["Subject"]
        assert headers["Bcc"] is None and headers["Cc"] is None
        assert message.recipients() == message.to and len(message.to) == 1
    assert "eve@example.org" not in [r for m in mailoutbox for r in m.recipients()]


def test_a_title_with_a_line_break_given_to_the_service_stays_on_the_subject_line(
    event, mailoutbox, sent
):
    with sent():
        proposal_services.submit(
            event=event, data=proposal_data(title="Titre\nBcc: eve@example.org\n\nCorps")
        )

    subjects = [subject_of(m) for m in mailoutbox]
    assert "Nouvelle proposition (Restitution)\xa0: Titre Bcc: eve@example.org Corps" in subjects
    assert all(parsed(m)["Bcc"] is None for m in mailoutbox)


def test_sign_up_mails_go_to_exactly_the_person_and_the_organisers(
    client, mailoutbox, sent, settings
):
    data = states.signup_form_data(email="zoe@example.org")

    with sent():
        client.post(states.signup_form(), data, **EN)

    # One mail, to confirm the address; the organisers hear of the sign-up once it is.
    assert [(m.to, m.cc, m.bcc, m.recipients()) for m in mailoutbox] == [
        (["zoe@example.org"], [], [], ["zoe@example.org"]),
    ]
    assert all(parsed(m)["Reply-To"] is None for m in mailoutbox)


def test_proposal_mails_go_to_exactly_the_speaker_and_the_organisers(
    client, mailoutbox, sent, settings
):
    data = states.proposal_form_data(email="speaker@example.org", also_register="on")

    with sent():
        client.post(states.proposal_form(), data, **EN)

    recipients = sorted((m.recipients(), m.cc, m.bcc) for m in mailoutbox)
    assert recipients == sorted(
        [
            (["speaker@example.org"], [], []),  # proposal received, its link confirms the seat
            ([settings.ORGANISERS_EMAIL], [], []),  # new proposal
        ]
    )
