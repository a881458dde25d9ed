"""What each message says, in the speaker's language, sent once the change is committed."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from proposals import services
from proposals.models import Proposal

from .conftest import link_in, named, proposal_data

pytestmark = pytest.mark.django_db

Status = Proposal.Status


@pytest.fixture
def sent(mailoutbox, delivered):
    """Run a change and return the messages it sent, after commit."""

    def run(change, *args, **kwargs):
        before = len(mailoutbox)
        with delivered():
            change(*args, **kwargs)
        return mailoutbox[before:]

    return run


def test_receipt_carries_a_working_private_link(sent, client, event):
    [receipt, _notice] = sent(services.submit, event=event, data=proposal_data())

    assert receipt.to == ["ada@example.org"]
    assert receipt.subject == "Proposal received: “Une plateforme de covoiturage solidaire”"
    assert "“Une plateforme de covoiturage solidaire” (Talk)" in receipt.body
    assert "from 9:30\xa0am to 5:30\xa0pm (Paris time)" in receipt.body
    assert "change it until" in receipt.body
    assert client.get(link_in(receipt.body)).status_code == 200


def test_receipt_is_in_french_for_a_french_speaker(sent, event):
    [receipt, _notice] = sent(services.submit, event=event, data=proposal_data(language="fr"))

    assert "Journée test" in receipt.body
    # Dates and times are written in the speaker's language.
    assert "de 9\xa0h\xa030 à 17\xa0h\xa030" in receipt.body
    assert timezone.localdate().strftime("%Y") in receipt.body
    assert any(
        month in receipt.body
        for month in (
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        )
    )


def test_organisers_are_told_of_a_new_proposal_with_its_content(sent, event, settings):
    settings.ORGANISERS_EMAIL = "committee@example.org"

    [_receipt, _invitation, notice] = sent(
        services.submit,
        event=event,
        data=proposal_data(panel=(named("Grace", "Hopper", "grace@example.org", "Navy"),)),
    )

    assert notice.to == ["committee@example.org"]
    assert "Une plateforme de covoiturage solidaire" in notice.subject
    assert "Ada Lovelace, Roule Ensemble" in notice.body
    # How many people it names, not who: the notice is filed under the speaker alone.
    assert "Autre personne nommée\xa0: 1" in notice.body  # organisers read French
    assert "Grace" not in notice.body
    assert "Comment une coopérative rurale" in notice.body
    assert "/ma-proposition/" not in notice.body  # the speaker's link is theirs alone


def test_text_mails_do_not_html_escape_what_people_wrote(sent, event):
    [receipt, notice] = sent(
        services.submit, event=event, data=proposal_data(title="Code & « communs » <libres>")
    )

    assert "Code & « communs » <libres>" in receipt.body
    assert "Code & « communs » <libres>" in notice.subject


def test_edit_acknowledgement_shows_the_new_content(sent, proposal):
    [ack] = sent(services.edit, proposal=proposal, data=proposal_data(title="Titre revu"))

    assert ack.to == ["ada@example.org"]
    assert "Titre revu" in ack.subject
    assert "Titre revu" in ack.body
    assert "If you did not make this change" in ack.body


def test_no_decision_is_mailed_before_release(sent, proposal, organiser):
    assert sent(services.decide, proposal=proposal, decision=Status.ACCEPTED, by=organiser) == []


def test_acceptance_mail_carries_a_link_to_confirm(sent, client, proposal, organiser):
    services.decide(proposal=proposal, decision=Status.ACCEPTED, by=organiser)

    [mail] = sent(services.notify_decisions, proposals=Proposal.objects.all(), by=organiser)

    assert mail.subject == "Your proposal is accepted: “Une plateforme de covoiturage solidaire”"
    assert "confirm, through your private link, that you will present" in mail.body
    assert "Institut Mines-Télécom, 2, Villa Thoréton, 75015 Paris" in mail.body
    assert "replaces the ones we sent you before" in mail.body
    page = client.get(link_in(mail.body), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "I confirm I will present" in page


def test_rejection_mail_is_kind_and_carries_no_link(sent, proposal, organiser):
    services.decide(proposal=proposal, decision=Status.REJECTED, by=organiser)

    [mail] = sent(services.notify_decisions, proposals=Proposal.objects.all(), by=organiser)

    assert "Thank you very much for proposing" in mail.body
    assert "welcome to attend" in mail.body
    assert "rejected" not in mail.body.lower()
    assert "/ma-proposition/" not in mail.body


def test_decision_mails_are_in_each_speaker_language(sent, make_proposal, organiser):
    french = make_proposal(title="Une", email="fr@example.org", language="fr")
    english = make_proposal(title="Two", email="en@example.org", language="en")
    for p in (french, english):
        services.decide(proposal=p, decision=Status.ACCEPTED, by=organiser)

    mails = sent(services.notify_decisions, proposals=Proposal.objects.all(), by=organiser)

    by_address = {m.to[0]: m for m in mails}
    assert "Journée test" in by_address["fr@example.org"].body
    assert "Test day" in by_address["en@example.org"].body
    assert "Bonjour" in by_address["fr@example.org"].body
    assert "Hello" in by_address["en@example.org"].body


def test_reminder_command_mails_a_new_confirm_link(sent, client, proposal, organiser):
    services.decide(proposal=proposal, decision=Status.ACCEPTED, by=organiser)
    services.notify_decisions(proposals=Proposal.objects.all(), by=organiser)
    Proposal.objects.filter(pk=proposal.pk).update(
        decision_notified_at=timezone.now() - dt.timedelta(days=6)
    )

    [mail] = sent(call_command, "remind_unconfirmed_speakers")

    assert (
        mail.subject
        == "Please confirm that you will present “Une plateforme de covoiturage solidaire”"
    )
    assert "not yet confirmed" in mail.body
    response = client.post(link_in(mail.body) + "confirmer/")
    assert response.status_code == 302
    assert Proposal.objects.get().status == Status.CONFIRMED


def test_withdrawal_is_acknowledged_and_organisers_told(sent, proposal, settings):
    settings.ORGANISERS_EMAIL = "committee@example.org"

    [ack, notice] = sent(services.withdraw, proposal=proposal)

    assert ack.to == ["ada@example.org"]
    assert ack.subject == "Proposal withdrawn: “Une plateforme de covoiturage solidaire”"
    assert "your sign-up is kept" in ack.body
    assert "http://testserver/lien-perdu/" in ack.body
    assert notice.to == ["committee@example.org"]
    # Organisers read their notices in the site's language, French.
    assert "Ada Lovelace (Roule Ensemble) a retiré la proposition" in notice.body


def test_lost_link_mail_is_in_the_visitor_language(sent, client, proposal):
    [mail] = sent(services.send_proposal_links, email="ada@example.org", language="en")

    assert mail.subject == "Your private links to your INESS proposals"
    assert "Une plateforme de covoiturage solidaire" in mail.body
    assert client.get(link_in(mail.body)).status_code == 200
