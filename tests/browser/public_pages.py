"""Every public page, in every state a visitor can see, for the accessibility and HTML checks.

Each entry's `visit(page, base_url)` creates what the page needs (through the same helpers as
the other tests) and leaves the browser on the page in that state. The checks in
test_accessibility.py run on each entry in French and English, at desktop and 320 px width.
Add an entry for every new public page and every form's error state.
"""

from collections.abc import Callable
from dataclasses import dataclass

from iness.models import Event
from tests import states
from tests.conftest import build_event
from tests.day import states as day_states


@dataclass(frozen=True)
class PageState:
    name: str
    visit: Callable[..., None]

    def __str__(self):
        return self.name


def submit_main_form(page) -> None:
    """Submit the page's own form (not the language switch) and wait for the answer."""
    with page.expect_navigation():
        page.locator("main form [type=submit]").first.click()


def _goto(path_maker, *args, **kwargs):
    def visit(page, base_url):
        page.goto(base_url + path_maker(*args, **kwargs))

    return visit


def home(page, base_url):
    build_event()
    page.goto(base_url + "/")


def home_without_event(page, base_url):
    Event.objects.update(is_published=False)
    page.goto(base_url + "/")


def privacy(page, base_url):
    page.goto(base_url + "/confidentialite/")


def lost_link(page, base_url):
    page.goto(base_url + "/lien-perdu/")


def lost_link_with_error(page, base_url):
    page.goto(base_url + "/lien-perdu/")
    page.locator("main input[name=email]").fill("not an address")
    submit_main_form(page)
    assert page.locator(".invalid-feedback").count() == 1, "the error state was not reached"


def lost_link_sent(page, base_url):
    page.goto(base_url + "/lien-perdu/")
    page.locator("main input[name=email]").fill("someone@example.org")
    submit_main_form(page)
    assert page.url.endswith("/lien-perdu/envoye/")


def home_with_presentation(page, base_url):
    states.new_event(presentation=states.PRESENTATION, presentation_en="")
    Event.objects.exclude(presentation="").update(date=states.future(days=1).date())
    page.goto(base_url + "/")
    assert page.locator(".markdown-text h2").count() == 2, "the presentation is not shown"


def home_without_event_after_past_days(page, base_url):
    states.archive()
    Event.objects.filter(date__gte=states.future(days=0).date()).update(is_published=False)
    page.goto(base_url + "/")


SITE_PAGES = [
    PageState("home", home),
    PageState("home with a presentation", home_with_presentation),
    PageState("home without event", home_without_event),
    PageState("home without event, past days held", home_without_event_after_past_days),
    PageState("legal notice", _goto(lambda: "/mentions-legales/")),
    PageState("accessibility statement", _goto(lambda: "/accessibilite/")),
    PageState("past days", _goto(states.archive)),
    PageState("past days, none yet", _goto(states.archive, with_days=False)),
    PageState("practical information", _goto(states.practical_information)),
    PageState("privacy notice", privacy),
    PageState("lost link form", lost_link),
    PageState("lost link form with error", lost_link_with_error),
    PageState("lost link sent", lost_link_sent),
]


# Sign-up pages ---------------------------------------------------------------------------


def fill_signup_form(page, *, email: str) -> None:
    """Fill the sign-up form by its fields' ids (the same in both languages) and send it."""
    page.locator("#id_first_name").fill("Zoé")
    page.locator("#id_last_name").fill("Łukasiewicz")
    page.locator("#id_email").fill(email)
    page.locator("#id_organisation").fill("Coopérative numérique")
    page.locator("#id_organisation_kind_0").check()
    page.locator("#id_profile_2").check()
    page.locator("#id_consent").check()
    submit_main_form(page)


def _form_with_errors(path_maker, *args):
    """Send the form empty (novalidate lets it through) and stay on its error state."""

    def visit(page, base_url):
        page.goto(base_url + path_maker(*args))
        submit_main_form(page)
        assert page.locator(".error-summary").count() == 1, "the error state was not reached"

    return visit


