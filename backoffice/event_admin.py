"""The events in the admin: seats, waiting list and proposals at a glance, the sign-in sheet.

It lives here rather than in `iness` because it counts sign-ups and proposals, and `iness`
depends on no other app.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from iness.admin_markdown import MarkdownPreviewMixin
from iness.models import Event
from proposals import programme
from proposals.admin import SlotInline
from proposals.models import Proposal, Slot
from registrations import services as registrations
from registrations.models import Registration

from . import checkin, summary
from .signin import sign_in_sheet_rows


class EventAdminForm(forms.ModelForm):
    # No Meta: the admin builds it from the fieldsets below.

    def clean_capacity(self):
        """Refused beside the field when below the seats already confirmed or held; the
        sign-up service checks again under its lock when the form is saved."""
        capacity = self.cleaned_data["capacity"]
        if capacity < 1 or (self.instance.pk and capacity != self.instance.capacity):
            try:
                registrations.check_capacity(event=self.instance, capacity=capacity)
            except registrations.CapacityError as refusal:
                raise forms.ValidationError(str(refusal)) from refusal
        return capacity


@admin.register(Event)
class EventAdmin(MarkdownPreviewMixin, admin.ModelAdmin):
    form = EventAdminForm
    markdown_preview_fields = {
        "presentation": "fr",
        "presentation_en": "en",
        "practical_information": "fr",
        "practical_information_en": "en",
    }
    # The programme of the day, built on the event's page (proposals.programme).
    inlines = [SlotInline]
    list_display = [
        "title",
        "date",
        "is_published",
        "seats",
        "offered",
        "waiting",
        "proposals",
    ]
    list_filter = ["is_published"]
    search_fields = ["title", "venue"]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (None, {"fields": ["title", "title_en", "slug", "description", "description_en"]}),
        (
            _("When and where"),
            {"fields": ["date", "starts_at", "ends_at", "venue", "address", "access", "access_en"]},
        ),
        (
            _("Sign-up and proposals"),
            {
                "fields": [
                    "capacity",
                    "registration_opens_at",
                    "registration_closes_at",
                    "offer_hours",
                    "verify_minutes",
                    "proposals_close_at",
                ]
            },
        ),
        (
            _("Pages of the day"),
            {
                "fields": list(markdown_preview_fields),
                "description": _(
                    "The presentation is shown on the home page, under the short description; "
                    "the practical information on its own page, linked from the home page. "
                    "Press “Preview the texts” at the bottom of the page to see them "
                    "as visitors will, before saving."
                ),
            },
        ),
        (
            _("Contact and publication"),
            {"fields": ["contact_email", "committee", "is_published", "programme_published"]},
        ),
    ]

    def get_queryset(self, request):
        return summary.with_counts(super().get_queryset(request))

    def has_delete_permission(self, request, obj=None):
        # Sign-ups and proposals point to their event: deleting it would lose them.
        return False

    # Each figure links to the rows it counts.
    @admin.display(description=_("seats taken / capacity"), ordering="confirmed_count")
    def seats(self, obj):
        return format_html(
            '<a href="{}">{} / {}</a>',
            self._registrations_url(obj, status__exact="confirmed"),
            obj.confirmed_count,
            obj.capacity,
        )

    @admin.display(description=_("offered"), ordering="offered_count")
    def offered(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            self._registrations_url(obj, status__exact="offered"),
            obj.offered_count,
        )

    @admin.display(description=_("waiting list"), ordering="waiting_count")
    def waiting(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            self._registrations_url(obj, status__exact="waitlisted"),
            obj.waiting_count,
        )

    @admin.display(description=_("proposals by state"))
    def proposals(self, obj):
        counts = [
            (
                self._proposals_url(obj) + f"&status__exact={value}",
                getattr(obj, f"proposals_{value}"),
                label,
            )
            for value, label in Proposal.Status.choices
        ]
        counts = [(url, n, label) for url, n, label in counts if n]
        if not counts:
            return "-"
        return format_html_join(", ", '<a href="{}">{} {}</a>', counts)

    @staticmethod
    def _registrations_url(event, **filters):
        query = "&".join(f"{k}={v}" for k, v in {"event__id__exact": event.pk, **filters}.items())
        return reverse("admin:registrations_registration_changelist") + "?" + query

    @staticmethod
    def _proposals_url(event):
        return reverse("admin:proposals_proposal_changelist") + f"?event__id__exact={event.pk}"

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        # The capacity changes only through the sign-up service, which takes the event's lock,
        # refuses a capacity below the seats held and offers new seats to the waiting list.
        others = [name for name in form.changed_data if name != "capacity"]
        if others:
            obj.save(update_fields=others)
        if "date" in form.changed_data:
            programme.day_moved(event=obj, previous_date=form.initial["date"])
        if "capacity" not in form.changed_data:
            return
        capacity = obj.capacity
        previous = form.initial["capacity"]
        waiting = Registration.objects.filter(event=obj).waitlisted().count()
        try:
            registrations.set_capacity(event=obj, capacity=capacity, by=request.user)
        except registrations.CapacityError as refusal:
            obj.capacity = previous
            self.message_user(request, str(refusal), messages.ERROR)
            return
        offered = waiting - Registration.objects.filter(event=obj).waitlisted().count()
        message = _("Capacity changed from %(old)d to %(new)d seats.") % {
            "old": previous,
            "new": capacity,
        }
        if offered:
            message += (
                " "
                + ngettext(
                    "%d person on the waiting list was offered a seat by email.",
                    "%d people on the waiting list were offered a seat by email.",
                    offered,
                )
                % offered
            )
        self.message_user(request, message, messages.SUCCESS)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Slot:
            return super().save_formset(request, form, formset, change)
        changed = formset.save(commit=False)
        try:
            programme.save_day(
                event=form.instance, changed=changed, removed=formset.deleted_objects
            )
        except programme.ProgrammeRefused as refusal:
            # Another organiser changed the day meanwhile: the check runs again on save.
            self.message_user(request, refusal.message, messages.ERROR)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        event = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if event is not None and request.user.has_perm("registrations.view_registration"):
            extra_context["summary"] = summary.summaries([event])[0]
            extra_context["links"] = self._event_links(request, event)
        return super().change_view(request, object_id, form_url, extra_context)

    def _event_links(self, request, event):
        links = [
            (self._registrations_url(event), _("Sign-ups")),
            # Whoever holds a seat offer is still waiting for it: listed with the others.
            (
                self._registrations_url(event, status__in="waitlisted,offered"),
                _("Waiting list"),
            ),
            (self._proposals_url(event), _("Proposals")),
            (reverse("admin:iness_event_sign_in_sheet", args=[event.pk]), _("Sign-in sheet")),
            (reverse("admin:iness_event_check_in", args=[event.pk]), _("Check-in")),
        ]
        if request.user.has_perm("registrations.view_feedback"):
            links.append((reverse("admin:iness_event_feedback", args=[event.pk]), _("Feedback")))
        if request.user.has_perm("backoffice.add_announcement"):
            links.append(
                (
                    reverse("admin:backoffice_announcement_add") + f"?event={event.pk}",
                    _("Write to attendees"),
                )
            )
        return links

    def get_urls(self):
        return [
            path(
                "<int:pk>/sign-in-sheet/",
                self.admin_site.admin_view(self.sign_in_sheet),
                name="iness_event_sign_in_sheet",
            ),
            *checkin.urls(self.admin_site),
            *super().get_urls(),
        ]

    def sign_in_sheet(self, request, pk):
        """The feuille d'émargement: confirmed attendees by last name, to sign on the day.

        Printed in French whatever the organiser's language: it is handed to attendees.
        """
        if not (
            self.has_view_permission(request)
            and request.user.has_perm("registrations.view_registration")
        ):
            raise PermissionDenied
        event = get_object_or_404(Event, pk=pk)
        with translation.override("fr"):
            return TemplateResponse(
                request,
                "admin/iness/event/sign_in_sheet.html",
                {
                    "event": event,
                    "rows": sign_in_sheet_rows(event),
                    "blank_rows": range(5),
                    "change_url": reverse("admin:iness_event_change", args=[event.pk]),
                },
            ).render()
