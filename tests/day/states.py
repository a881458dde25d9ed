"""The pages of the day and after it, in each state a visitor finds them, for the page
checks (tests/browser/public_pages.py, tests/iness/test_public_pages.py)."""

from django.urls import reverse

from proposals import programme as day
from proposals import services as proposals
from proposals.models import Slot
from registrations import services as registrations
from tests import states

from .conftest import make_past, mark_present


def after_the_day_page(page: str = "manage") -> str:
    """The private page (or `page`: "feedback") of a seat holder marked present, after the
    day, whose certificate has been released."""
    registration = states.registration_in("confirmed")
    make_past(registration.event)
    mark_present(registration)
    registrations.release_certificates(event=registration.event, by="test")
    return states.private_path(registration, f"registrations:{page}")


def slides_page() -> str:
    """The slides page of an accepted proposal."""
    return states.private_path(states.proposal_in("accepted"), "proposals:slides")


def programme_after_the_day_with_slides() -> str:
    from tests.day.test_slides import pdf_bytes

    event = states.new_event(programme_published=True)
    talk = states.proposal_in("accepted", event=event, title="Cartographier l'entraide")
    day.save_day(
        event=event,
        changed=[Slot(event=event, proposal=talk, starts_at=states.dt.time(10, 0), duration=45)],
    )
    proposals.slides.upload(proposal=talk, content=pdf_bytes(), public=True)
    make_past(event)
    return reverse("proposals:programme", args=[event.slug])
