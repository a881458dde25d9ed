"""The INESS day itself, the people the site holds data about, and the outgoing mail every
part of the site records."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from .dates import format_date
from .identity import PersonEmail, key_or_refused
from .validators import MultiLineText

# A seat offer lasts at least an hour, and at most this long: far enough from the limits of
# dates that `now + offer_hours` can never overflow.
MAX_OFFER_HOURS = 24 * 60
# A hold until the address is confirmed lasts at least a few minutes (mail takes a moment),
# at most a day.
MIN_VERIFY_MINUTES = 5
MAX_VERIFY_MINUTES = 24 * 60


def default_verify_minutes() -> int:
    return settings.VERIFY_MINUTES


def localized(french: str, english: str) -> str:
    """The English text for English readers when organisers gave one, else the French."""
    if translation.get_language() == "en" and english:
        return english
    return french


class Profile(models.TextChoices):
    """Who someone is, for registrations and proposals alike."""

    RESEARCHER = "researcher", _("Researcher")
    PRACTITIONER = "practitioner", _("Practitioner")
    BOTH = "both", _("Both researcher and practitioner")
    OTHER = "other", _("Other")


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def upcoming(self, *, today: dt.date | None = None):
        return self.filter(date__gte=today or timezone.localdate()).order_by("date", "starts_at")

    def next_published(self):
        """The event the public home page shows: the next published one, or None."""
        return self.published().upcoming().first()

    def past(self, *, today: dt.date | None = None):
        """Days before today, the latest first: the archive lists the published ones."""
        return self.filter(date__lt=today or timezone.localdate()).order_by("-date", "-starts_at")


# The texts organisers write in Markdown (Event.presentation and friends).
MARKDOWN_MAX_LENGTH = 10_000
MARKDOWN_HELP = _(
    "Markdown: a blank line between paragraphs, **bold**, *italics*, [link text](https://...), "
    'lists with lines starting with "- ", headings with "## ". HTML is shown as typed, '
    "not interpreted."
)


class Event(models.Model):
    slug = models.SlugField(
        _("web address"),
        unique=True,
        help_text=_("Used in the page addresses, e.g. iness-day-2027."),
    )
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(
        _("title in English"),
        max_length=200,
        blank=True,
        help_text=_("Leave empty to show the French title."),
    )
    description = models.TextField(_("short description"), max_length=4000)
    description_en = models.TextField(
        _("short description in English"),
        max_length=4000,
        blank=True,
        help_text=_("Leave empty to show the French text."),
    )
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("starts at"), help_text=_("Paris time."))
    ends_at = models.TimeField(_("ends at"), help_text=_("Paris time."))
    venue = models.CharField(_("venue"), max_length=200)
    address = models.CharField(_("address"), max_length=300)
    access = models.TextField(_("how to get there"), max_length=2000, blank=True)
    access_en = models.TextField(
        _("how to get there, in English"),
        max_length=2000,
        blank=True,
        help_text=_("Leave empty to show the French text."),
    )
    capacity = models.PositiveIntegerField(
        _("seats"),
        default=20,
        help_text=_(
            "Confirmed attendees can never exceed this number; beyond it people join the waiting list."
        ),
    )
    registration_opens_at = models.DateTimeField(_("sign-up opens"))
    registration_closes_at = models.DateTimeField(
        _("sign-up closes"), help_text=_("Sign-up also closes when the day starts.")
    )
    proposals_close_at = models.DateTimeField(_("proposal deadline"))
    offer_hours = models.PositiveIntegerField(
        _("hours to accept a freed seat"),
        default=48,
        validators=[
            MinValueValidator(1, message=_("A seat offer must last at least one hour.")),
            MaxValueValidator(
                MAX_OFFER_HOURS,
                message=_("A seat offer can last at most %(limit_value)s hours (60 days)."),
            ),
        ],
        help_text=_(
            "A seat offered to the waiting list is held this long, and never past the start of the day."
        ),
    )
    verify_minutes = models.PositiveIntegerField(
        _("minutes to confirm a sign-up"),
        default=default_verify_minutes,
        validators=[
            MinValueValidator(
                MIN_VERIFY_MINUTES,
                message=_("Leave people at least %(limit_value)s minutes to confirm."),
            ),
            MaxValueValidator(
                MAX_VERIFY_MINUTES,
                message=_(
                    "A sign-up can wait at most %(limit_value)s minutes (a day) for confirmation."
                ),
            ),
        ],
        help_text=_(
            "A public sign-up holds its seat (or its place on the waiting list) this long, counted "
            "from when our email reached the person's mail server, until they confirm it with "
            "the emailed link; then the seat goes to someone else."
        ),
    )
    # Confirmed seats, seats held until an address is confirmed and seats offered to the
    # waiting list: written only by the sign-up
    # service's state setter (registrations.services.states), under the event lock, and
    # checked by the database against the capacity, so a path that forgets the lock fails
    # instead of overbooking.
    seats_held = models.PositiveIntegerField(_("seats held"), default=0, editable=False)
    contact_email = models.EmailField(_("contact address"))
    committee = models.TextField(
        _("organising committee"), blank=True, help_text=_("One name per line.")
    )
    is_published = models.BooleanField(_("event page published"), default=False)
    programme_published = models.BooleanField(
        _("programme published"),
        default=False,
        help_text=_("Shows the accepted proposals on a public page."),
    )
    # The pages of the day, written by the committee in Markdown (iness.markup renders them
    # through a sanitiser): the presentation on the home page, practical information on its
    # own page. Per day, as the themes and the venue change from one day to the next.
    presentation = models.TextField(
        _("presentation of the day"),
        max_length=MARKDOWN_MAX_LENGTH,
        blank=True,
        validators=[MultiLineText()],
        help_text=MARKDOWN_HELP,
    )
    presentation_en = models.TextField(
        _("presentation of the day, in English"),
        max_length=MARKDOWN_MAX_LENGTH,
        blank=True,
        validators=[MultiLineText()],
        help_text=_("Leave empty to show the French text."),
    )
    practical_information = models.TextField(
        _("practical information"),
        max_length=MARKDOWN_MAX_LENGTH,
        blank=True,
        validators=[MultiLineText()],
        help_text=_(
            "Access in detail, accessibility of the venue, meals... Shown on the practical "
            "information page, under the date, the address and how to get there."
        ),
    )
    practical_information_en = models.TextField(
        _("practical information, in English"),
        max_length=MARKDOWN_MAX_LENGTH,
        blank=True,
        validators=[MultiLineText()],
        help_text=_("Leave empty to show the French text."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-date"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gt=0), name="event_capacity_positive"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(registration_closes_at__gt=models.F("registration_opens_at")),
                name="event_registration_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(seats_held__lte=models.F("capacity")),
                name="event_seats_held_within_capacity",
            ),
            models.CheckConstraint(
                condition=Q(offer_hours__gte=1) & Q(offer_hours__lte=MAX_OFFER_HOURS),
                name="event_offer_hours_in_range",
            ),
            models.CheckConstraint(
                condition=Q(verify_minutes__gte=MIN_VERIFY_MINUTES)
                & Q(verify_minutes__lte=MAX_VERIFY_MINUTES),
                name="event_verify_minutes_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({format_date(self.date)})"

    def localized(self, field: str) -> tuple[str, str]:
        """The text of `field` for the reader and its language ("fr" or "en"): the English
        text for English readers when organisers gave one, else the French."""
        if translation.get_language() == "en" and getattr(self, f"{field}_en"):
            return getattr(self, f"{field}_en"), "en"
        return getattr(self, field), "fr"

    def _localized(self, field: str) -> str:
        return self.localized(field)[0]

    @property
    def display_title(self) -> str:
        return self._localized("title")

    @property
    def display_description(self) -> str:
        return self._localized("description")

    @property
    def display_access(self) -> str:
        return self._localized("access")

    @property
    def committee_members(self) -> list[str]:
        return [name.strip() for name in self.committee.splitlines() if name.strip()]

    @property
    def start(self) -> dt.datetime:
        """The moment the day starts, as an aware datetime (the times are Paris times)."""
        return dt.datetime.combine(
            self.date, self.starts_at, tzinfo=timezone.get_default_timezone()
        )

    @property
    def end(self) -> dt.datetime:
        return dt.datetime.combine(self.date, self.ends_at, tzinfo=timezone.get_default_timezone())

    def registration_is_open(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return (
            self.is_published
            and self.registration_opens_at <= now < self.registration_closes_at
            and now < self.start
        )

    def proposals_are_open(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.is_published and now < self.proposals_close_at and now < self.start


class Person(models.Model):
    """Someone the site holds data about: one row per email key (iness.identity).

    Sign-ups, proposals and any later record that names a person point here (`person`,
    PROTECT) instead of keeping their own copy of the name, address, language or consent, so
    that `iness.erasure.erase_person` erases a person everywhere at once. A new sign-up or
    proposal from a known address never changes these fields: anyone can type anyone's
    address. The person corrects them through their private link, or organisers do in the
    admin.
    """

    email = PersonEmail(_("email"), max_length=254)
    # Derived from `email` on every save (iness.identity.email_key): what every lookup by
    # address compares.
    email_key = models.CharField(_("email key"), max_length=320, unique=True, editable=False)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of the emails we send this person."),
    )
    consent_at = models.DateTimeField(_("privacy notice accepted at"), null=True, blank=True)
    privacy_notice_version = models.CharField(
        _("privacy notice version"), max_length=20, blank=True
    )
    # Asked apart from the consent to the notice, and unticked unless the person ticks it.
    wants_news = models.BooleanField(_("wishes to hear about future INESS days"), default=False)
    anonymised_at = models.DateTimeField(
        _("personal data erased at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "At the person's request, or once no sign-up or proposal needs their details any "
            "more. A speaker in a published programme keeps only their name there."
        ),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name", "pk"]

    def __str__(self):
        if self.is_erased:
            return gettext("Anonymised person %(pk)s") % {"pk": self.pk}
        return f"{self.first_name} {self.last_name} <{self.email}>"

    def save(self, *args, update_fields=None, **kwargs):
        # The key always follows the address: set here, the one place both are written.
        self.email_key = key_or_refused(self.email)
        if update_fields is not None and "email" in update_fields:
            update_fields = {*update_fields, "email_key"}
        super().save(*args, update_fields=update_fields, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_erased(self) -> bool:
        """Nothing left that names the person (their name, at most, stays in a programme)."""
        return self.anonymised_at is not None and not (self.first_name or self.last_name)

    def clean(self):
        super().clean()
        key = key_or_refused(self.email)
        if Person.objects.filter(email_key=key).exclude(pk=self.pk).exists():
            raise ValidationError(
                {
                    "email": _(
                        "Another person already has this address (or one that reaches the "
                        "same mailbox)."
                    )
                }
            )


class OutgoingMailQuerySet(models.QuerySet):
    def due(self, now: dt.datetime):
        """Messages a worker may claim now: queued and whose turn has come, or being sent by
        a worker whose lease has run out (it died, or lost the database, mid-send)."""
        return self.filter(
            Q(status=OutgoingMail.Status.QUEUED, next_attempt_at__lte=now)
            | Q(status=OutgoingMail.Status.SENDING, lease_until__lt=now)
        )


class OutgoingMail(models.Model):
    """One email of the site, recorded before it is sent so that none is lost.

    Written only through `iness.mail`; see that module for the life of a message.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting to be sent")
        SENDING = "sending", _("being sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=60, db_index=True)
    # The day the message is about, when it is about one: its personal data are erased
    # RETENTION_DAYS after that day (see iness.privacy).
    event = models.ForeignKey(
        Event,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mails",
        verbose_name=_("event"),
    )
    # The person the message is sent to, or whose details its text gives (the organisers'
    # notices): erasing the person erases the message, whatever address it went to.
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mails",
        verbose_name=_("person"),
    )
    to = models.EmailField(_("to"), max_length=254)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    html_body = models.TextField(_("HTML version"), blank=True)
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    # A worker's claim: while "sending", the message is that worker's until `lease_until`
    # (renewed as long as it is sending); after that, any worker may claim it again.
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)
    claimed_by = models.CharField(max_length=100, blank=True, editable=False)
    # When the mail server accepted the message (the reply to its end of data).
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # Queued because a visitor asked for it on a public form (iness.mail.visitor_triggered):
    # these count against the person's hourly budget of such mails.
    visitor_triggered = models.BooleanField(default=False, editable=False)
    # Messages sent together (a message to attendees, one release of decisions), whose
    # progress organisers follow.
    batch = models.ForeignKey(
        "MailBatch",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mails",
        verbose_name=_("mailing"),
    )
    # A send hook (iness.mail.register_hook) the worker calls when it sends the message and
    # when the server has accepted it, with these arguments.
    hook = models.CharField(max_length=60, blank=True, editable=False)
    hook_args = models.JSONField(default=dict, blank=True, editable=False)

    objects = OutgoingMailQuerySet.as_manager()

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="mail_due_idx")]

    def __str__(self):
        return f"{self.subject} → {self.to}"

    @property
    def from_email(self) -> str:
        return settings.DEFAULT_FROM_EMAIL


