import pytest
from django.urls import reverse

from iness.models import OutgoingMail
from proposals import services
from proposals.models import Proposal

from .conftest import action, changelist, messages_of, propose, sign_up

pytestmark = pytest.mark.django_db

PROPOSALS = "proposals.proposal"


def listed(response) -> list[str]:
    return [p.title for p in response.context["cl"].result_list]


def test_list_columns(organiser_client, event):
    propose(event, title="Tiers-lieux", first_name="Grace", last_name="Hopper")

    text = organiser_client.get(changelist(PROPOSALS)).content.decode()

    for column in ["Title", "Format", "Speaker", "Organisation", "Status", "Reviews"]:
        assert column in text
    assert "Average score" in text
    assert "Tiers-lieux" in text and "Grace Hopper" in text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("format__exact=round_table", {"Table"}),
        ("status__exact=accepted", {"Talk"}),
        ("q=turing", {"Talk"}),
        ("q=Coop%C3%A9rative", {"Table"}),
        ("q=table", {"Table"}),
    ],
)
def test_filters_and_search(organiser_client, event, query, expected):
    talk = propose(event, title="Talk", format="talk", last_name="Turing")
    propose(event, title="Table", format="round_table", organisation="Coopérative")
    services.decide(proposal=talk, decision="accepted", by="test")

    assert set(listed(organiser_client.get(changelist(PROPOSALS) + "?" + query))) == expected


def test_filter_by_event(organiser_client, make_event):
    one, other = make_event(slug="one"), make_event(slug="other")
    propose(one, title="Here")
    propose(other, title="There")

    response = organiser_client.get(changelist(PROPOSALS) + f"?event__id__exact={one.pk}")

    assert listed(response) == ["Here"]


def test_accept_records_the_decision_without_mailing_the_speaker(
    organiser, organiser_client, event
):
    proposal = propose(event)
    sign_up(event, email=proposal.person.email)
    mails_before = OutgoingMail.objects.filter(to=proposal.person.email).count()

    response = action(organiser_client, PROPOSALS, "accept", [proposal])

    proposal.refresh_from_db()
    assert proposal.status == "accepted" and proposal.decision_notified_at is None
    assert OutgoingMail.objects.filter(to=proposal.person.email).count() == mails_before
    assert messages_of(response) == [
        "1 proposal accepted. Speakers are told when you announce the decisions."
    ]
    from iness.history import changes_of

    assert changes_of(proposal).last().by_user == organiser


def test_reject_records_the_decision_without_mailing_the_speaker(organiser_client, event):
    proposal = propose(event)
    mails_before = OutgoingMail.objects.count()

    response = action(organiser_client, PROPOSALS, "reject", [proposal])

    proposal.refresh_from_db()
    assert proposal.status == "rejected"
    assert OutgoingMail.objects.count() == mails_before
    assert "1 proposal declined" in messages_of(response)[0]


def test_accepting_a_speaker_without_a_seat_says_so(organiser_client, make_event):
    event = make_event(capacity=1)
    sign_up(event)
    waiting = propose(event, title="Waiting", first_name="Mary", last_name="Shelley")
    sign_up(event, email=waiting.person.email.upper())
    absent = propose(event, title="Absent", first_name="Ada", last_name="King")

    response = action(organiser_client, PROPOSALS, "accept", [waiting, absent])

    messages = messages_of(response)
    assert "The speaker of “Waiting”, Mary Shelley, is number 1 on the waiting list." in messages
    assert "The speaker of “Absent”, Ada King, is not signed up to attend." in messages


def test_accepting_a_speaker_with_a_seat_adds_no_warning(organiser_client, event):
    proposal = propose(event)
    sign_up(event, email=proposal.person.email)

    response = action(organiser_client, PROPOSALS, "accept", [proposal])

    assert len(messages_of(response)) == 1


