"""One path for a change of status, shared by every model that has one.

Each model's services keep a table of the transitions their rules allow and one setter built
on `change`, which is the only code that assigns `status`: it checks the table, sets the
status and any field that goes with it, saves, and records the change in the history. A new
record gets its first status the same way (from "", the empty status). The services decide
*whether* a change may happen (deadline passed? seat free?) and refuse with a message; the
table is the backstop that keeps a forgotten check from making an impossible state.
"""

from collections.abc import Collection, Mapping

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from . import history
from .exceptions import Refused

# status -> the statuses it may change to; "" is a record not saved yet.
Transitions = Mapping[str, Collection[str]]
NEW = ""


class TransitionRefused(Refused):
    message = _("This change is not possible in the record's present state.")


def change(
    obj: models.Model,
    status: str,
    *,
    transitions: Transitions,
    by: history.Actor,
    values: Mapping[str, object] | None = None,
) -> str:
    """Move `obj` to `status`, setting `values` (other fields) with it; returns the status
    it had. A new `obj` (not saved yet) is created with `status`.

    Raises TransitionRefused when `transitions` does not allow the change.
    """
    values = dict(values or {})
    creating = obj._state.adding
    previous = NEW if creating else obj.status
    if status not in transitions.get(previous, ()):
        raise TransitionRefused()
    # Without a savepoint of its own: callers run in their transaction, whose rollback covers
    # this too; alone, it gets a transaction.
    with transaction.atomic(savepoint=False):
        obj.status = status
        for name, value in values.items():
            setattr(obj, name, value)
        if creating:
            obj.save()
        else:
            auto = [f.name for f in obj._meta.concrete_fields if getattr(f, "auto_now", False)]
            obj.save(update_fields=["status", *values, *auto])
        history.record(obj, from_status=previous, to_status=status, by=by)
    return previous
