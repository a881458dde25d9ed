"""What every public page owes its visitors: no other site, no cookie but the needed ones.

PUBLIC_REQUESTS lists each public page, and each form's error state, as the test client asks
for them; add new public pages here (and to tests/browser/public_pages.py for the browser
checks).
"""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.django_db

PUBLIC_REQUESTS = [
    ("home", "get", "/", None),
    ("privacy notice", "get", "/confidentialite/", None),
    ("lost link form", "get", "/lien-perdu/", None),
    ("lost link form with error", "post", "/lien-perdu/", {"email": "not an address"}),
    ("lost link sent", "get", "/lien-perdu/envoye/", None),
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


def _fetch(client, method, path, data, language="fr"):
    return getattr(client, method)(path, data or {}, HTTP_ACCEPT_LANGUAGE=language)


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(("name", "method", "path", "data"), PUBLIC_REQUESTS)
def test_public_page_refers_to_no_other_site(client, event, name, method, path, data, language):
    response = _fetch(client, method, path, data, language)
    parser = _Links()
    parser.feed(response.content.decode())
    stylesheets = [url for url in parser.urls if url.endswith(".css")]

    assert response.status_code == 200
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


@pytest.mark.parametrize(("name", "method", "path", "data"), PUBLIC_REQUESTS)
def test_public_page_sets_only_the_csrf_cookie(client, event, name, method, path, data):
    response = _fetch(client, method, path, data)

    assert set(response.cookies) <= {"csrftoken"}
    assert set(client.cookies) <= {"csrftoken"}


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
