from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Fieldset, Layout, Submit
from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from iness.forms import HONEYPOT_FIELD, HoneypotMixin, PersonFields, privacy_notice_help
from iness.identity import PersonEmailFormField
from iness.models import Person, Profile
from iness.validators import check_text_fields
from registrations.forms import NEWS_HELP
from registrations.models import OrganisationKind, Registration

from . import services
from .models import Format, Panellist, Proposal
from .services import PANEL_ROWS, PANEL_SIZES, PanellistData, ProposalData

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
    "needs",
]


def _format_choices() -> list[tuple[str, str]]:
    """The formats with their description, in the language of the request."""
    minutes = {Format.TALK: TALK_MINUTES, Format.ROUND_TABLE: ROUND_TABLE_MINUTES}
    return [
        (value, FORMAT_DESCRIPTIONS[value] % {"minutes": minutes[value]})
        for value, _label in Format.choices
    ]


# The other speakers' rows: a fixed number, enough for the largest round table, so that the
# form needs no script to add one; rows left empty are ignored.
PANEL_FIELDS = ["first_name", "last_name", "email", "organisation", "bio"]


def panel_field(row: int, name: str) -> str:
    return f"panel_{row}_{name}"


def _panel_fields(row: int) -> dict[str, forms.Field]:
    """The fields of row `row` (from 1): all optional; a row begun must be completed."""
    person = Person._meta
    panellist = Panellist._meta
    return {
        panel_field(row, "first_name"): forms.CharField(
            label=_("First name"),
            required=False,
            max_length=person.get_field("first_name").max_length,
        ),
        panel_field(row, "last_name"): forms.CharField(
            label=_("Last name"),
            required=False,
            max_length=person.get_field("last_name").max_length,
        ),
        panel_field(row, "email"): PersonEmailFormField(
            label=_("Email address"),
            required=False,
            max_length=person.get_field("email").max_length,
            help_text=_("We write to them to ask whether they agree to be named."),
        ),
        panel_field(row, "organisation"): forms.CharField(
            label=_("Organisation (optional)"),
            required=False,
            max_length=panellist.get_field("organisation").max_length,
        ),
        panel_field(row, "bio"): forms.CharField(
            label=_("Short biography (optional)"),
            required=False,
            max_length=panellist.get_field("bio").max_length,
            widget=forms.Textarea(attrs={"rows": 2}),
        ),
    }


def _panel_note() -> str:
    (_none, talk), (fewest, most) = PANEL_SIZES[Format.TALK], PANEL_SIZES[Format.ROUND_TABLE]
    return format_html(
        '<p class="form-text" id="panel-note">{}</p>',
        _(
            "A talk may name up to %(talk)s other speakers; a round table names %(fewest)s to "
            "%(most)s panellists besides you. We email each person a link to accept or "
            "decline being named, and to take a seat: only those who accept appear on the "
            "programme. Leave the rows you do not need empty."
        )
        % {"talk": talk, "fewest": fewest, "most": most},
    )


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
        for row in range(1, PANEL_ROWS + 1):
            self.fields.update(_panel_fields(row))
        if instance is not None and instance.pk and not self.is_bound:
            for row, data in enumerate(services.panel.panel_data(instance), start=1):
                for name in PANEL_FIELDS:
                    self.initial[panel_field(row, name)] = getattr(data, name)
        check_text_fields(self)
        self.helper = FormHelper()
        # Our own messages, beside the field and in the summary at the top, in the page's
        # language, rather than the browser's bubbles.
        self.helper.attrs = {"novalidate": ""}
        speaker_fields = [name for name in SPEAKER_FIELDS if name in self.fields]
        attend_fields = [
            name for name in ["also_register", "consent", "wants_news"] if name in self.fields
        ]
        panel_rows = [
            Fieldset(
                _("Other speaker or panellist %(row)s") % {"row": row},
                *[panel_field(row, name) for name in PANEL_FIELDS],
                css_class="panel-row",
            )
            for row in range(1, PANEL_ROWS + 1)
        ]
        self.helper.layout = Layout(
            Fieldset(_("Your proposal"), *CONTENT_FIELDS),
            Fieldset(_("About you"), *speaker_fields),
            Fieldset(
                _("Other speakers or panellists"), HTML(_panel_note()), *panel_rows, css_id="panel"
            ),
            *([Fieldset(_("Attending and privacy"), *attend_fields)] if attend_fields else []),
            HONEYPOT_FIELD,
        )
        self.helper.add_input(Submit("submit", self.submit_label))

    def clean(self):
        cleaned = super().clean()
        panel = []
        for row in range(1, PANEL_ROWS + 1):
            values = {name: cleaned.get(panel_field(row, name)) or "" for name in PANEL_FIELDS}
            if not any(value.strip() for value in values.values()):
                if not any(self.has_error(panel_field(row, name)) for name in PANEL_FIELDS):
                    continue
            missing = [
                name
                for name in ["first_name", "last_name", "email"]
                if not values[name].strip() and not self.has_error(panel_field(row, name))
            ]
            for name in missing:
                self.add_error(panel_field(row, name), _row_error(name, row))
            panel.append(PanellistData(**values))
        if not self.errors and cleaned.get("format"):
            speaker = cleaned.get("email") or getattr(self, "speaker_email", "")
            try:
                services.check_panel(format=cleaned["format"], panel=panel, speaker_email=speaker)
            except services.PanelRefused as refusal:
                self.add_error(panel_field(1, "first_name"), refusal.message)
        self.panel = tuple(panel)
        return cleaned

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
            needs=data["needs"],
            language=language,
            wants_news=data.get("wants_news", False),
            panel=self.panel,
        )


def _row_error(name: str, row: int) -> str:
    messages = {
        "first_name": _("Give the first name of person %(row)s, or leave the whole row empty."),
        "last_name": _("Give the last name of person %(row)s, or leave the whole row empty."),
        "email": _(
            "Give the email address of person %(row)s, or leave the whole row empty: we ask "
            "them whether they agree to be named."
        ),
    }
    return messages[name] % {"row": row}


class ProposalEditForm(ProposalForm):
    """The same form through the private link, without the address and the one-time boxes."""

    also_register = None
    consent = None
    wants_news = None
    email = None
    submit_label = _("Save my changes")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = kwargs.get("instance")
        # The address is not on this form; the list may not name the speaker all the same.
        self.speaker_email = instance.person.email if instance is not None else ""


class AcceptNamingForm(forms.Form):
    """Accepting to be named on a proposal: with consent to the privacy notice, since the
    person did not fill in a form of ours before."""

    consent = forms.BooleanField(
        label=_(
            "I have read the privacy notice, and I agree that my name and organisation appear "
            "with this proposal in the public programme if it is accepted."
        ),
        required=True,
        error_messages={"required": _("Please accept the privacy notice to be named.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].help_text = privacy_notice_help()


class TakeSeatForm(forms.Form):
    """A seat for a named person: what the sign-up asks that we do not know yet."""

    organisation_kind = forms.ChoiceField(
        label=_("Kind of organisation"),
        choices=OrganisationKind.choices,
        widget=forms.RadioSelect,
    )
    profile = forms.ChoiceField(
        label=_("You are"), choices=Profile.choices, widget=forms.RadioSelect
    )
    needs = forms.CharField(
        label=_("Accessibility or dietary needs (optional)"),
        help_text=_("So that we can welcome you well: access, diet, anything else."),
        required=False,
        max_length=Registration._meta.get_field("needs").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        check_text_fields(self)
        # The page writes the <form> tag (with novalidate) and the CSRF token.
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
