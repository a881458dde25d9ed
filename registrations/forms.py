from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from iness.forms import HONEYPOT_FIELD, HoneypotMixin, PersonFields, privacy_notice_help
from iness.privacy import PRIVACY_NOTICE_VERSION
from iness.validators import check_text_fields

from .models import Registration
from .services import DetailsData, RegistrationData

NEWS_HELP = _(
    "Optional, and separate from the above. We would write only to announce the next INESS "
    "days, and stop whenever you ask."
)


class RegistrationForm(HoneypotMixin, PersonFields, forms.ModelForm):
    """The public sign-up form. It validates; `services.register` does the rest.

    Every text field has a maximum length (the model's) and refuses control characters
    (iness.validators); the address follows the email-key rules (iness.identity); choices
    are checked against the model's; the event and the status come from the URL and the
    service, never from the posted data.
    """

    consent = forms.BooleanField(
        required=True,
        error_messages={"required": _("Please accept the privacy notice to sign up.")},
    )
    wants_news = forms.BooleanField(
        label=_("Tell me about future INESS days"),
        help_text=NEWS_HELP,
        required=False,
        initial=False,
    )

    field_order = [
        "first_name",
        "last_name",
        "email",
        "organisation",
        "organisation_kind",
        "profile",
        "interests",
        "needs",
        "consent",
        "wants_news",
    ]

    class Meta:
        model = Registration
        fields = [
            "organisation",
            "organisation_kind",
            "profile",
            "interests",
            "needs",
        ]
        labels = {
            "organisation": _("Organisation"),
            "organisation_kind": _("Kind of organisation"),
            "profile": _("You are"),
            "interests": _("What would you like to discuss? (optional)"),
            "needs": _("Accessibility or dietary needs (optional)"),
        }
        help_texts = {
            "organisation": _("Or the initiative you are part of."),
            "interests": _("A theme, a question, an experience you would like to share."),
            "needs": _("So that we can welcome you well: access, diet, anything else."),
        }
        widgets = {
            "organisation": forms.TextInput(attrs={"autocomplete": "organization"}),
            "organisation_kind": forms.RadioSelect,
            "profile": forms.RadioSelect,
            "interests": forms.Textarea(attrs={"rows": 3}),
            "needs": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, full: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = _("We send your confirmation and your private link here.")
        self.fields["consent"].label = format_html(
            gettext(
                'I have read the <a href="{url}">privacy notice</a> and agree that INESS keeps '
                "these details to organise the day."
            ),
            url=reverse("privacy"),
        )
        self.fields["consent"].help_text = privacy_notice_help()
        # A model field with choices adds an empty "---------" option; radios need none.
        for name in ["organisation_kind", "profile"]:
            self.fields[name].choices = [c for c in self.fields[name].choices if c[0]]
        check_text_fields(self)
        self.helper = FormHelper()
        # The page writes the <form> tag (with novalidate: our own messages, beside the field
        # and in the summary at the top, rather than the browser's bubbles) and the CSRF
        # token itself, so that it can reuse the rendered empty form (see register.html).
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset(
                _("About you"),
                "first_name",
                "last_name",
                "email",
                "organisation",
                "organisation_kind",
                "profile",
            ),
            Fieldset(_("The day"), "interests", "needs"),
            Fieldset(_("Your consent"), "consent", "wants_news"),
            HONEYPOT_FIELD,
        )
        self.helper.add_input(
            Submit("submit", _("Join the waiting list") if full else _("Sign up"))
        )

    def registration_data(self, *, language: str) -> RegistrationData:
        data = self.cleaned_data
        return RegistrationData(
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            organisation=data["organisation"],
            profile=data["profile"],
            organisation_kind=data["organisation_kind"],
            interests=data["interests"],
            needs=data["needs"],
            language=language,
            wants_news=data["wants_news"],
            privacy_notice_version=PRIVACY_NOTICE_VERSION,
        )


class DetailsForm(PersonFields, forms.ModelForm):
    """An attendee corrects their details from their private link: names and address (the
    person's), organisation and needs (the sign-up's). A new address is verified first."""

    field_order = ["first_name", "last_name", "email", "organisation", "needs"]

    class Meta:
        model = Registration
        fields = ["organisation", "needs"]
        labels = RegistrationForm.Meta.labels
        help_texts = RegistrationForm.Meta.help_texts
        widgets = RegistrationForm.Meta.widgets

    def __init__(self, *args, instance: Registration, **kwargs):
        person = instance.person
        kwargs["initial"] = {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "email": person.email,
            **kwargs.get("initial", {}),
        }
        super().__init__(*args, instance=instance, **kwargs)
        self.fields["email"].help_text = _(
            "To use a new address, type it here: we send a link to it, and your address "
            "changes once you open that link and confirm."
        )
        check_text_fields(self)
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("submit", _("Save my changes")))

    def details_data(self) -> DetailsData:
        data = self.cleaned_data
        return DetailsData(
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            organisation=data["organisation"],
            needs=data["needs"],
        )
