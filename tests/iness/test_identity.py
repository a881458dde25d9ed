"""One address, one person: the email key (iness.identity) against look-alike addresses.

Each look-alike of `seat@example.org` (or of `susan@` / `ivan@`) either gets a clear message
beside the field or is recognised as the same person; none gets a second seat or moves
someone's private link. The suite runs on SQLite and PostgreSQL (CI runs both): before the
key, PostgreSQL's UPPER() folded `ſ` and `ı` to ASCII while the uniqueness rule used LOWER().
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from iness import identity
from iness.exceptions import Refused
from iness.models import OutgoingMail, Person
from iness.people import AddressRefused
from proposals import services as proposals
from proposals.models import Proposal
from registrations import services as registrations
from registrations.models import Registration
from tests import states
from tests.proposals.conftest import proposal_data
from tests.registrations.conftest import person

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}

# Each reaches the mailbox seat@example.org (or looks like it), and each is refused.
REFUSED = {
    "long s": ("ſeat@example.org", "looks like a usual letter"),
    "dotless i": ("ıvan@example.org", "may contain only unaccented letters"),
    "fullwidth e": ("seat@ｅxample.org", "looks like a usual letter"),
    "soft hyphen": ("seat@exam\u00adple.org", "invisible character"),
    "trailing zero-width space": ("seat@example.org\u200b", "invisible character"),
    "zero-width joiner": ("se\u200dat@example.org", "invisible character"),
    "right-to-left mark": ("seat@example.org\u200f", "invisible character"),
    "byte order mark": ("\ufeffseat@example.org", "invisible character"),
    "no-break space": ("seat\u00a0@example.org", "invisible character"),
    "quoted": ('"seat"@example.org', "without quotation marks"),
    "ligature": ("seat@ﬁxample.org", "looks like a usual letter"),
    "decomposed accent": ("seat@exa\u0301mple.org", "looks like a usual letter"),
}
# Each is the same mailbox as seat@example.org, written another way: the same person.
SAME = {
    "capitals": "SEAT@Example.ORG",
    "spaces around": "  seat@example.org ",
}


@pytest.mark.parametrize("address", [a for a, _m in REFUSED.values()], ids=REFUSED.keys())
def test_the_key_refuses_a_look_alike(address):
    with pytest.raises(ValidationError):
        identity.email_key(address)


@pytest.mark.parametrize("address", SAME.values(), ids=SAME.keys())
def test_the_key_recognises_the_same_mailbox(address):
    assert identity.email_key(address) == "seat@example.org"


def test_the_domain_is_encoded_as_mail_is_sent_to_it():
    assert identity.email_key("zoe@Bücher.example") == "zoe@xn--bcher-kva.example"
    assert identity.email_key("zoe@xn--bcher-kva.example") == "zoe@xn--bcher-kva.example"


def test_a_refused_address_still_gets_a_key_no_accepted_address_can_have():
    key = identity.key_or_refused("ſeat@example.org")

    assert key.startswith(identity.REFUSED_PREFIX)
    assert key != identity.email_key("seat@example.org")


# The public forms


FORMS = {
    "sign-up": (states.signup_form, states.signup_form_data),
    "proposal": (states.proposal_form, states.proposal_form_data),
}


@pytest.mark.parametrize("form", FORMS.values(), ids=FORMS.keys())
@pytest.mark.parametrize(("address", "message"), REFUSED.values(), ids=REFUSED.keys())
def test_every_public_form_refuses_a_look_alike_beside_the_field(client, form, address, message):
    path_maker, data_maker = form

    response = client.post(path_maker(), data_maker(email=address), **EN)

    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="error_1_id_email"' in page
    assert message in page
    assert not Person.objects.exists()


@pytest.mark.parametrize(("address", "message"), REFUSED.values(), ids=REFUSED.keys())
def test_the_lost_link_form_refuses_a_look_alike_beside_the_field(client, address, message):
    response = client.post(reverse("lost_link"), {"email": address}, **EN)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not OutgoingMail.objects.exists()


@pytest.mark.parametrize("address", [a for a, _m in REFUSED.values()], ids=REFUSED.keys())
def test_a_look_alike_gets_no_second_seat_and_moves_no_link(client, make_event, address):
    event = make_event(capacity=1)
    victim = registrations.register(
        verified=True, event=event, data=person(email="seat@example.org")
    )
    link_before = Registration.objects.get().token_hash
    form = reverse("registrations:register", args=[event.slug])

    client.post(form, states.signup_form_data(email=address), **EN)
    client.post(reverse("lost_link"), {"email": address}, **EN)

    assert Registration.objects.count() == 1
    registration = Registration.objects.get()
    assert registration.pk == victim.registration.pk
    assert registration.token_hash == link_before
    assert set(OutgoingMail.objects.values_list("to", flat=True)) <= {
        "seat@example.org",
        "iness@listes.imt.fr",
    }


@pytest.mark.parametrize("address", SAME.values(), ids=SAME.keys())
def test_the_same_mailbox_is_the_same_person_and_gets_no_second_seat(
    client, make_event, mailoutbox, delivered, address
):
    event = make_event(capacity=1)
    registrations.register(
        verified=True, event=event, data=person(email="seat@example.org", first_name="Ada")
    )
    form = reverse("registrations:register", args=[event.slug])

    with delivered():
        response = client.post(
            form, states.signup_form_data(email=address, first_name="Mallory"), **EN
        )

    assert response.status_code == 302
    assert Registration.objects.count() == 1
    assert Person.objects.get().first_name == "Ada"  # nobody renamed
    # The link goes again to the person's own address, not to the one typed.
    assert [m.to for m in mailoutbox] == [["seat@example.org"]]


def test_the_database_keeps_one_person_per_key():
    Person.objects.create(first_name="Ada", last_name="L", email="seat@example.org")

    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.create(first_name="Eve", last_name="M", email="SEAT@example.org")


# Proposals: the same person, the same rules


def test_a_proposal_from_a_known_address_names_nobody_new(event):
    registrations.register(
        verified=True, event=event, data=person(email="seat@example.org", first_name="Ada")
    )

    proposal = proposals.submit(
        event=event, data=proposal_data(email="Seat@Example.org", first_name="Mallory")
    ).proposal

    assert proposal.person == Person.objects.get()
    assert proposal.person.first_name == "Ada"


def test_a_look_alike_cannot_reach_someone_elses_proposal_links(
    client, event, delivered, mailoutbox
):
    proposals.submit(event=event, data=proposal_data(email="susan@example.org"))
    before = Proposal.objects.get().token_hash

    with delivered():
        for address in ("ſusan@example.org", "ſUSAN@example.org", "susan@example.org\u200b"):
            client.post(reverse("lost_link"), {"email": address}, **EN)

    assert Proposal.objects.get().token_hash == before
    assert mailoutbox == []


def test_the_service_refuses_an_address_the_forms_would_refuse(event):
    with pytest.raises(AddressRefused) as refusal:
        registrations.register(verified=True, event=event, data=person(email="ſeat@example.org"))

    assert isinstance(refusal.value, Refused)
    assert "type it again" in str(refusal.value.message)
    assert not Person.objects.exists()


# The admin


def test_an_organiser_correcting_an_address_gets_the_same_rules(admin_client, event):
    registration = registrations.register(
        verified=True, event=event, data=person(email="ada@example.org")
    ).registration
    Person.objects.create(first_name="Other", last_name="One", email="other@example.org")
    url = reverse("admin:iness_person_change", args=[registration.person_id])
    data = {"first_name": "Ada", "last_name": "Lovelace", "language": "en"}

    lookalike = admin_client.post(url, {**data, "email": "ada@ｅxample.org"}, **EN)
    taken = admin_client.post(url, {**data, "email": "OTHER@example.org"}, **EN)
    corrected = admin_client.post(url, {**data, "email": "Ada.Lovelace@Example.org"}, **EN)

    assert "looks like a usual letter" in lookalike.content.decode()
    assert "Another person already has this address" in taken.content.decode()
    assert corrected.status_code == 302
    person_now = Person.objects.get(pk=registration.person_id)
    assert person_now.email == "Ada.Lovelace@Example.org"
    assert person_now.email_key == "ada.lovelace@example.org"
