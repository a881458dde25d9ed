from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _


class LostLinkForm(forms.Form):
    email = forms.EmailField(label=_("Your email address"), max_length=254)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        # Our own messages, beside the field and in the summary, in the page's language,
        # rather than the browser's bubbles that screen readers and translations handle badly.
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("submit", _("Send me my links")))
