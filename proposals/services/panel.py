"""Other speakers of a talk and panellists of a round table: people named by the speaker,
each of whom accepts (or declines) being named through their own private link.

    named ──> invited ──answer──> accepted ──> declined (changed their mind)
                 │        └─────> declined ──> accepted
                 └── removed (by the speaker, before the deadline; erasure) <── accepted

How many a proposal may name (`PANEL_SIZES`) is checked here, for the form and the services
alike. A named person is a `Person` found by `iness.people.person_for`, recorded without a
consent until they accept; their seat, if they take one, comes from the sign-up service, by
the same rules as everyone's.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_variables

from iness import history, links, people, states
from iness.history import PUBLIC, Actor
from iness.identity import email_key
from iness.mail import queue_mail
from iness.models import MailBatch, Person
from iness.privacy import PRIVACY_NOTICE_VERSION
from registrations import services as registrations
from registrations.services import RegistrationData, RegistrationOutcome

from ..models import Format, Panellist, Proposal
from .refusals import ProposalError

Status = Panellist.Status

# Format -> (fewest, most) other people a proposal names besides its speaker.
PANEL_SIZES = {Format.TALK: (0, 2), Format.ROUND_TABLE: (2, 6)}
# The rows the form shows: enough for the largest panel, with no script to add one.
PANEL_ROWS = max(most for _fewest, most in PANEL_SIZES.values())

TRANSITIONS: states.Transitions = {
    states.NEW: {Status.INVITED},
    Status.INVITED: {Status.ACCEPTED, Status.DECLINED, Status.REMOVED},
    Status.ACCEPTED: {Status.DECLINED, Status.REMOVED},
    Status.DECLINED: {Status.ACCEPTED, Status.REMOVED},
    Status.REMOVED: set(),
}


class PanelRefused(ProposalError):
    message = _("The other speakers of this proposal cannot be changed like this.")


class NotAnswerable(ProposalError):
    message = _("It is too late to answer: the day has started or the proposal was withdrawn.")


@dataclass(frozen=True)
class PanellistData:
    """One person the speaker names: who they are, and what the programme may say."""

    first_name: str
    last_name: str
    email: str
    organisation: str = ""
    bio: str = ""


def set_status(panellist: Panellist, status: str, *, by: Actor, **values) -> None:
    """The one way a panellist's status changes (iness.states records the history)."""
    states.change(panellist, status, transitions=TRANSITIONS, by=by, values=values)


# Rules. -----------------------------------------------------------------------------------


def check_panel(*, format: str, panel: list[PanellistData], speaker_email: str = "") -> None:
    """Refuse (`PanelRefused`) a list of other speakers the format does not allow, or one that
    names somebody twice, or names the speaker."""
    fewest, most = PANEL_SIZES.get(format, (0, 0))
    if format == Format.TALK and len(panel) > most:
        raise PanelRefused(
            ngettext(
                "A talk may name at most %(most)d other speaker.",
                "A talk may name at most %(most)d other speakers.",
                most,
            )
            % {"most": most}
        )
    if format == Format.ROUND_TABLE and not fewest <= len(panel) <= most:
        raise PanelRefused(
            _("A round table names from %(fewest)d to %(most)d panellists besides you.")
            % {"fewest": fewest, "most": most}
        )
    keys = [_key(each.email) for each in panel]
    if len(set(keys)) != len(keys):
        raise PanelRefused(_("The same person is named twice."))
    if speaker_email and _key(speaker_email) in keys:
        raise PanelRefused(_("Name the other speakers here, not yourself."))


def active(proposal: Proposal):
    """The people the proposal names now (invited or accepted), in the speaker's order."""
    return (
        proposal.panellists.filter(status__in=Panellist.ACTIVE_STATUSES)
        .select_related("person")
        .order_by("position", "pk")
    )


