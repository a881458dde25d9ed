from django import template

from iness.privacy import PrivacyFacts, privacy_facts

register = template.Library()


@register.simple_tag
def privacy_notice_facts() -> PrivacyFacts:
    """`{% privacy_notice_facts as privacy %}`: contact, retention delay, version."""
    return privacy_facts()
