"""The programme's rules (proposals.programme): what a day may hold, and how it changes."""

import datetime as dt

import pytest
from django.utils import translation

from iness.models import Event, OutgoingMail
from proposals import programme
from proposals import services as proposals
from proposals.models import Proposal, Slot
from proposals.programme import ProgrammeRefused

from .conftest import accepted, item, named, place, proposal_data, publish

pytestmark = pytest.mark.django_db


def problems(event, *slots, language="fr") -> list[tuple[int, str, str]]:
    with translation.override(language):
        return [(p.index, p.field, str(p.message)) for p in programme.day_problems(event, slots)]


# What a day may hold. ------------------------------------------------------------------------


def test_a_day_of_items_one_after_the_other_breaks_no_rule(event):
    talk = accepted(event)

    assert (
        problems(
            event,
            item(event, "9:30", 30, kind=Slot.Kind.WELCOME),
            item(event, "10:00", 45, proposal=talk),
            item(event, "10:45", 15),
        )
        == []
    )


def test_two_items_at_the_same_time_without_rooms_are_refused_beside_the_start_time(event):
    day = [item(event, "10:00", 30, kind=Slot.Kind.WELCOME), item(event, "10:15", 15)]

    assert problems(event, *day) == [
        (
            1,
            "starts_at",
            "Chevauche «\u00a0Accueil\u00a0» (10\u00a0h\u00a000\u00a0– 10\u00a0h\u00a030). "
            "Déplacez l’un des deux, ou donnez-leur deux salles différentes.",
        )
    ]


def test_two_items_at_the_same_time_in_two_rooms_are_allowed(event):
    talk, other = accepted(event), accepted(event, title="Autre", email="bo@example.org")

    assert (
        problems(
            event,
            item(event, "10:00", 45, proposal=talk, room="Salle A"),
            item(event, "10:00", 45, proposal=other, room="Salle B"),
        )
        == []
    )


def test_two_items_in_the_same_room_may_not_overlap_whatever_the_case(event):
    day = [item(event, "10:00", 45, room="Salle A"), item(event, "10:30", 30, room=" salle a")]

    assert problems(event, *day, language="en") == [
        (
            1,
            "starts_at",
            "Overlaps “Coffee break” (10:00\u00a0am\u00a0– 10:45\u00a0am) in the same room.",
        )
    ]


def test_an_item_without_a_room_takes_the_whole_venue(event):
    day = [item(event, "12:30", 60, kind=Slot.Kind.LUNCH), item(event, "13:00", 30, room="B")]

    assert [p[:2] for p in problems(event, *day)] == [(1, "starts_at")]


def test_an_item_may_start_when_the_previous_one_ends(event):
    assert problems(event, item(event, "10:00", 30), item(event, "10:30", 30)) == []


def test_an_item_before_the_day_starts_is_refused(event):
    assert problems(event, item(event, "9:00", 30)) == [
        (
            0,
            "starts_at",
            "La journée commence à 9\u00a0h\u00a030\u00a0: cet élément ne peut pas commencer "
            "avant.",
        )
    ]


def test_an_item_ending_after_the_day_is_refused_beside_its_length(event):
    assert problems(event, item(event, "17:00", 45)) == [
        (
            0,
            "duration",
            "Cet élément finirait à 17\u00a0h\u00a045, après la fin de la journée "
            "(17\u00a0h\u00a030)\u00a0: raccourcissez-le ou faites-le commencer plus tôt.",
        )
    ]


def test_an_item_running_past_midnight_is_outside_the_day(event):
    assert [p[:2] for p in problems(event, item(event, "17:00", 8 * 60))] == [(0, "duration")]


def test_a_proposal_not_accepted_cannot_be_placed(event, proposal):
    assert [p[:2] for p in problems(event, item(event, "10:00", 30, proposal=proposal))] == [
        (0, "proposal")
    ]


def test_a_withdrawn_proposal_s_item_asks_to_be_removed(event):
    talk = accepted(event)
    proposals.withdraw(proposal=talk)
    talk.refresh_from_db()

    [(index, field, message)] = problems(event, item(event, "10:00", 30, proposal=talk))
    assert (index, field) == (0, "proposal")
    assert "retirée" in message and "supprimez cet élément" in message


