"""The feedback form of the private link, after the day (services.give_feedback)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from iness.validators import check_text_fields

from .models import Feedback
from .services import FeedbackData


class FeedbackForm(forms.ModelForm):
    class Meta:
        model = Feedback
        fields = ["overall", "exchanges", "organisation", "comment"]
        labels = {
            "overall": _("The day as a whole"),
            "exchanges": _("Exchanges between researchers and practitioners"),
            "organisation": _("Practical organisation (venue, timing, information)"),
            "comment": _("A comment, a wish for the next day (optional)"),
        }
        help_texts = {
            "comment": _("Organisers read it without your name."),
        }
        widgets = {
            "overall": forms.RadioSelect,
            "exchanges": forms.RadioSelect,
            "organisation": forms.RadioSelect,
            "comment": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ["overall", "exchanges", "organisation"]:
            self.fields[name].choices = [c for c in self.fields[name].choices if c[0]]
        check_text_fields(self)
        self.helper = FormHelper()
        # The page writes the <form novalidate> tag: crispy would also put the form's
        # attributes on each group of radio buttons, where they are not valid HTML.
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.add_input(Submit("submit", _("Send my feedback")))

    def feedback_data(self) -> FeedbackData:
        data = self.cleaned_data
        return FeedbackData(
            overall=data["overall"],
            exchanges=data["exchanges"],
            organisation=data["organisation"],
            comment=data["comment"],
        )
