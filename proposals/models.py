"""Speaker proposals (a talk or a round table) and the committee's reviews of them.

Statuses change only through `proposals.services.states.set_status`; the programme of the day
(`Slot`) only through `proposals.programme`. The speaker is a `Person` (iness): name, address,
language, consent and news wish are theirs, not the proposal's.
"""

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from iness.links import PrivateLink
from iness.models import Event, Person, Profile, localized
from registrations.models import OrganisationKind, Registration


class Format(models.TextChoices):
    TALK = "talk", _("Talk")
    ROUND_TABLE = "round_table", _("Round table")


class ProposalQuerySet(models.QuerySet):
    def on_programme(self):
        """Accepted proposals whose speakers have been told: what the public programme lists."""
        return self.filter(
            status__in=[Proposal.Status.ACCEPTED, Proposal.Status.CONFIRMED],
            decision_notified_at__isnull=False,
        )

    def awaiting_notification(self):
        """Decisions recorded by the committee but not yet sent to the speaker."""
        return self.filter(
            status__in=[Proposal.Status.ACCEPTED, Proposal.Status.REJECTED],
            decision_notified_at__isnull=True,
        )


class Proposal(PrivateLink, models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("not retained")
        WITHDRAWN = "withdrawn", _("withdrawn")
        CONFIRMED = "confirmed", _("accepted and confirmed by the speaker")

    DECISIONS = [Status.ACCEPTED, Status.REJECTED]

    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("event")
    )
    format = models.CharField(_("format"), max_length=20, choices=Format.choices)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=3000)
    experience = models.TextField(_("experience or initiative concerned"), max_length=2000)
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("speaker")
    )
    organisation = models.CharField(_("organisation"), max_length=200)
    profile = models.CharField(_("profile"), max_length=20, choices=Profile.choices)
    organisation_kind = models.CharField(
        _("kind of organisation"), max_length=20, choices=OrganisationKind.choices
    )
    # Before co-speakers and panellists were people (Panellist), the form had one free-text
    # box for them. What proposals wrote there stays for organisers to read, and is shown
    # nowhere public: only people who accepted to be named appear on the programme.
    co_speakers = models.TextField(
        _("other speakers (old free-text note)"),
        max_length=1000,
        blank=True,
        help_text=_(
            "Written in the old free-text box, before other speakers were named one by one. "
            "Not shown on the programme."
        ),
    )
    needs = models.TextField(_("technical needs"), max_length=1000, blank=True)
    registration = models.ForeignKey(
        Registration,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("sign-up made with the proposal"),
        help_text=_(
            "The sign-up to attend created by the proposal form's box, if any. A speaker may "
            "also have signed up separately."
        ),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=Status.choices,
        default=Status.SUBMITTED,
        db_index=True,
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_notified_at = models.DateTimeField(
        _("decision sent to the speaker at"), null=True, blank=True
    )
    decision_comment = models.TextField(
        _("committee's comment for the speaker"),
        max_length=2000,
        blank=True,
        help_text=_(
            "Optional. Added to the acceptance or rejection email when the decision is "
            "announced; the speaker reads it as written."
        ),
    )
    confirmed_at = models.DateTimeField(_("confirmed by the speaker at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("confirmation reminder sent at"), null=True, blank=True)
    anonymised_at = models.DateTimeField(
        _("personal data erased at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "At the speaker's request, or RETENTION_DAYS after the day. A proposal in a "
            "published programme keeps what the programme shows: title, summary, speakers "
            "and their organisation."
        ),
    )
    created_at = models.DateTimeField(_("submitted at"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["event", "status"])]

    def __str__(self):
        # An anonymised proposal has no title left, and the admin still needs a name for it.
        return self.title or gettext("Anonymised proposal %(pk)s") % {"pk": self.pk}

    @property
    def decision_released(self) -> bool:
        return self.decision_notified_at is not None

    @property
    def status_for_speaker(self) -> str:
        """The status the speaker may know: a decision stays "submitted" until it is released."""
        if self.status in self.DECISIONS and not self.decision_released:
            return self.Status.SUBMITTED
        return self.status


class Panellist(PrivateLink, models.Model):
    """A co-speaker of a talk or a panellist of a round table, named by the proposal's
    speaker: a person who accepts (or declines) being named through their own private link.

    Only those who accepted appear on the programme (proposals.programme.speakers). Statuses
    change only through `proposals.services.panel.set_status`.
    """

    class Status(models.TextChoices):
        INVITED = "invited", _("invited, no answer yet")
        ACCEPTED = "accepted", _("accepted to be named")
        DECLINED = "declined", _("declined")
        REMOVED = "removed", _("taken off the proposal")

    ACTIVE_STATUSES = [Status.INVITED, Status.ACCEPTED]

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="panellists", verbose_name=_("proposal")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="panel_places", verbose_name=_("person")
    )
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    bio = models.TextField(_("short biography"), max_length=600, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, db_index=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    anonymised_at = models.DateTimeField(
        _("personal data erased at"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("named at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("other speaker or panellist")
        verbose_name_plural = _("other speakers and panellists")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "person"],
                condition=Q(status__in=["invited", "accepted"]),
                name="panellist_once_per_proposal",
            ),
        ]

    def __str__(self):
        if self.person.is_erased:
            return gettext("Anonymised panellist %(pk)s") % {"pk": self.pk}
        return self.person.full_name

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES


class Review(models.Model):
    """One committee member's opinion of one proposal."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("proposal")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="proposal_reviews",
        verbose_name=_("reviewer"),
    )
    score = models.PositiveSmallIntegerField(
        _("score"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("From 1 (weak) to 5 (excellent)."),
    )
    comment = models.TextField(_("comment"), max_length=4000, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "reviewer"], name="review_one_per_reviewer_and_proposal"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=5), name="review_score_1_to_5"
            ),
        ]

    def __str__(self):
        return f"{self.proposal} · {self.reviewer} · {self.score}/5"


class Slot(models.Model):
    """One item of a day's programme: an accepted proposal, or a moment that is not one
    (welcome, coffee break, lunch, free discussion, closing).

    Organisers build the day in the event's admin page; every change goes through
    `proposals.programme.save_day`, which checks the whole day (no overlap, nothing outside
    the day's hours) and tells speakers when their slot moves after publication.
    """

    class Kind(models.TextChoices):
        WELCOME = "welcome", _("Welcome")
        BREAK = "break", _("Coffee break")
        LUNCH = "lunch", _("Lunch")
        DISCUSSION = "discussion", _("Free discussion")
        CLOSING = "closing", _("Closing")
        OTHER = "other", _("Other (give a title)")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="slots", verbose_name=_("event")
    )
    proposal = models.OneToOneField(
        Proposal,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="slot",
        verbose_name=_("accepted proposal"),
    )
    kind = models.CharField(
        _("or another item"),
        max_length=20,
        choices=Kind.choices,
        blank=True,
        help_text=_("For a moment that is not a proposal. Leave empty when you chose a proposal."),
    )
    title = models.CharField(
        _("title"),
        max_length=200,
        blank=True,
        help_text=_("Only for an item that is not a proposal; by default, the kind of item."),
    )
    title_en = models.CharField(
        _("title in English"),
        max_length=200,
        blank=True,
        help_text=_("Leave empty to show the French title."),
    )
    starts_at = models.TimeField(
        _("starts at"),
        help_text=_("Paris time. Leave empty to start when the item above ends."),
    )
    duration = models.PositiveSmallIntegerField(
        _("length (minutes)"),
        validators=[MinValueValidator(5), MaxValueValidator(24 * 60)],
    )
    room = models.CharField(
        _("room"),
        max_length=100,
        blank=True,
        help_text=_("Optional. Items without a room take the whole venue."),
    )
    # For calendars (iCalendar SEQUENCE and LAST-MODIFIED): raised and stamped each time the
    # item moves or is renamed, so that subscribed calendars update it.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    changed_at = models.DateTimeField(_("last changed"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("programme item")
        verbose_name_plural = _("programme of the day")
        ordering = ["starts_at", "room", "pk"]
        indexes = [models.Index(fields=["event", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(proposal__isnull=False) & Q(kind=""))
                | (Q(proposal__isnull=True) & ~Q(kind="")),
                name="slot_is_a_proposal_or_another_item",
            ),
            models.CheckConstraint(condition=Q(duration__gt=0), name="slot_duration_positive"),
        ]

    def __str__(self):
        return self.display_title

    @property
    def display_title(self) -> str:
        """The proposal's title, or the item's title in the reader's language, or its kind."""
        if self.proposal_id:
            return str(self.proposal)
        return localized(self.title, self.title_en) or self.get_kind_display()

    @property
    def start(self) -> dt.datetime:
        """When the item starts, as an aware datetime (the times are Paris times)."""
        return dt.datetime.combine(
            self.event.date, self.starts_at, tzinfo=timezone.get_default_timezone()
        )

    @property
    def end(self) -> dt.datetime:
        return self.start + dt.timedelta(minutes=self.duration)


class Slides(models.Model):
    """A speaker's slides (PDF), uploaded from their proposal's private link
    (proposals.services.slides). Kept in the database, not on a disk: application servers
    keep no files of their own, and erasing the row erases the file.

    `public`: the speaker agrees that the programme offers them after the day.
    """

    proposal = models.OneToOneField(
        Proposal, on_delete=models.CASCADE, related_name="slides", verbose_name=_("proposal")
    )
    content = models.BinaryField(_("PDF file"))
    size = models.PositiveIntegerField(_("size in bytes"))
    public = models.BooleanField(
        _("shown on the programme after the day"),
        default=False,
        help_text=_("The speaker's choice, from their private link."),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("slides")
        verbose_name_plural = _("slides")

    def __str__(self):
        return gettext("Slides of proposal %(pk)s") % {"pk": self.proposal_id}
