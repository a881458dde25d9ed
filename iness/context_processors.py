"""What every page's frame (templates/base.html) shows: the contact address and the
accessibility state the footer states. Settings and constants only, no query: the error
pages use it too, the 500 page included."""

from .abuse import post_refused
from .legal import accessibility_facts


def site(request) -> dict:
    facts = accessibility_facts()
    return {
        "site_contact_email": facts.contact_email,
        "site_accessibility_label": facts.conformity_label,
        # A public form sent too often from one connection (iness.abuse): shown again with
        # what was typed, under a message that says when to send it again.
        "post_refused": post_refused(request),
    }
