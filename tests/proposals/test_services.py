import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from iness import links
from iness.history import PUBLIC, changes_of
from iness.models import OutgoingMail
from iness.privacy import PRIVACY_NOTICE_VERSION
from iness.tokens import hash_token
from proposals import services
from proposals.models import Proposal, Review
from registrations import services as registrations
from tests.conftest import deliver_mail
from tests.registrations.conftest import person

from .conftest import latest_link, named, proposal_data

pytestmark = pytest.mark.django_db

Status = Proposal.Status


def kinds_to(address):
    return list(
        OutgoingMail.objects.filter(to=address).order_by("pk").values_list("kind", flat=True)
    )


# submit ---------------------------------------------------------------------------------


def test_submit_records_the_proposal_with_consent_and_a_hashed_token(event):
    outcome = services.submit(event=event, data=proposal_data())

    proposal = Proposal.objects.get()
    assert outcome.created and outcome.proposal == proposal
    assert proposal.status == Status.SUBMITTED
    assert proposal.format == "talk"
    assert proposal.organisation_kind == "ess"
    assert proposal.person.language == "en"
    assert proposal.person.consent_at is not None
    assert proposal.person.privacy_notice_version == PRIVACY_NOTICE_VERSION
    assert len(proposal.token_hash) == 64


def test_submit_mails_a_receipt_to_the_speaker_and_a_notice_to_organisers(event, settings):
    settings.ORGANISERS_EMAIL = "committee@example.org"

    services.submit(event=event, data=proposal_data())

    assert kinds_to("ada@example.org") == ["proposals/received"]
    assert kinds_to("committee@example.org") == ["proposals/organisers_received"]


def test_submit_records_history_by_the_public_site(event):
    proposal = services.submit(event=event, data=proposal_data()).proposal

    [change] = changes_of(proposal)
    assert (change.from_status, change.to_status, change.by_label) == ("", "submitted", PUBLIC)


def test_submit_is_refused_after_the_deadline(make_event):
    event = make_event(proposals_close_at=timezone.now() - dt.timedelta(minutes=1))

    with pytest.raises(services.ProposalsClosed):
        services.submit(event=event, data=proposal_data())

    assert Proposal.objects.count() == 0
    assert OutgoingMail.objects.count() == 0


def test_submit_is_refused_when_the_event_is_not_published(make_event):
    event = make_event(is_published=False)

    with pytest.raises(services.ProposalsClosed):
        services.submit(event=event, data=proposal_data())

    assert Proposal.objects.count() == 0


def test_submit_is_refused_once_the_day_has_started(make_event):
    now = timezone.now()
    event = make_event(
        date=timezone.localdate(),
        starts_at=dt.time(0, 0),
        ends_at=dt.time(23, 59),
        proposals_close_at=now + dt.timedelta(days=3),
    )

    with pytest.raises(services.ProposalsClosed):
        services.submit(event=event, data=proposal_data())


def test_the_same_proposal_sent_twice_quickly_is_recorded_once(event):
    first = services.submit(event=event, data=proposal_data())
    again = services.submit(
        event=event,
        data=proposal_data(
            title=" une plateforme de COVOITURAGE solidaire", email="ADA@example.org"
        ),
    )

    assert Proposal.objects.count() == 1
    assert again.proposal == first.proposal
    assert not again.created
    assert kinds_to("ada@example.org") == ["proposals/received"]


def test_the_same_title_later_or_in_another_format_is_a_new_proposal(event):
    first = services.submit(event=event, data=proposal_data())
    services.submit(
        event=event,
        data=proposal_data(
            format="round_table",
            panel=(named("Bo", "B", "bo@example.org"), named("Cy", "C", "cy@example.org")),
        ),
    )
    later = timezone.now() + services.DUPLICATE_WINDOW + dt.timedelta(minutes=1)
    services.submit(event=event, data=proposal_data(), now=later)

    assert Proposal.objects.count() == 3
    assert Proposal.objects.exclude(pk=first.proposal.pk).count() == 2