def panel_data(proposal: Proposal) -> list[PanellistData]:
    """The list as the edit form shows it."""
    return [
        PanellistData(
            first_name=each.person.first_name,
            last_name=each.person.last_name,
            email=each.person.email,
            organisation=each.organisation,
            bio=each.bio,
        )
        for each in active(proposal)
    ]


def can_answer(panellist: Panellist, *, now: dt.datetime | None = None) -> bool:
    """Before the day, on a proposal not withdrawn or turned down, while still named."""
    now = now or timezone.now()
    proposal = panellist.proposal
    return (
        panellist.status != Status.REMOVED
        and proposal.status_for_speaker not in {Proposal.Status.WITHDRAWN, Proposal.Status.REJECTED}
        and now < proposal.event.start
    )


# Changes. ---------------------------------------------------------------------------------


def people_for(panel: list[PanellistData], *, language: str, now: dt.datetime) -> dict[str, Person]:
    """The person each named address reaches (recorded if new), by email key; their rows are
    locked until the caller's transaction ends. Call it before locking the event: people
    first, then the event, the order erasure takes them in (iness.people.person_for)."""
    found = {}
    for data in panel:
        # Named by someone else: no consent of theirs yet (they give it when they accept),
        # and a known person keeps the name they gave themselves.
        found[_key(data.email)] = people.person_for(
            people.PersonData(
                first_name=data.first_name,
                last_name=data.last_name,
                email=data.email,
                language=language,
                privacy_notice_version="",
            ),
            now=now,
        )
    return found


def replace_panel(
    *,
    proposal: Proposal,
    panel: list[PanellistData],
    by: Actor,
    now: dt.datetime,
    persons: dict[str, Person] | None = None,
) -> bool:
    """Make the proposal name `panel`, for the speaker's services (submit, edit), inside
    their transaction: a new person is invited by email, a person no longer named is told,
    and a person still named keeps their answer (their organisation and bio follow the
    list). `persons`: what `people_for` found, when the caller had to lock them earlier.
    Returns whether anything changed."""
    check_panel(format=proposal.format, panel=panel, speaker_email=proposal.person.email)
    persons = dict(persons or {})
    current = {each.person.email_key: each for each in active(proposal)}
    changed = False
    wanted = set()
    for position, data in enumerate(panel, start=1):
        key = _key(data.email)
        wanted.add(key)
        existing = current.get(key)
        if existing is None:
            person = (
                persons.get(key) or people_for([data], language=_language(proposal), now=now)[key]
            )
            _invite(proposal, data, person=person, position=position, by=by)
            changed = True
            continue
        values = {
            "organisation": data.organisation.strip(),
            "bio": data.bio.strip(),
            "position": position,
        }
        updates = [name for name, value in values.items() if getattr(existing, name) != value]
        if updates:
            for name in updates:
                setattr(existing, name, values[name])
            existing.save(update_fields=[*updates, "updated_at"])
            changed = True
    for key, gone in current.items():
        if key not in wanted:
            set_status(gone, Status.REMOVED, by=by)
            send(gone, "proposals/panellist_removed")
            changed = True
    return changed


def answer(*, panellist: Panellist, accept: bool, by: Actor = PUBLIC) -> Panellist:
    """The named person accepts (with consent to the privacy notice) or declines being named.

    Answering the same twice changes nothing. Refused (`NotAnswerable`) once the day has
    started, or the proposal is withdrawn or not retained, or they were taken off it.
    """
    now = timezone.now()
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=panellist.person_id)
        panellist = (
            Panellist.objects.select_for_update(of=("self",))
            .select_related("proposal__event", "proposal__person")
            .get(pk=panellist.pk)
        )
        panellist.person = person
        status = Status.ACCEPTED if accept else Status.DECLINED
        if panellist.status == status:
            return panellist
        if not can_answer(panellist, now=now):
            raise NotAnswerable()
        set_status(panellist, status, by=by, answered_at=now)
        if accept:
            people.add_consent(
                person,
                people.PersonData(
                    first_name=person.first_name,
                    last_name=person.last_name,
                    email=person.email,
                    language=person.language,
                    privacy_notice_version=PRIVACY_NOTICE_VERSION,
                ),
                now=now,
            )
    return panellist


