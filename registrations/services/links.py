"""A sign-up's private link: finding a sign-up by it, and mailing a new one.

Only the hash of a link's token is stored (iness.links), so each mail that carries the link
carries a new one, and the links in earlier mails stop working (the pages say so and point to
the "lost your link?" form).
"""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from iness import history, links, people
from iness.history import PUBLIC, Actor

from ..models import Registration
from . import deadlines, mails
from .waitlist import waitlist_position


@sensitive_variables("token")
def find_by_token(token: str) -> Registration | None:
    """The registration a private link points to, or None for an unknown or replaced link."""
    return links.find_by_token(Registration.objects.select_related("event", "person"), token)


def send_link(
    registration: Registration, *, template: str, language: str | None, by: Actor = PUBLIC
) -> None:
    """Mail the person a new private link (`template` says why), minted when the mail is
    sent; earlier links then stop working.

    While the address is not confirmed, the mail is the one that asks to confirm it (its
    link opens the page that does), with the hold's deadline as it stands: asking again
    never moves it.
    """
    history.note(registration, history.Kind.LINK_SENT, by=by)
    position = waitlist_position(registration)
    if registration.is_active and not registration.is_verified:
        mails.ask_to_confirm(registration, starts_clock=False, position=position, language=language)
        return
    offered = registration.status == Registration.Status.OFFERED
    mails.send(
        registration,
        template,
        link=mails.MANAGE,
        deadline=deadlines.OFFER if offered else None,
        language=language,
        position=position,
    )


def resend_link(
    *, registration: Registration, language: str | None = None, by: Actor = PUBLIC
) -> None:
    """Email a new private link; the previous one stops working."""
    with transaction.atomic():
        send_link(registration, template="registrations/link_again", language=language, by=by)


@sensitive_variables("email")
def send_lost_links(*, email: str, language: str) -> None:
    """The lost-link sender: a new link for each active registration of the person this
    address reaches, to a day still to come or, for a seat holder, past. Registered with `iness.links` in
    RegistrationsConfig.ready()."""
    person = people.find_person(email)
    if person is None:
        return
    # After the day, a seat holder still has their certificate and the feedback form there,
    # until the retention period erases the sign-up.
    after_the_day = Q(status=Registration.Status.CONFIRMED, anonymised_at__isnull=True)
    for registration in (
        Registration.objects.active()
        .filter(Q(event__date__gte=timezone.localdate()) | after_the_day, person=person)
        .select_related("event", "person")
    ):
        send_link(registration, template="registrations/link_again", language=language)
