"""The life of a proposal: one function per change, each through the one state setter.

    submit ──> submitted ──decide──> accepted ──confirm──> confirmed
                    │          └───> rejected
                    └── withdraw (any time before the day) ──> withdrawn

A decision is recorded first (`decide`, silent) and told to the speaker only when organisers
release the decisions (`notify_decisions`), so that the committee can decide everything and
announce together. Until then the speaker sees "submitted".

The speaker is a `Person` (iness.people): a proposal from a known address never changes who
they are; the speaker changes their name through the proposal's private link (`edit`).
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from iness import history, links, people
from iness.history import PUBLIC, Actor
from iness.mail import new_batch
from iness.models import Event, MailBatch, Person
from iness.privacy import PRIVACY_NOTICE_VERSION
from registrations import services as registrations
from registrations.models import Registration
from registrations.services import RegistrationClosed, RegistrationData, RegistrationOutcome

from ..models import Proposal
from . import mails
from . import panel as panels
from .refusals import DecisionRefused, NotConfirmable, NotEditable, NotWithdrawable, ProposalsClosed
from .states import set_status

Status = Proposal.Status

# A second identical proposal (same title and format, from the same person) within this time
# is a double click or a resent form, not a new proposal.
DUPLICATE_WINDOW = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class ProposalData:
    """What the speaker writes in the form."""

    format: str
    title: str
    summary: str
    experience: str
    first_name: str
    last_name: str
    email: str
    organisation: str
    profile: str
    organisation_kind: str
    needs: str = ""
    language: str = "fr"
    # The optional "tell me about future INESS days" box, apart from the consent.
    wants_news: bool = False
    # The other speakers (talk) or panellists (round table), in the speaker's order.
    panel: tuple[panels.PanellistData, ...] = ()

    def person_data(self) -> people.PersonData:
        return people.PersonData.of(self)


# What the proposal itself holds, all of which an edit may change.
PROPOSAL_FIELDS = [
    "format",
    "title",
    "summary",
    "experience",
    "organisation",
    "profile",
    "organisation_kind",
    "needs",
]
# What an edit may change of the speaker: their name. Not the address the private links go
# to, nor the choices made once with the consent (the edit form does not ask them again).
PERSON_FIELDS = ["first_name", "last_name"]
EDITABLE_FIELDS = [*PROPOSAL_FIELDS, *PERSON_FIELDS]


@dataclass(frozen=True)
class SubmitOutcome:
    proposal: Proposal
    # False when the same proposal had just been sent (double click, reloaded form).
    created: bool
    # What the "also register me to attend" box did, when it was ticked: the sign-up
    # service's answer, or why sign-up is closed (RegistrationClosed.reason).
    registration: RegistrationOutcome | None = None
    registration_closed: str | None = None


# Reading rules: what the private page offers. -------------------------------------------


def can_edit(proposal: Proposal, *, now: dt.datetime | None = None) -> bool:
    """Until the proposal deadline, while the speaker has not been told a decision.

    A decision recorded but not announced changes nothing for the speaker: editing closes
    for everyone at the deadline, so that the button's disappearing reveals nothing.
    """
    now = now or timezone.now()
    event = proposal.event
    return (
        proposal.status_for_speaker == Status.SUBMITTED
        and now < event.proposals_close_at
        and now < event.start
    )


def can_withdraw(proposal: Proposal, *, now: dt.datetime | None = None) -> bool:
    """Any time before the day, unless already withdrawn or told it was not retained."""
    now = now or timezone.now()
    if proposal.status_for_speaker in {Status.WITHDRAWN, Status.REJECTED}:
        return False
    return now < proposal.event.start


def can_confirm(proposal: Proposal, *, now: dt.datetime | None = None) -> bool:
    """An accepted speaker who has been told, before the day."""
    now = now or timezone.now()
    return (
        proposal.status == Status.ACCEPTED
        and proposal.decision_released
        and now < proposal.event.start
    )


def edit_refusal(proposal: Proposal) -> str:
    """Why `can_edit` says no, in words for the speaker."""
    if proposal.status == Status.WITHDRAWN:
        return _("This proposal has been withdrawn.")
    if proposal.status_for_speaker != Status.SUBMITTED:
        return _("The committee has decided on this proposal, so it can no longer be changed.")
    return _("The deadline for proposals has passed, so this proposal can no longer be changed.")


def speaker_registration(proposal: Proposal) -> Registration | None:
    """The speaker's active sign-up to attend the proposal's day, however it was made."""
    return (
        Registration.objects.active()
        .filter(event_id=proposal.event_id, person_id=proposal.person_id)
        .first()
    )


# State changes. --------------------------------------------------------------------------


def submit(
    *,
    event: Event,
    data: ProposalData,
    also_register: bool = False,
    by: Actor = PUBLIC,
    now: dt.datetime | None = None,
) -> SubmitOutcome:
    """Record a new proposal, email its private link to the speaker and tell the organisers.

    Refused (`ProposalsClosed`) after the deadline or when the event is not published. The
    same title and format from the same person within `DUPLICATE_WINDOW` returns the proposal
    already recorded, and sends nothing again.

    With `also_register`, the speaker is signed up to attend through the sign-up service, by
    the same rules as everyone (a seat, or a place on the waiting list); when sign-up is
    closed the proposal is still recorded and the outcome says why no sign-up was made.
    """
    now = now or timezone.now()
    panels.check_panel(format=data.format, panel=list(data.panel), speaker_email=data.email)
    with transaction.atomic():
        # The people's rows (the speaker's, the people they name), then the event's: the
        # order erasure takes them in. The event's lock lets two clicks of the same button
        # see each other's proposal.
        person = people.person_for(data.person_data(), now=now)
        named = panels.people_for(list(data.panel), language=person.language, now=now)
        event = Event.objects.select_for_update().get(pk=event.pk)
        if not event.proposals_are_open(now):
            raise ProposalsClosed()
        existing = (
            Proposal.objects.filter(
                event=event,
                person=person,
                format=data.format,
                title__iexact=data.title.strip(),
                created_at__gte=now - DUPLICATE_WINDOW,
            )
            .exclude(status=Status.WITHDRAWN)
            .first()
        )
        if existing is not None and (existing.registration_id or not also_register):
            return SubmitOutcome(
                proposal=existing, created=False, registration=_made_with(existing)
            )
        if existing is not None:
            # Sent again with the box ticked (e.g. back, tick, send): the proposal stays as
            # it is, and the speaker is signed up as asked.
            return _also_register(existing, data=data, created=False, by=by, mail_person=True)

        proposal = Proposal(
            event=event,
            person=person,
            created_at=now,
            **{name: getattr(data, name) for name in PROPOSAL_FIELDS},
        )
        # A hash nobody has the token of: the link is minted when the mail is sent.
        links.mint(proposal)
        set_status(proposal, Status.SUBMITTED, by=by)
        people.add_consent(person, data.person_data(), now=now)
        panels.replace_panel(
            proposal=proposal, panel=list(data.panel), by=by, now=now, persons=named
        )
        outcome = SubmitOutcome(proposal=proposal, created=True)
        if also_register:
            outcome = _also_register(proposal, data=data, created=True, by=by)
        # One mail: the proposal's link also confirms the address of a seat held with it.
        hold = outcome.registration.registration if outcome.registration else None
        if hold is not None and not (outcome.registration.created and hold.verify_by):
            hold = None
        mails.send(proposal, "proposals/received", link=True, hold=hold)
        mails.notify_organisers(proposal, "proposals/organisers_received")
        return outcome


def _also_register(
    proposal: Proposal, *, data: ProposalData, created: bool, by: Actor, mail_person: bool = False
) -> SubmitOutcome:
    """Sign the speaker up through the sign-up service; the proposal keeps what it made.

    A new sign-up is held until the speaker confirms it through the proposal's link (the
    proposal's mail says so, `confirm_seat`); a known address gets the sign-up's own mail.
    `mail_person`: no proposal mail follows (the proposal was recorded before), so the
    sign-up's own mail asks to confirm it.
    """
    try:
        signed_up = registrations.register(
            event=proposal.event,
            data=_registration_data(data),
            by=by,
            mail_person=mail_person,
        )
    except RegistrationClosed as closed:
        return SubmitOutcome(proposal=proposal, created=created, registration_closed=closed.reason)
    if signed_up.created:
        proposal.registration = signed_up.registration
        proposal.save(update_fields=["registration"])
    return SubmitOutcome(proposal=proposal, created=created, registration=signed_up)


def held_seat(proposal: Proposal) -> Registration | None:
    """The sign-up made with the proposal while it waits for the speaker to confirm it."""
    if not proposal.registration_id:
        return None
    return (
        Registration.objects.active()
        .unverified()
        .filter(pk=proposal.registration_id, person_id=proposal.person_id)
        .first()
    )


def confirm_seat(*, proposal: Proposal, by: Actor = PUBLIC) -> Registration | None:
    """The speaker confirmed their address through the proposal's link (the POST of its
    page): the sign-up made with the proposal is confirmed like any other (registrations'
    `verify`), and its confirmation carries the sign-up's own private link. Returns the
    sign-up, or None when there was nothing to confirm. Raises HoldLapsed when too late."""
    registration = held_seat(proposal)
    if registration is None:
        return None
    registrations.verify(registration=registration, by=by, link=True)
    return registration


def edit(
    *, proposal: Proposal, data: ProposalData, by: Actor = PUBLIC, now: dt.datetime | None = None
) -> bool:
    """Change an undecided proposal before the deadline, and the speaker's name (the private
    link is theirs); acknowledge by email.

    The email address stays (the private links go to it). Returns False when nothing changed.
    """
    now = now or timezone.now()
    with transaction.atomic():
        # The speaker's row first, as everywhere (iness.people.person_for).
        person = Person.objects.select_for_update().get(pk=proposal.person_id)
        proposal = _locked(proposal)
        proposal.person = person
        if not can_edit(proposal, now=now):
            raise NotEditable(edit_refusal(proposal))
        changed = [n for n in PROPOSAL_FIELDS if getattr(proposal, n) != getattr(data, n)]
        renamed = [n for n in PERSON_FIELDS if getattr(person, n) != getattr(data, n).strip()]
        for name in changed:
            setattr(proposal, name, getattr(data, name))
        # The list is checked against the format as changed; people already named keep
        # their answer, new ones are invited, those taken off are told.
        repanelled = panels.replace_panel(proposal=proposal, panel=list(data.panel), by=by, now=now)
        if not (changed or renamed or repanelled):
            return False
        proposal.save(update_fields=[*changed, "updated_at"])
        if renamed:
            for name in renamed:
                setattr(person, name, getattr(data, name).strip())
            person.save(update_fields=[*renamed, "updated_at"])
        history.note(proposal, history.Kind.EDIT, by=by)
        mails.send(proposal, "proposals/edited")
    return True


def withdraw(*, proposal: Proposal, by: Actor = PUBLIC, now: dt.datetime | None = None) -> Proposal:
    """The speaker takes the proposal back; they and the organisers are told by email.

    A sign-up to attend made with the proposal is not touched: it has its own link.
    """
    now = now or timezone.now()
    with transaction.atomic():
        proposal = _locked(proposal)
        if not can_withdraw(proposal, now=now):
            raise NotWithdrawable()
        set_status(proposal, Status.WITHDRAWN, by=by)
        mails.send(proposal, "proposals/withdrawn")
        mails.notify_organisers(proposal, "proposals/organisers_withdrawn")
    return proposal


def decide(
    *, proposal: Proposal, decision: str, by: Actor, now: dt.datetime | None = None
) -> Proposal:
    """Record the committee's decision (accepted or rejected). Sends nothing.

    A decision may be changed until it is released to the speaker; after that, or once the
    proposal is withdrawn, it is refused (`DecisionRefused`).
    """
    if decision not in Proposal.DECISIONS:
        raise ValueError(f"not a decision: {decision!r}")
    now = now or timezone.now()
    with transaction.atomic():
        proposal = _locked(proposal)
        if proposal.status == decision:
            return proposal
        if proposal.status == Status.WITHDRAWN:
            raise DecisionRefused(_("The speaker has withdrawn this proposal."))
        if proposal.decision_released or proposal.status == Status.CONFIRMED:
            raise DecisionRefused(
                _("The speaker has already been told the decision; write to them instead.")
            )
        set_status(proposal, decision, by=by, decided_at=now)
    return proposal


@dataclass(frozen=True)
class Notified:
    """What `notify_decisions` recorded: how many decisions, as one mailing to follow."""

    count: int
    batch: MailBatch | None


def notify_decisions(
    *, proposals: QuerySet[Proposal], by: Actor, now: dt.datetime | None = None
) -> Notified:
    """Email every decision among `proposals` that the speaker has not been told yet.

    Accepted speakers get a (new) private link to confirm. The emails are one mailing
    (`Notified.batch`, None when there was nothing to tell), whose sending organisers follow
    in the admin. A proposal is never told twice, even when two organisers release at the
    same moment.
    """
    now = now or timezone.now()
    with transaction.atomic():
        # By primary key: the caller's queryset may carry annotations that cannot be locked.
        pending = (
            Proposal.objects.filter(pk__in=proposals.values("pk"))
            .awaiting_notification()
            .select_related("event", "person")
            .select_for_update(of=("self",))
            .order_by("pk")
        )
        batch = None
        count = 0
        for proposal in pending:
            if batch is None:
                batch = new_batch(
                    label=gettext("Decisions told to speakers"),
                    event=proposal.event,
                    by=by if isinstance(by, AbstractBaseUser) else None,
                )
            proposal.decision_notified_at = now
            proposal.save(update_fields=["decision_notified_at", "updated_at"])
            history.note(proposal, history.Kind.DECISION_ANNOUNCED, by=by)
            if proposal.status == Status.ACCEPTED:
                mails.send(proposal, mails.decision_template(proposal), link=True, batch=batch)
                panels.tell_accepted(proposal, batch=batch, by=by)
            else:
                mails.send(proposal, mails.decision_template(proposal), batch=batch)
            count += 1
    return Notified(count=count, batch=batch)


@dataclass(frozen=True)
class DecisionMail:
    """One decision email as the speaker will read it (in their language)."""

    proposal: Proposal
    subject: str
    body: str


def decision_mails(*, proposals: QuerySet[Proposal]) -> list[DecisionMail]:
    """What `notify_decisions` would send now for `proposals`, without sending anything.

    The private link of an acceptance is made when the email is sent: the preview shows
    where it goes, not a link.
    """
    pending = (
        Proposal.objects.filter(pk__in=proposals.values("pk"))
        .awaiting_notification()
        .select_related("event", "person")
        .order_by("status", "person__last_name", "pk")
    )
    previews = []
    for proposal in pending:
        with translation.override(proposal.person.language):
            link = gettext("[your private link, made when the email is sent]")
        rendered = mails.preview(proposal, mails.decision_template(proposal), link=link)
        previews.append(
            DecisionMail(proposal=proposal, subject=rendered.subject, body=rendered.body)
        )
    return previews


def set_decision_comment(*, proposal: Proposal, comment: str, by: Actor) -> Proposal:
    """The committee's words to the speaker, sent with the decision; refused once the
    decision has been announced (the email has gone)."""
    with transaction.atomic():
        proposal = _locked(proposal)
        comment = "\n".join(comment.strip().splitlines())
        if proposal.decision_comment == comment:
            return proposal
        if proposal.decision_released:
            raise DecisionRefused(
                _("The decision has already been announced; write to the speaker instead.")
            )
        proposal.decision_comment = comment
        proposal.save(update_fields=["decision_comment", "updated_at"])
        history.note(proposal, history.Kind.EDIT, by=by)
    return proposal


def confirm(*, proposal: Proposal, by: Actor = PUBLIC, now: dt.datetime | None = None) -> Proposal:
    """An accepted speaker confirms they will present. Confirming twice changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        proposal = _locked(proposal)
        if proposal.status == Status.CONFIRMED:
            return proposal
        if not can_confirm(proposal, now=now):
            raise NotConfirmable()
        set_status(proposal, Status.CONFIRMED, by=by, confirmed_at=now)
    return proposal


# Helpers. ---------------------------------------------------------------------------------


def _registration_data(data: ProposalData) -> RegistrationData:
    # The proposal's needs are technical (a projector, a microphone) and stay with it; a
    # sign-up's needs are accessibility or diet, which the speaker gives on their sign-up's
    # private page (the seat mail links to it).
    return RegistrationData(
        first_name=data.first_name,
        last_name=data.last_name,
        email=data.email,
        organisation=data.organisation,
        profile=data.profile,
        organisation_kind=data.organisation_kind,
        language=data.language,
        wants_news=data.wants_news,
        privacy_notice_version=PRIVACY_NOTICE_VERSION,
    )


def _made_with(proposal: Proposal) -> RegistrationOutcome | None:
    """For a proposal sent again: the sign-up its first sending made, as that sending saw it."""
    registration = proposal.registration
    if registration is None:
        return None
    return RegistrationOutcome(
        registration=registration,
        created=True,
        position=registrations.waitlist_position(registration),
        until=registration.verify_by or registration.created_at,
    )


def _locked(proposal: Proposal) -> Proposal:
    return (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("event", "person")
        .get(pk=proposal.pk)
    )
