"""The history of a registration or a proposal: who did what to it, and when.

A change of status is recorded by `iness.states.change`, the one path by which a status
changes; other events in a record's life (an edit, a private link sent, a decision announced,
a reminder, the erasure of the person's data) by `note`, with their own kind, so that no line
pretends to be a change from one status to the same one. `by` is the organiser (a user), or a
label such as `PUBLIC` or `command("expire_offers")` when no organiser acted.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import StatusChange

PUBLIC = "public site"

Kind = StatusChange.Kind


def command(name: str) -> str:
    return f"command {name}"


Actor = AbstractBaseUser | str | None


def record(
    obj: models.Model, *, from_status: str, to_status: str, by: Actor, kind: str = Kind.STATUS
) -> StatusChange:
    if isinstance(by, AbstractBaseUser):
        user, label = by, by.get_username()
    else:
        user, label = None, by or PUBLIC
    return StatusChange.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        kind=kind,
        from_status=from_status or "",
        to_status=to_status,
        by_user=user,
        by_label=label[:150],
    )


def note(obj: models.Model, kind: str, *, by: Actor) -> StatusChange:
    """Something happened to `obj` that is not a change of status; its status is recorded
    as it stood."""
    return record(obj, from_status="", to_status=obj.status, by=by, kind=kind)


def changes_of(obj: models.Model):
    return StatusChange.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).select_related("by_user")
