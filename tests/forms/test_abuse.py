"""Rate limits, honeypots and error reports on every public POST of sign-up and proposals."""

import logging
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.views.debug import SafeExceptionReporterFilter

from iness.forms import HONEYPOT_FIELD
from proposals import services as proposal_services
from proposals.models import Proposal
from registrations import services as registration_services
from registrations.models import Registration
from tests import states

from .conftest import EN, database_snapshot

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class PublicPost:
    """A public POST that succeeds with a redirect; `prepare` makes what it needs each time."""

    name: str
    prepare: Callable[[], tuple[str, dict]]

    def __str__(self):
        return self.name


def _signup():
    return states.signup_form(), states.signup_form_data()


def _proposal():
    return states.proposal_form(), states.proposal_form_data()


def _registration_action(action: str, state: str):
    return lambda: (states.registration_page(state, action), {})


def _proposal_action(action: str, state: str, data: Callable[[], dict] = dict):
    return lambda: (states.proposal_page(state, action), data())


def _proposal_change():
    return _proposal_action("edit", "submitted", lambda: states.proposal_form_data(title="Neuf"))()


PUBLIC_POSTS = [
    PublicPost("sign-up", _signup),
    PublicPost("proposal", _proposal),
    PublicPost("proposal change", _proposal_change),
    PublicPost("proposal withdrawal", _proposal_action("withdraw", "submitted")),
    PublicPost("proposal confirmation", _proposal_action("confirm", "accepted")),
    PublicPost("sign-up cancellation", _registration_action("cancel", "confirmed")),
    PublicPost("seat offer accepted", _registration_action("accept", "offered")),
    PublicPost("seat offer declined", _registration_action("decline", "offered")),
]


@pytest.mark.parametrize("post", PUBLIC_POSTS, ids=str)
def test_public_post_past_the_rate_gets_the_429_page_and_changes_nothing(
    client, settings, rate_limits, post
):
    settings.PUBLIC_POST_RATE = "1/10m"
    path, data = post.prepare()
    assert client.post(path, data, **EN).status_code == 302
    path, data = post.prepare()  # a second one, on rows of its own
    before = database_snapshot()

    blocked = client.post(path, data, **EN)

    assert blocked.status_code == 429
    assert "Too many attempts" in blocked.content.decode()
    assert database_snapshot() == before


@pytest.mark.parametrize("post", PUBLIC_POSTS, ids=str)
def test_each_public_post_counts_apart_from_the_others(client, settings, rate_limits, post):
    settings.PUBLIC_POST_RATE = "1/10m"
    path, data = post.prepare()
    client.post(path, data, **EN)
    assert client.post(path, data, **EN).status_code == 429

    others = [other.prepare() for other in PUBLIC_POSTS if other is not post] + [
        ("/lien-perdu/", {"email": "ada@example.org"})
    ]

    assert [client.post(p, d, **EN).status_code for p, d in others] == [302] * len(others)


def test_rate_limited_sign_up_speaks_french_to_a_french_visitor(client, settings, rate_limits):
    settings.PUBLIC_POST_RATE = "1/10m"
    path, data = _signup()
    client.post(path, data)

    blocked = client.post(path, states.signup_form_data(), HTTP_ACCEPT_LANGUAGE="fr")

    assert blocked.status_code == 429
    assert '<html lang="fr">' in blocked.content.decode()


def test_empty_addresses_do_not_share_one_counter_across_clients(client, rate_limits):
    path = states.signup_form()

    statuses = [
        client.post(path, {"email": ""}, REMOTE_ADDR=f"198.51.100.{i}", **EN).status_code
        for i in range(7)
    ]

    assert statuses == [200] * 7


# Honeypot


