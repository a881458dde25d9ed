from django import forms
from django.contrib.admin.widgets import AdminRadioSelect
from django.utils.translation import gettext_lazy as _

from iness.models import Event

from .models import Audience


class AnnouncementForm(forms.Form):
    """A message to the people of an event: written, previewed with its count, then sent."""

    event = forms.ModelChoiceField(
        label=_("Event"), queryset=Event.objects.order_by("-date"), empty_label=None
    )
    audience = forms.ChoiceField(
        label=_("Send to"), choices=Audience.choices, widget=AdminRadioSelect
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Message"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 14, "cols": 80}),
        help_text=_(
            "Plain text. Each person gets their own copy, with a line saying why they receive it "
            "and the event's contact address to reply to."
        ),
    )
    # Filled in by the preview: the sending's identity (against double sending) and the count
    # the organiser saw (the audience may change before they press "send").
    key = forms.UUIDField(required=False, widget=forms.HiddenInput)
    expected_count = forms.IntegerField(required=False, widget=forms.HiddenInput)
