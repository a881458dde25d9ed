"""The speaker's slides form (proposals.services.slides checks the file itself)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _


class SlidesForm(forms.Form):
    file = forms.FileField(
        label=_("Your slides (PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    public = forms.BooleanField(
        label=_("Show my slides on the public programme after the day"),
        required=False,
        help_text=_("Unticked, only the committee can see them. You can change this at any time."),
    )

    def __init__(self, *args, has_slides: bool, max_mb: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_slides = has_slides
        self.fields["file"].help_text = _(
            "A PDF file of %(max)s MB at most. A new file replaces the one you sent before."
        ) % {"max": max_mb}
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("submit", _("Save")))

    def clean(self):
        data = super().clean()
        if not data.get("file") and not self.has_slides:
            self.add_error("file", _("Choose the PDF file of your slides."))
        return data
