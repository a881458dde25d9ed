""" "Delete my data", end to end, read in a full dump of the database.

Black-box: a person with a name and an address found nowhere else signs up and proposes on
the public pages, receives a message to attendees, has an organiser edit their sign-up in the
admin (which writes the admin's history), asks for their links again (a request the mail
worker has not answered yet), then deletes their data from each private link.
`pg_dump` of the test database then holds neither their name nor their address, anywhere:
not in a table of the site, not in Django's or the admin's, not in the cache. A second
person, who stays, is in the dump: the dump does see what the site wrote.

PostgreSQL only (it needs `pg_dump`); CI runs the suite on PostgreSQL too.
"""

import re
import shutil
import subprocess
import uuid

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.urls import reverse

from iness.models import Event
from tests.conftest import build_event, deliver_mail
from tests.states import proposal_form_data, signup_form_data

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="reads a pg_dump of the database: PostgreSQL only (CI runs both databases)",
    ),
]

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
LINK = re.compile(r"https?://[^\s/]+(/(?:mon-inscription|ma-proposition)/[A-Za-z0-9_-]+/)")


def dump() -> str:
    """The whole database as SQL, as `pg_dump` writes it."""
    executable = shutil.which("pg_dump")
    if executable is None:
        pytest.fail("pg_dump is not installed (apt-get install postgresql-client)")
    settings = connection.settings_dict
    command = [executable, "--no-owner", "--dbname", settings["NAME"]]
    for option, key in [("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")]:
        if settings.get(key):
            command += [option, str(settings[key])]
    env = {"PGPASSWORD": settings.get("PASSWORD") or ""}
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def private_links(mailoutbox, address: str) -> list[str]:
    paths = []
    for message in mailoutbox:
        if message.to == [address]:
            paths += LINK.findall(message.body)
    return paths


def test_after_delete_my_data_a_full_dump_holds_neither_the_name_nor_the_address(
    admin_client, mailoutbox
):
    unique = uuid.uuid4().hex[:10]
    first, last = f"Zéphyrine{unique}", f"Quillebœuf{unique}"
    address = f"zq.{unique}@example.org"
    stays = f"Témoin{unique}"
    event: Event = build_event(capacity=5)
    public = Client()

    # The person signs up, then proposes, on the public pages; someone else signs up too.
    signup = reverse("registrations:register", args=[event.slug])
    assert (
        public.post(
            signup,
            signup_form_data(first_name=first, last_name=last, email=address, needs="Rampe"),
            **EN,
        ).status_code
        == 302
    )
    Client().post(signup, signup_form_data(first_name=stays, email=f"t.{unique}@example.org"))
    proposal = reverse("proposals:submit", args=[event.slug])
    assert (
        public.post(
            proposal,
            proposal_form_data(
                first_name=first, last_name=last, email=address, title=f"Sujet {last}"
            ),
            **EN,
        ).status_code
        == 302
    )
    deliver_mail()  # what the mail worker does
    registration_link, proposal_link = (
        next(p for p in private_links(mailoutbox, address) if kind in p)
        for kind in ("/mon-inscription/", "/ma-proposition/")
    )
    public.post(registration_link + "confirmer/", **EN)  # the address confirmed: a seat

    # Organisers write to the attendees, and correct the sign-up in the admin.
    compose = reverse("admin:backoffice_announcement_add")
    message = {
        "event": event.pk,
        "audience": "confirmed",
        "subject": "Plan d'accès",
        "body": "Bonjour à toutes et tous,\r\nvoici le plan.",
    }
    shown = admin_client.post(compose, {**message, "preview": "1"}).context["form"].initial
    admin_client.post(
        compose,
        {**message, "key": shown["key"], "expected_count": shown["expected_count"], "send": "1"},
    )
    deliver_mail()
    assert any(m.to == [address] and m.subject == "Plan d'accès" for m in mailoutbox)
    edited = (
        admin_client.get(reverse("admin:registrations_registration_changelist") + f"?q=zq.{unique}")
        .context["cl"]
        .result_list[0]
    )
    change = reverse("admin:registrations_registration_change", args=[edited.pk])
    assert (
        admin_client.post(
            change,
            {"organisation": f"Atelier {last}", "organisation_kind": "ess", "profile": "both"},
        ).status_code
        == 302
    )

    # The person asks for their links again; the mail worker has not answered yet, so the
    # request still holds the address.
    assert public.post(reverse("lost_link"), {"email": address}, **EN).status_code == 302

    # The person deletes their data from each private link: the first erases everything,
    # so the second link no longer works.
    deleted = public.post(registration_link + "supprimer-mes-donnees/", **EN)
    again = public.post(proposal_link + "supprimer-mes-donnees/", **EN)
    assert deleted.status_code == 302 and again.status_code == 404

    everything = dump()
    assert stays in everything, "the dump does not see what the site wrote"
    for trace in (first, last, address, address.split("@")[0]):
        assert trace not in everything, trace
        assert trace.lower() not in everything.lower(), trace
    # Sessions are stored encoded: read them too.
    for session in Session.objects.all():
        decoded = str(session.get_decoded())
        assert first not in decoded and address not in decoded
