"""The mail banner of the admin: shown on every admin page while mail is stuck or failing."""

from django import template
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from iness import sending, smtp

register = template.Library()

# What each kind of server problem means, for organisers (iness.smtp reasons).
REASONS = {
    smtp.UNREACHABLE: _("the mail server cannot be reached (connection refused or broken)."),
    smtp.TIMEOUT: _("the mail server does not answer in time."),
    smtp.TOO_SLOW: _("the mail server is far too slow: one email took longer than allowed."),
    smtp.AUTHENTICATION: _(
        "the mail server refuses the site's user name or password (setting EMAIL_URL)."
    ),
    smtp.SENDER_REFUSED: _(
        "the mail server refuses the site's sender address (setting DEFAULT_FROM_EMAIL)."
    ),
    smtp.CLOSING: _("the mail server turns connections away for now (busy or closing)."),
    smtp.TLS: _("the secure connection (TLS) to the mail server fails."),
    smtp.OTHER: _("the mail server answers with an error."),
}


@register.inclusion_tag("admin/iness/mail_banner.html", takes_context=True)
def mail_banner(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm("iness.view_outgoingmail"):
        return {"health": None}
    health = sending.health()
    return {
        "health": health if health.worrying else None,
        "reason": REASONS.get(health.reason, REASONS[smtp.OTHER]),
        "give_up_hours": settings.MAIL_GIVE_UP_HOURS,
    }
