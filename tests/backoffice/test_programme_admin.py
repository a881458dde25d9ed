"""Organisers build the day's programme on the event's page (proposals.admin.SlotInline)."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from iness.models import Event, OutgoingMail
from proposals import programme
from proposals import services as proposal_services
from proposals.models import Proposal, Slot

from .conftest import messages_of, propose
from .test_events import event_form

pytestmark = pytest.mark.django_db


def accept(event, **fields) -> Proposal:
    proposal = propose(event, **fields)
    proposal_services.decide(proposal=proposal, decision="accepted", by="test")
    proposal_services.notify_decisions(proposals=Proposal.objects.filter(pk=proposal.pk), by="t")
    return Proposal.objects.get(pk=proposal.pk)


def line(start="", minutes="", proposal="", kind="", title="", room="", pk="", delete=False):
    return {
        "id": pk,
        "event": "",
        "starts_at": start,
        "duration": minutes,
        "proposal": proposal,
        "kind": kind,
        "title": title,
        "title_en": "",
        "room": room,
        **({"DELETE": "on"} if delete else {}),
    }


def save_programme(client, event, lines, *, initial=0, language="en", **changes):
    """Post the event's page with the programme table holding `lines` (the first `initial`
    of them existing items), as the admin's form sends it."""
    data = event_form(event, **changes)
    data.update({"slots-TOTAL_FORMS": str(len(lines)), "slots-INITIAL_FORMS": str(initial)})
    for index, fields in enumerate(lines):
        for name, value in fields.items():
            if value != "":
                data[f"slots-{index}-{name}"] = str(value)
    return client.post(
        reverse("admin:iness_event_change", args=[event.pk]),
        data,
        HTTP_ACCEPT_LANGUAGE=language,
    )


def test_organisers_build_the_day_from_accepted_proposals_and_other_moments(
    organiser_client, event
):
    talk = accept(event, title="Données de caisse")

    response = save_programme(
        organiser_client,
        event,
        [
            line("09:30", 30, kind="welcome"),
            line("10:00", 45, proposal=talk.pk, room="Amphi"),
            line("", 15, kind="break"),
        ],
    )

    assert response.status_code == 302, response.context and response.context["errors"]
    assert [
        (s.starts_at, s.duration, s.display_title, s.room)
        for s in Slot.objects.select_related("proposal")
    ] == [
        (dt.time(9, 30), 30, "Welcome", ""),
        (dt.time(10, 0), 45, "Données de caisse", "Amphi"),
        (dt.time(10, 45), 15, "Coffee break", ""),
    ]


def test_an_overlap_is_refused_beside_the_start_time_and_nothing_is_saved(organiser_client, event):
    response = save_programme(
        organiser_client,
        event,
        [line("10:00", 30, kind="welcome"), line("10:15", 30, kind="break")],
        language="fr",
        venue="Ailleurs",
    )

    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.forms[0].errors == {}
    assert formset.forms[1].errors == {
        "starts_at": [
            "Chevauche «\xa0Accueil\xa0» (10\xa0h\xa000\xa0– 10\xa0h\xa030). Déplacez l’un des "
            "deux, ou donnez-leur deux salles différentes."
        ]
    }
    assert Slot.objects.count() == 0
    assert Event.objects.get(pk=event.pk).venue == event.venue


def test_an_item_past_the_end_of_the_day_is_refused_beside_its_length(organiser_client, event):
    response = save_programme(organiser_client, event, [line("17:00", 60, kind="closing")])

    errors = response.context["inline_admin_formsets"][0].formset.forms[0].errors
    assert list(errors) == ["duration"]
    assert "after the end of the day (5:30\xa0pm)" in errors["duration"][0]


def test_shortening_the_day_refuses_the_items_it_would_leave_outside(organiser_client, event):
    programme.save_day(
        event=event,
        changed=[Slot(event=event, kind="closing", starts_at=dt.time(17, 0), duration=30)],
    )
    slot = Slot.objects.get()

    response = save_programme(
        organiser_client,
        event,
        [line("17:00", 30, kind="closing", pk=slot.pk)],
        initial=1,
        ends_at="17:15",
    )

    assert response.status_code == 200
    assert Event.objects.get(pk=event.pk).ends_at == dt.time(17, 30)


