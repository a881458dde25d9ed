"""The record of each message organisers sent to the people of an event."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from iness.models import Event, MailBatch


class Audience(models.TextChoices):
    CONFIRMED = "confirmed", _("Attendees with a confirmed seat")
    WAITING = "waiting", _("The waiting list (including people offered a seat)")
    SPEAKERS = "speakers", _("Speakers of accepted proposals (once told of the decision)")


class Announcement(models.Model):
    """A message to attendees: who sent what to which audience, when, and to how many.

    Written only by `backoffice.services.send_announcement`; each person's copy is an
    `OutgoingMail` of kind `announcement`, in the announcement's mailing (`batch`).
    """

    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="announcements", verbose_name=_("event")
    )
    audience = models.CharField(_("sent to"), max_length=20, choices=Audience.choices)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"), max_length=10000)
    recipient_count = models.PositiveIntegerField(_("number of people"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        verbose_name=_("sent by"),
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now, db_index=True)
    # Made when the preview is shown and sent back with the "send" button: a double click or a
    # resent form finds the message already recorded and sends nothing twice.
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Each person's copy is an email of this mailing: organisers follow its sending there.
    batch = models.OneToOneField(
        MailBatch,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="announcement",
        verbose_name=_("mailing"),
    )

    class Meta:
        verbose_name = _("message to attendees")
        verbose_name_plural = _("messages to attendees")
        ordering = ["-sent_at", "-pk"]

    def __str__(self):
        return self.subject
