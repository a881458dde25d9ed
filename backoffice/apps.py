from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    """The organising committee's tools that span sign-ups and proposals: the Organisers
    group, event summaries, exports, the sign-in sheet and messages to attendees."""

    name = "backoffice"
    verbose_name = _("Organisers' back office")

    def ready(self):
        from iness import erasure

        # Each person's copy of a message is an OutgoingMail filed under them, erased with
        # them; the record of the sending keeps only what organisers wrote to everyone.
        erasure.declare(
            "backoffice.Announcement",
            not_personal={
                "subject": "organisers' words to a whole audience, naming no one by design",
                "body": "organisers' words to a whole audience, naming no one by design",
            },
        )
