from django import template

from registrations.models import Registration

register = template.Library()


@register.simple_tag
def seats_left(event) -> int:
    """Seats nobody holds yet: what the home page announces."""
    taken = Registration.objects.filter(event=event).holding_seat().count()
    return max(event.capacity - taken, 0)
