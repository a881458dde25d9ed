"""The sign-up mails: to the person, in their language, and the organisers' notices.

Queued through `iness.mail` in the transaction that makes the change, and sent after it
commits. Each mail is filed under the person (`OutgoingMail.person`) when it goes to them or
gives their details, so that erasing the person erases it, whatever address it went to.
"""

from collections.abc import Sequence

from django.conf import settings
from django.urls import reverse

from iness import mail
from iness.people import supported_language

from ..ics import event_calendar
from ..models import Registration


def manage_url(token: str) -> str:
    return settings.SITE_URL + reverse("registrations:manage", args=[token])


def send(
    registration: Registration,
    template: str,
    *,
    token: str | None = None,
    language: str | None = None,
    calendar: bool = False,
    attachments: Sequence[mail.Attachment] = (),
    cancel_calendar: bool = False,
    **context,
) -> None:
    """Mail the person about their sign-up; `token`: a new private link to give them;
    `calendar`: with the day's calendar file; `cancel_calendar`: with the file that takes
    the day out of their calendar again (same UID, METHOD:CANCEL)."""
    event = registration.event
    person = registration.person
    language = supported_language(language or person.language)
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
            "manage_url": manage_url(token) if token else "",
            "lost_link_url": settings.SITE_URL + reverse("lost_link"),
            "cancel_calendar": cancel_calendar,
            **context,
        },
        language=language,
        kind=template.replace("/", "."),
        attachments=attachments,
        person=person,
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
