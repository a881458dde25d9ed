from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from iness.models import Event, Profile


class OrganisationKind(models.TextChoices):
    ESS = "ess", _("Social and solidarity economy organisation")
    RESEARCH = "research", _("Research or higher education")
    PUBLIC = "public", _("Public sector")
    COMPANY = "company", _("Company")
    ASSOCIATION = "association", _("Association or citizen group")
    OTHER = "other", _("Other")


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=Registration.ACTIVE_STATUSES)

    def holding_seat(self):
        """Confirmed seats and seats held for someone on the waiting list: both count."""
        return self.filter(status__in=[Registration.Status.CONFIRMED, Registration.Status.OFFERED])

    def waitlisted(self):
        return self.filter(status=Registration.Status.WAITLISTED).order_by("created_at", "pk")

    def offers_lapsed(self, now):
        return self.filter(status=Registration.Status.OFFERED, offer_expires_at__lte=now)


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("seat confirmed")
        WAITLISTED = "waitlisted", _("on the waiting list")
        OFFERED = "offered", _("seat offered, awaiting answer")
        CANCELLED = "cancelled", _("cancelled")
        EXPIRED = "expired", _("offer lapsed")

    ACTIVE_STATUSES = [Status.CONFIRMED, Status.WAITLISTED, Status.OFFERED]

    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("event")
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("email"), max_length=254)
    organisation = models.CharField(_("organisation"), max_length=200)
    profile = models.CharField(_("profile"), max_length=20, choices=Profile.choices)
    organisation_kind = models.CharField(
        _("kind of organisation"), max_length=20, choices=OrganisationKind.choices
    )
    interests = models.TextField(_("what you would like to discuss"), max_length=2000, blank=True)
    needs = models.TextField(_("accessibility or dietary needs"), max_length=1000, blank=True)
    language = models.CharField(_("language"), max_length=8, default="fr")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    offer_expires_at = models.DateTimeField(_("offer valid until"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    consent_at = models.DateTimeField(_("privacy notice accepted at"), null=True, blank=True)
    privacy_notice_version = models.CharField(
        _("privacy notice version"), max_length=20, blank=True
    )
    wants_news = models.BooleanField(_("wishes to hear about future INESS days"), default=False)
    anonymised_at = models.DateTimeField(
        _("personal data erased at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "At the person's request, or RETENTION_DAYS after the day. A person who asked for "
            "news of future days keeps only their name and email address, for that purpose."
        ),
    )
    created_at = models.DateTimeField(_("signed up at"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "event",
                condition=Q(status__in=["confirmed", "waitlisted", "offered"]),
                name="registration_one_active_per_email_and_event",
            ),
        ]
        indexes = [models.Index(fields=["event", "status", "created_at"])]

    def __str__(self):
        if self.anonymised_at and not (self.first_name or self.last_name):
            return gettext("Anonymised sign-up %(pk)s") % {"pk": self.pk}
        return f"{self.first_name} {self.last_name} <{self.email}>"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES
