"""Readable names of the kinds of email, for organisers (the outbox records template names
such as `registrations.confirmed` or `proposals/accepted`)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "registrations/confirmed": _("Sign-up: seat confirmed"),
    "registrations/waitlisted": _("Sign-up: on the waiting list"),
    "registrations/offer": _("Sign-up: seat offered"),
    "registrations/offer_accepted": _("Sign-up: offered seat accepted"),
    "registrations/offer_lapsed": _("Sign-up: seat offer lapsed"),
    "registrations/cancelled": _("Sign-up: cancelled"),
    "registrations/reminder": _("Sign-up: reminder before the day"),
    "registrations/link_again": _("Sign-up: private link sent again"),
    "registrations/organisers_signup": _("Organisers: new sign-up"),
    "registrations/organisers_cancelled": _("Organisers: sign-up cancelled"),
    "registrations/organisers_erased": _("Organisers: sign-up erased"),
    "proposals/received": _("Proposal: received"),
    "proposals/edited": _("Proposal: changed by the speaker"),
    "proposals/withdrawn": _("Proposal: withdrawn"),
    "proposals/accepted": _("Proposal: accepted"),
    "proposals/rejected": _("Proposal: not retained"),
    "proposals/reminder": _("Proposal: reminder to confirm"),
    "proposals/links": _("Proposal: private links sent again"),
    "proposals/slot_changed": _("Proposal: programme slot changed"),
    "proposals/organisers_received": _("Organisers: new proposal"),
    "proposals/organisers_withdrawn": _("Organisers: proposal withdrawn"),
    "proposals/organisers_erased": _("Organisers: proposal erased"),
    "announcement": _("Message to attendees"),
}


def label(kind: str) -> str:
    """The kind's name for organisers; the code itself for a kind nobody named yet."""
    return str(LABELS.get(kind.replace(".", "/"), kind))
