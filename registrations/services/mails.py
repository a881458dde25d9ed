"""The sign-up mails: to the person, in their language, and the organisers' notices.

Queued through `iness.mail` in the transaction that makes the change, and sent after it
commits. Each mail is filed under the person (`OutgoingMail.person`) when it goes to them or
gives their details, so that erasing the person erases it, whatever address it went to.
"""

from collections.abc import Sequence

from django.conf import settings
from django.urls import reverse

from iness import links, mail
from iness.people import supported_language

from ..ics import event_calendar
from ..models import DEADLINE_HOOK, Registration
from . import deadlines

# The pages a mailed link opens: the private page, and the page that confirms the address.
MANAGE = "registrations:manage"
VERIFY = "registrations:verify"


def manage_url(token: str) -> str:
    return settings.SITE_URL + reverse("registrations:manage", args=[token])


def send(
    registration: Registration,
    template: str,
    *,
    link: str | None = None,
    deadline: str | None = None,
    starts_clock: bool = False,
    language: str | None = None,
    calendar: bool = False,
    attachments: Sequence[mail.Attachment] = (),
    cancel_calendar: bool = False,
    **context,
) -> None:
    """Mail the person about their sign-up.

    `link`: the page (MANAGE or VERIFY) of a new private link to give them, minted when the
    mail is sent (iness.links.carry); earlier links then stop working. `deadline`: the mail
    states a deadline of the registration (deadlines.VERIFY or OFFER), filled in when it is
    sent; `starts_clock`: this mail starts it (deadlines). `calendar`: with the day's
    calendar file; `cancel_calendar`: with the file that takes the day out of their calendar
    again (same UID, METHOD:CANCEL).
    """
    event = registration.event
    person = registration.person
    language = supported_language(language or person.language)
    hook, hook_args, link_text = "", {}, ""
    if link:
        link_text, spec = links.carry(registration, url=link)
        hook, hook_args = links.LINK_HOOK, links.link_args(spec)
    if deadline:
        hook = DEADLINE_HOOK
        hook_args = {
            "links": hook_args.get("links", []),
            "deadline": deadlines.hook_args(
                registration, deadline, starts=starts_clock, language=language
            ),
        }
        context |= deadlines.placeholders()
    attachments = list(attachments)
    if calendar or cancel_calendar:
        attachments.append(
            mail.Attachment(
                filename=f"{event.slug}.ics",
                content=event_calendar(
                    event,
                    language=language,
                    registration_id=registration.pk,
                    cancel=cancel_calendar,
                ),
                mimetype="text/calendar",
            )
        )
    mail.queue_mail(
        to=person.email,
        template=template,
        context={
            "registration": registration,
            "person": person,
            "event": event,
            "manage_url": link_text,
            "lost_link_url": settings.SITE_URL + reverse("lost_link"),
            "cancel_calendar": cancel_calendar,
            **context,
        },
        language=language,
        kind=template.replace("/", "."),
        attachments=attachments,
        hook=hook,
        hook_args=hook_args,
        person=person,
    )


def ask_to_confirm(
    registration: Registration,
    *,
    starts_clock: bool,
    position: int | None,
    language: str | None = None,
) -> None:
    """The mail whose link opens the page that confirms the address of a held seat or place,
    with the hold's deadline; `starts_clock`: the first one (deadlines)."""
    send(
        registration,
        "registrations/verify",
        link=VERIFY,
        deadline=deadlines.VERIFY,
        starts_clock=starts_clock,
        language=language,
        position=position,
    )


def notify_organisers(
    registration: Registration, template: str, *, names_person: bool = True, **context
) -> None:
    """Tell the organisers; `names_person=False` for a notice that gives nobody's details
    (it then outlives the person's erasure)."""
    mail.queue_mail(
        to=settings.ORGANISERS_EMAIL,
        template=template,
        context={
            "registration": registration,
            "event": registration.event,
            **({"person": registration.person} if names_person else {}),
            **context,
        },
        language=settings.LANGUAGE_CODE,
        kind=template.replace("/", "."),
        person=registration.person if names_person else None,
    )
