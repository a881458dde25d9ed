"""A proposal's private link: finding a proposal by it, and mailing new ones.

Only the hash of a link's token is stored (iness.links), so a message that carries a link
carries a *new* one, and the previous links stop working; the messages say so.
"""

from django.db.models import Q
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from iness import history, links, people
from iness.history import PUBLIC
from iness.mail import queue_mail

from ..models import Proposal
from .mails import MANAGE, link_url


@sensitive_variables("token")
def find_by_token(token: str) -> Proposal | None:
    """The proposal a private link points to, or None. Compared in constant time."""
    return links.find_by_token(Proposal.objects.select_related("event", "person"), token)


def new_link(proposal: Proposal) -> str:
    """A new private link to the proposal (saved); earlier ones stop working."""
    return link_url(links.rotate(proposal))


@sensitive_variables("email")
def send_proposal_links(*, email: str, language: str) -> None:
    """Lost-link sender: email fresh private links to the proposals of the person this
    address reaches, if any, at the person's own address.

    Only proposals of days still to come and not withdrawn, and accepted ones of past days
    (their slides); the old links stop working.
    """
    person = people.find_person(email)
    if person is None:
        return
    proposals = list(
        Proposal.objects.filter(
            # After the day, accepted speakers still send their slides from their link.
            Q(event__date__gte=timezone.localdate())
            | Q(
                status__in=[Proposal.Status.ACCEPTED, Proposal.Status.CONFIRMED],
                anonymised_at__isnull=True,
            ),
            person=person,
        )
        .exclude(status=Proposal.Status.WITHDRAWN)
        .select_related("event")
        .order_by("created_at", "pk")
    )
    if not proposals:
        return
    items, specs = [], []
    for n, proposal in enumerate(proposals):
        # Minted when the mail is sent (iness.links.carry): the outbox keeps no live link.
        text, spec = links.carry(proposal, url=MANAGE, name=f"link-{n}")
        items.append({"proposal": proposal, "link": text})
        specs.append(spec)
        history.note(proposal, history.Kind.LINK_SENT, by=PUBLIC)
    queue_mail(
        to=person.email,
        template="proposals/links",
        context={"items": items, "person": person},
        language=language,
        kind="proposals/links",
        hook=links.LINK_HOOK,
        hook_args=links.link_args(*specs),
        person=person,
    )
