"""The legal notice, the accessibility statement, and the footer that links them everywhere."""

import re

import pytest
from django.core import checks
from django.test import Client

from tests.iness.test_public_pages import PUBLIC_REQUESTS, _fetch

pytestmark = pytest.mark.django_db

LEGAL_SETTINGS = {
    "LEGAL_PUBLISHER_ADDRESS": "1 rue de l'Exemple, 75000 Paris",
    "LEGAL_PUBLISHER_PHONE": "+33 1 00 00 00 00",
    "LEGAL_DIRECTOR": "Camille Exemple, directrice générale",
    "LEGAL_HOST_NAME": "Hébergeur Exemple SAS",
    "LEGAL_HOST_ADDRESS": "2 avenue de l'Exemple, 69000 Lyon",
    "LEGAL_HOST_PHONE": "+33 4 00 00 00 00",
}


def test_legal_notice_states_publisher_director_host_and_contact_from_the_settings(
    client, settings
):
    for name, value in LEGAL_SETTINGS.items():
        setattr(settings, name, value)
    settings.CONTACT_EMAIL = "contact@example.org"

    page = client.get("/mentions-legales/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert "<h1>Mentions légales</h1>" in page
    assert "édité par l’Institut Mines-Télécom" in page
    for value in LEGAL_SETTINGS.values():
        assert value.replace("'", "&#x27;") in page
    assert 'href="mailto:contact@example.org"' in page
    assert "pas encore indiqué" not in page


def test_legal_notice_says_what_is_not_stated_yet_rather_than_inventing_it(client, settings):
    for name in LEGAL_SETTINGS:
        setattr(settings, name, "")

    page = client.get("/mentions-legales/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    # Publisher's address, host's name, address and telephone.
    assert page.count("<em>not stated yet</em>") == 4
    # The director of publication is, by law, the publisher's legal representative.
    assert "The director general of Institut Mines-Télécom, its legal representative." in page


def test_deploy_check_warns_while_the_legal_notice_lacks_a_fact(settings):
    for name, value in LEGAL_SETTINGS.items():
        setattr(settings, name, value)
    settings.LEGAL_HOST_PHONE = ""

    warnings = checks.run_checks(include_deployment_checks=True, tags=["legal"])

    assert [(w.id, w.msg.split(" ")[0]) for w in warnings] == [("iness.W001", "LEGAL_HOST_PHONE")]


def test_deploy_check_is_quiet_once_the_legal_notice_is_complete(settings):
    for name, value in LEGAL_SETTINGS.items():
        setattr(settings, name, value)
    settings.LEGAL_DIRECTOR = ""  # optional: the page names the role

    assert checks.run_checks(include_deployment_checks=True, tags=["legal"]) == []


def test_accessibility_statement_has_the_parts_of_the_rgaa_model(client, settings):
    settings.CONTACT_EMAIL = "contact@example.org"

    page = client.get("/accessibilite/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert "<h1>Déclaration d’accessibilité</h1>" in page
    assert "article 47 de la loi n° 2005-102 (la loi de février 2005 sur le handicap)" in page
    assert "est <strong>non conforme</strong> avec le RGAA, version 4.1.2" in page
    for heading in [
        "État de conformité",
        "Comment le site a été vérifié",
        "Pages testées",
        "Non-conformités connues",
        "Dérogations pour charge disproportionnée",
        "Retour d’information et contact",
        "Voies de recours",
    ]:
        assert f">{heading}</h" in page, heading
    for method in ["axe-core", "Nu HTML Checker", "320 pixels", "Clavier", "Sans JavaScript"]:
        assert method in page, method
    assert 'href="mailto:contact@example.org"' in page
    assert "Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07" in page
    assert "Déclaration établie le vendredi 4 décembre 2026." in page


def test_accessibility_statement_reads_in_english(client):
    page = client.get("/accessibilite/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "<h1>Accessibility statement</h1>" in page
    assert "is <strong>not compliant</strong> with the RGAA, version 4.1.2" in page
    assert "refer the matter to the Défenseur des droits" in page
    assert "Statement made on Friday 4 December 2026." in page


FOOTER_LINKS = {
    "/archives/": ("Past INESS days", "Journées INESS passées"),
    "/confidentialite/": ("Privacy notice", "Politique de confidentialité"),
    "/mentions-legales/": ("Legal notice", "Mentions légales"),
    "/accessibilite/": ("Accessibility: not compliant", "Accessibilité\u00a0: non conforme"),
}


def footer_links(page: str) -> dict[str, str]:
    footer = page.split('<footer class="site-footer', 1)[1]
    return dict(re.findall(r'<a href="([^"]+)">([^<]+)</a>', footer))


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("request_", PUBLIC_REQUESTS, ids=str)
def test_every_public_page_links_to_the_legal_pages_archive_and_contact(
    client, event, request_, language
):
    response = _fetch(client, request_, language)

    links = footer_links(response.content.decode())

    english = language == "en"
    for url, (label_en, label_fr) in FOOTER_LINKS.items():
        assert links.get(url) == (label_en if english else label_fr), (url, links)
    assert links.get("mailto:iness@listes.imt.fr") == "iness@listes.imt.fr"


@pytest.mark.urls("tests.iness.urls_errors")
@pytest.mark.parametrize("url", ["/no-such-page/", "/test-forbidden/", "/test-broken/"])
def test_error_pages_have_the_footer_too(url):
    # The 500 page reads nothing from the database: neither does the footer.
    client = Client(raise_request_exception=False)

    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert set(FOOTER_LINKS) <= set(footer_links(page))


def test_footer_gives_the_contact_address_of_the_settings(client, settings):
    settings.CONTACT_EMAIL = "ecrire@example.org"

    links = footer_links(client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode())

    assert links["mailto:ecrire@example.org"] == "ecrire@example.org"
