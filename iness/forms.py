import logging

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.forms.boundfield import BoundField
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .identity import PersonEmailFormField
from .models import Person

logger = logging.getLogger(__name__)

HONEYPOT_FIELD = "website"


class _HoneypotBoundField(BoundField):
    def css_classes(self, extra_classes=None):
        # Off screen for people (site.css), but a plain text input for bots, which fill in
        # every field they find. Shown with its error if someone did fill it in.
        if not self.errors:
            extra_classes = f"{extra_classes or ''} form-hp".strip()
        return super().css_classes(extra_classes)


class HoneypotField(forms.CharField):
    bound_field_class = _HoneypotBoundField

    def __init__(self):
        super().__init__(
            required=False,
            max_length=200,
            label=_("Leave this field empty"),
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )


class HoneypotMixin:
    """A field people never see and bots fill in: a form with it filled in is not valid.

    How to apply it to a form: put the mixin first, nothing else to write::

        class SignupForm(HoneypotMixin, forms.ModelForm):
            ...

    The view stays as it is: `form.is_valid()` is False for a bot, so the service is never
    called, nothing is saved, and the page is shown again with a message beside the field
    (no 500). If the form's FormHelper has an explicit `layout`, add `HONEYPOT_FIELD` to it
    (a helper without a layout renders every field, the honeypot included, last).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT_FIELD] = HoneypotField()

    def clean_website(self):
        value = self.cleaned_data.get(HONEYPOT_FIELD, "")
        if value:
            logger.info("Honeypot field filled in on %s: submission refused", type(self).__name__)
            raise forms.ValidationError(
                _("Leave this field empty: it is there to stop automated spam."),
                code="honeypot",
            )
        return value


class PersonFields(forms.Form):
    """Who the person is: the fields every public form asks, checked the same way everywhere
    (the address by iness.identity's rules). Mix it into a form."""

    first_name = forms.CharField(
        label=_("First name"),
        max_length=Person._meta.get_field("first_name").max_length,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=Person._meta.get_field("last_name").max_length,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    email = PersonEmailFormField(
        label=_("Email address"),
        max_length=Person._meta.get_field("email").max_length,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class LostLinkForm(HoneypotMixin, forms.Form):
    email = PersonEmailFormField(label=_("Your email address"), max_length=254)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        # Our own messages, beside the field and in the summary, in the page's language,
        # rather than the browser's bubbles that screen readers and translations handle badly.
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("submit", _("Send me my links")))


class ConfirmForm(forms.Form):
    """An empty form: the POST behind a confirmation button, protected by CSRF; reading it
    checks the posted body's size and number of fields before anything changes."""


def privacy_notice_help() -> str:
    """The short privacy notice (includes/privacy_short.html), as a consent box's help text.

    As help text it is shown right beside the box and tied to it by `aria-describedby`, so a
    screen reader reads it with the box. Rendered in the language active when the form is made.
    """
    return mark_safe(render_to_string("includes/privacy_short.html").strip())
