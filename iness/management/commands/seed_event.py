"""Create the INESS day from the facts of the original call, dated in the future.

Idempotent: an event with the same web address is left as organisers edited it.
"""

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from iness.dates import format_date
from iness.models import Event

DESCRIPTION_FR = (
    "Une journée pour faire se rencontrer chercheurs et praticiens autour des innovations "
    "sociales numériques portées par les acteurs de l’économie sociale et solidaire\u00a0: "
    "partager des expériences de terrain, comprendre ce qui les fait réussir, se reproduire "
    "ou changer d’échelle, et faire naître des projets de recherche communs.\n\n"
    "Vous pouvez venir simplement pour échanger, ou proposer une intervention\u00a0: le récit "
    "d’une expérience, ou une table ronde pour imaginer ensemble une étude à son sujet."
)
DESCRIPTION_EN = (
    "A day for researchers and practitioners to meet around digital social innovations led "
    "by actors of the social and solidarity economy: sharing experiences from the field, "
    "understanding what makes them work, spread or scale up, and starting joint research "
    "projects.\n\n"
    "You can come simply to take part in the discussions, or propose a contribution: a "
    "report on an experience, or a round table to design a study of one together."
)
COMMITTEE = "\n".join(
    ["MéliSSa Boudes", "Nicolas Jullien", "Estelle Fiévé", "Cédric Gossart", "Müge Ozman"]
)


def next_day_date(today: dt.date) -> dt.date:
    """The Wednesday nearest to 11 March (the call's date), at least two months ahead."""
    year = today.year
    while True:
        march_11 = dt.date(year, 3, 11)
        wednesday = march_11 + dt.timedelta(days=(2 - march_11.weekday() + 3) % 7 - 3)
        if wednesday >= today + dt.timedelta(days=60):
            return wednesday
        year += 1


class Command(BaseCommand):
    help = "Create the INESS day in the database if it is not there yet."

    def handle(self, *args, **options):
        now = timezone.now()
        day = next_day_date(timezone.localdate())
        tz = timezone.get_default_timezone()
        slug = f"journee-iness-{day.year}"
        event, created = Event.objects.get_or_create(
            slug=slug,
            defaults={
                "title": "Journée INESS\u00a0: innovations, numérique et économie sociale et solidaire",
                "title_en": "INESS day: innovation, digital technology and the social and solidarity economy",
                "description": DESCRIPTION_FR,
                "description_en": DESCRIPTION_EN,
                "date": day,
                "starts_at": dt.time(9, 30),
                "ends_at": dt.time(17, 30),
                "venue": "Institut Mines-Télécom",
                "address": "2, Villa Thoréton, 75015 Paris",
                "access": "Métro Balard (ligne 8), dans le 15e arrondissement.",
                "access_en": "Métro Balard (line 8), in the 15th arrondissement of Paris.",
                "capacity": 20,
                "registration_opens_at": now,
                "registration_closes_at": dt.datetime.combine(
                    day - dt.timedelta(days=1), dt.time(12, 0), tzinfo=tz
                ),
                "proposals_close_at": dt.datetime.combine(
                    day - dt.timedelta(days=28), dt.time(23, 59), tzinfo=tz
                ),
                "contact_email": "iness@listes.imt.fr",
                "committee": COMMITTEE,
                "is_published": True,
            },
        )
        verb = "Created" if created else "Already there:"
        self.stdout.write(f"{verb} {event.title} on {format_date(event.date)} ({event.slug})")
