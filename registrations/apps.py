from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = _("Sign-ups")

    def ready(self):
        from iness import erasure, links

        from . import services

        links.register_sender(services.send_lost_links)
        erasure.register(services.RECORDS)
