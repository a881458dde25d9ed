""" "Delete my data" from a proposal's private link: what erasing the person does to their
proposals (iness.erasure.erase_person), then the pages behind the link."""

import datetime as dt
import logging

import pytest
from django.test import Client
from django.utils import timezone, translation

from iness.erasure import erase_person
from iness.history import changes_of
from iness.models import OutgoingMail, StatusChange
from iness.privacy import ANONYMISED_MAIL_TO, ERASED_ON_REQUEST
from proposals import services
from proposals.models import Proposal, Review
from registrations.models import Registration

from .conftest import latest_link, named, proposal_data

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
Status = Proposal.Status


def delete_path(manage_path: str) -> str:
    return manage_path + "supprimer-mes-donnees/"


def accept_and_tell(proposal, organiser):
    services.decide(proposal=proposal, decision=Status.ACCEPTED, by=organiser)
    services.notify_decisions(proposals=Proposal.objects.filter(pk=proposal.pk), by=organiser)


def full_proposal(make_proposal):
    return make_proposal(
        panel=(named("Grace", "Hopper", "grace@example.org", "Compilers Inc."),),
        needs="A wheelchair-accessible stage",
    )


# The service


def test_erase_withdraws_the_proposal_through_its_service_first(proposal):
    erase_person(proposal.person)

    proposal.refresh_from_db()
    assert proposal.status == Status.WITHDRAWN
    history = [(c.kind, c.from_status, c.to_status, c.by_label) for c in changes_of(proposal)]
    assert history[-2:] == [
        (StatusChange.Kind.STATUS, Status.SUBMITTED, Status.WITHDRAWN, ERASED_ON_REQUEST),
        (StatusChange.Kind.ERASED, "", Status.WITHDRAWN, ERASED_ON_REQUEST),
    ]


def test_erase_replaces_everything_the_speaker_gave_by_neutral_values(make_proposal):
    proposal = full_proposal(make_proposal)

    erase_person(proposal.person)

    proposal.refresh_from_db()
    for field in ("title", "summary", "experience", "organisation", "needs"):
        assert getattr(proposal, field) == "", field
    person = proposal.person
    assert (person.first_name, person.last_name) == ("", "")
    assert person.email == f"anonymised-person-{person.pk}@anonymised.invalid"
    assert proposal.anonymised_at is not None
    assert (proposal.format, proposal.profile) == ("talk", "practitioner")
    with translation.override("en"):
        assert str(proposal) == f"Anonymised proposal {proposal.pk}"


def test_erase_forgets_the_wish_for_news_with_the_address(make_proposal):
    proposal = make_proposal(wants_news=True)

    erase_person(proposal.person)

    proposal.refresh_from_db()
    assert proposal.person.wants_news is False


def test_erase_kills_the_private_link(client, proposal):
    link = latest_link()

    erase_person(proposal.person)

    response = client.get(link, **EN)
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()


def test_erase_removes_review_comments_and_keeps_scores(proposal, organiser):
    Review.objects.create(
        proposal=proposal, reviewer=organiser, score=4, comment="Ada presents very well."
    )

    erase_person(proposal.person)

    [review] = Review.objects.all()
    assert (review.score, review.comment, review.reviewer) == (4, "", organiser)


def test_erase_deletes_unsent_mail_and_anonymises_sent_mail(make_proposal, delivered):
    with delivered():
        proposal = make_proposal(email="ada@example.org")
    services.send_proposal_links(email="ada@example.org", language="en")  # stays queued
    [queued] = OutgoingMail.objects.filter(status=OutgoingMail.Status.QUEUED)
    sent = list(OutgoingMail.objects.filter(status=OutgoingMail.Status.SENT))
    assert {m.kind for m in sent} == {"proposals/received", "proposals/organisers_received"}

    erase_person(proposal.person)

    assert not OutgoingMail.objects.filter(pk=queued.pk).exists()
    for record in sent:
        record.refresh_from_db()
        assert (record.to, record.subject, record.body) == (ANONYMISED_MAIL_TO, "", "")
        assert record.status == OutgoingMail.Status.SENT
    assert not OutgoingMail.objects.filter(body__icontains="covoiturage").exists()


def test_erase_tells_organisers_without_naming_the_speaker(
    make_proposal, settings, mailoutbox, delivered
):
    settings.LANGUAGE_CODE = "en"  # the organisers' language, English to read it here
    proposal = make_proposal(email="ada@example.org")

    with delivered():
        erase_person(proposal.person)

    [notice] = mailoutbox
    assert notice.to == [settings.ORGANISERS_EMAIL]
    assert notice.subject == "Proposal deleted at the speaker's request: Test day"
    for personal in ("Ada", "Lovelace", "ada@example.org", "covoiturage", "Roule"):
        assert personal not in notice.subject + notice.body


