import importlib

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse

from backoffice import organisers

from .conftest import changelist, propose, sign_up

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "iness.event",
    "iness.outgoingmail",
    "registrations.registration",
    "proposals.proposal",
    "backoffice.announcement",
]


def group_codenames(group):
    return {(p.content_type.app_label, p.codename) for p in group.permissions.all()}


def test_migration_gives_the_organisers_group_exactly_the_committees_permissions():
    group = Group.objects.get(name="Organisers")

    assert group_codenames(group) == organisers.codenames()
    assert ("auth", "change_user") not in group_codenames(group)
    assert ("registrations", "delete_registration") not in group_codenames(group)


def _codenames(permissions):
    return {(app, f"{action}_{model}") for app, model, actions in permissions for action in actions}


def test_the_latest_migration_and_the_code_list_the_same_permissions():
    created = importlib.import_module("backoffice.migrations.0002_organisers_group")
    programme = importlib.import_module("backoffice.migrations.0004_organisers_programme")
    latest = importlib.import_module("backoffice.migrations.0006_organisers_day")

    assert latest.PERMISSIONS == organisers.PERMISSIONS
    # The latest sets the whole list: it keeps what 0002 and 0004 gave.
    assert _codenames(created.PERMISSIONS + programme.ADDED) <= _codenames(latest.PERMISSIONS)
    assert created.GROUP_NAME == programme.GROUP_NAME == latest.GROUP_NAME
    assert latest.GROUP_NAME == organisers.GROUP_NAME


def test_organisers_group_command_puts_the_permissions_back():
    group = Group.objects.get(name="Organisers")
    group.permissions.remove(Permission.objects.get(codename="change_registration"))
    group.permissions.add(Permission.objects.get(codename="delete_event"))

    call_command("organisers_group", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert group_codenames(group) == organisers.codenames()


def test_an_organiser_is_staff_without_being_superuser_and_opens_every_list(
    organiser, organiser_client, event
):
    assert organiser.is_staff and not organiser.is_superuser
    for model in CHANGELISTS:
        assert organiser_client.get(changelist(model)).status_code == 200, model
    assert organiser_client.get(reverse("admin:index")).status_code == 200


def test_staff_outside_the_group_sees_nothing(client, django_user_model, event):
    registration = sign_up(event)
    proposal = propose(event)
    outsider = django_user_model.objects.create_user(
        username="intern", password="x" * 16, is_staff=True
    )
    client.force_login(outsider)

    index = client.get(reverse("admin:index"))
    assert "have permission to view or edit anything" in index.content.decode()
    assert event.title not in index.content.decode()
    for model in CHANGELISTS:
        assert client.get(changelist(model)).status_code == 403, model
    for url in [
        reverse("admin:registrations_registration_change", args=[registration.pk]),
        reverse("admin:proposals_proposal_change", args=[proposal.pk]),
        reverse("admin:iness_event_change", args=[event.pk]),
        reverse("admin:iness_event_sign_in_sheet", args=[event.pk]),
        reverse("admin:backoffice_announcement_add") + f"?event={event.pk}",
    ]:
        assert client.get(url).status_code == 403, url


def test_people_who_are_not_staff_are_sent_to_the_login_page(client, django_user_model, event):
    member = django_user_model.objects.create_user(username="ada", password="x" * 16)
    member.groups.add(Group.objects.get(name="Organisers"))
    client.force_login(member)

    response = client.get(changelist("registrations.registration"))

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_organisers_delete_no_sign_up_and_add_or_delete_no_proposal(organiser_client, event):
    registration = sign_up(event)
    proposal = propose(event)

    # They add sign-ups only through the sign-up service (tests/day/test_admin_add.py).
    assert organiser_client.get(reverse("admin:proposals_proposal_add")).status_code == 403
    delete = organiser_client.post(
        reverse("admin:registrations_registration_delete", args=[registration.pk]),
        {"post": "yes"},
    )
    assert delete.status_code == 403
    assert (
        organiser_client.post(
            reverse("admin:proposals_proposal_delete", args=[proposal.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    registration.refresh_from_db()
    assert registration.status == "confirmed"
