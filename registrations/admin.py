"""Sign-ups in the admin. Every change of status goes through `registrations.services`."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from iness.adminkit import ObjectActionsMixin, StatusHistoryMixin, export_actions
from iness.exceptions import Refused

from . import services
from .models import Registration
from .organiser_forms import OrganiserAddForm

Status = Registration.Status


def with_positions(queryset):
    """Annotate `waitlist_position` (1 = next to be offered a seat; None when not waiting),
    as `services.waitlist_position` counts it, in the same query."""
    ahead = (
        Registration.objects.filter(event=OuterRef("event"), status=Status.WAITLISTED)
        .filter(
            Q(created_at__lt=OuterRef("created_at"))
            | Q(created_at=OuterRef("created_at"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(
        waitlist_position=Case(
            When(
                status=Status.WAITLISTED,
                then=Coalesce(Subquery(ahead, output_field=IntegerField()), Value(0)) + 1,
            ),
            default=None,
            output_field=IntegerField(),
        )
    )


def _added_message(outcome) -> str:
    person = outcome.registration.person.full_name
    if outcome.position is None:
        return _("%(name)s has a seat and has been emailed their private link.") % {"name": person}
    return _(
        "Every seat is taken: %(name)s is number %(position)s on the waiting list, and has "
        "been emailed their private link."
    ) % {"name": person, "position": outcome.position}


def export_columns(request):
    return [
        (_("last name"), lambda r: r.person.last_name),
        (_("first name"), lambda r: r.person.first_name),
        (_("email"), lambda r: r.person.email),
        (_("organisation"), lambda r: r.organisation),
        (_("kind of organisation"), lambda r: r.get_organisation_kind_display()),
        (_("profile"), lambda r: r.get_profile_display()),
        (_("status"), lambda r: r.get_status_display()),
        (_("waiting-list position"), lambda r: r.waitlist_position),
        (_("signed up at"), lambda r: r.created_at),
        (_("what they would like to discuss"), lambda r: r.interests),
        (_("accessibility or dietary needs"), lambda r: r.needs),
        (_("language"), lambda r: r.person.language),
        (_("event"), lambda r: r.event.title),
        (_("present at"), lambda r: r.checked_in_at),
    ]


@admin.register(Registration)
class RegistrationAdmin(ObjectActionsMixin, StatusHistoryMixin, admin.ModelAdmin):
    list_display = [
        "name",
        "email",
        "organisation",
        "profile",
        "status",
        "position",
        "created_at",
    ]
    list_display_links = ["name"]
    list_filter = ["event", "status", "profile", "organisation_kind"]
    search_fields = ["person__first_name", "person__last_name", "person__email", "organisation"]
    list_select_related = ["event", "person"]
    # The waiting list in order: oldest first, as seats are offered.
    ordering = ["created_at", "pk"]
    fieldsets = [
        (
            None,
            {"fields": ["event", "status", "position", "offer_expires_at", "created_at"]},
        ),
        (
            _("Person"),
            {
                # The person's name, address, language and consent are on their own page
                # (the link), shared by all their sign-ups and proposals.
                "fields": [
                    "person",
                    "organisation",
                    "organisation_kind",
                    "profile",
                    "interests",
                    "needs",
                ]
            },
        ),
        (_("Reminders"), {"fields": ["reminder_sent_at"]}),
        (_("The day"), {"fields": ["checked_in_at", "certificate_released_at"]}),
        (_("History"), {"fields": ["status_history"]}),
    ]
    readonly_fields = [
        "event",
        "status",
        "person",
        "position",
        "offer_expires_at",
        "created_at",
        "reminder_sent_at",
        "checked_in_at",
        "certificate_released_at",
        "status_history",
    ]
    actions = [
        "cancel_selected",
        "confirm_selected",
        "offer_free_seats",
        "resend_link",
        *export_actions(name="sign-ups", columns=export_columns),
    ]
    # The same actions as buttons on each sign-up's page.
    object_actions = ["cancel_selected", "confirm_selected", "resend_link"]

    def get_queryset(self, request):
        return with_positions(super().get_queryset(request))

    # Sign-ups end by cancellation, so that the seat goes on to the waiting list.
    def has_delete_permission(self, request, obj=None):
        return False

    def add_view(self, request, form_url="", extra_context=None):
        """An organiser adds someone (a guest, a speaker): through the sign-up service, the
        same cap and waiting list as the public form (services.add_by_organiser)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = OrganiserAddForm(
            request.POST if request.method == "POST" else None,
            initial={"event": request.GET.get("event")},
        )
        if request.method == "POST" and form.is_valid():
            try:
                outcome = services.add_by_organiser(
                    event=form.cleaned_data["event"],
                    data=form.registration_data(),
                    by=request.user,
                )
            except Refused as refusal:
                form.add_error(None, refusal.message)
            else:
                registration = outcome.registration
                self.log_addition(request, registration, [{"added": {}}])
                self.message_user(request, _added_message(outcome), messages.SUCCESS)
                return redirect(
                    reverse("admin:registrations_registration_change", args=[registration.pk])
                )
        return TemplateResponse(
            request,
            "admin/registrations/registration/add_by_organiser.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "form": form,
                "title": _("Add a sign-up"),
            },
        )

    @admin.display(description=_("name"), ordering="person__last_name")
    def name(self, obj):
        return obj.person.full_name

    @admin.display(description=_("email"), ordering="person__email")
    def email(self, obj):
        return obj.person.email

    @admin.display(description=_("waiting-list position"), ordering="waitlist_position")
    def position(self, obj):
        position = getattr(obj, "waitlist_position", None)
        if position is None and obj.status == Status.WAITLISTED:
            position = services.waitlist_position(obj)
        return position if position is not None else "-"

    @admin.action(
        description=_("Cancel the selected sign-ups (a freed seat goes to the waiting list)"),
        permissions=["change"],
    )
    def cancel_selected(self, request, queryset):
        done, skipped = 0, 0
        for registration in queryset.select_related("event"):
            if not registration.is_active:
                skipped += 1
                continue
            services.cancel(registration=registration, by=request.user)
            done += 1
        self._report(
            request,
            done,
            ngettext("%d sign-up cancelled.", "%d sign-ups cancelled.", done),
            skipped,
            ngettext(
                "%d was already cancelled or lapsed: nothing changed.",
                "%d were already cancelled or lapsed: nothing changed.",
                skipped,
            ),
        )

    @admin.action(
        description=_("Confirm the selected people from the waiting list (only into a free seat)"),
        permissions=["change"],
    )
    def confirm_selected(self, request, queryset):
        done = 0
        for registration in queryset.select_related("event", "person").order_by("created_at", "pk"):
            try:
                services.promote(registration=registration, by=request.user)
            except Refused as refusal:  # no seat free, or not on the waiting list
                self.message_user(
                    request,
                    _("%(name)s was not confirmed: %(reason)s")
                    % {"name": registration.person.full_name, "reason": refusal.message},
                    messages.WARNING,
                )
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext(
                    "%d person confirmed and emailed.", "%d people confirmed and emailed.", done
                )
                % done,
                messages.SUCCESS,
            )

    @admin.action(
        description=_("Offer any free seat to the next people on the waiting list"),
        permissions=["change"],
    )
    def offer_free_seats(self, request, queryset):
        events = {r.event_id: r.event for r in queryset.select_related("event")}.values()
        for event in events:
            waiting = Registration.objects.filter(event=event).waitlisted().count()
            # Also lets lapsed offers expire first, so that their seats are offered again.
            services.expire_offers(event=event, by=request.user)
            offered = waiting - Registration.objects.filter(event=event).waitlisted().count()
            if offered:
                self.message_user(
                    request,
                    ngettext(
                        "%(event)s: %(n)d person on the waiting list was offered a seat.",
                        "%(event)s: %(n)d people on the waiting list were offered a seat.",
                        offered,
                    )
                    % {"event": event.title, "n": offered},
                    messages.SUCCESS,
                )
            elif not waiting:
                self.message_user(
                    request,
                    _("%(event)s: nobody is on the waiting list.") % {"event": event.title},
                    messages.WARNING,
                )
            else:
                self.message_user(
                    request,
                    _("%(event)s: no seat is free, nobody was offered one.")
                    % {"event": event.title},
                    messages.WARNING,
                )

    @admin.action(
        description=_("Email the selected people a new link to manage their sign-up"),
        permissions=["change"],
    )
    def resend_link(self, request, queryset):
        done, skipped = 0, 0
        for registration in queryset.select_related("event", "person"):
            if not registration.is_active:
                skipped += 1
                continue
            services.resend_link(registration=registration, by=request.user)
            done += 1
        self._report(
            request,
            done,
            ngettext("%d link emailed.", "%d links emailed.", done),
            skipped,
            ngettext(
                "%d sign-up is cancelled or lapsed: no link sent.",
                "%d sign-ups are cancelled or lapsed: no link sent.",
                skipped,
            ),
        )

    def _report(self, request, done, done_message, skipped, skipped_message):
        if done:
            self.message_user(request, done_message % done, messages.SUCCESS)
        if skipped:
            self.message_user(request, skipped_message % skipped, messages.WARNING)
