"""Each state a visitor can find a sign-up or proposal page in, made through the services.

For the page checks (tests/browser/public_pages.py in the browser, tests/iness/
test_public_pages.py with the test client). Each function builds what its page needs on an
event of its own, so that several states can share one database, and returns the page's path.
"""

import datetime as dt
from itertools import count

from django.urls import reverse
from django.utils import timezone

from iness import tokens
from iness.models import Event, OutgoingMail
from proposals import programme as day
from proposals import services as proposals
from proposals.models import Proposal, Slot
from registrations import services as registrations
from registrations.models import Registration
from tests.conftest import build_event
from tests.proposals.conftest import accept_named, named, proposal_data
from tests.registrations.conftest import person

_numbers = count(1)
COMMITTEE = "committee member"


def new_event(**overrides) -> Event:
    """An open, published event a month ahead, with a slug of its own."""
    return build_event(slug=f"journee-{next(_numbers)}", **overrides)


def private_path(obj: Registration | Proposal, url_name: str) -> str:
    """A fresh private link to `obj` (the previous ones stop working), as a path."""
    token, token_hash = tokens.new_token()
    type(obj).objects.filter(pk=obj.pk).update(token_hash=token_hash)
    return reverse(url_name, args=[token])


def past(**delta) -> dt.datetime:
    return timezone.now() - dt.timedelta(**delta)


def future(**delta) -> dt.datetime:
    return timezone.now() + dt.timedelta(**delta)


# Sign-up ----------------------------------------------------------------------------------


