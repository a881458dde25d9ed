"""Who changed the status of a registration or a proposal, when, from what to what.

Services call `record` at every state change; `by` is the organiser (a user), or a label
such as `PUBLIC` or `command("expire_offers")` when no organiser acted.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import StatusChange

PUBLIC = "public site"


def command(name: str) -> str:
    return f"command {name}"


Actor = AbstractBaseUser | str | None


def record(obj: models.Model, *, from_status: str, to_status: str, by: Actor) -> StatusChange:
    if isinstance(by, AbstractBaseUser):
        user, label = by, by.get_username()
    else:
        user, label = None, by or PUBLIC
    return StatusChange.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        from_status=from_status or "",
        to_status=to_status,
        by_user=user,
        by_label=label[:150],
    )


def changes_of(obj: models.Model):
    return StatusChange.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).select_related("by_user")