def test_organisers_swap_two_items_by_exchanging_their_times(organiser_client, event):
    one, two = accept(event, title="Un"), accept(event, title="Deux")
    programme.save_day(
        event=event,
        changed=[
            Slot(event=event, proposal=one, starts_at=dt.time(10, 0), duration=30),
            Slot(event=event, proposal=two, starts_at=dt.time(10, 30), duration=30),
        ],
    )
    first, second = Slot.objects.order_by("starts_at")

    response = save_programme(
        organiser_client,
        event,
        [
            line("10:30", 30, proposal=one.pk, pk=first.pk),
            line("10:00", 30, proposal=two.pk, pk=second.pk),
        ],
        initial=2,
    )

    assert response.status_code == 302
    assert [s.proposal.title for s in Slot.objects.order_by("starts_at")] == ["Deux", "Un"]


def test_a_speaker_is_emailed_when_organisers_move_their_published_slot(
    organiser_client, make_event
):
    event = make_event()
    talk = accept(event, title="Données de caisse")
    programme.save_day(
        event=event,
        changed=[Slot(event=event, proposal=talk, starts_at=dt.time(10, 0), duration=30)],
    )
    slot = Slot.objects.get()
    Event.objects.filter(pk=event.pk).update(programme_published=True)
    event.refresh_from_db()

    save_programme(
        organiser_client,
        event,
        [line("11:00", 30, proposal=talk.pk, pk=slot.pk)],
        initial=1,
        programme_published="on",
    )

    [mail] = OutgoingMail.objects.filter(kind="proposals/slot_changed")
    assert mail.to == talk.person.email
    assert "11:00\xa0am\xa0– 11:30\xa0am" in mail.body


def test_removing_an_item_deletes_it(organiser_client, event):
    programme.save_day(
        event=event,
        changed=[Slot(event=event, kind="lunch", starts_at=dt.time(12, 30), duration=60)],
    )
    slot = Slot.objects.get()

    save_programme(
        organiser_client,
        event,
        [line("12:30", 60, kind="lunch", pk=slot.pk, delete=True)],
        initial=1,
    )

    assert Slot.objects.count() == 0


def test_the_proposal_list_offers_the_day_s_accepted_proposals_only(
    organiser_client, event, make_event
):
    accepted = accept(event, title="Retenue")
    propose(event, title="En attente")
    accept(make_event(slug="autre"), title="Autre jour")

    html = organiser_client.get(reverse("admin:iness_event_change", args=[event.pk])).content
    options = re.findall(r'<option value="\d+">([^<]+)</option>', html.decode())

    assert set(options) == {f"Retenue · {accepted.person.full_name} (Talk)"}


def test_a_withdrawn_proposal_s_line_says_so(organiser_client, event):
    talk = accept(event, title="Retirée")
    programme.save_day(
        event=event,
        changed=[Slot(event=event, proposal=talk, starts_at=dt.time(10, 0), duration=30)],
    )
    proposal_services.withdraw(proposal=talk)

    html = organiser_client.get(reverse("admin:iness_event_change", args=[event.pk])).content

    assert f"Retirée · {talk.person.full_name} (Talk): withdrawn" in html.decode()


def test_moving_the_day_moves_its_items_in_calendars(organiser_client, event):
    programme.save_day(
        event=event,
        changed=[Slot(event=event, kind="lunch", starts_at=dt.time(12, 30), duration=60)],
    )
    later = event.date + dt.timedelta(days=7)

    response = save_programme(organiser_client, event, [], date=later.isoformat())

    assert response.status_code == 302, messages_of(response) if response.context else ""
    assert Slot.objects.get().sequence == 1


def test_the_event_page_reads_the_programme_in_the_same_queries_however_long(
    organiser_client, event
):
    placed = iter(range(20))

    def queries_with(count):
        for _ in range(count):
            index = next(placed)
            talk = accept(event, title=f"Talk {index}")
            start = dt.time(10 + index // 4, 15 * (index % 4))
            programme.save_day(
                event=event,
                changed=[Slot(event=event, proposal=talk, starts_at=start, duration=15)],
            )
        with CaptureQueriesContext(connection) as captured:
            organiser_client.get(reverse("admin:iness_event_change", args=[event.pk]))
        return len(captured)

    assert queries_with(1) == queries_with(6)


def test_organisers_may_build_the_programme(organiser):
    assert organiser.has_perms(
        ["proposals.add_slot", "proposals.change_slot", "proposals.delete_slot"]
    )
