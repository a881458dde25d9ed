"""Proposal rules, by concern; callers import this package (`from proposals import
services`) and use the names below.

- `lifecycle`: submit, edit, withdraw, decide, announce the decisions, confirm;
- `states`: the one way a proposal's status changes;
- `links`: private links (find by token, new links, "lost your link?");
- `reminders`: the reminder to speakers who have not confirmed;
- `erasure`: the person's proposals when their data is erased (iness.erasure);
- `mails`: the mails to the speaker and the organisers' notices;
- `refusals`: what the rules refuse, each a `Refused` with its message.
"""

from .erasure import RECORDS
from .lifecycle import (
    DUPLICATE_WINDOW,
    EDITABLE_FIELDS,
    Notified,
    ProposalData,
    SubmitOutcome,
    can_confirm,
    can_edit,
    can_withdraw,
    confirm,
    confirm_seat,
    decide,
    edit,
    edit_refusal,
    held_seat,
    notify_decisions,
    speaker_registration,
    submit,
    withdraw,
)
from .links import find_by_token, new_link, send_proposal_links
from .refusals import (
    DecisionRefused,
    NotConfirmable,
    NotEditable,
    NotWithdrawable,
    ProposalError,
    ProposalsClosed,
)
from .reminders import REMIND_AFTER, REMINDER_COMMAND, remind_unconfirmed
from .states import set_status

__all__ = [
    "DUPLICATE_WINDOW",
    "EDITABLE_FIELDS",
    "RECORDS",
    "REMINDER_COMMAND",
    "REMIND_AFTER",
    "DecisionRefused",
    "NotConfirmable",
    "NotEditable",
    "NotWithdrawable",
    "Notified",
    "ProposalData",
    "ProposalError",
    "ProposalsClosed",
    "SubmitOutcome",
    "can_confirm",
    "can_edit",
    "can_withdraw",
    "confirm",
    "confirm_seat",
    "decide",
    "edit",
    "edit_refusal",
    "held_seat",
    "find_by_token",
    "new_link",
    "notify_decisions",
    "remind_unconfirmed",
    "send_proposal_links",
    "set_status",
    "speaker_registration",
    "submit",
    "withdraw",
]
