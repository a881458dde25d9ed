"""The form organisers fill in to add someone (admin "Add", and walk-ins on the check-in
page). It validates like the public form (iness.forms.PersonFields, iness.validators);
`services.add_by_organiser` does the rest."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from iness.forms import PersonFields
from iness.models import Event, Profile
from iness.validators import check_text_fields

from .models import OrganisationKind, Registration
from .services import RegistrationData


class OrganiserAddForm(PersonFields, forms.Form):
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=Registration._meta.get_field("organisation").max_length,
    )
    organisation_kind = forms.ChoiceField(
        label=_("Kind of organisation"), choices=OrganisationKind.choices
    )
    profile = forms.ChoiceField(label=_("Profile"), choices=Profile.choices)
    needs = forms.CharField(
        label=_("Accessibility or dietary needs (optional)"),
        max_length=Registration._meta.get_field("needs").max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    language = forms.ChoiceField(
        label=_("Language of their emails"),
        choices=settings.LANGUAGES,
        initial=settings.LANGUAGE_CODE,
    )

    def __init__(self, *args, with_event: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if with_event:
            self.fields = {
                "event": forms.ModelChoiceField(
                    label=_("Day"),
                    queryset=Event.objects.order_by("-date"),
                    empty_label=None,
                ),
                **self.fields,
            }
        check_text_fields(self)

    def registration_data(self) -> RegistrationData:
        data = self.cleaned_data
        return RegistrationData(
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            organisation=data["organisation"],
            profile=data["profile"],
            organisation_kind=data["organisation_kind"],
            needs=data["needs"],
            language=data["language"],
        )
