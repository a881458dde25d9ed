from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = _("Proposals")

    def ready(self):
        from iness import erasure, links

        from . import services

        links.register_sender(services.send_proposal_links)
        erasure.register(services.RECORDS)
        erasure.register(services.PANEL_RECORDS)