def test_list_shows_the_speakers_sign_up(organiser_client, make_event):
    event = make_event(capacity=1)
    seated = propose(event, title="Seated")
    sign_up(event, email=seated.person.email)
    propose(event, title="Absent")

    response = organiser_client.get(changelist(PROPOSALS))

    statuses = {p.title: p.speaker_status for p in response.context["cl"].result_list}
    assert statuses == {"Seated": "confirmed", "Absent": None}
    assert "not signed up" in response.content.decode()


ANNOUNCE = reverse("admin:proposals_proposal_announce")


def test_announce_action_opens_the_preview_and_sends_nothing(organiser_client, event):
    accepted, undecided = propose(event), propose(event)
    services.decide(proposal=accepted, decision="accepted", by="test")
    mails_before = OutgoingMail.objects.count()

    response = action(organiser_client, PROPOSALS, "announce", [accepted, undecided])

    assert response.redirect_chain[-1][0].startswith(ANNOUNCE + "?ids=")
    assert [p.proposal for p in response.context["previews"]] == [accepted]
    assert OutgoingMail.objects.count() == mails_before
    assert Proposal.objects.get(pk=accepted.pk).decision_notified_at is None


def test_announce_page_shows_each_mail_in_the_speakers_language(organiser_client, event):
    english = propose(event, title="In English", language="en")
    french = propose(event, title="En français", language="fr")
    services.decide(proposal=english, decision="accepted", by="test")
    services.decide(proposal=french, decision="rejected", by="test")

    text = organiser_client.get(ANNOUNCE).content.decode()

    assert "2 decision emails will be sent" in text
    assert "1 acceptance" in text and "1 proposal not retained" in text
    assert "Good news: the committee has accepted your proposal" in text
    assert "Merci beaucoup de nous avoir adressé votre proposition" in text
    assert "[your private link, made when the email is sent]" in text


def test_announce_page_carries_the_committees_comment(organiser, organiser_client, event):
    proposal = propose(event)
    services.decide(proposal=proposal, decision="accepted", by="test")
    services.set_decision_comment(
        proposal=proposal, comment="We loved the part on bicycles.", by=organiser
    )

    text = organiser_client.get(ANNOUNCE).content.decode()

    assert "A word from the committee:\nWe loved the part on bicycles." in text


def test_announce_sends_only_on_confirmation_and_shows_the_mailing(
    organiser_client, event, mailoutbox, delivered
):
    accepted, rejected, undecided = propose(event), propose(event), propose(event)
    services.decide(proposal=accepted, decision="accepted", by="test")
    services.decide(proposal=rejected, decision="rejected", by="test")
    page = organiser_client.get(ANNOUNCE)

    with delivered():
        response = organiser_client.post(
            ANNOUNCE, {"fingerprint": page.context["fingerprint"]}, follow=True
        )
        assert messages_of(response) == [
            "2 decision emails are being sent: follow them on this page."
        ]
        assert "2 waiting, 0 sent, 0 failed, of 2" in response.content.decode()
        assert mailoutbox == []  # the page recorded them; the mail worker sends them

    page = organiser_client.get(response.redirect_chain[-1][0]).content.decode()
    assert "0 waiting, 2 sent, 0 failed, of 2" in page
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [accepted.person.email, rejected.person.email]
    )
    assert Proposal.objects.get(pk=undecided.pk).decision_notified_at is None
    again = organiser_client.get(ANNOUNCE).content.decode()
    assert "No decision is waiting to be announced" in again


def test_announce_sends_nothing_when_decisions_changed_since_the_preview(organiser_client, event):
    proposal = propose(event)
    services.decide(proposal=proposal, decision="accepted", by="test")
    page = organiser_client.get(ANNOUNCE)
    services.decide(proposal=proposal, decision="rejected", by="test")
    mails_before = OutgoingMail.objects.count()

    response = organiser_client.post(ANNOUNCE, {"fingerprint": page.context["fingerprint"]})

    assert response.status_code == 200
    assert "nothing was sent" in messages_of(response)[0]
    assert OutgoingMail.objects.count() == mails_before
    assert Proposal.objects.get(pk=proposal.pk).decision_notified_at is None


