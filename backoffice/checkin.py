"""The day itself, for organisers: the check-in page at the door (a phone, no JavaScript
needed: each tap is a small form that POSTs and comes back to the same row), walk-ins added
through the sign-up service, and after the day the release of attendance certificates and
the summary of the feedback.

Pages of the event's admin (EventAdmin.get_urls adds `urls(admin_site)`); every change goes
through `registrations.services`.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from iness.exceptions import Refused
from iness.models import Event
from registrations import services
from registrations.models import Registration
from registrations.organiser_forms import OrganiserAddForm

from .signin import sign_in_sheet_rows


def _allowed(request, action: str = "change") -> None:
    if not request.user.has_perm(f"registrations.{action}_registration"):
        raise PermissionDenied


def _back(event: Event, request, anchor: str = ""):
    query = request.POST.get("q", "").strip()
    url = reverse("admin:iness_event_check_in", args=[event.pk])
    if query:
        url += "?" + urlencode({"q": query})
    return HttpResponseRedirect(url + (f"#{anchor}" if anchor else ""))


def check_in_page(request, pk, *, walk_in_form=None):
    _allowed(request, "view")
    event = get_object_or_404(Event, pk=pk)
    query = request.GET.get("q", "").strip()
    rows = sign_in_sheet_rows(event)
    if query:
        words = query.casefold().split()
        rows = [
            r
            for r in rows
            if all(w in f"{r.person.full_name} {r.organisation}".casefold() for w in words)
        ]
    now = timezone.now()
    return TemplateResponse(
        request,
        "admin/iness/event/check_in.html",
        {
            **_admin_context(request),
            "title": _("Check-in"),
            "event": event,
            "rows": rows,
            "query": query,
            "attendance": services.attendance(event),
            "can_change": request.user.has_perm("registrations.change_registration"),
            "can_add": request.user.has_perm("registrations.add_registration"),
            "walk_in_form": walk_in_form or OrganiserAddForm(with_event=False),
            "on_the_day": timezone.localdate(now) == event.date and now < event.end,
            "after_the_day": now >= event.end,
            "certificates_due": services.certificates_due(event).count(),
            "change_url": reverse("admin:iness_event_change", args=[event.pk]),
        },
    )


@require_POST
def mark(request, pk, registration_pk):
    _allowed(request)
    event = get_object_or_404(Event, pk=pk)
    registration = get_object_or_404(
        Registration.objects.select_related("person"), pk=registration_pk, event=event
    )
    try:
        if request.POST.get("present") == "no":
            services.undo_check_in(registration=registration, by=request.user)
        else:
            services.check_in(registration=registration, by=request.user)
    except Refused as refusal:
        messages.error(request, refusal.message)
    return _back(event, request, anchor=f"r{registration.pk}")


@require_POST
def walk_in(request, pk):
    _allowed(request, "add")
    event = get_object_or_404(Event, pk=pk)
    form = OrganiserAddForm(request.POST, with_event=False)
    if form.is_valid():
        try:
            outcome = services.add_by_organiser(
                event=event, data=form.registration_data(), by=request.user, present=True
            )
        except Refused as refusal:
            form.add_error(None, refusal.message)
        else:
            registration = outcome.registration
            if registration.checked_in_at:
                messages.success(
                    request,
                    _("%(name)s is signed up and marked present.")
                    % {"name": registration.person.full_name},
                )
            else:
                messages.warning(
                    request,
                    _("%(name)s is on the waiting list (number %(position)s).")
                    % {"name": registration.person.full_name, "position": outcome.position},
                )
            return _back(event, request, anchor=f"r{registration.pk}")
    return check_in_page(request, pk, walk_in_form=form)


@require_POST
def release_certificates(request, pk):
    _allowed(request)
    event = get_object_or_404(Event, pk=pk)
    try:
        count = services.release_certificates(event=event, by=request.user)
    except Refused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            ngettext(
                "%d certificate of attendance is being emailed.",
                "%d certificates of attendance are being emailed.",
                count,
            )
            % count,
        )
    return _back(event, request)


def feedback_summary(request, pk):
    if not request.user.has_perm("registrations.view_feedback"):
        raise PermissionDenied
    event = get_object_or_404(Event, pk=pk)
    return TemplateResponse(
        request,
        "admin/iness/event/feedback.html",
        {
            **_admin_context(request),
            "title": _("Feedback"),
            "event": event,
            "summary": services.feedback_summary(event),
            "change_url": reverse("admin:iness_event_change", args=[event.pk]),
        },
    )


def _admin_context(request) -> dict:
    return admin.site.each_context(request)


def urls(admin_site) -> list:
    view = admin_site.admin_view
    return [
        path("<int:pk>/check-in/", view(check_in_page), name="iness_event_check_in"),
        path(
            "<int:pk>/check-in/<int:registration_pk>/",
            view(mark),
            name="iness_event_check_in_mark",
        ),
        path("<int:pk>/check-in/walk-in/", view(walk_in), name="iness_event_walk_in"),
        path(
            "<int:pk>/certificates/",
            view(release_certificates),
            name="iness_event_release_certificates",
        ),
        path("<int:pk>/feedback/", view(feedback_summary), name="iness_event_feedback"),
    ]
