import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from iness.privacy import PRIVACY_NOTICE_VERSION

pytestmark = pytest.mark.django_db


def test_privacy_notice_tells_what_the_cnil_asks_for(client):
    page = client.get("/confidentialite/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    for fact in [
        "The controller is Institut Mines-Télécom",
        "INESS",
        'href="mailto:iness@listes.imt.fr"',
        "Why we use your data, and on what basis",
        "public-interest mission",
        "Article 6(1)(e)",
        "consent (Article 6(1)(a))",
        "Required: your first and last name, email address",
        "Optional: what you would like to discuss",
        "Only the members of the INESS organising committee",
        "anonymised 90 days after the day",
        "access your data, to have it corrected or erased, to object to its use",
        "restricted",
        'href="/lien-perdu/"',
        "lodge a complaint with the CNIL",
        f"Version of this notice: {PRIVACY_NOTICE_VERSION}.",
    ]:
        assert fact in page, fact


def test_privacy_notice_is_in_french_by_default(client):
    page = client.get("/confidentialite/").content.decode()

    assert "<h1>Politique de confidentialité</h1>" in page
    assert "Le responsable du traitement est l’Institut Mines-Télécom" in page
    assert "anonymisés 90 jours après la journée" in page
    assert "réclamation à la CNIL" in page


def test_privacy_notice_states_the_configured_retention_and_officer(client, settings):
    settings.RETENTION_DAYS = 30
    settings.DPO_EMAIL = "dpo@example.org"

    page = client.get("/confidentialite/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "anonymised 30 days after the day" in page
    assert 'href="mailto:dpo@example.org"' in page


def test_privacy_notice_names_no_officer_when_none_is_configured(client, settings):
    settings.DPO_EMAIL = ""

    page = client.get("/confidentialite/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "data protection officer" not in page


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "they are anonymised 90 days after the day"),
        ("fr", "elles sont anonymisées 90 jours après la journée"),
    ],
)
def test_short_notice_for_forms_links_to_the_full_one(language, expected):
    from django.utils import translation

    with translation.override(language):
        html = render_to_string("includes/privacy_short.html", request=RequestFactory().get("/"))

    assert 'id="privacy-short"' in html
    assert expected in html
    assert 'href="/confidentialite/"' in html