def test_a_withdrawn_proposal_sent_again_is_a_new_proposal(event, proposal):
    services.withdraw(proposal=proposal)

    again = services.submit(event=event, data=proposal_data())

    assert again.created
    assert Proposal.objects.count() == 2


# private links --------------------------------------------------------------------------


def test_find_by_token_finds_the_proposal_and_nothing_else(proposal):
    token = "a" * 43
    digest = hash_token(token)
    Proposal.objects.filter(pk=proposal.pk).update(token_hash=digest)

    assert services.find_by_token(token) == proposal
    assert services.find_by_token("b" * 43) is None
    assert services.find_by_token("") is None
    assert services.find_by_token(digest) is None  # the stored hash is not a key
    assert services.find_by_token("a" * 500) is None


# edit -----------------------------------------------------------------------------------


def test_edit_changes_the_proposal_and_acknowledges_it(proposal):
    changed = services.edit(
        proposal=proposal,
        data=proposal_data(title="Un nouveau titre", format="talk", email="other@example.org"),
    )

    proposal.refresh_from_db()
    assert changed
    assert proposal.title == "Un nouveau titre"
    assert proposal.format == "talk"
    assert proposal.person.email == "ada@example.org"  # the links keep going to the same address
    assert kinds_to("ada@example.org") == ["proposals/received", "proposals/edited"]
    history = [(c.kind, c.from_status, c.to_status) for c in changes_of(proposal)]
    assert history == [("status", "", "submitted"), ("edit", "", "submitted")]


def test_edit_corrects_the_speakers_name_everywhere(proposal, event):
    registration = registrations.register(
        event=event, data=person(email="ada@example.org")
    ).registration

    services.edit(proposal=proposal, data=proposal_data(first_name="Augusta Ada"))

    registration.refresh_from_db()
    assert registration.person.first_name == "Augusta Ada"


def test_edit_without_changes_sends_nothing(proposal):
    changed = services.edit(proposal=proposal, data=proposal_data())

    assert not changed
    assert kinds_to("ada@example.org") == ["proposals/received"]


def test_edit_is_refused_after_the_deadline(proposal):
    after_deadline = proposal.event.proposals_close_at + dt.timedelta(seconds=1)

    with pytest.raises(services.NotEditable) as refusal:
        services.edit(proposal=proposal, data=proposal_data(title="Trop tard"), now=after_deadline)

    proposal.refresh_from_db()
    assert proposal.title != "Trop tard"
    with translation.override("en"):
        assert "deadline" in str(refusal.value.message)


def test_edit_stays_open_after_an_unannounced_decision(proposal, organiser):
    # Editing closes for everyone at the deadline: a decision not yet announced changes
    # nothing the speaker can see.
    services.decide(proposal=proposal, decision=Status.REJECTED, by=organiser)

    assert services.edit(proposal=proposal, data=proposal_data(title="Autre"))
    assert Proposal.objects.get().title == "Autre"


def test_edit_is_refused_once_the_decision_is_announced(proposal, organiser):
    services.decide(proposal=proposal, decision=Status.REJECTED, by=organiser)
    services.notify_decisions(proposals=Proposal.objects.all(), by=organiser)

    with pytest.raises(services.NotEditable) as refusal:
        services.edit(proposal=proposal, data=proposal_data(title="Autre"))

    with translation.override("en"):
        assert "has decided" in str(refusal.value.message)
    assert Proposal.objects.get().title != "Autre"


def test_edit_is_refused_when_withdrawn(proposal):
    services.withdraw(proposal=proposal)

    with pytest.raises(services.NotEditable):
        services.edit(proposal=proposal, data=proposal_data(title="Autre"))


# withdraw -------------------------------------------------------------------------------


