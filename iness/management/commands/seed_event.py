"""Create the INESS day from the facts of the original call, dated in the future.

Idempotent: an event with the same web address is left as organisers edited it, except that
the pages of the day (presentation, practical information) are written in when all four
of their texts are still empty, as on an event created before those pages existed.
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


def french_spacing(text: str) -> str:
    """A non-breaking space before the high punctuation, as French typography wants."""
    for mark in ":;?!":
        text = text.replace(f" {mark}", f"\u00a0{mark}")
    return text


# The pages of the day, in Markdown (iness.markup). Facts from the call, in our own words.
PRESENTATION_FR = french_spacing(
    """## Les thèmes de la journée

Les transitions écologique et sociale demandent de changer en profondeur notre façon de \
produire, d’échanger et de décider. L’économie sociale et solidaire (ESS) en ouvre une voie, \
et ses acteurs s’appuient de plus en plus sur le numérique pour la suivre. La journée \
s’intéresse aux innovations sociales numériques : des initiatives qui répondent à un besoin \
social ou environnemental, souvent grâce à une plateforme ou une communauté en ligne, et qui \
réunissent associations, entreprises, chercheurs et pouvoirs publics.

Trois mots guident les échanges :

- **Innovations**, au pluriel : des idées et des actions collectives dont la valeur se mesure \
aussi en liens sociaux et en soin de l’environnement, pas seulement en croissance économique ;
- **Numérique** : des outils, mais surtout une culture présente dans la vie de tous les jours, \
qui ouvre de nouvelles façons de s’engager et change ce qui paraît possible ;
- **Économie sociale et solidaire** : des structures collectives à la lucrativité limitée, \
gouvernées démocratiquement, qui partagent équitablement la valeur qu’elles créent, et qui \
comptent parmi les acteurs clés de la transition.

## Pour qui ?

Pour les chercheurs et chercheuses qui étudient ces initiatives, et pour celles et ceux qui \
les font vivre sur le terrain : coopératives, associations, entreprises de l’ESS, collectifs \
citoyens, acteurs publics. Ensemble, il s’agit de mieux comprendre ce qui fait réussir ces \
expériences, ce qui permet de les reproduire ou de les faire grandir, et de lancer des projets \
de recherche communs."""
)
PRESENTATION_EN = """## The themes of the day

The ecological and social transitions call for deep changes in the way we produce, exchange \
and decide. The social and solidarity economy (SSE) opens one way there, and its actors rely \
more and more on digital technology to follow it. The day looks at digital social \
innovations: initiatives that answer a social or environmental need, often through a \
platform or an online community, and that bring together associations, companies, \
researchers and public bodies.

Three words guide the discussions:

- **Innovations**, in the plural: collective ideas and actions whose value also lies in \
social ties and care for the environment, not only in economic growth;
- **Digital**: tools, but above all a culture present in everyday life, which opens new ways \
of getting involved and changes what seems possible;
- **Social and solidarity economy**: collective organisations with limited profit and \
democratic governance, which share fairly the value they create and are among the key \
actors of the transition.

## Who is it for?

Researchers who study these initiatives, and the people who run them in the field: \
cooperatives, associations, SSE companies, citizen groups, public bodies. Together, we want \
to understand better what makes these experiences succeed, what lets them be reproduced or \
grow, and to start joint research projects."""
PRACTICAL_FR = french_spacing(
    """## Places limitées

Les places sont limitées pour que chacun puisse prendre part aux échanges. Si vous ne pouvez \
plus venir, annulez votre inscription avec le lien personnel reçu par e-mail : la place est \
aussitôt proposée à la première personne de la liste d’attente.

## Avant de venir

Quelques jours avant la journée, vous recevrez un rappel par e-mail avec l’adresse, les \
horaires et un fichier à ajouter à votre agenda. Le programme sera publié sur ce site dès que \
le comité aura choisi les interventions."""
)
PRACTICAL_EN = """## Limited seats

Seats are limited so that everyone can take part in the discussions. If you can no longer \
come, cancel your sign-up with the personal link you received by email: the seat is offered \
at once to the first person on the waiting list.

## Before you come

A few days before the day, you will receive a reminder by email with the address, the times \
and a file to add to your calendar. The programme will be published on this site as soon as \
the committee has chosen the contributions."""
PAGE_TEXTS = {
    "presentation": PRESENTATION_FR,
    "presentation_en": PRESENTATION_EN,
    "practical_information": PRACTICAL_FR,
    "practical_information_en": PRACTICAL_EN,
}

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
                **PAGE_TEXTS,
            },
        )
        verb = "Created" if created else "Already there:"
        self.stdout.write(f"{verb} {event.title} on {format_date(event.date)} ({event.slug})")
        if not created and not any(getattr(event, field) for field in PAGE_TEXTS):
            # An event made before its pages existed: give it the call's texts once. Texts
            # organisers wrote, even one of the four, are never replaced.
            Event.objects.filter(pk=event.pk).update(**PAGE_TEXTS)
            self.stdout.write("Wrote the presentation and practical information of the day.")
