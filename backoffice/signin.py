"""The sign-in sheet (feuille d'émargement) of an event."""

import unicodedata

from iness.models import Event
from registrations.models import Registration


def _sort_key(text: str) -> str:
    """Alphabetical as people expect it: "Émile" beside "Emma", not after "Zoé"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def sign_in_sheet_rows(event: Event) -> list[Registration]:
    """The confirmed attendees, by last name then first name."""
    attendees = Registration.objects.filter(
        event=event, status=Registration.Status.CONFIRMED
    ).select_related("person")
    return sorted(
        attendees,
        key=lambda r: (_sort_key(r.person.last_name), _sort_key(r.person.first_name), r.pk),
    )
