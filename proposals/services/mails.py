"""The proposal mails: to the speaker, in their language, and the organisers' notices.

Each mail is filed under the speaker (`OutgoingMail.person`) when it goes to them or gives
their details, so that erasing them erases it, whatever address it went to.
"""

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from iness import links
from iness.mail import Rendered, queue_mail, render
from iness.models import MailBatch
from registrations import services as registrations
from registrations.models import Registration

from ..models import Panellist, Proposal


def _panel_size(proposal: Proposal) -> int:
    # A count, never the names: a mail filed under the speaker must not hold other people's
    # details, which erasing those people would not reach.
    return proposal.panellists.filter(status__in=Panellist.ACTIVE_STATUSES).count()


# The page a proposal's private link opens.
MANAGE = "proposals:manage"


def link_url(token: str) -> str:
    return settings.SITE_URL + reverse(MANAGE, kwargs={"token": token})


def send(
    proposal: Proposal,
    template: str,
    *,
    link: bool = False,
    batch: MailBatch | None = None,
    hold: Registration | None = None,
) -> None:
    """Mail the speaker about their proposal.

    `link`: the mail carries a new private link, minted when it is sent (iness.links.carry);
    earlier links stop working. `batch`: the mailing it belongs to (iness.mail.new_batch).
    `hold`: the speaker's sign-up to attend, held until they confirm it through this link:
    the mail says until when, and starts that deadline (registrations' deadlines).
    """
    person = proposal.person
    context = {
        "proposal": proposal,
        "person": person,
        "event": proposal.event,
        "link": "",
        "panel_size": _panel_size(proposal),
    }
    hook, hook_args = "", {}
    if link:
        context["link"], spec = links.carry(proposal, url=MANAGE)
        hook, hook_args = links.LINK_HOOK, links.link_args(spec)
    if hold is not None:
        hook, hook_args["deadline"], placeholders = registrations.hold_mail(
            hold, language=person.language
        )
        hook_args.setdefault("links", [])
        context |= {"hold": hold, **placeholders}
    queue_mail(
        to=person.email,
        template=template,
        context=context,
        language=person.language,
        kind=template,
        batch=batch,
        hook=hook,
        hook_args=hook_args,
        person=person,
    )


def decision_template(proposal: Proposal) -> str:
    """The mail that tells the speaker the committee's decision."""
    if proposal.status == Proposal.Status.ACCEPTED:
        return "proposals/accepted"
    return "proposals/rejected"


def preview(proposal: Proposal, template: str, *, link: str = "") -> Rendered:
    """The mail `send` would record, as the speaker will read it, without recording it."""
    person = proposal.person
    return render(
        template=template,
        context={"proposal": proposal, "person": person, "event": proposal.event, "link": link},
        language=person.language,
    )


def notify_organisers(proposal: Proposal, template: str, *, names_person: bool = True) -> None:
    """Tell the organisers; `names_person=False` for a notice that gives nobody's details
    (it then outlives the speaker's erasure)."""
    try:
        admin_url = settings.SITE_URL + reverse(
            "admin:proposals_proposal_change", args=[proposal.pk]
        )
    except NoReverseMatch:  # the admin for proposals is not installed
        admin_url = ""
    queue_mail(
        to=settings.ORGANISERS_EMAIL,
        template=template,
        context={
            "proposal": proposal,
            "event": proposal.event,
            "admin_url": admin_url,
            "panel_size": _panel_size(proposal),
            **({"person": proposal.person} if names_person else {}),
        },
        language=settings.LANGUAGE_CODE,
        kind=template,
        person=proposal.person if names_person else None,
    )