def test_a_proposal_of_another_day_cannot_be_placed(event, make_event):
    other_day = make_event(slug="autre-jour")
    talk = accepted(other_day)

    assert [p[:2] for p in problems(event, item(event, "10:00", 30, proposal=talk))] == [
        (0, "proposal")
    ]


def test_a_proposal_is_placed_once(event):
    talk = accepted(event)
    day = [
        item(event, "10:00", 30, proposal=talk, room="A"),
        item(event, "10:00", 30, proposal=talk, room="B"),
    ]

    assert [p[:2] for p in problems(event, *day)] == [(1, "proposal")]


def test_an_item_is_a_proposal_or_a_kind_of_moment(event):
    talk = accepted(event)

    assert [p[:2] for p in problems(event, item(event, "10:00", 30, kind=""))] == [(0, "kind")]
    assert [
        p[:2]
        for p in problems(event, item(event, "10:00", 30, proposal=talk, kind=Slot.Kind.LUNCH))
    ] == [(0, "kind")]


def test_another_kind_of_moment_needs_a_title(event):
    assert [p[:2] for p in problems(event, item(event, "10:00", 30, kind=Slot.Kind.OTHER))] == [
        (0, "title")
    ]
    assert problems(event, item(event, "10:00", 30, kind=Slot.Kind.OTHER, title="Visite")) == []


def test_a_proposal_keeps_its_speaker_s_title(event):
    talk = accepted(event)

    assert [
        p[:2] for p in problems(event, item(event, "10:00", 30, proposal=talk, title="Autre"))
    ] == [(0, "title")]


def test_items_without_a_start_time_follow_the_item_above(event):
    day = [
        Slot(event=event, kind=Slot.Kind.WELCOME, starts_at=None, duration=30),
        Slot(event=event, kind=Slot.Kind.DISCUSSION, starts_at=dt.time(11, 0), duration=60),
        Slot(event=event, kind=Slot.Kind.LUNCH, starts_at=None, duration=60),
    ]

    programme.fill_start_times(event, day)

    assert [s.starts_at for s in day] == [dt.time(9, 30), dt.time(11, 0), dt.time(12, 0)]


def test_an_item_takes_its_title_from_its_kind_in_the_reader_s_language(event):
    lunch = item(event, "12:30", 60, kind=Slot.Kind.LUNCH)
    named = item(event, "16:00", 30, kind=Slot.Kind.OTHER, title="Visite", title_en="Tour")
    french_only = item(event, "16:30", 30, kind=Slot.Kind.OTHER, title="Apéritif")

    with translation.override("fr"):
        assert [lunch.display_title, named.display_title] == ["Déjeuner", "Visite"]
    with translation.override("en"):
        assert [lunch.display_title, named.display_title] == ["Lunch", "Tour"]
        assert french_only.display_title == "Apéritif"


# How the day changes. ------------------------------------------------------------------------


def test_save_day_refuses_the_whole_change_when_a_rule_is_broken(event):
    place(event, item(event, "10:00", 30, kind=Slot.Kind.WELCOME))

    with pytest.raises(ProgrammeRefused) as refusal:
        programme.save_day(event=event, changed=[item(event, "10:15", 30)])

    assert "Overlaps" in str(refusal.value.message) or "Chevauche" in str(refusal.value.message)
    assert Slot.objects.count() == 1


def test_swapping_two_items_is_one_save(event):
    first, second = place(event, item(event, "10:00", 30), item(event, "10:30", 30, room=""))
    first.starts_at, second.starts_at = dt.time(10, 30), dt.time(10, 0)

    programme.save_day(event=event, changed=[first, second])

    assert list(Slot.objects.order_by("starts_at").values_list("pk", flat=True)) == [
        second.pk,
        first.pk,
    ]


def test_two_talks_may_swap_slots_in_one_save(event):
    one, two = accepted(event), accepted(event, title="Deux", email="bo@example.org")
    morning, afternoon = place(
        event, item(event, "10:00", 30, proposal=one), item(event, "14:00", 30, proposal=two)
    )
    morning.proposal, afternoon.proposal = two, one

    programme.save_day(event=event, changed=[morning, afternoon])

    assert Slot.objects.get(pk=morning.pk).proposal == two
    assert Slot.objects.get(pk=afternoon.pk).proposal == one