def test_withdraw_tells_the_speaker_and_the_organisers(proposal, settings):
    settings.ORGANISERS_EMAIL = "committee@example.org"

    services.withdraw(proposal=proposal)

    proposal.refresh_from_db()
    assert proposal.status == Status.WITHDRAWN
    assert kinds_to("ada@example.org")[-1] == "proposals/withdrawn"
    assert kinds_to("committee@example.org")[-1] == "proposals/organisers_withdrawn"
    assert [(c.from_status, c.to_status) for c in changes_of(proposal)][-1] == (
        "submitted",
        "withdrawn",
    )


def test_withdraw_is_possible_after_acceptance_and_confirmation(proposal, organiser):
    services.decide(proposal=proposal, decision=Status.ACCEPTED, by=organiser)
    services.notify_decisions(proposals=Proposal.objects.all(), by=organiser)
    services.confirm(proposal=proposal)

    services.withdraw(proposal=proposal)

    assert Proposal.objects.get().status == Status.WITHDRAWN


def test_withdraw_is_refused_on_the_day(proposal):
    on_the_day = proposal.event.start

    with pytest.raises(services.NotWithdrawable):
        services.withdraw(proposal=proposal, now=on_the_day)

    assert Proposal.objects.get().status == Status.SUBMITTED


def test_withdraw_twice_is_refused(proposal):
    services.withdraw(proposal=proposal)

    with pytest.raises(services.NotWithdrawable):
        services.withdraw(proposal=proposal)


def test_withdrawing_a_proposal_whose_rejection_is_not_released_is_allowed(proposal, organiser):
    services.decide(proposal=proposal, decision=Status.REJECTED, by=organiser)

    services.withdraw(proposal=proposal)

    assert services.notify_decisions(proposals=Proposal.objects.all(), by=organiser).count == 0
    assert "proposals/rejected" not in kinds_to("ada@example.org")


def test_withdraw_is_refused_after_a_released_rejection(proposal, organiser):
    services.decide(proposal=proposal, decision=Status.REJECTED, by=organiser)
    services.notify_decisions(proposals=Proposal.objects.all(), by=organiser)

    with pytest.raises(services.NotWithdrawable):
        services.withdraw(proposal=proposal)


# decide and notify ----------------------------------------------------------------------


def test_decide_records_the_decision_without_mailing_anyone(proposal, organiser):
    mails_before = OutgoingMail.objects.count()

    services.decide(proposal=proposal, decision=Status.ACCEPTED, by=organiser)

    proposal.refresh_from_db()
    assert proposal.status == Status.ACCEPTED
    assert proposal.decided_at is not None
    assert proposal.decision_notified_at is None
    assert OutgoingMail.objects.count() == mails_before
    change = list(changes_of(proposal))[-1]
    assert (change.from_status, change.to_status, change.by_user) == (
        "submitted",
        "accepted",
        organiser,
    )


def test_decide_can_change_an_unreleased_decision(proposal, organiser):
    services.decide(proposal=proposal, decision=Status.ACCEPTED, by=organiser)
    services.decide(proposal=proposal, decision=Status.REJECTED, by=organiser)

    assert Proposal.objects.get().status == Status.REJECTED


def test_decide_refuses_to_change_a_released_decision(proposal, organiser):
    services.decide(proposal=proposal, decision=Status.ACCEPTED, by=organiser)
    services.notify_decisions(proposals=Proposal.objects.all(), by=organiser)

    with pytest.raises(services.DecisionRefused):
        services.decide(proposal=proposal, decision=Status.REJECTED, by=organiser)

    assert Proposal.objects.get().status == Status.ACCEPTED


def test_decide_refuses_a_withdrawn_proposal(proposal, organiser):
    services.withdraw(proposal=proposal)

    with pytest.raises(services.DecisionRefused):
        services.decide(proposal=proposal, decision=Status.ACCEPTED, by=organiser)


def test_decide_rejects_a_status_that_is_not_a_decision(proposal, organiser):
    with pytest.raises(ValueError):
        services.decide(proposal=proposal, decision=Status.CONFIRMED, by=organiser)


