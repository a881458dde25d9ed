from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InessConfig(AppConfig):
    name = "iness"
    verbose_name = _("INESS days")
