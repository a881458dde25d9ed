from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    """The organising committee's tools that span sign-ups and proposals: the Organisers
    group, event summaries, exports, the sign-in sheet and messages to attendees."""

    name = "backoffice"
    verbose_name = _("Organisers' back office")
