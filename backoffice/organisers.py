"""The "Organisers" group: exactly what the organising committee needs in the admin.

Organisers run the day (events, sign-ups, proposals, reviews, mail, messages to attendees);
they add sign-ups only through the sign-up service (the cap holds), and add or delete no
proposal and delete no sign-up (those change only through the services), and manage no user account (an administrator does that).

Migration 0002 creates the group with this list as it stood then, 0004 adds the programme,
0005 the people, and 0006 gives it the list of today (adding sign-ups, reading feedback); `manage.py organisers_group` puts the group back to this
list (after someone changed it by hand, or after a later release adds a permission). A test
keeps the latest migration's list and this one equal.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission

GROUP_NAME = "Organisers"

PERMISSIONS = [
    # The day itself: its facts, capacity (through the sign-up service), publication.
    ("iness", "event", ["view", "add", "change"]),
    # The people: see who they are, correct a name or an address, a wish for news.
    ("iness", "person", ["view", "change"]),
    # The outgoing mail: see what was sent, waits or failed, send again.
    ("iness", "outgoingmail", ["view", "change"]),
    # Sign-ups: see, add (a guest, a walk-in, through the sign-up service), correct what
    # they say, act (cancel, confirm, resend the link, check in, release certificates).
    ("registrations", "registration", ["view", "add", "change"]),
    # Feedback on the day: read, summarised and without names.
    ("registrations", "feedback", ["view"]),
    # Proposals: see, decide and release decisions (actions), review.
    ("proposals", "proposal", ["view", "change"]),
    # Reviews: each member writes and edits their own (the admin keeps them to it).
    ("proposals", "review", ["view", "add", "change"]),
    # Messages to attendees: write and send, see those sent.
    ("backoffice", "announcement", ["view", "add"]),
    # The programme of the day, built on the event's page (proposals.programme).
    ("proposals", "slot", ["view", "add", "change", "delete"]),
]


def codenames() -> set[tuple[str, str]]:
    """(app label, codename) of every permission the group has."""
    return {(app, f"{action}_{model}") for app, model, actions in PERMISSIONS for action in actions}


def sync_group():
    """Create the group, or put it back to exactly `PERMISSIONS`. Returns the group."""
    for label in {app for app, _model, _actions in PERMISSIONS}:
        create_permissions(global_apps.get_app_config(label), verbosity=0)
    group, _created = Group.objects.get_or_create(name=GROUP_NAME)
    wanted = []
    for app, model, actions in PERMISSIONS:
        for action in actions:
            wanted.append(
                Permission.objects.get(
                    content_type__app_label=app,
                    content_type__model=model,
                    codename=f"{action}_{model}",
                )
            )
    group.permissions.set(wanted)
    return group
