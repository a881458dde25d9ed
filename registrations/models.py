from django.db import models
from django.db.models import OuterRef, Q
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from iness.links import PrivateLink
from iness.models import Event, OutgoingMail, Person, Profile


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
        """Confirmed seats, and seats held for someone (until they confirm their address, or
        answer an offer): all count."""
        return self.filter(status__in=Registration.SEAT_STATUSES)

    def waitlisted(self):
        """Everyone on the waiting list, confirmed addresses or not, in the list's order."""
        return self.filter(status=Registration.Status.WAITLISTED).order_by("created_at", "pk")

    def unverified(self):
        """Held seats and waiting-list places whose address is not confirmed yet."""
        return self.filter(verify_by__isnull=False)

    def offers_lapsed(self, now):
        """Offers past their deadline, unless the mail that makes the offer still waits to be
        sent: the deadline counts from when that mail reached the person's mail server."""
        return self.filter(status=Registration.Status.OFFERED, offer_expires_at__lte=now).exclude(
            _mail_waiting()
        )

    def holds_lapsed(self, now):
        """Unconfirmed holds past their deadline, unless the mail with the link to confirm
        still waits to be sent (the deadline counts from its acceptance, as for offers)."""
        return self.filter(
            status__in=[Registration.Status.HELD, Registration.Status.WAITLISTED],
            verify_by__lte=now,
        ).exclude(_mail_waiting())


# The send hook whose mails start a registration's deadline (services.deadlines).
DEADLINE_HOOK = "registrations.deadline"


def _mail_waiting() -> models.Exists:
    """A queued or sending mail that starts this registration's deadline."""
    waiting = (
        OutgoingMail.objects.filter(
            hook=DEADLINE_HOOK,
            status__in=[OutgoingMail.Status.QUEUED, OutgoingMail.Status.SENDING],
        )
        .annotate(deadline_of=Cast(KT("hook_args__deadline__registration"), models.IntegerField()))
        .filter(deadline_of=OuterRef("pk"))
    )
    return models.Exists(waiting)


class Registration(PrivateLink, models.Model):
    """One person's sign-up to attend one day.

    Who the person is (name, address, language, consent, news wish) is their `Person`'s;
    the sign-up keeps what belongs to this day only. Its status changes only through
    `registrations.services.states.set_status`.
    """

    class Status(models.TextChoices):
        HELD = "held", _("seat held, address not confirmed yet")
        CONFIRMED = "confirmed", _("seat confirmed")
        WAITLISTED = "waitlisted", _("on the waiting list")
        OFFERED = "offered", _("seat offered, awaiting answer")
        CANCELLED = "cancelled", _("cancelled")
        EXPIRED = "expired", _("offer lapsed")
        LAPSED = "lapsed", _("address not confirmed in time")

    ACTIVE_STATUSES = [Status.HELD, Status.CONFIRMED, Status.WAITLISTED, Status.OFFERED]
    # The statuses that count against the capacity (Event.seats_held).
    SEAT_STATUSES = [Status.HELD, Status.CONFIRMED, Status.OFFERED]

    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("event")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("person")
    )
    organisation = models.CharField(_("organisation"), max_length=200)
    profile = models.CharField(_("profile"), max_length=20, choices=Profile.choices)
    organisation_kind = models.CharField(
        _("kind of organisation"), max_length=20, choices=OrganisationKind.choices
    )
    interests = models.TextField(_("what you would like to discuss"), max_length=2000, blank=True)
    needs = models.TextField(_("accessibility or dietary needs"), max_length=1000, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, db_index=True)
    offer_expires_at = models.DateTimeField(_("offer valid until"), null=True, blank=True)
    # Set while the person has not confirmed their address (a held seat, or an unconfirmed
    # place on the waiting list): the hold lapses then, unless confirmed through the link.
    verify_by = models.DateTimeField(
        _("address to confirm before"), null=True, blank=True, editable=False
    )
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    # The day itself (registrations.services.presence): marked present at the door, and the
    # attendance certificate released to the person (mailed once, then on their page).
    checked_in_at = models.DateTimeField(_("present, checked in at"), null=True, blank=True)
    certificate_released_at = models.DateTimeField(
        _("attendance certificate sent at"), null=True, blank=True
    )
    anonymised_at = models.DateTimeField(
        _("personal data erased at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "At the person's request, or RETENTION_DAYS after the day: the organisation, the "
            "texts and the private link of this sign-up."
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
            # One person is one email key (iness.identity): the same address, in any letter
            # case or look-alike, never holds two seats.
            models.UniqueConstraint(
                fields=["event", "person"],
                condition=Q(status__in=["held", "confirmed", "waitlisted", "offered"]),
                name="registration_one_active_per_person_and_event",
            ),
        ]
        indexes = [models.Index(fields=["event", "status", "created_at"])]

    def __str__(self):
        if self.person.is_erased:
            return gettext("Anonymised sign-up %(pk)s") % {"pk": self.pk}
        return str(self.person)

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    @property
    def is_verified(self) -> bool:
        """Whether the address is confirmed (or needed no confirmation)."""
        return self.verify_by is None


class Rating(models.IntegerChoices):
    POOR = 1, _("1 – poor")
    FAIR = 2, _("2 – fair")
    GOOD = 3, _("3 – good")
    VERY_GOOD = 4, _("4 – very good")
    EXCELLENT = 5, _("5 – excellent")


class Feedback(models.Model):
    """What an attendee thought of the day: a few ratings and a comment, once per sign-up
    (registrations.services.feedback). Organisers read them together, without names."""

    registration = models.OneToOneField(
        Registration,
        on_delete=models.CASCADE,
        related_name="feedback",
        verbose_name=_("sign-up"),
    )
    overall = models.PositiveSmallIntegerField(_("the day as a whole"), choices=Rating.choices)
    exchanges = models.PositiveSmallIntegerField(
        _("exchanges between researchers and practitioners"), choices=Rating.choices
    )
    organisation = models.PositiveSmallIntegerField(
        _("practical organisation"), choices=Rating.choices
    )
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("given at"), default=timezone.now)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        constraints = [
            models.CheckConstraint(
                condition=Q(overall__range=(1, 5))
                & Q(exchanges__range=(1, 5))
                & Q(organisation__range=(1, 5)),
                name="feedback_ratings_1_to_5",
            ),
        ]

    def __str__(self):
        return gettext("Feedback %(pk)s") % {"pk": self.pk}
