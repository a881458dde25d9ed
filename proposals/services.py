"""The life of a proposal: one function per change, each recorded in the status history.

    submit ──> submitted ──decide──> accepted ──confirm──> confirmed
                    │          └───> rejected
                    └── withdraw (any time before the day) ──> withdrawn

A decision is recorded first (`decide`, silent) and told to the speaker only when organisers
release the decisions (`notify_decisions`), so that the committee can decide everything and
announce together. Until then the speaker sees "submitted".

Private links: only the SHA-256 of a token is stored, so a message that carries a link carries
a *new* one, and the previous links stop working; the messages say so.
"""

import datetime as dt
import logging
from dataclasses import dataclass, fields

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from iness import privacy
from iness.history import PUBLIC, Actor, command, record
from iness.mail import new_batch, queue_mail
from iness.models import Event, MailBatch
from iness.privacy import PRIVACY_NOTICE_VERSION
from iness.tokens import hash_token, new_token, token_matches
from registrations import services as registrations
from registrations.models import Registration
from registrations.services import RegistrationClosed, RegistrationData, RegistrationOutcome

from .models import Proposal

logger = logging.getLogger(__name__)

# A second identical proposal (same title, format and email) within this time is a double
# click or a resent form, not a new proposal.
DUPLICATE_WINDOW = dt.timedelta(minutes=15)
# An accepted speaker who has not confirmed this long after the decision gets one reminder.
REMIND_AFTER = dt.timedelta(days=5)
REMINDER_COMMAND = command("remind_unconfirmed_speakers")


class ProposalError(Exception):
    """A change the rules refuse; `message` is written for the person who asked."""

    message = _("This change is not possible.")

    def __init__(self, message=None):
        if message is not None:
            self.message = message
        super().__init__(str(self.message))


class ProposalsClosed(ProposalError):
    message = _("Proposals are closed for this day.")


class NotEditable(ProposalError):
    message = _("This proposal can no longer be changed.")


class NotWithdrawable(ProposalError):
    message = _("This proposal can no longer be withdrawn.")


class NotConfirmable(ProposalError):
    message = _("There is nothing to confirm for this proposal.")


class DecisionRefused(ProposalError):
    message = _("A decision cannot be recorded for this proposal.")


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
    co_speakers: str = ""
    needs: str = ""
    language: str = "fr"
    # The optional "tell me about future INESS days" box, apart from the consent.
    wants_news: bool = False


# What an edit may change: everything but the address the private links go to, and the
# choices made once with the consent (the edit form does not ask them again).
EDITABLE_FIELDS = [
    f.name for f in fields(ProposalData) if f.name not in {"email", "language", "wants_news"}
]


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


def find_by_token(token: str) -> Proposal | None:
    """The proposal a private link points to, or None. Compared in constant time."""
    if not token or len(token) > 128:
        return None
    proposal = Proposal.objects.select_related("event").filter(token_hash=hash_token(token)).first()
    if proposal is None or not token_matches(token, proposal.token_hash):
        return None
    return proposal


def can_edit(proposal: Proposal, *, now: dt.datetime | None = None) -> bool:
    """Until the proposal deadline, and only while the committee has not decided."""
    now = now or timezone.now()
    event = proposal.event
    return (
        proposal.status == Proposal.Status.SUBMITTED
        and now < event.proposals_close_at
        and now < event.start
    )


def can_withdraw(proposal: Proposal, *, now: dt.datetime | None = None) -> bool:
    """Any time before the day, unless already withdrawn or told it was not retained."""
    now = now or timezone.now()
    if proposal.status_for_speaker in {Proposal.Status.WITHDRAWN, Proposal.Status.REJECTED}:
        return False
    return now < proposal.event.start


def can_confirm(proposal: Proposal, *, now: dt.datetime | None = None) -> bool:
    """An accepted speaker who has been told, before the day."""
    now = now or timezone.now()
    return (
        proposal.status == Proposal.Status.ACCEPTED
        and proposal.decision_released
        and now < proposal.event.start
    )