@pytest.mark.parametrize(
    "prepare", [_signup, _proposal, _proposal_change], ids=["sign-up", "proposal", "change"]
)
def test_filled_honeypot_saves_nothing_and_says_so_beside_the_field(client, prepare):
    path, data = prepare()
    before = database_snapshot()

    response = client.post(path, {**data, HONEYPOT_FIELD: "http://spam.example"}, **EN)

    page = response.content.decode()
    assert response.status_code == 200
    assert f'id="error_1_id_{HONEYPOT_FIELD}"' in page
    assert "Leave this field empty" in page
    assert database_snapshot() == before


@pytest.mark.parametrize("path", ["/inscription/{}/", "/proposition/{}/"])
def test_honeypot_is_on_the_form_out_of_sight_and_out_of_the_tab_order(client, event, path):
    page = client.get(path.format(event.slug), **EN).content.decode()

    assert f'id="div_id_{HONEYPOT_FIELD}" class="mb-3 form-hp"' in page
    assert f'name="{HONEYPOT_FIELD}"' in page
    assert 'tabindex="-1"' in page


# Error reports


def _report_of_the_crash(caplog) -> tuple[str, list]:
    """The HTML error report Django would mail for the logged crash, and the variables it
    shows of the view's frames and of every function the view called.

    (Django's own frames above the view show the request, whose path is the private link:
    the report's URL carries the token whatever the view does.)
    """
    from django.views.debug import ExceptionReporter

    [record] = [r for r in caplog.records if r.name == "django.request" and r.exc_info]
    report = ExceptionReporter(record.request, *record.exc_info, is_email=True)
    shown, in_view = [], False
    tb = record.exc_info[2]
    while tb is not None:
        in_view = in_view or tb.tb_frame.f_code.co_name == "sensitive_variables_wrapper"
        if in_view:
            shown += SafeExceptionReporterFilter().get_traceback_frame_variables(
                record.request, tb.tb_frame
            )
        tb = tb.tb_next
    assert in_view, "the view is not marked with sensitive_variables"
    return report.get_traceback_html(), shown


class Crash(Exception):
    pass


def _crash(**kwargs):
    raise Crash("the service failed")


def test_a_crash_during_sign_up_keeps_what_the_person_typed_out_of_the_error_report(
    monkeypatch, caplog, event
):
    monkeypatch.setattr(registration_services, "register", _crash)
    caplog.set_level(logging.ERROR, logger="django.request")
    data = states.signup_form_data(last_name="Secretname", email="secret.person@example.org")

    response = Client(raise_request_exception=False).post(f"/inscription/{event.slug}/", data)

    html, variables = _report_of_the_crash(caplog)
    assert response.status_code == 500
    assert "Secretname" not in html and "secret.person" not in html
    assert "Secretname" not in repr(variables) and "secret.person" not in repr(variables)
    assert Registration.objects.count() == 0


def test_a_crash_behind_a_private_link_keeps_the_token_out_of_the_reports_variables(
    monkeypatch, caplog
):
    path = states.registration_page("confirmed", "cancel")
    token = path.rstrip("/").split("/")[-2]
    monkeypatch.setattr(registration_services, "cancel", _crash)
    caplog.set_level(logging.ERROR, logger="django.request")

    response = Client(raise_request_exception=False).post(path)

    _html, variables = _report_of_the_crash(caplog)
    assert response.status_code == 500
    assert any(name == "token" for name, _value in variables)
    assert token not in repr(variables)
    assert token not in caplog.text  # the log line itself is redacted (iness.redaction)


def test_a_crash_while_sending_a_proposal_keeps_the_proposal_out_of_the_error_report(
    monkeypatch, caplog, event
):
    monkeypatch.setattr(proposal_services, "submit", _crash)
    caplog.set_level(logging.ERROR, logger="django.request")
    data = states.proposal_form_data(title="Titre confidentiel", email="secret.person@example.org")

    response = Client(raise_request_exception=False).post(f"/proposition/{event.slug}/", data)

    html, variables = _report_of_the_crash(caplog)
    assert response.status_code == 500
    assert "Titre confidentiel" not in html and "secret.person" not in html
    assert "secret.person" not in repr(variables)
    assert Proposal.objects.count() == 0
