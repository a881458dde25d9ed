"""What the proposal rules refuse: each a `Refused` (iness.exceptions) with its message."""

from django.utils.translation import gettext_lazy as _

from iness.exceptions import Refused


class ProposalError(Refused):
    """A change to a proposal that the rules refuse."""


class ProposalsClosed(ProposalError):
    message = _("Proposals are closed for this day.")


class NotEditable(ProposalError):
    message = _("This proposal can no longer be changed.")


class NotWithdrawable(ProposalError):
    message = _("This proposal can no longer be withdrawn.")


class NotConfirmable(ProposalError):
    message = _("There is nothing to confirm for this proposal.")


class DecisionRefused(ProposalError):
    message = _("A decision cannot be recorded for this proposal.")


class SlidesRefused(ProposalError):
    """Slides that cannot be kept: not a readable PDF, too large, or no accepted proposal."""

    message = _("Slides can be added once your proposal is accepted.")