def test_notify_decisions_mails_each_pending_decision_once(make_proposal, organiser):
    accepted = make_proposal(title="Acceptée", email="a@example.org")
    rejected = make_proposal(title="Refusée", email="r@example.org")
    undecided = make_proposal(title="En attente", email="u@example.org")
    services.decide(proposal=accepted, decision=Status.ACCEPTED, by=organiser)
    services.decide(proposal=rejected, decision=Status.REJECTED, by=organiser)

    first = services.notify_decisions(proposals=Proposal.objects.all(), by=organiser)
    second = services.notify_decisions(proposals=Proposal.objects.all(), by=organiser)

    assert (first.count, second.count) == (2, 0)
    assert first.batch.mails.count() == 2
    assert second.batch is None
    assert kinds_to("a@example.org") == ["proposals/received", "proposals/accepted"]
    assert kinds_to("r@example.org") == ["proposals/received", "proposals/rejected"]
    assert kinds_to("u@example.org") == ["proposals/received"]
    undecided.refresh_from_db()
    assert undecided.decision_notified_at is None
    accepted.refresh_from_db()
    assert accepted.decision_notified_at is not None
    last = list(changes_of(accepted))[-1]
    assert (last.kind, last.from_status, last.to_status) == ("announced", "", "accepted")


def test_notify_decisions_only_touches_the_given_proposals(make_proposal, organiser):
    one = make_proposal(title="Une", email="one@example.org")
    other = make_proposal(title="Autre", email="other@example.org")
    for p in (one, other):
        services.decide(proposal=p, decision=Status.ACCEPTED, by=organiser)

    sent = services.notify_decisions(proposals=Proposal.objects.filter(pk=one.pk), by=organiser)

    assert sent.count == 1
    assert "proposals/accepted" not in kinds_to("other@example.org")


def test_the_acceptance_link_replaces_the_receipt_link(proposal, organiser):
    receipt_token = latest_link().split("/")[2]
    services.decide(proposal=proposal, decision=Status.ACCEPTED, by=organiser)
    services.notify_decisions(proposals=Proposal.objects.all(), by=organiser)
    new_token = latest_link().split("/")[2]

    assert new_token != receipt_token
    assert services.find_by_token(new_token) == proposal
    assert services.find_by_token(receipt_token) is None


# confirm --------------------------------------------------------------------------------


def accepted_and_told(proposal, organiser):
    services.decide(proposal=proposal, decision=Status.ACCEPTED, by=organiser)
    services.notify_decisions(proposals=Proposal.objects.filter(pk=proposal.pk), by=organiser)
    proposal.refresh_from_db()
    return proposal


def test_confirm_marks_an_accepted_speaker_confirmed(proposal, organiser):
    accepted_and_told(proposal, organiser)

    services.confirm(proposal=proposal)

    proposal.refresh_from_db()
    assert proposal.status == Status.CONFIRMED
    assert proposal.confirmed_at is not None
    assert list(changes_of(proposal))[-1].to_status == "confirmed"


def test_confirm_twice_changes_nothing(proposal, organiser):
    accepted_and_told(proposal, organiser)
    services.confirm(proposal=proposal)
    changes = changes_of(proposal).count()

    services.confirm(proposal=proposal)

    assert changes_of(proposal).count() == changes


def test_confirm_is_refused_before_the_decision_is_released(proposal, organiser):
    services.decide(proposal=proposal, decision=Status.ACCEPTED, by=organiser)

    with pytest.raises(services.NotConfirmable):
        services.confirm(proposal=proposal)

    assert Proposal.objects.get().status == Status.ACCEPTED


def test_confirm_is_refused_for_an_undecided_or_rejected_proposal(make_proposal, organiser):
    undecided = make_proposal(title="Une")
    rejected = make_proposal(title="Deux")
    services.decide(proposal=rejected, decision=Status.REJECTED, by=organiser)
    services.notify_decisions(proposals=Proposal.objects.all(), by=organiser)

    for proposal in (undecided, rejected):
        with pytest.raises(services.NotConfirmable):
            services.confirm(proposal=proposal)


