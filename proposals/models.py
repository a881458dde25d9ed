"""Speaker proposals (a talk or a round table) and the committee's reviews of them.

Statuses change only through `proposals.services.states.set_status`. The speaker is a
`Person` (iness): name, address, language, consent and news wish are theirs, not the
proposal's.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from iness.links import PrivateLink
from iness.models import Event, Person, Profile
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
    co_speakers = models.TextField(_("other speakers"), max_length=1000, blank=True)
    needs = models.TextField(_("needs"), max_length=1000, blank=True)
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