def test_a_moved_item_gets_a_new_calendar_version(event):
    [slot] = place(event, item(event, "10:00", 30))
    first_stamp = slot.changed_at
    slot.starts_at = dt.time(11, 0)

    programme.save_day(event=event, changed=[slot], now=first_stamp + dt.timedelta(hours=1))

    slot.refresh_from_db()
    assert slot.sequence == 1
    assert slot.changed_at == first_stamp + dt.timedelta(hours=1)


def test_an_item_saved_unchanged_keeps_its_calendar_version(event):
    [slot] = place(event, item(event, "10:00", 30))
    stamp = slot.changed_at

    programme.save_day(event=event, changed=[Slot.objects.get(pk=slot.pk)])

    slot.refresh_from_db()
    assert (slot.sequence, slot.changed_at) == (0, stamp)


def test_removed_items_are_deleted(event):
    first, second = place(event, item(event, "10:00", 30), item(event, "11:00", 30))

    programme.save_day(event=event, changed=[], removed=[first])

    assert list(Slot.objects.all()) == [second]


def test_a_new_date_moves_every_item_to_a_new_calendar_version(event):
    place(event, item(event, "10:00", 30), item(event, "11:00", 30))
    previous = event.date
    Event.objects.filter(pk=event.pk).update(date=previous + dt.timedelta(days=7))

    moved = programme.day_moved(event=event, previous_date=previous)

    assert moved == 2
    assert set(Slot.objects.values_list("sequence", flat=True)) == {1}


# Speakers are told. --------------------------------------------------------------------------


def slot_mails():
    return list(OutgoingMail.objects.filter(kind="proposals/slot_changed").order_by("pk"))


def test_no_speaker_is_told_before_the_programme_is_published(event):
    talk = accepted(event)
    [slot] = place(event, item(event, "10:00", 30, proposal=talk))
    slot.starts_at = dt.time(11, 0)

    programme.save_day(event=event, changed=[slot])

    assert slot_mails() == []


def test_a_speaker_is_told_in_their_language_when_their_slot_moves_after_publication(event):
    talk = accepted(event, language="fr", title="Données de caisse")
    [slot] = place(event, item(event, "10:00", 30, proposal=talk))
    publish(event)
    slot.starts_at, slot.room = dt.time(14, 0), "Salle Turing"

    programme.save_day(event=event, changed=[slot])

    [mail] = slot_mails()
    assert mail.to == talk.person.email
    assert mail.person == talk.person  # erasing the speaker erases it (iness.erasure)
    assert "«\u00a0Données de caisse\u00a0» a un nouveau créneau" in mail.body
    assert "14\u00a0h\u00a000\u00a0– 14\u00a0h\u00a030, Salle Turing" in mail.body
    assert "10\u00a0h\u00a000\u00a0– 10\u00a0h\u00a030" in mail.body
    assert f"/programme/{event.slug}/" in mail.body
    assert mail.attachments[0]["mimetype"] == "text/calendar"


def test_the_speaker_s_mail_is_recorded_with_the_change_or_not_at_all(event):
    talk = accepted(event)
    [slot] = place(event, item(event, "10:00", 30, proposal=talk))
    publish(event)
    slot.starts_at = dt.time(11, 0)

    with pytest.raises(ProgrammeRefused):
        programme.save_day(event=event, changed=[slot, item(event, "11:00", 30)])

    assert slot_mails() == []
    assert Slot.objects.get(pk=slot.pk).starts_at == dt.time(10, 0)


def test_a_speaker_is_told_when_their_proposal_gets_a_slot_or_loses_it(event):
    talk = accepted(event)
    publish(event)

    [slot] = place(event, item(event, "10:00", 30, proposal=talk))
    programme.save_day(event=event, changed=[], removed=[slot])

    placed, removed = slot_mails()
    assert "now has its time slot" in placed.body
    assert "no longer has a time slot" in removed.body
    assert removed.attachments == []


def test_a_speaker_whose_item_is_only_renamed_or_saved_again_is_not_told(event):
    talk = accepted(event)
    [slot] = place(event, item(event, "10:00", 30, proposal=talk))
    publish(event)

    programme.save_day(event=event, changed=[Slot.objects.get(pk=slot.pk)])

    assert slot_mails() == []