def edit_refusal(proposal: Proposal) -> str:
    """Why `can_edit` says no, in words for the speaker."""
    if proposal.status == Proposal.Status.WITHDRAWN:
        return _("This proposal has been withdrawn.")
    if proposal.status_for_speaker != Proposal.Status.SUBMITTED:
        return _("The committee has decided on this proposal, so it can no longer be changed.")
    if proposal.status != Proposal.Status.SUBMITTED:
        # Worded so that it does not reveal a decision the speaker has not been told.
        return _("The committee is reviewing this proposal, so it can no longer be changed.")
    return _("The deadline for proposals has passed, so this proposal can no longer be changed.")


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
    same title, format and email within `DUPLICATE_WINDOW` returns the proposal already
    recorded, and sends nothing again.

    With `also_register`, the speaker is signed up to attend through the sign-up service, by
    the same rules as everyone (a seat, or a place on the waiting list); when sign-up is
    closed the proposal is still recorded and the outcome says why no sign-up was made.
    """
    now = now or timezone.now()
    with transaction.atomic():
        # Lock the event so that two clicks of the same button see each other's proposal.
        event = Event.objects.select_for_update().get(pk=event.pk)
        if not event.proposals_are_open(now):
            raise ProposalsClosed()
        existing = (
            Proposal.objects.filter(
                event=event,
                format=data.format,
                title__iexact=data.title.strip(),
                email__iexact=data.email.strip(),
                created_at__gte=now - DUPLICATE_WINDOW,
            )
            .exclude(status=Proposal.Status.WITHDRAWN)
            .first()
        )
        if existing is not None and (existing.registration_id or not also_register):
            return SubmitOutcome(
                proposal=existing, created=False, registration=_made_with(existing)
            )
        if existing is not None:
            # Sent again with the box ticked (e.g. back, tick, send): the proposal stays as
            # it is, and the speaker is signed up as asked.
            return _also_register(existing, data=data, created=False, by=by)

        token, digest = new_token()
        proposal = Proposal.objects.create(
            event=event,
            token_hash=digest,
            consent_at=now,
            privacy_notice_version=PRIVACY_NOTICE_VERSION,
            created_at=now,
            status=Proposal.Status.SUBMITTED,
            **{f.name: getattr(data, f.name) for f in fields(ProposalData)},
        )
        record(proposal, from_status="", to_status=proposal.status, by=by)
        _mail_speaker(proposal, "proposals/received", link=_link(token))
        _mail_organisers(proposal, "proposals/organisers_received")
        if not also_register:
            return SubmitOutcome(proposal=proposal, created=True)
        return _also_register(proposal, data=data, created=True, by=by)


def _also_register(
    proposal: Proposal, *, data: ProposalData, created: bool, by: Actor
) -> SubmitOutcome:
    """Sign the speaker up through the sign-up service; the proposal keeps what it made."""
    try:
        signed_up = registrations.register(
            event=proposal.event, data=_registration_data(data), by=by
        )
    except RegistrationClosed as closed:
        return SubmitOutcome(proposal=proposal, created=created, registration_closed=closed.reason)
    if signed_up.created:
        proposal.registration = signed_up.registration
        proposal.save(update_fields=["registration"])
    return SubmitOutcome(proposal=proposal, created=created, registration=signed_up)


def edit(
    *, proposal: Proposal, data: ProposalData, by: Actor = PUBLIC, now: dt.datetime | None = None
) -> bool:
    """Change an undecided proposal before the deadline; acknowledge by email.

    The email address stays (the private links go to it). Returns False when nothing changed.
    """
    now = now or timezone.now()
    with transaction.atomic():
        proposal = _locked(proposal)
        if not can_edit(proposal, now=now):
            raise NotEditable(edit_refusal(proposal))
        changed = [
            name for name in EDITABLE_FIELDS if getattr(proposal, name) != getattr(data, name)
        ]
        if not changed:
            return False
        for name in changed:
            setattr(proposal, name, getattr(data, name))
        proposal.save(update_fields=[*changed, "updated_at"])
        record(proposal, from_status=proposal.status, to_status=proposal.status, by=by)
        _mail_speaker(proposal, "proposals/edited")
    return True


def withdraw(
    *,
    proposal: Proposal,
    by: Actor = PUBLIC,
    now: dt.datetime | None = None,
    notify: bool = True,
) -> Proposal:
    """The speaker takes the proposal back; they and the organisers are told by email.

    A sign-up to attend made with the proposal is not touched: it has its own link.
    `notify=False` mails nobody (`erase` does, as the speaker's data goes).
    """
    now = now or timezone.now()
    with transaction.atomic():
        proposal = _locked(proposal)
        if not can_withdraw(proposal, now=now):
            raise NotWithdrawable()
        previous = proposal.status
        proposal.status = Proposal.Status.WITHDRAWN
        proposal.save(update_fields=["status", "updated_at"])
        record(proposal, from_status=previous, to_status=proposal.status, by=by)
        if notify:
            _mail_speaker(proposal, "proposals/withdrawn")
            _mail_organisers(proposal, "proposals/organisers_withdrawn")
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
        if proposal.status == Proposal.Status.WITHDRAWN:
            raise DecisionRefused(_("The speaker has withdrawn this proposal."))
        if proposal.decision_released or proposal.status == Proposal.Status.CONFIRMED:
            raise DecisionRefused(
                _("The speaker has already been told the decision; write to them instead.")
            )
        previous = proposal.status
        proposal.status = decision
        proposal.decided_at = now
        proposal.save(update_fields=["status", "decided_at", "updated_at"])
        record(proposal, from_status=previous, to_status=proposal.status, by=by)
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
            .select_for_update()
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
            record(proposal, from_status=proposal.status, to_status=proposal.status, by=by)
            if proposal.status == Proposal.Status.ACCEPTED:
                link = _rotate_link(proposal)
                _mail_speaker(proposal, "proposals/accepted", link=link, batch=batch)
            else:
                _mail_speaker(proposal, "proposals/rejected", batch=batch)
            count += 1
    return Notified(count=count, batch=batch)


def confirm(*, proposal: Proposal, by: Actor = PUBLIC, now: dt.datetime | None = None) -> Proposal:
    """An accepted speaker confirms they will present. Confirming twice changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        proposal = _locked(proposal)
        if proposal.status == Proposal.Status.CONFIRMED:
            return proposal
        if not can_confirm(proposal, now=now):
            raise NotConfirmable()
        proposal.status = Proposal.Status.CONFIRMED
        proposal.confirmed_at = now
        proposal.save(update_fields=["status", "confirmed_at", "updated_at"])
        record(proposal, from_status=Proposal.Status.ACCEPTED, to_status=proposal.status, by=by)
    return proposal


def remind_unconfirmed(
    *,
    now: dt.datetime | None = None,
    after: dt.timedelta = REMIND_AFTER,
    by: Actor = REMINDER_COMMAND,
) -> int:
    """Remind, once, accepted speakers told at least `after` ago who have not confirmed.

    Only for days still to come. Returns how many reminders were queued.
    """
    now = now or timezone.now()
    with transaction.atomic():
        due = (
            Proposal.objects.filter(
                status=Proposal.Status.ACCEPTED,
                decision_notified_at__lte=now - after,
                reminded_at__isnull=True,
                event__date__gte=timezone.localdate(now),
            )
            .select_related("event")
            .select_for_update(of=("self",))
            .order_by("pk")
        )
        count = 0
        for proposal in due:
            if now >= proposal.event.start:
                continue
            proposal.reminded_at = now
            proposal.save(update_fields=["reminded_at", "updated_at"])
            record(proposal, from_status=proposal.status, to_status=proposal.status, by=by)
            _mail_speaker(proposal, "proposals/reminder", link=_rotate_link(proposal))
            count += 1
    return count


def send_proposal_links(*, email: str, language: str) -> None:
    """Lost-link sender: email fresh private links for the address's proposals, if any.

    Only proposals of days still to come and not withdrawn; the old links stop working.
    """
    proposals = list(
        Proposal.objects.filter(email__iexact=email.strip(), event__date__gte=timezone.localdate())
        .exclude(status=Proposal.Status.WITHDRAWN)
        .select_related("event")
        .order_by("created_at", "pk")
    )
    if not proposals:
        return
    items = [{"proposal": p, "link": _rotate_link(p)} for p in proposals]
    queue_mail(
        to=proposals[0].email,
        template="proposals/links",
        context={"items": items},
        language=language,
        kind="proposals/links",
    )


def speaker_registration(proposal: Proposal) -> Registration | None:
    """The speaker's active sign-up to attend the proposal's day, however it was made."""
    return (
        Registration.objects.active()
        .filter(event_id=proposal.event_id, email__iexact=proposal.email)
        .first()
    )


# Personal data. ----------------------------------------------------------------------------


def erase(
    *,
    proposal: Proposal,
    by: Actor = privacy.ERASED_ON_REQUEST,
    now: dt.datetime | None = None,
) -> None:
    """ "Delete my data": withdraw the proposal, then erase the speaker's data.

    Before the day the proposal is withdrawn through `withdraw` (the organisers get a
    notice that names nobody); after the day, a proposal on the published programme leaves
    it. Then everything the speaker wrote or gave is replaced by neutral values (the title
    and summary too: they are the speaker's text), the private link stops working, the
    review comments are erased (they may name the speaker; scores stay), the mail records
    about this proposal are deleted (not sent yet) or anonymised (sent), and one line of
    history says what happened, without personal data. Format, status and dates stay.

    A sign-up to attend made with the proposal is not touched: it has its own link and its
    own "delete my data".
    """
    now = now or timezone.now()
    with transaction.atomic():
        proposal = _locked(proposal)
        if proposal.anonymised_at and not (proposal.first_name or proposal.title):
            return  # erased already (a second click, sent before the first one answered)
        event = proposal.event
        withdrawn = can_withdraw(proposal, now=now)
        if withdrawn:
            proposal = withdraw(proposal=proposal, by=by, now=now, notify=False)
        elif Proposal.objects.filter(pk=proposal.pk).on_programme().exists():
            # After the day `withdraw` refuses, but the speaker's name must leave the
            # programme all the same.
            previous = proposal.status
            proposal.status = Proposal.Status.WITHDRAWN
            proposal.save(update_fields=["status", "updated_at"])
            record(proposal, from_status=previous, to_status=proposal.status, by=by)
        email = proposal.email
        # Another proposal of the same address for the same day may be waiting for a
        # message: unsent ones are then kept.
        other_alive = (
            Proposal.objects.filter(event=event, email__iexact=email, anonymised_at=None)
            .exclude(pk=proposal.pk)
            .exists()
        )
        _anonymise(proposal, now=now)
        mails = privacy.erase_mails(
            privacy.mails_about(email=email, event=event, kind_prefix="proposals/"),
            keep_unsent=other_alive,
        )
        record(proposal, from_status=proposal.status, to_status=proposal.status, by=by)
        if withdrawn:
            _mail_organisers(proposal, "proposals/organisers_erased")
    logger.info(
        "Proposal %s (%s): personal data erased on request; %s email(s) deleted, %s anonymised",
        proposal.pk,
        event.slug,
        mails.deleted,
        mails.anonymised,
    )


def purge_past(*, now: dt.datetime, cutoff: dt.date, by: Actor) -> dict[str, int]:
    """Retention (the `purge_personal_data` command): anonymise the proposals of days on or
    before `cutoff`.

    A proposal in a published programme keeps what the programme shows (title, summary,
    speakers and their organisation) as the record of the day; the rest goes.
    """
    counts = {"proposals anonymised": 0, "proposals kept in a published programme": 0}
    due = Proposal.objects.filter(event__date__lte=cutoff, anonymised_at=None)
    published = set(
        due.filter(event__programme_published=True).on_programme().values_list("pk", flat=True)
    )
    for proposal in due.select_for_update(of=("self",)).order_by("pk"):
        keep = proposal.pk in published
        _anonymise(proposal, now=now, keep_programme=keep)
        counts["proposals kept in a published programme" if keep else "proposals anonymised"] += 1
    return counts


def _anonymise(proposal: Proposal, *, now: dt.datetime, keep_programme: bool = False) -> None:
    """Replace the speaker's data by neutral values, kill the private link, and erase the
    committee's comments (scores stay).

    `keep_programme`: keep what the public programme shows.
    """
    proposal.email = privacy.anonymous_address(proposal)
    proposal.experience = ""
    proposal.needs = ""
    proposal.token_hash = privacy.dead_token_hash(proposal)
    proposal.registration = None
    # The address is gone: the wish for news cannot be kept without it.
    proposal.wants_news = False
    if not keep_programme:
        proposal.title = ""
        proposal.summary = ""
        proposal.first_name = ""
        proposal.last_name = ""
        proposal.organisation = ""
        proposal.co_speakers = ""
    proposal.anonymised_at = proposal.anonymised_at or now
    proposal.save(
        update_fields=[
            "email",
            "experience",
            "needs",
            "token_hash",
            "registration",
            "title",
            "summary",
            "first_name",
            "last_name",
            "organisation",
            "co_speakers",
            "wants_news",
            "anonymised_at",
            "updated_at",
        ]
    )
    proposal.reviews.update(comment="")


# Helpers. ---------------------------------------------------------------------------------


def _registration_data(data: ProposalData) -> RegistrationData:
    # The proposal's needs (equipment, accessibility, diet) go with the seat too: they are
    # the only place a speaker who signs up this way can give them.
    return RegistrationData(
        first_name=data.first_name,
        last_name=data.last_name,
        email=data.email,
        organisation=data.organisation,
        profile=data.profile,
        organisation_kind=data.organisation_kind,
        needs=data.needs,
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
    )


def _locked(proposal: Proposal) -> Proposal:
    return Proposal.objects.select_for_update().get(pk=proposal.pk)


def _link(token: str) -> str:
    return settings.SITE_URL + reverse("proposals:manage", kwargs={"token": token})


def _rotate_link(proposal: Proposal) -> str:
    token, digest = new_token()
    proposal.token_hash = digest
    proposal.save(update_fields=["token_hash"])
    return _link(token)


def _mail_speaker(
    proposal: Proposal, template: str, *, link: str = "", batch: MailBatch | None = None
) -> None:
    queue_mail(
        to=proposal.email,
        template=template,
        context={"proposal": proposal, "event": proposal.event, "link": link},
        language=proposal.language,
        kind=template,
        batch=batch,
    )


def _mail_organisers(proposal: Proposal, template: str) -> None:
    try:
        admin_url = settings.SITE_URL + reverse(
            "admin:proposals_proposal_change", args=[proposal.pk]
        )
    except NoReverseMatch:  # the admin for proposals is not installed
        admin_url = ""
    queue_mail(
        to=settings.ORGANISERS_EMAIL,
        template=template,
        context={"proposal": proposal, "event": proposal.event, "admin_url": admin_url},
        language=settings.LANGUAGE_CODE,
        kind=template,
    )