def signup_form_data(**overrides) -> dict:
    """What a person types in the sign-up form; None removes a field."""
    n = next(_numbers)
    data = {
        "first_name": "Zoé",
        "last_name": "Łukasiewicz",
        "email": f"zoe{n}@example.org",
        "organisation": "Coopérative numérique",
        "organisation_kind": "ess",
        "profile": "both",
        "interests": "",
        "needs": "",
        "consent": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def signup_form(**event_overrides) -> str:
    event = new_event(**event_overrides)
    return reverse("registrations:register", args=[event.slug])


def full_signup_form() -> str:
    """The form of a day whose only seat is taken: it offers the waiting list."""
    event = new_event(capacity=1)
    registrations.register(event=event, data=person(), verified=True)
    return reverse("registrations:register", args=[event.slug])


def signup_not_open_yet() -> str:
    return signup_form(registration_opens_at=future(days=2))


def signup_closed() -> str:
    return signup_form(registration_opens_at=past(days=5), registration_closes_at=past(hours=1))


ALREADY_SIGNED_UP = "already@example.org"


def signup_form_of_someone_signed_up() -> str:
    """A sign-up form whose day ALREADY_SIGNED_UP has signed up for."""
    event = new_event()
    registrations.register(event=event, data=person(email=ALREADY_SIGNED_UP), verified=True)
    return reverse("registrations:register", args=[event.slug])


def proposal_form_of_someone_signed_up() -> str:
    """A proposal form whose day ALREADY_SIGNED_UP has signed up for."""
    return signup_form_of_someone_signed_up().replace("/inscription/", "/proposition/")


def full_proposal_form() -> str:
    """The proposal form of a day whose only seat is taken."""
    return full_signup_form().replace("/inscription/", "/proposition/")


REGISTRATION_STATES = [
    "held",
    "unconfirmed waitlisted",
    "lapsed",
    "confirmed",
    "waitlisted",
    "offered",
    "offer lapsed",
    "cancelled",
    "expired",
]


def _deadline_mails_went(registration: Registration) -> None:
    """As if the mails that start `registration`'s deadlines had reached its mail server."""
    OutgoingMail.objects.filter(
        hook="registrations.deadline", hook_args__deadline__registration=registration.pk
    ).update(status=OutgoingMail.Status.SENT, sent_at=timezone.now())


def registration_in(state: str) -> Registration:
    """A registration in `state` (one of REGISTRATION_STATES), on a day with a single seat."""
    event = new_event(capacity=1)
    if state in ("held", "lapsed"):
        held = registrations.register(event=event, data=person()).registration
        if state == "lapsed":
            _deadline_mails_went(held)
            Registration.objects.filter(pk=held.pk).update(verify_by=past(minutes=1))
            registrations.expire_offers(by="test", event=event)
        return Registration.objects.get(pk=held.pk)
    first = registrations.register(event=event, data=person(), verified=True).registration
    if state == "unconfirmed waitlisted":
        return registrations.register(event=event, data=person()).registration
    if state == "confirmed":
        return first
    if state == "cancelled":
        registrations.cancel(registration=first, by="test")
        return Registration.objects.get(pk=first.pk)
    second = registrations.register(event=event, data=person(), verified=True).registration
    if state == "waitlisted":
        return second
    registrations.cancel(registration=first, by="test")  # the seat is offered to `second`
    if state in ("offer lapsed", "expired"):
        _deadline_mails_went(second)
        Registration.objects.filter(pk=second.pk).update(offer_expires_at=past(minutes=1))
    if state == "expired":
        registrations.expire_offers(by="test", event=event)
    return Registration.objects.get(pk=second.pk)


def registration_page(state: str, page: str = "manage") -> str:
    """The private page, or a confirmation step ("cancel", "accept", "decline"), of a
    registration in `state`."""
    return private_path(registration_in(state), f"registrations:{page}")


# Proposals --------------------------------------------------------------------------------


def proposal_form_data(**overrides) -> dict:
    """What a speaker types in the proposal form; None removes a field."""
    n = next(_numbers)
    data = {
        **{
            name: value
            for name, value in proposal_data(email=f"speaker{n}@example.org").__dict__.items()
            if name not in {"language", "wants_news"}
        },
        "consent": "on",
        "also_register": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def proposal_form(**event_overrides) -> str:
    event = new_event(**event_overrides)
    return reverse("proposals:submit", args=[event.slug])


def proposals_closed() -> str:
    return proposal_form(proposals_close_at=past(hours=1))


PROPOSAL_STATES = [
    "submitted",
    "submitted after the deadline",
    "accepted",
    "confirmed",
    "rejected",
    "withdrawn",
]


def proposal_in(state: str, *, event: Event | None = None, **data) -> Proposal:
    """A proposal in `state` (one of PROPOSAL_STATES), decisions told to the speaker."""
    event = event or new_event()
    n = next(_numbers)
    proposal = proposals.submit(
        event=event, data=proposal_data(email=f"speaker{n}@example.org", **data)
    ).proposal
    accept_named(proposal)
    if state == "submitted after the deadline":
        Event.objects.filter(pk=event.pk).update(proposals_close_at=past(minutes=1))
    elif state == "withdrawn":
        proposals.withdraw(proposal=proposal)
    elif state in ("accepted", "confirmed", "rejected"):
        decision = Proposal.Status.REJECTED if state == "rejected" else Proposal.Status.ACCEPTED
        proposals.decide(proposal=proposal, decision=decision, by=COMMITTEE)
        proposals.notify_decisions(proposals=Proposal.objects.filter(pk=proposal.pk), by=COMMITTEE)
        if state == "confirmed":
            proposals.confirm(proposal=Proposal.objects.get(pk=proposal.pk))
    return Proposal.objects.get(pk=proposal.pk)


def proposal_page(state: str, page: str = "manage") -> str:
    """The private page, or the edit or withdraw page, of a proposal in `state`."""
    return private_path(proposal_in(state), f"proposals:{page}")


def programme(*, published: bool = True, with_items: bool = True) -> str:
    """A day's programme: a welcome, two talks at once in two rooms, a round table, lunch,
    and an accepted proposal without a time yet."""
    event = new_event()
    if with_items:
        panel = proposal_in("confirmed", event=event, title="Une épicerie solidaire et ses données")
        talk = proposal_in(
            "accepted",
            event=event,
            format="talk",
            title="Cartographier l'entraide",
            panel=(
                named("Amina", "Haddad (أمينة حداد)", "amina@example.org", "Réseau Entraide"),
                named("李", "娜", "li.na@example.org", "Université de Lyon"),
            ),
        )
        other = proposal_in("accepted", event=event, format="talk", title="Un logiciel libre")
        proposal_in("accepted", event=event, title="Une table ronde sans heure encore")
        day.save_day(
            event=event,
            changed=[
                Slot(event=event, kind=Slot.Kind.WELCOME, starts_at=dt.time(9, 30), duration=30),
                Slot(
                    event=event, proposal=talk, starts_at=dt.time(10, 0), duration=45, room="Amphi"
                ),
                Slot(
                    event=event,
                    proposal=other,
                    starts_at=dt.time(10, 0),
                    duration=45,
                    room="Salle 2",
                ),
                Slot(event=event, proposal=panel, starts_at=dt.time(11, 0), duration=90),
                Slot(event=event, kind=Slot.Kind.LUNCH, starts_at=dt.time(12, 30), duration=60),
            ],
        )
    Event.objects.filter(pk=event.pk).update(programme_published=published)
    return reverse("proposals:programme", args=[event.slug])


PANELLIST_STATES = ["invited", "accepted", "declined"]


def panellist_page(state: str) -> str:
    """The private page of a person named in a round table, who has `state` (one of
    PANELLIST_STATES): with a seat to take once accepted."""
    n = next(_numbers)
    proposal = proposals.submit(
        event=new_event(),
        data=proposal_data(
            email=f"speaker{n}@example.org",
            format="round_table",
            panel=(
                named("Amina", "Haddad (أمينة حداد)", f"amina{n}@example.org", "Réseau Entraide"),
                named("Li", "Na", f"li{n}@example.org", "Université de Lyon", "Chercheuse."),
            ),
        ),
    ).proposal
    panellist = proposal.panellists.order_by("position").first()
    if state != "invited":
        proposals.panel.answer(panellist=panellist, accept=state == "accepted")
    return private_path(panellist, "proposals:panellist")


def address_change_page() -> str:
    """The page a new address's confirmation link opens."""
    from iness.models import OutgoingMail

    registration = registration_in("confirmed")
    registrations.correct_details(
        registration=registration,
        data=registrations.DetailsData(
            first_name="Ada",
            last_name="Lovelace",
            email=f"new{next(_numbers)}@example.org",
            organisation="Coopérative numérique",
        ),
    )
    body = OutgoingMail.objects.filter(kind="iness/address_change").latest("pk").body
    return "/nouvelle-adresse/" + body.split("/nouvelle-adresse/")[1].split("/")[0] + "/"


def proposal_page_with_a_slot() -> str:
    """The private page of a confirmed speaker whose slot is on the published programme."""
    event = new_event(programme_published=True)
    proposal = proposal_in("confirmed", event=event)
    day.save_day(
        event=event,
        changed=[
            Slot(event=event, proposal=proposal, starts_at=dt.time(14, 0), duration=45, room="B")
        ],
    )
    return private_path(proposal, "proposals:manage")


INVALID_REGISTRATION_LINK = "/mon-inscription/this-link-does-not-exist/"
INVALID_PROPOSAL_LINK = "/ma-proposition/this-link-does-not-exist/"


# The archive and the pages of a day ---------------------------------------------------------

PRESENTATION = "## Les thèmes\n\nDes **innovations** sociales numériques.\n\n## Pour qui ?\n\n- chercheurs\n- praticiens"
PRACTICAL = "## Venir\n\nMétro Balard.\n\n## Accessibilité du lieu\n\nAccès de plain-pied."


def past_day(*, years_ago: int, **overrides) -> Event:
    """A published day held `years_ago` years ago, its sign-up long closed."""
    day = timezone.localdate().replace(month=3, day=11, year=timezone.localdate().year - years_ago)
    return new_event(
        date=day,
        registration_opens_at=past(days=365 * years_ago + 60),
        registration_closes_at=past(days=365 * years_ago + 1),
        proposals_close_at=past(days=365 * years_ago + 30),
        **overrides,
    )


def archive(*, with_days: bool = True) -> str:
    if with_days:
        past_day(years_ago=1, title_en="", programme_published=False)
        past_day(years_ago=3, programme_published=True)
    return reverse("archive")


def practical_information(**overrides) -> str:
    event = new_event(
        presentation=PRESENTATION,
        practical_information=PRACTICAL,
        practical_information_en="## Getting there\n\nMétro Balard.",
        **overrides,
    )
    return reverse("practical_information", args=[event.slug])
