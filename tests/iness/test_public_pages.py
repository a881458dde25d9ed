"""What every public page owes its visitors: no other site, no cookie but the needed ones.

PUBLIC_REQUESTS lists each public page, in each state a visitor can find it in (forms with
their errors, results, private pages in each status), as the test client asks for them; add
new public pages here (and to tests/browser/public_pages.py for the browser checks).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from tests import states

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class PublicRequest:
    name: str
    method: str
    # A path, or a function that makes what the page needs and returns its path.
    path: str | Callable[[], str]
    data: dict | Callable[[], dict] | None = None
    status: int = 200
    # A form sent, read on the page it leads to: such pages may need the session cookie.
    follow: bool = False

    def __str__(self):
        return self.name


def _get(name, path, *args, status=200, **kwargs):
    maker = path if not args and not kwargs else lambda: path(*args, **kwargs)
    return PublicRequest(name, "get", maker, status=status)


def _send(name, path, data, *args, follow=True):
    maker = path if not args else lambda: path(*args)
    return PublicRequest(name, "post", maker, data, follow=follow)


PUBLIC_REQUESTS = [
    _get("home", "/"),
    _get("privacy notice", "/confidentialite/"),
    _get("lost link form", "/lien-perdu/"),
    PublicRequest("lost link form with error", "post", "/lien-perdu/", {"email": "not an address"}),
    _get("lost link sent", "/lien-perdu/envoye/"),
    _get("legal notice", "/mentions-legales/"),
    _get("accessibility statement", "/accessibilite/"),
    _get("past days", states.archive),
    _get("past days, none yet", states.archive, with_days=False),
    _get("practical information", states.practical_information),
    # Sign-up
    _get("sign-up form", states.signup_form),
    _get("sign-up form, all seats taken", states.full_signup_form),
    _send("sign-up form with errors", states.signup_form, {}, follow=False),
    _get("sign-up not open yet", states.signup_not_open_yet),
    _get("sign-up closed", states.signup_closed),
    _send("sign-up result, seat confirmed", states.signup_form, states.signup_form_data),
    _send("sign-up result, waiting list", states.full_signup_form, states.signup_form_data),
    _send(
        "sign-up result, already signed up",
        states.signup_form_of_someone_signed_up,
        lambda: states.signup_form_data(email=states.ALREADY_SIGNED_UP),
    ),
    *[
        _get(f"sign-up private page, {state}", states.registration_page, state)
        for state in states.REGISTRATION_STATES
    ],
    _send(
        "sign-up private page after cancelling", states.registration_page, {}, "confirmed", "cancel"
    ),
    _get("cancel sign-up step", states.registration_page, "confirmed", "cancel"),
    _get("leave waiting list step", states.registration_page, "waitlisted", "cancel"),
    _get("confirm sign-up step", states.registration_page, "held", "verify"),
    _get(
        "confirm waiting-list place step",
        states.registration_page,
        "unconfirmed waitlisted",
        "verify",
    ),
    _get("accept seat step", states.registration_page, "offered", "accept"),
    _get("give up seat step", states.registration_page, "offered", "decline"),
    _get("correct my details form", states.registration_page, "confirmed", "details"),
    _send(
        "correct my details form with errors",
        states.registration_page,
        {"first_name": ""},
        "confirmed",
        "details",
        follow=False,
    ),
    _get("confirm a new address", states.address_change_page),
    _send("new address confirmed", states.address_change_page, {}, follow=False),
    _get("sign-up link that does not work", states.INVALID_REGISTRATION_LINK, status=404),
    # Proposals
    _get("proposal form", states.proposal_form),
    _send("proposal form with errors", states.proposal_form, {}, follow=False),
    _get(
        "proposal form, sign-up not open yet",
        states.proposal_form,
        registration_opens_at=states.future(days=2),
    ),
    _get("proposals closed", states.proposals_closed),
    _send(
        "proposal result, seat confirmed",
        states.proposal_form,
        lambda: states.proposal_form_data(also_register="on"),
    ),
    _send(
        "proposal result, waiting list",
        states.full_proposal_form,
        lambda: states.proposal_form_data(also_register="on"),
    ),
    _send(
        "proposal result, already signed up",
        states.proposal_form_of_someone_signed_up,
        lambda: states.proposal_form_data(email=states.ALREADY_SIGNED_UP, also_register="on"),
    ),
    _send("proposal result without sign-up", states.proposal_form, states.proposal_form_data),
    *[
        _get(f"proposal private page, {state}", states.proposal_page, state)
        for state in states.PROPOSAL_STATES
    ],
    _send(
        "proposal private page after a change",
        states.proposal_page,
        lambda: states.proposal_form_data(title="Étudier ensemble une épicerie solidaire"),
        "submitted",
        "edit",
    ),
    _get("proposal edit form", states.proposal_page, "submitted", "edit"),
    _send(
        "proposal edit form with errors",
        states.proposal_page,
        lambda: states.proposal_form_data(title=""),
        "submitted",
        "edit",
        follow=False,
    ),
    _get("withdraw proposal step", states.proposal_page, "submitted", "withdraw"),
    *[
        _get(f"page of a person named in a proposal, {state}", states.panellist_page, state)
        for state in states.PANELLIST_STATES
    ],
    _get("proposal link that does not work", states.INVALID_PROPOSAL_LINK, status=404),
    _get("proposal private page with its slot", states.proposal_page_with_a_slot),
    _get("programme", states.programme),
    _get("programme not published yet", states.programme, published=False),
    _get("programme without contributions", states.programme, with_items=False),
]
URL_ATTRIBUTES = {"src", "href", "action", "formaction", "srcset", "poster", "data", "cite"}
SITE = "testserver"


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name in URL_ATTRIBUTES:
                parts = value.split(",") if name == "srcset" else [value]
                self.urls += [part.strip().split(" ")[0] for part in parts]
            elif name == "style":
                self.urls += re.findall(r"url\(\s*['\"]?([^'\")]+)", value)
            elif tag == "meta" and name == "content" and "url=" in value.lower():
                self.urls.append(value.lower().split("url=", 1)[1])


def _foreign(urls: list[str]) -> list[str]:
    """URLs that would make the browser ask another site for something."""
    foreign = []
    for url in urls:
        parts = urlsplit(url.strip())
        if parts.scheme in ("", "mailto", "tel", "data") and not url.strip().startswith("//"):
            continue
        if parts.netloc == SITE and parts.scheme in ("http", "https"):
            continue
        foreign.append(url)
    return foreign


def _fetch(client, request: PublicRequest, language="fr"):
    path = request.path() if callable(request.path) else request.path
    data = request.data() if callable(request.data) else request.data
    return getattr(client, request.method)(
        path, data or {}, follow=request.follow, HTTP_ACCEPT_LANGUAGE=language
    )


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("request_", PUBLIC_REQUESTS, ids=str)
def test_public_page_refers_to_no_other_site(client, event, request_, language):
    response = _fetch(client, request_, language)
    parser = _Links()
    parser.feed(response.content.decode())
    stylesheets = [url for url in parser.urls if url.endswith(".css")]

    assert response.status_code == request_.status
    assert parser.urls, "the parser found no link at all"
    assert _foreign(parser.urls) == []
    for stylesheet in stylesheets:
        css = client.get(stylesheet)
        text = b"".join(css.streaming_content) if css.streaming else css.content
        assert _foreign(re.findall(r"url\(\s*['\"]?([^'\")]+)", text.decode())) == []


def test_foreign_url_check_catches_another_site():
    assert _foreign(
        ["https://cdn.example.org/x.js", "//fonts.example.org/f.css", "http://testserver.evil/"]
    ) == [
        "https://cdn.example.org/x.js",
        "//fonts.example.org/f.css",
        "http://testserver.evil/",
    ]
    assert _foreign(["/static/x.css", "mailto:a@b.c", "#content", "http://testserver/"]) == []


@pytest.mark.parametrize("request_", [r for r in PUBLIC_REQUESTS if not r.follow], ids=str)
def test_public_page_sets_only_the_csrf_cookie(client, event, request_):
    response = _fetch(client, request_)

    assert set(response.cookies) <= {"csrftoken"}
    assert set(client.cookies) <= {"csrftoken"}


@pytest.mark.parametrize("request_", [r for r in PUBLIC_REQUESTS if r.follow], ids=str)
def test_sent_form_adds_only_cookies_that_end_with_the_browser_session(client, event, request_):
    # The result page after a form is sent reads what to say from the session, and a message
    # ("your changes are saved") travels in a cookie: both strictly needed for the service
    # the visitor asked for, and neither outlives the browser session.
    _fetch(client, request_)

    assert set(client.cookies) <= {"csrftoken", "sessionid", "messages"}
    for name in {"sessionid", "messages"} & set(client.cookies):
        cookie = client.cookies[name]
        deleted = cookie["max-age"] == 0
        assert deleted or (cookie["expires"] == "" and cookie["max-age"] == ""), name


def test_choosing_a_language_adds_only_the_language_cookie(client, event):
    client.get("/")

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    client.get("/")

    assert set(client.cookies) == {"csrftoken", "django_language"}


def test_form_with_errors_says_so_in_the_title_and_links_each_error_to_its_field(client):
    response = client.post("/lien-perdu/", {"email": "not an address"}, HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()

    assert response.status_code == 200
    assert "<title>Error: Lost your link? · INESS</title>" in page
    assert 'role="alert"' in page
    assert '<a href="#id_email">Your email address: Enter a valid email address.</a>' in page
    assert 'aria-describedby="id_email_error"' in page


def test_form_with_errors_says_so_in_french_too(client):
    page = client.post("/lien-perdu/", {"email": ""}, HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert "<title>Erreur\u00a0: Lien perdu\u00a0? · INESS</title>" in page
    assert "Veuillez corriger ce qui suit\u00a0:" in page
    assert '<a href="#id_email">Votre adresse e-mail\u00a0: Ce champ est obligatoire.</a>' in page


def test_form_without_errors_has_a_plain_title(client):
    page = client.get("/lien-perdu/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "<title>Lost your link? · INESS</title>" in page
    assert 'role="alert"' not in page
    assert "Fields marked with an asterisk (*) are required." in page
