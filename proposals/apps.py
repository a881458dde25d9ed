from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = _("Proposals")

    def ready(self):
        from iness import links, privacy

        from .services import purge_past, send_proposal_links

        links.register_sender(send_proposal_links)
        privacy.register_purger(purge_past)
