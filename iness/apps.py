from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def create_cache_table(*, using: str, **kwargs) -> None:
    """The rate-limit counters live in the database cache: `migrate` makes its table.

    `createcachetable` does nothing when the table exists or when the cache is not a
    database cache (Redis), so every `migrate` may run it.
    """
    call_command("createcachetable", database=using, verbosity=0)


class InessConfig(AppConfig):
    name = "iness"
    verbose_name = _("INESS days")

    def ready(self):
        from . import (
            legal,  # noqa: F401 - registers the legal notice's deploy check
            links,  # noqa: F401 - registers the send hook that mints links
        )

        post_migrate.connect(create_cache_table, sender=self)