def take_seat(
    *,
    panellist: Panellist,
    profile: str,
    organisation_kind: str,
    needs: str = "",
    language: str,
    by: Actor = PUBLIC,
) -> RegistrationOutcome:
    """Sign the named person up to attend, through the sign-up service (the same rules as
    everyone: a seat, or a place on the waiting list). Only once they accepted to be named:
    that is when they consented to the privacy notice. Their address needs no new proof: they
    act from the private link mailed to it."""
    if panellist.status != Status.ACCEPTED:
        raise NotAnswerable(_("Accept to be named first, then take a seat."))
    person = panellist.person
    return registrations.register(
        event=panellist.proposal.event,
        data=RegistrationData(
            first_name=person.first_name,
            last_name=person.last_name,
            email=person.email,
            organisation=panellist.organisation or panellist.proposal.organisation,
            profile=profile,
            organisation_kind=organisation_kind,
            needs=needs,
            language=language,
            privacy_notice_version=PRIVACY_NOTICE_VERSION,
        ),
        by=by,
        verified=True,
    )


def tell_accepted(proposal: Proposal, *, batch: MailBatch | None, by: Actor) -> int:
    """The proposal is accepted: mail each person who accepted to be named, with a new link
    (to take a seat). Returns how many were told."""
    told = 0
    for panellist in proposal.panellists.filter(status=Status.ACCEPTED).select_related("person"):
        panellist.proposal = proposal
        send(panellist, "proposals/panellist_accepted", link=True, batch=batch)
        history.note(panellist, history.Kind.DECISION_ANNOUNCED, by=by)
        told += 1
    return told


# Links and mail. --------------------------------------------------------------------------


@sensitive_variables("token")
def find_by_token(token: str) -> Panellist | None:
    return links.find_by_token(
        Panellist.objects.select_related("person", "proposal__event", "proposal__person"), token
    )


def send(
    panellist: Panellist, template: str, *, link: bool = False, batch: MailBatch | None = None
) -> None:
    """Mail the named person, in their language; filed under them (iness.erasure).
    `link`: the mail carries a new private link, minted when it is sent (iness.links.carry)."""
    person = panellist.person
    proposal = panellist.proposal
    hook, hook_args, link_text = "", {}, ""
    if link:
        link_text, spec = links.carry(panellist, url="proposals:panellist")
        hook, hook_args = links.LINK_HOOK, links.link_args(spec)
    queue_mail(
        to=person.email,
        template=template,
        context={
            "panellist": panellist,
            "proposal": proposal,
            "speaker": proposal.person,
            "person": person,
            "event": proposal.event,
            "link": link_text,
        },
        language=person.language,
        kind=template,
        batch=batch,
        hook=hook,
        hook_args=hook_args,
        person=person,
    )


# Helpers. ---------------------------------------------------------------------------------


def _key(email: str) -> str:
    try:
        return email_key(email)
    except ValidationError as refusal:
        raise people.AddressRefused() from refusal


def _language(proposal: Proposal) -> str:
    # The speaker's language is the best guess for people they name.
    return proposal.person.language


def _invite(
    proposal: Proposal, data: PanellistData, *, person: Person, position: int, by: Actor
) -> Panellist:
    panellist = Panellist(
        proposal=proposal,
        person=person,
        organisation=data.organisation.strip(),
        bio=data.bio.strip(),
        position=position,
    )
    links.mint(panellist)  # a hash nobody has: the mail mints the link it gives
    set_status(panellist, Status.INVITED, by=by)
    send(panellist, "proposals/panellist_invited", link=True)
    return panellist