def test_announce_page_is_refused_without_the_right_to_change(client, event, django_user_model):
    user = django_user_model.objects.create_user(
        username="viewer", password="pass-123-long", is_staff=True
    )
    client.force_login(user)

    assert client.get(ANNOUNCE).status_code == 403


def test_list_says_which_decisions_are_announced(organiser_client, event):
    told, untold, undecided = (
        propose(event, title="Told"),
        propose(event, title="Untold"),
        propose(event, title="Undecided"),
    )
    for proposal in (told, untold):
        services.decide(proposal=proposal, decision="accepted", by="test")
    services.notify_decisions(proposals=Proposal.objects.filter(pk=told.pk), by="test")

    text = organiser_client.get(changelist(PROPOSALS)).content.decode()
    pending = organiser_client.get(changelist(PROPOSALS) + "?announced=pending")

    assert "not announced yet" in text and "announced on " in text
    assert "Announce decisions (1 waiting)" in text
    assert listed(pending) == ["Untold"]
    assert undecided.title not in listed(pending)


def test_comment_is_saved_from_the_proposal_page_until_announced(
    organiser, organiser_client, event
):
    proposal = propose(event)
    services.decide(proposal=proposal, decision="rejected", by="test")
    url = reverse("admin:proposals_proposal_change", args=[proposal.pk])
    form = {"decision_comment": "Come back next year!", "reviews-TOTAL_FORMS": "0"}
    form["reviews-INITIAL_FORMS"] = "0"

    organiser_client.post(url, form)
    proposal.refresh_from_db()
    assert proposal.decision_comment == "Come back next year!"

    services.notify_decisions(proposals=Proposal.objects.all(), by="test")
    organiser_client.post(url, {**form, "decision_comment": "Changed"})
    proposal.refresh_from_db()
    assert proposal.decision_comment == "Come back next year!"


def test_a_released_decision_is_not_changed_by_the_actions(organiser_client, event):
    proposal = propose(event, title="Told")
    services.decide(proposal=proposal, decision="accepted", by="test")
    services.notify_decisions(proposals=Proposal.objects.all(), by="test")

    response = action(organiser_client, PROPOSALS, "reject", [proposal])

    proposal.refresh_from_db()
    assert proposal.status == "accepted"
    assert messages_of(response)[0].startswith("“Told” unchanged: The speaker has already been")


def test_change_page_is_read_only_and_shows_the_history(organiser, organiser_client, event):
    proposal = propose(event, title="Original")
    services.decide(proposal=proposal, decision="accepted", by=organiser)
    url = reverse("admin:proposals_proposal_change", args=[proposal.pk])

    response = organiser_client.get(url)
    # The committee's comment to the speaker is the one thing written here.
    assert set(response.context["adminform"].form.fields) == {"decision_comment"}
    assert "submitted → accepted" in response.content.decode()

    organiser_client.post(
        url,
        {
            "title": "Changed",
            "status": "rejected",
            "reviews-TOTAL_FORMS": "0",
            "reviews-INITIAL_FORMS": "0",
        },
    )
    proposal.refresh_from_db()
    assert (proposal.title, proposal.status) == ("Original", "accepted")


def test_buttons_on_a_proposal_page_do_what_the_list_actions_do(organiser_client, event):
    proposal = propose(event)
    page = organiser_client.get(reverse("admin:proposals_proposal_change", args=[proposal.pk]))
    accept = reverse("admin:proposals_proposal_object_action", args=[proposal.pk, "accept"])
    assert accept in page.content.decode()

    response = organiser_client.post(accept, follow=True)

    proposal.refresh_from_db()
    assert proposal.status == "accepted" and proposal.decision_notified_at is None
    assert messages_of(response)[0] == (
        "1 proposal accepted. Speakers are told when you announce the decisions."
    )
    assert response.redirect_chain[-1][0].endswith(f"/{proposal.pk}/change/")
    announce = reverse("admin:proposals_proposal_object_action", args=[proposal.pk, "announce"])
    assert organiser_client.post(announce).url == ANNOUNCE + f"?ids={proposal.pk}"