# reminders ------------------------------------------------------------------------------


def test_an_unconfirmed_acceptance_gets_one_reminder_with_a_new_link(proposal, organiser):
    accepted_and_told(proposal, organiser)
    later = timezone.now() + services.REMIND_AFTER + dt.timedelta(hours=1)

    first = services.remind_unconfirmed(now=later)
    second = services.remind_unconfirmed(now=later + dt.timedelta(days=1))

    assert (first, second) == (1, 0)
    assert kinds_to("ada@example.org")[-1] == "proposals/reminder"
    proposal.refresh_from_db()
    assert proposal.reminded_at == later
    last = list(changes_of(proposal))[-1]
    assert (last.kind, last.by_label) == ("reminder", "command remind_unconfirmed_speakers")


def test_no_reminder_too_early_or_once_confirmed(make_proposal, organiser):
    early = accepted_and_told(make_proposal(title="Tôt", email="early@example.org"), organiser)
    done = accepted_and_told(make_proposal(title="Fait", email="done@example.org"), organiser)
    services.confirm(proposal=done)

    assert services.remind_unconfirmed(now=timezone.now() + dt.timedelta(days=1)) == 0
    assert services.remind_unconfirmed(now=timezone.now() + dt.timedelta(days=6)) == 1
    assert "proposals/reminder" in kinds_to("early@example.org")
    assert "proposals/reminder" not in kinds_to("done@example.org")
    early.refresh_from_db()
    assert early.reminded_at is not None


def test_no_reminder_once_the_day_has_passed(proposal, organiser):
    accepted_and_told(proposal, organiser)

    after_the_day = proposal.event.end + dt.timedelta(days=1)

    assert services.remind_unconfirmed(now=after_the_day) == 0


# lost links -----------------------------------------------------------------------------


def test_lost_link_sends_new_links_for_the_address_proposals(make_proposal, make_event):
    other_event = make_event(slug="autre")
    first = make_proposal(title="Première")
    second = make_proposal(title="Seconde", on_event=other_event)
    make_proposal(title="Retirée")
    services.withdraw(proposal=Proposal.objects.get(title="Retirée"))
    old_hashes = {first.pk: first.token_hash, second.pk: second.token_hash}

    services.send_proposal_links(email="ADA@example.org", language="fr")

    mail = OutgoingMail.objects.filter(kind="proposals/links").get()
    assert mail.to == "ada@example.org"
    assert "Première" in mail.body and "Seconde" in mail.body
    assert "Retirée" not in mail.body
    assert "/ma-proposition/" not in mail.body  # the links are minted when it is sent
    deliver_mail()
    for p in (first, second):
        p.refresh_from_db()
        assert p.token_hash != old_hashes[p.pk]


def test_lost_link_sends_nothing_for_an_unknown_address(proposal):
    services.send_proposal_links(email="nobody@example.org", language="en")

    assert not OutgoingMail.objects.filter(kind="proposals/links").exists()


def test_the_lost_link_form_reaches_the_proposal_sender(client, proposal):
    client.post("/lien-perdu/", {"email": "ada@example.org"})
    links.answer_requests()  # what the mail worker does

    assert OutgoingMail.objects.filter(kind="proposals/links", to="ada@example.org").exists()


# reviews --------------------------------------------------------------------------------


def test_one_review_per_reviewer_and_proposal(proposal, organiser):
    Review.objects.create(proposal=proposal, reviewer=organiser, score=4)

    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(proposal=proposal, reviewer=organiser, score=2)


@pytest.mark.parametrize("score", [0, 6])
def test_a_review_score_outside_1_to_5_is_refused_by_the_database(proposal, organiser, score):
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(proposal=proposal, reviewer=organiser, score=score)