def test_both_speakers_are_told_when_two_talks_swap(event):
    one, two = accepted(event), accepted(event, title="Deux", email="bo@example.org")
    morning, afternoon = place(
        event, item(event, "10:00", 30, proposal=one), item(event, "14:00", 30, proposal=two)
    )
    publish(event)
    morning.proposal, afternoon.proposal = two, one

    programme.save_day(event=event, changed=[morning, afternoon])

    assert sorted(m.to for m in slot_mails()) == ["ada@example.org", "bo@example.org"]


def test_a_speaker_not_yet_told_of_the_decision_is_not_told_of_a_slot(event):
    talk = accepted(event, notified=False)
    publish(event)

    place(event, item(event, "10:00", 30, proposal=talk))

    assert slot_mails() == []


def test_speakers_are_told_when_the_whole_day_moves(event):
    talk = accepted(event)
    place(event, item(event, "10:00", 30, proposal=talk))
    publish(event)
    previous = event.date
    Event.objects.filter(pk=event.pk).update(date=previous + dt.timedelta(days=7))

    programme.day_moved(event=event, previous_date=previous)

    [mail] = slot_mails()
    assert "has a new time slot" in mail.body


# What the programme names. -------------------------------------------------------------------


def test_the_programme_names_the_speaker_then_each_person_who_accepted(event):
    proposal = proposals.submit(
        event=event,
        data=proposal_data(
            panel=(
                named("Amina", "Haddad", "amina@example.org", "Réseau Entraide"),
                named("李", "娜", "li.na@example.org"),
            )
        ),
    ).proposal
    amina, li = proposal.panellists.order_by("position")
    proposals.panel.answer(panellist=amina, accept=True)
    proposals.panel.answer(panellist=li, accept=False)

    assert programme.speakers(proposal) == [
        programme.Speaker("Ada Lovelace", "Roule Ensemble"),
        programme.Speaker("Amina Haddad", "Réseau Entraide"),
    ]


def test_the_public_programme_names_only_people_who_accepted(client, event):
    proposal = proposals.submit(
        event=event,
        data=proposal_data(
            format="round_table",
            panel=(
                named("Amina", "Haddad", "amina@example.org", "Réseau Entraide"),
                named("Grace", "Hopper", "grace@example.org", "Navy"),
                named("Bo", "Silent", "bo@example.org", "Nowhere"),
            ),
        ),
    ).proposal
    amina, grace, _bo = proposal.panellists.order_by("position")
    proposals.panel.answer(panellist=amina, accept=True)
    proposals.panel.answer(panellist=grace, accept=False)
    proposals.decide(proposal=proposal, decision="accepted", by="committee")
    proposals.notify_decisions(proposals=Proposal.objects.all(), by="committee")
    place(event, item(event, "10:00", 45, proposal=Proposal.objects.get()))
    publish(event)

    page = client.get(f"/programme/{event.slug}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Amina Haddad" in page and "Réseau Entraide" in page
    assert "Grace Hopper" not in page and "Bo Silent" not in page


def test_the_public_programme_hides_what_speakers_have_not_been_told(event):
    told = accepted(event)
    untold = accepted(event, notified=False, title="Pas encore", email="bo@example.org")
    lunch, told_slot, untold_slot = place(
        event,
        item(event, "12:30", 60, kind=Slot.Kind.LUNCH),
        item(event, "10:00", 30, proposal=told),
        item(event, "11:00", 30, proposal=untold),
    )
    assert programme.published_items(event) == []  # not published yet
    publish(event)

    assert [i.slot for i in programme.published_items(event)] == [told_slot, lunch]
    assert programme.published_item(event, untold_slot.pk) is None


def test_accepted_proposals_without_a_slot_are_listed_apart(event):
    placed_talk, waiting = accepted(event), accepted(event, title="Sans heure", email="b@x.org")
    place(event, item(event, "10:00", 30, proposal=placed_talk))
    publish(event)

    assert [proposal for proposal, _people in programme.unscheduled(event)] == [waiting]


def test_a_speaker_sees_their_slot_once_the_programme_is_published(event):
    talk = accepted(event)
    [slot] = place(event, item(event, "10:00", 30, proposal=talk))

    assert programme.speaker_slot(talk) is None
    publish(event)
    talk.refresh_from_db()
    assert programme.speaker_slot(talk) == slot
