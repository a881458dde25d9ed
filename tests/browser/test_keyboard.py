"""The public forms filled in and sent with the keyboard alone, focus always visible."""

import pytest

from iness.forms import HONEYPOT_FIELD
from proposals.models import Proposal
from registrations.models import Registration
from tests import states

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ACTIVE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {id: el.id, tag: el.tagName.toLowerCase(), type: el.type || "",
          outline: style.outlineStyle, shadow: style.boxShadow};
}"""


class Keyboard:
    """Moves through a page with Tab only, remembering every element that got the focus."""

    def __init__(self, page):
        self.page = page
        self.visited: list[str] = []

    def active(self) -> dict:
        return self.page.evaluate(ACTIVE)

    def tab_to(self, element_id: str, *, most: int = 12) -> None:
        for _ in range(most):
            self.page.keyboard.press("Tab")
            active = self.active()
            self.visited.append(active["id"] or active["tag"])
            # Visible focus (WCAG 2.4.7): the site's outline, or Bootstrap's focus ring.
            assert active["outline"] != "none" or active["shadow"] != "none", active
            if active["id"] == element_id:
                return
        raise AssertionError(f"Tab never reached #{element_id}; went through {self.visited}")

    def type_into(self, element_id: str, text: str) -> None:
        self.tab_to(element_id)
        self.page.keyboard.type(text)


def test_sign_up_form_is_filled_in_and_sent_with_the_keyboard_alone(make_page, live_server):
    page = make_page(language="en")
    page.goto(live_server.url + states.signup_form())
    keys = Keyboard(page)

    keys.type_into("id_first_name", "Zoé")
    keys.type_into("id_last_name", "Łukasiewicz")
    keys.type_into("id_email", "zoe@example.org")
    keys.type_into("id_organisation", "Coopérative numérique")
    keys.tab_to("id_organisation_kind_0")
    page.keyboard.press("ArrowDown")  # moves to, and chooses, the second kind
    keys.tab_to("id_profile_0")
    page.keyboard.press("Space")
    keys.type_into("id_interests", "Les communs numériques")
    keys.tab_to("id_consent")
    page.keyboard.press("Space")
    keys.tab_to("submit-id-submit")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.get_by_role("heading", level=1).inner_text() == "Check your inbox"
    registration = Registration.objects.get()
    assert (
        registration.person.first_name,
        registration.organisation_kind,
        registration.profile,
    ) == (
        "Zoé",
        "research",
        "researcher",
    )
    assert registration.interests == "Les communs numériques"
    assert registration.person.wants_news is False
    assert f"id_{HONEYPOT_FIELD}" not in keys.visited


def test_proposal_form_is_filled_in_and_sent_with_the_keyboard_alone(make_page, live_server):
    page = make_page(language="en")
    page.goto(live_server.url + states.proposal_form())
    keys = Keyboard(page)

    keys.tab_to("id_format_0")
    page.keyboard.press("Space")
    keys.type_into("id_title", "Une épicerie solidaire")
    keys.type_into("id_summary", "Ce que les données de caisse racontent.")
    keys.type_into("id_experience", "L'Épicerie du coin, Lyon")
    keys.type_into("id_first_name", "Amina")
    keys.type_into("id_last_name", "Haddad")
    keys.type_into("id_email", "amina@example.org")
    keys.type_into("id_organisation", "Épicerie du coin")
    keys.tab_to("id_organisation_kind_0")
    page.keyboard.press("ArrowDown")  # moves to, and chooses, the second kind
    keys.tab_to("id_profile_0")
    page.keyboard.press("ArrowDown")
    keys.type_into("id_panel_1_first_name", "Li")
    keys.type_into("id_panel_1_last_name", "Na")
    keys.type_into("id_panel_1_email", "li@example.org")
    # Past the rows left empty (and the technical needs).
    keys.tab_to("id_also_register", most=40)
    page.keyboard.press("Space")  # unticks it: this speaker does not attend
    keys.tab_to("id_consent")
    page.keyboard.press("Space")
    keys.tab_to("id_wants_news")
    page.keyboard.press("Space")
    keys.tab_to("submit-id-submit")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.get_by_role("heading", level=1).inner_text() == "Proposal received"
    proposal = Proposal.objects.get()
    assert (proposal.format, proposal.title, proposal.person.last_name) == (
        "talk",
        "Une épicerie solidaire",
        "Haddad",
    )
    assert proposal.organisation_kind and proposal.profile
    assert proposal.person.wants_news is True
    assert proposal.registration is None
    assert [p.person.email for p in proposal.panellists.all()] == ["li@example.org"]
    assert f"id_{HONEYPOT_FIELD}" not in keys.visited


def test_errors_are_reached_first_with_the_keyboard(make_page, live_server):
    page = make_page(language="en")
    page.goto(live_server.url + states.signup_form())
    keys = Keyboard(page)
    keys.tab_to("submit-id-submit", most=40)
    with page.expect_navigation():
        page.keyboard.press("Enter")  # sent empty

    before_summary = []
    for _ in range(6):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.error-summary') !== null"):
            break
        before_summary.append(keys.active()["id"] or keys.active()["tag"])

    assert page.title().startswith("Error: ")
    # Past the skip link and the header, the first stop is the first error, before any field.
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#id_first_name"
    assert not [stop for stop in before_summary if stop.startswith("id_")], before_summary