def _signup_result(path_maker, *, email="result@example.org"):
    def visit(page, base_url):
        page.goto(base_url + path_maker())
        fill_signup_form(page, email=email)
        assert page.url.endswith("/merci/"), "the result page was not reached"

    return visit


def _refused_for_too_many_posts(path_maker, fill):
    """The form sent once too often from one connection: shown again, with what was typed."""

    def visit(page, base_url):
        from django.core.cache import cache
        from django.test import override_settings

        path = path_maker()
        with override_settings(RATELIMIT_ENABLE=True, PUBLIC_POST_RATE="1/h"):
            cache.clear()
            try:
                for n in range(2):
                    page.goto(base_url + path)
                    fill(page, email=f"refused{n}@example.org")
            finally:
                cache.clear()
        assert page.locator("#id_email").input_value() == "refused1@example.org"

    return visit


def signup_after_cancelling(page, base_url):
    page.goto(base_url + states.registration_page("confirmed", "cancel"))
    submit_main_form(page)
    assert page.locator('main [role="status"], main [role="alert"]').count() >= 1


SIGNUP_PAGES = [
    PageState("sign-up form", _goto(states.signup_form)),
    PageState("sign-up form, all seats taken", _goto(states.full_signup_form)),
    PageState("sign-up form with errors", _form_with_errors(states.signup_form)),
    PageState(
        "sign-up form sent too often",
        _refused_for_too_many_posts(states.signup_form, fill_signup_form),
    ),
    PageState("sign-up not open yet", _goto(states.signup_not_open_yet)),
    PageState("sign-up closed", _goto(states.signup_closed)),
    PageState("sign-up result, seat confirmed", _signup_result(states.signup_form)),
    PageState("sign-up result, waiting list", _signup_result(states.full_signup_form)),
    PageState(
        "sign-up result, already signed up",
        _signup_result(states.signup_form_of_someone_signed_up, email=states.ALREADY_SIGNED_UP),
    ),
    *[
        PageState(f"sign-up private page, {state}", _goto(states.registration_page, state))
        for state in states.REGISTRATION_STATES
    ],
    PageState("sign-up private page after cancelling", signup_after_cancelling),
    PageState("correct my details form", _goto(states.registration_page, "confirmed", "details")),
    PageState("confirm a new address", _goto(states.address_change_page)),
    PageState("cancel sign-up step", _goto(states.registration_page, "confirmed", "cancel")),
    PageState("leave waiting list step", _goto(states.registration_page, "waitlisted", "cancel")),
    PageState("confirm sign-up step", _goto(states.registration_page, "held", "verify")),
    PageState(
        "confirm waiting-list place step",
        _goto(states.registration_page, "unconfirmed waitlisted", "verify"),
    ),
    PageState("accept seat step", _goto(states.registration_page, "offered", "accept")),
    PageState("give up seat step", _goto(states.registration_page, "offered", "decline")),
    PageState("sign-up link that does not work", _goto(lambda: states.INVALID_REGISTRATION_LINK)),
]


# Proposal pages --------------------------------------------------------------------------


def fill_proposal_form(page, *, email: str, also_register: bool = True) -> None:
    """Fill the proposal form by its fields' ids and send it."""
    page.locator("#id_format_1").check()
    page.locator("#id_title").fill("Imaginer une étude sur une épicerie solidaire")
    page.locator("#id_summary").fill("Ce que les données de caisse racontent.")
    page.locator("#id_experience").fill("L'Épicerie du coin, Lyon")
    page.locator("#id_first_name").fill("Amina")
    page.locator("#id_last_name").fill("حداد")
    page.locator("#id_email").fill(email)
    page.locator("#id_organisation").fill("Épicerie du coin")
    page.locator("#id_organisation_kind_0").check()  # ess
    page.locator("#id_profile_1").check()  # practitioner
    fill_panel(page)
    if page.locator("#id_also_register").count():
        page.locator("#id_also_register").set_checked(also_register)
    page.locator("#id_consent").check()
    submit_main_form(page)


PANEL = [("Li", "Na", "li@example.org"), ("Grace", "Hopper", "grace@example.org")]