class MailBatch(models.Model):
    """Messages recorded together and followed together: a message to attendees, or the
    decision notices of one release. Written only through `iness.mail.new_batch`."""

    label = models.CharField(_("what"), max_length=300)
    event = models.ForeignKey(
        Event,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mail_batches",
        verbose_name=_("event"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("mailing")
        verbose_name_plural = _("mailings")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.label


class MailServerState(models.Model):
    """What the workers know of the mail server, shared by all of them (one row).

    Written only by `iness.sending`: a failure that is the server's (unreachable, password
    refused, sender refused) pauses every worker until `paused_until`, longer at each new
    failure; the first message the server accepts clears it.
    """

    failing_since = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveIntegerField(default=0)
    paused_until = models.DateTimeField(null=True, blank=True)
    # What went wrong, as iness.smtp.Verdict.reason gives it (no address, no server text).
    reason = models.CharField(max_length=40, blank=True)
    error = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("mail server state")
        verbose_name_plural = _("mail server state")

    def __str__(self):
        return self.reason or "ok"


class LinkRequest(models.Model):
    """ "Lost your link?" asked for this address: the mail worker looks up what the address
    has and answers, so that the page does the same work whether the address is known or
    not. Deleted once answered."""

    email = models.EmailField(max_length=254)
    language = models.CharField(max_length=10)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"link request {self.pk}"


class StatusChange(models.Model):
    """One line of history of a registration or a proposal: a change of status, or another
    event in its life (`kind`: an edit, a private link sent, a decision announced...).

    Written only through `iness.history`; holds no personal data of the person (who acted
    is an organiser's username or a label such as "public site"), so it outlives the
    erasure of the row it speaks of.
    """

    class Kind(models.TextChoices):
        STATUS = "status", _("status changed")
        EDIT = "edit", _("details changed")
        LINK_SENT = "link_sent", _("private link sent")
        DECISION_ANNOUNCED = "announced", _("decision sent to the speaker")
        REMINDER = "reminder", _("reminder sent")
        ERASED = "erased", _("personal data erased")

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    kind = models.CharField(
        _("what happened"), max_length=12, choices=Kind.choices, default=Kind.STATUS
    )
    # A context: "to" of an email (its recipient) is another word in French.
    from_status = models.CharField(
        pgettext_lazy("status change", "from"), max_length=20, blank=True
    )
    to_status = models.CharField(pgettext_lazy("status change", "to"), max_length=20)
    by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("organiser"),
    )
    by_label = models.CharField(_("by"), max_length=150)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        if self.kind != self.Kind.STATUS:
            return f"{self.get_kind_display()}: {self.to_status} ({self.by_label})"
        return f"{self.from_status or '-'} → {self.to_status} ({self.by_label})"
