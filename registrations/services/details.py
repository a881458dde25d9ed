"""An attendee corrects their own details from their private link (issue 15.4).

Names are the person's (iness.Person: every record of theirs shows them); organisation and
needs are the sign-up's. A new address is not taken at once: a link goes to it
(iness.people.request_address_change), and only once that link is opened and confirmed does
it replace the old one, so nobody can move someone's mail to an address they do not hold.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from iness import history, people
from iness.exceptions import Refused
from iness.history import PUBLIC, Actor
from iness.identity import email_key
from iness.models import Person

from ..models import Registration

PERSON_FIELDS = ["first_name", "last_name"]
REGISTRATION_FIELDS = ["organisation", "needs"]


class DetailsLocked(Refused):
    message = _("The day has started: your details can no longer be changed here.")


@dataclass(frozen=True)
class DetailsData:
    first_name: str
    last_name: str
    email: str
    organisation: str
    needs: str = ""


@dataclass(frozen=True)
class Corrected:
    changed: bool
    # A link to confirm the new address has been mailed to it.
    address_pending: str = ""


def can_correct(registration: Registration, *, now: dt.datetime | None = None) -> bool:
    """Until the day starts, on a sign-up still active."""
    now = now or timezone.now()
    return registration.is_active and now < registration.event.start


def correct_details(
    *, registration: Registration, data: DetailsData, by: Actor = PUBLIC
) -> Corrected:
    """Save the corrected names, organisation and needs; for a new address, mail it a link
    to confirm (the address stays as it is until then)."""
    with transaction.atomic():
        # The person's row first, as everywhere (iness.people.person_for).
        person = Person.objects.select_for_update().get(pk=registration.person_id)
        registration = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("event")
            .get(pk=registration.pk)
        )
        registration.person = person
        if not can_correct(registration):
            raise DetailsLocked()
        renamed = [n for n in PERSON_FIELDS if getattr(person, n) != getattr(data, n).strip()]
        changed = [
            n for n in REGISTRATION_FIELDS if getattr(registration, n) != getattr(data, n).strip()
        ]
        for name in renamed:
            setattr(person, name, getattr(data, name).strip())
        if renamed:
            person.save(update_fields=[*renamed, "updated_at"])
        for name in changed:
            setattr(registration, name, getattr(data, name).strip())
        if changed:
            registration.save(update_fields=[*changed, "updated_at"])
        pending = ""
        new_email = data.email.strip()
        if new_email and new_email != person.email:
            if email_key(new_email) == person.email_key:
                # The same mailbox written another way: nothing to verify.
                person.email = new_email
                person.save(update_fields=["email", "updated_at"])
                renamed.append("email")
            else:
                people.request_address_change(
                    person=person, new_email=new_email, event=registration.event
                )
                pending = new_email
        if renamed or changed or pending:
            history.note(registration, history.Kind.EDIT, by=by)
    return Corrected(changed=bool(renamed or changed), address_pending=pending)
