from django.core.management.base import BaseCommand

from backoffice.organisers import GROUP_NAME, sync_group


class Command(BaseCommand):
    help = (
        'Create the "Organisers" group, or put its permissions back to exactly what the '
        "organising committee needs."
    )

    def handle(self, *args, **options):
        group = sync_group()
        self.stdout.write(f'Group "{GROUP_NAME}" has {group.permissions.count()} permissions.')
