"""The one way a proposal's status changes.

    new ──> submitted ──decide──> accepted ──confirm──> confirmed
                 │      (until     ↕ rejected
                 │       told)
                 └── withdrawn (from any of them: the speaker, before the day; erasure)

`set_status` is the only code that changes a proposal's status (through `iness.states`, which
records the history). The services decide when a change is allowed (deadline, decision
released...); the table keeps a forgotten check from making an impossible state.
"""

from iness import states
from iness.history import Actor

from ..models import Proposal

Status = Proposal.Status

TRANSITIONS: states.Transitions = {
    states.NEW: {Status.SUBMITTED},
    Status.SUBMITTED: {Status.ACCEPTED, Status.REJECTED, Status.WITHDRAWN},
    Status.ACCEPTED: {Status.REJECTED, Status.CONFIRMED, Status.WITHDRAWN},
    Status.REJECTED: {Status.ACCEPTED, Status.WITHDRAWN},
    Status.CONFIRMED: {Status.WITHDRAWN},
    Status.WITHDRAWN: set(),
}


def set_status(proposal: Proposal, status: str, *, by: Actor, **values) -> None:
    """Move `proposal` (or create it, when new) to `status`, with `values` (other fields)."""
    states.change(proposal, status, transitions=TRANSITIONS, by=by, values=values)
