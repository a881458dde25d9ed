from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from iness.forms import HONEYPOT_FIELD, HoneypotMixin, PersonFields, privacy_notice_help
from iness.validators import check_text_fields
from registrations.forms import NEWS_HELP

from .models import Format, Proposal
from .services import ProposalData

# The expected length of each format, told on the form. Organisers who want other lengths
# change these two numbers; the sentences (and their translations) take them as they are.
TALK_MINUTES = 20
ROUND_TABLE_MINUTES = 45

FORMAT_DESCRIPTIONS = {
    Format.TALK: _(
        "Talk: you report on an experience of digital social innovation that you led or "
        "studied. About %(minutes)s minutes, followed by questions."
    ),
    Format.ROUND_TABLE: _(
        "Round table: you bring an experience, and together we imagine a study or a piece of "
        "research about it. About %(minutes)s minutes of discussion with the participants."
    ),
}

CONTENT_FIELDS = ["format", "title", "summary", "experience"]
SPEAKER_FIELDS = [
    "first_name",
    "last_name",
    "email",
    "organisation",
    "organisation_kind",
    "profile",
    "co_speakers",
    "needs",
]


def _format_choices() -> list[tuple[str, str]]:
    """The formats with their description, in the language of the request."""
    minutes = {Format.TALK: TALK_MINUTES, Format.ROUND_TABLE: ROUND_TABLE_MINUTES}
    return [
        (value, FORMAT_DESCRIPTIONS[value] % {"minutes": minutes[value]})
        for value, _label in Format.choices
    ]


# What the proposal itself holds of the speaker (the rest is their Person's).
PROPOSAL_SPEAKER_FIELDS = [
    name for name in SPEAKER_FIELDS if name not in {"first_name", "last_name", "email"}
]


class ProposalForm(HoneypotMixin, PersonFields, forms.ModelForm):
    """A new proposal: what it is about, who proposes it, and whether they also attend.

    Every text field has a maximum length (the model's) and refuses control characters
    (iness.validators); the address follows the email-key rules (iness.identity); the event,
    the status and the address of an edited proposal come from the URL and the services,
    never from the posted data.
    """

    also_register = forms.BooleanField(
        label=_("Also sign me up to attend the day"),
        required=False,
        initial=True,
    )
    consent = forms.BooleanField(
        label=_(
            "I have read the privacy notice. If my proposal is accepted, I agree that its title, "
            "summary, and the names and organisations of its speakers appear in the public "
            "programme."
        ),
        required=True,
        error_messages={"required": _("Please accept the privacy notice to send a proposal.")},
    )
    wants_news = forms.BooleanField(
        label=_("Tell me about future INESS days"),
        help_text=NEWS_HELP,
        required=False,
        initial=False,
    )

    field_order = [*CONTENT_FIELDS, *SPEAKER_FIELDS, "also_register", "consent", "wants_news"]

    class Meta:
        model = Proposal
        fields = [*CONTENT_FIELDS, *PROPOSAL_SPEAKER_FIELDS]
        labels = {
            "format": _("Format"),
            "title": _("Title"),
            "summary": _("Summary"),
            "experience": _("The experience or initiative concerned"),
            "organisation": _("Organisation"),
            "organisation_kind": _("Kind of organisation"),
            "profile": _("You are"),
            "co_speakers": _("Other speakers (optional)"),
            "needs": _("Technical needs (optional)"),
        }
        help_texts = {
            "title": _("Short, as it would appear in the programme."),
            "summary": _(
                "What you would present or discuss, and why it matters, in a few paragraphs."
            ),
            "experience": _(
                "The social and solidarity economy actor or the initiative you will talk about: "
                "its name, what it does, where, and the part digital tools play in it."
            ),
            "co_speakers": _("One per line: name and organisation."),
            "needs": _(
                "Equipment for your presentation: a projector, a microphone... Accessibility or "
                "dietary needs are asked when you sign up to attend."
            ),
        }
        widgets = {
            "format": forms.RadioSelect,
            "organisation_kind": forms.RadioSelect,
            "profile": forms.RadioSelect,
            "summary": forms.Textarea(attrs={"rows": 6}),
            "experience": forms.Textarea(attrs={"rows": 4}),
            "co_speakers": forms.Textarea(attrs={"rows": 2}),
            "needs": forms.Textarea(attrs={"rows": 2}),
        }

    submit_label = _("Send my proposal")

    def __init__(self, *args, event=None, offer_signup=True, **kwargs):
        instance = kwargs.get("instance")
        if instance is not None and instance.pk:
            # The speaker's name is their person's: shown here to be corrected.
            kwargs["initial"] = {
                "first_name": instance.person.first_name,
                "last_name": instance.person.last_name,
                **kwargs.get("initial", {}),
            }
        super().__init__(*args, **kwargs)
        if not offer_signup:
            # Sign-up to attend is closed: the page says so instead of offering the box.
            self.fields.pop("also_register", None)
        self.fields["format"].choices = _format_choices()
        # As on the sign-up form: radios, without the model's empty "---------" choice.
        for name in ["organisation_kind", "profile"]:
            if name in self.fields:
                self.fields[name].choices = [c for c in self.fields[name].choices if c[0]]
        if "email" in self.fields:
            self.fields["email"].label = _("Email")
            self.fields["email"].help_text = _(
                "Your private link to follow, change or withdraw the proposal goes here."
            )
        self.fields["organisation"].widget.attrs["autocomplete"] = "organization"
        if "also_register" in self.fields and event is not None:
            self.fields["also_register"].help_text = _(
                "Speakers need a seat too. Seats are limited to %(capacity)s people; when they "
                "are taken you join the waiting list, and we tell you your place."
            ) % {"capacity": event.capacity}
        if "consent" in self.fields:
            self.fields["consent"].help_text = privacy_notice_help()
        check_text_fields(self)
        self.helper = FormHelper()
        # Our own messages, beside the field and in the summary at the top, in the page's
        # language, rather than the browser's bubbles.
        self.helper.attrs = {"novalidate": ""}
        speaker_fields = [name for name in SPEAKER_FIELDS if name in self.fields]
        attend_fields = [
            name for name in ["also_register", "consent", "wants_news"] if name in self.fields
        ]
        self.helper.layout = Layout(
            Fieldset(_("Your proposal"), *CONTENT_FIELDS),
            Fieldset(_("About you"), *speaker_fields),
            *([Fieldset(_("Attending and privacy"), *attend_fields)] if attend_fields else []),
            HONEYPOT_FIELD,
        )
        self.helper.add_input(Submit("submit", self.submit_label))

    def proposal_data(self, *, language: str, email: str | None = None) -> ProposalData:
        data = self.cleaned_data
        return ProposalData(
            format=data["format"],
            title=data["title"],
            summary=data["summary"],
            experience=data["experience"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=email or data["email"],
            organisation=data["organisation"],
            profile=data["profile"],
            organisation_kind=data["organisation_kind"],
            co_speakers=data["co_speakers"],
            needs=data["needs"],
            language=language,
            wants_news=data.get("wants_news", False),
        )


class ProposalEditForm(ProposalForm):
    """The same form through the private link, without the address and the one-time boxes."""

    also_register = None
    consent = None
    wants_news = None
    email = None
    submit_label = _("Save my changes")