def fill_panel(page, panel=PANEL) -> None:
    """Name the round table's panellists in the form's first rows."""
    for row, (first, last, email) in enumerate(panel, start=1):
        page.locator(f"#id_panel_{row}_first_name").fill(first)
        page.locator(f"#id_panel_{row}_last_name").fill(last)
        page.locator(f"#id_panel_{row}_email").fill(email)


def _proposal_result(path_maker, *, also_register=True, email="speaker@example.org"):
    def visit(page, base_url):
        page.goto(base_url + path_maker())
        fill_proposal_form(page, email=email, also_register=also_register)
        assert page.url.endswith("/envoyee/"), "the result page was not reached"

    return visit


def proposal_after_a_change(page, base_url):
    page.goto(base_url + states.proposal_page("submitted", "edit"))
    page.locator("#id_title").fill("Étudier ensemble une épicerie solidaire")
    submit_main_form(page)
    assert page.locator('main [role="status"]').count() >= 1


def proposal_edit_with_errors(page, base_url):
    page.goto(base_url + states.proposal_page("submitted", "edit"))
    page.locator("#id_title").fill("")
    submit_main_form(page)
    assert page.locator(".error-summary").count() == 1, "the error state was not reached"


PROPOSAL_PAGES = [
    PageState("proposal form", _goto(states.proposal_form)),
    PageState("proposal form with errors", _form_with_errors(states.proposal_form)),
    PageState(
        "proposal form, sign-up not open yet",
        _goto(states.proposal_form, registration_opens_at=states.future(days=2)),
    ),
    PageState("proposals closed", _goto(states.proposals_closed)),
    PageState("proposal result, seat confirmed", _proposal_result(states.proposal_form)),
    PageState("proposal result, waiting list", _proposal_result(states.full_proposal_form)),
    PageState(
        "proposal result, already signed up",
        _proposal_result(states.proposal_form_of_someone_signed_up, email=states.ALREADY_SIGNED_UP),
    ),
    PageState(
        "proposal result without sign-up",
        _proposal_result(states.proposal_form, also_register=False),
    ),
    PageState(
        "proposal result, sign-up closed",
        _proposal_result(
            lambda: states.proposal_form(
                registration_opens_at=states.past(days=5),
                registration_closes_at=states.past(hours=1),
            )
        ),
    ),
    *[
        PageState(f"proposal private page, {state}", _goto(states.proposal_page, state))
        for state in states.PROPOSAL_STATES
    ],
    PageState("proposal private page after a change", proposal_after_a_change),
    PageState("proposal edit form", _goto(states.proposal_page, "submitted", "edit")),
    PageState("proposal edit form with errors", proposal_edit_with_errors),
    PageState("withdraw proposal step", _goto(states.proposal_page, "submitted", "withdraw")),
    *[
        PageState(
            f"page of a person named in a proposal, {state}", _goto(states.panellist_page, state)
        )
        for state in states.PANELLIST_STATES
    ],
    PageState("proposal link that does not work", _goto(lambda: states.INVALID_PROPOSAL_LINK)),
    PageState("proposal private page with its slot", _goto(states.proposal_page_with_a_slot)),
    PageState("programme", _goto(states.programme)),
    PageState("programme not published yet", _goto(states.programme, published=False)),
    PageState("programme without contributions", _goto(states.programme, with_items=False)),
]

# The day and after it (tests/day/states.py) ----------------------------------------------

DAY_PAGES = [
    PageState("sign-up private page after the day", _goto(day_states.after_the_day_page)),
    PageState("feedback form", _goto(day_states.after_the_day_page, "feedback")),
    PageState(
        "feedback form with errors", _form_with_errors(day_states.after_the_day_page, "feedback")
    ),
    PageState("slides form", _goto(day_states.slides_page)),
    PageState("slides form with errors", _form_with_errors(day_states.slides_page)),
    PageState(
        "programme after the day, with slides",
        _goto(day_states.programme_after_the_day_with_slides),
    ),
]

PUBLIC_PAGES = [*SITE_PAGES, *SIGNUP_PAGES, *PROPOSAL_PAGES, *DAY_PAGES]
