from django import template

from backoffice.summary import upcoming_summaries
from iness import sending

register = template.Library()


@register.simple_tag(takes_context=True, name="upcoming_summaries")
def upcoming_summaries_tag(context):
    """Summaries of the days to come, for those allowed to see sign-ups; else nothing."""
    user = context["request"].user
    if not (user.has_perm("iness.view_event") and user.has_perm("registrations.view_registration")):
        return []
    return upcoming_summaries(reader=user)


@register.simple_tag(takes_context=True, name="mail_health")
def mail_health_tag(context):
    """Where the outgoing mail stands (waiting, stuck, failed), for those who may see it."""
    if not context["request"].user.has_perm("iness.view_outgoingmail"):
        return None
    return sending.health()