def test_erase_keeps_an_audit_log_line_without_personal_data(proposal, caplog):
    with caplog.at_level(logging.INFO):
        erase_person(proposal.person)

    lines = [r.getMessage() for r in caplog.records if "erased" in r.getMessage()]
    assert f"Proposal {proposal.pk} (journee-test): personal data erased" in lines
    assert not any("Ada" in line or "covoiturage" in line for line in lines)


def test_erase_after_the_day_takes_the_proposal_off_the_published_programme(
    client, event, proposal, organiser
):
    accept_and_tell(proposal, organiser)
    services.confirm(proposal=proposal)
    event.date = timezone.localdate() - dt.timedelta(days=3)
    event.programme_published = True
    event.save()
    assert not services.can_withdraw(Proposal.objects.get(pk=proposal.pk))

    erase_person(proposal.person)

    proposal.refresh_from_db()
    assert proposal.status == Status.WITHDRAWN
    page = client.get(f"/programme/{event.slug}/", **EN).content.decode()
    assert "covoiturage" not in page and "Lovelace" not in page
    assert "No contribution is announced yet." in page


def test_erase_of_a_rejected_proposal_keeps_its_status(proposal, organiser):
    services.decide(proposal=proposal, decision=Status.REJECTED, by=organiser)
    services.notify_decisions(proposals=Proposal.objects.all(), by=organiser)

    erase_person(proposal.person)

    proposal.refresh_from_db()
    assert proposal.status == Status.REJECTED
    assert proposal.title == ""


def test_erase_also_erases_the_sign_up_made_with_the_proposal(event):
    outcome = services.submit(event=event, data=proposal_data(), also_register=True)
    registration = outcome.registration.registration

    erase_person(outcome.proposal.person)

    outcome.proposal.refresh_from_db()
    registration.refresh_from_db()
    assert outcome.proposal.registration is None
    assert registration.status == Registration.Status.CANCELLED
    assert registration.anonymised_at is not None
    assert not OutgoingMail.objects.filter(to="ada@example.org").exists()


def test_erase_erases_every_proposal_of_the_speaker(make_proposal):
    first = make_proposal(title="Premier sujet")
    second = make_proposal(title="Second sujet")

    erase_person(first.person)

    second.refresh_from_db()
    assert (second.title, second.status) == ("", Status.WITHDRAWN)
    assert not OutgoingMail.objects.filter(body__contains="Second sujet").exists()


# The pages


def test_private_page_offers_to_delete_my_data(client, proposal):
    link = latest_link()

    page = client.get(link, **EN).content.decode()

    assert '<h2 class="h4" id="delete-data-heading">Delete my data</h2>' in page
    assert f'href="{delete_path(link)}"' in page


def test_delete_page_asks_for_confirmation_and_changes_nothing(client, proposal):
    link = latest_link()

    response = client.get(delete_path(link), **EN)

    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Delete my data · INESS</title>" in page
    assert "This erases everything we hold about you" in page
    assert "Your proposal “Une plateforme de covoiturage solidaire”" in page
    assert "is withdrawn, then erased" in page
    assert f'href="{link}"' in page
    assert response["Referrer-Policy"] == "same-origin"
    proposal.refresh_from_db()
    assert proposal.status == Status.SUBMITTED and proposal.anonymised_at is None


def test_confirming_deletes_the_data_and_says_so(client, proposal):
    link = latest_link()

    response = client.post(delete_path(link), **EN)

    assert response.status_code == 302
    assert response["Location"] == "/donnees-supprimees/proposition/"
    proposal.refresh_from_db()
    assert proposal.status == Status.WITHDRAWN and proposal.anonymised_at is not None
    done = client.get(response["Location"], **EN).content.decode()
    assert "We have erased everything we held about you" in done
    for path in (link, delete_path(link)):
        again = client.get(path, **EN)
        assert again.status_code == 404
        assert "This link does not work" in again.content.decode()


def test_delete_needs_the_forms_csrf_token(proposal):
    link = latest_link()

    response = Client(enforce_csrf_checks=True).post(delete_path(link))

    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.anonymised_at is None


def test_delete_accepts_only_get_and_post(client, proposal):
    assert client.put(delete_path(latest_link())).status_code == 405


def test_erasing_twice_changes_nothing_more(proposal, mailoutbox, delivered):
    erase_person(proposal.person)
    history = list(changes_of(proposal))

    with delivered():
        assert erase_person(proposal.person) is None

    assert list(changes_of(proposal)) == history
    assert mailoutbox == []


def test_deleting_sets_no_cookie_but_the_csrf_one(client, proposal):
    link = latest_link()

    client.get(delete_path(link))
    response = client.post(delete_path(link), follow=True)

    assert response.status_code == 200
    assert set(client.cookies) <= {"csrftoken"}
