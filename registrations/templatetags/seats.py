from django import template

from registrations import services

register = template.Library()


@register.simple_tag
def seats_left(event) -> int:
    """Seats nobody holds yet: what the home page announces."""
    return services.seats_left(event)
