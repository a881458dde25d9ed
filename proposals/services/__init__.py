"""Proposal rules, by concern; callers import this package (`from proposals import
services`) and use the names below.

- `lifecycle`: submit, edit, withdraw, decide, announce the decisions, confirm;
- `states`: the one way a proposal's status changes;
- `links`: private links (find by token, new links, "lost your link?");
- `panel`: other speakers and panellists, named by the speaker, who accept by their own link;
- `reminders`: the reminder to speakers who have not confirmed;
- `slides`: the speaker's slides (PDF), shown on the programme after the day;
- `erasure`: the person's proposals when their data is erased (iness.erasure);
- `mails`: the mails to the speaker and the organisers' notices;
- `refusals`: what the rules refuse, each a `Refused` with its message.
"""

from . import slides
from .erasure import PANEL_RECORDS, RECORDS
from .lifecycle import (
    DUPLICATE_WINDOW,
    EDITABLE_FIELDS,
    DecisionMail,
    Notified,
    ProposalData,
    SubmitOutcome,
    can_confirm,
    can_edit,
    can_withdraw,
    confirm,
    confirm_seat,
    decide,
    decision_mails,
    edit,
    edit_refusal,
    held_seat,
    notify_decisions,
    set_decision_comment,
    speaker_registration,
    submit,
    withdraw,
)
from .links import find_by_token, new_link, send_proposal_links
from .panel import (
    PANEL_ROWS,
    PANEL_SIZES,
    NotAnswerable,
    PanellistData,
    PanelRefused,
    check_panel,
)
from .refusals import (
    DecisionRefused,
    NotConfirmable,
    NotEditable,
    NotWithdrawable,
    ProposalError,
    ProposalsClosed,
    SlidesRefused,
)
from .reminders import REMIND_AFTER, REMINDER_COMMAND, remind_unconfirmed
from .states import set_status

__all__ = [
    "PANEL_ROWS",
    "PANEL_SIZES",
    "NotAnswerable",
    "PanelRefused",
    "PanellistData",
    "check_panel",
    "DUPLICATE_WINDOW",
    "EDITABLE_FIELDS",
    "PANEL_RECORDS",
    "RECORDS",
    "REMINDER_COMMAND",
    "REMIND_AFTER",
    "DecisionMail",
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
    "decision_mails",
    "edit",
    "edit_refusal",
    "held_seat",
    "find_by_token",
    "new_link",
    "notify_decisions",
    "remind_unconfirmed",
    "send_proposal_links",
    "SlidesRefused",
    "set_decision_comment",
    "set_status",
    "slides",
    "speaker_registration",
    "submit",
    "withdraw",
]
