"""Messages to attendees: a record of what was sent, and the write → preview → send pages."""

import uuid

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from iness import mail
from iness.admin import progress_text

from . import (
    event_admin,  # noqa: F401 - registers the Event admin
    services,
)
from .forms import AnnouncementForm
from .models import Announcement, Audience


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    list_display = [
        "sent_at",
        "event",
        "audience",
        "subject",
        "recipient_count",
        "sender",
        "sending",
    ]
    list_filter = ["event", "audience"]
    search_fields = ["subject", "body"]
    list_select_related = ["event", "sent_by", "batch"]
    fields = [
        "event",
        "audience",
        "subject",
        "body",
        "recipient_count",
        "sender",
        "sent_at",
        "sending",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        # The mailing's progress for every row at once (iness.mail.with_progress).
        return super().get_queryset(request).annotate(**mail.progress_of_related("batch__"))

    @admin.display(description=_("sending"))
    def sending(self, obj):
        """Waiting, sent and failed copies; the mailing's page resends the failed ones."""
        if obj.batch is None:
            return "-"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:iness_mailbatch_change", args=[obj.batch.pk]),
            progress_text(mail.progress(obj)),
        )

    # A name, not a link to the user's account, which organisers may not open.
    @admin.display(description=_("sent by"), ordering="sent_by__username")
    def sender(self, obj):
        if obj.sent_by is None:
            return "-"
        return obj.sent_by.get_full_name() or obj.sent_by.get_username()

    # A sent message is a record: it is not changed or deleted afterwards.
    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def add_view(self, request, form_url="", extra_context=None):
        """Write the message, preview it (how many people, what they will read), send it."""
        if not (
            self.has_add_permission(request)
            and request.user.has_perm("registrations.view_registration")
            and request.user.has_perm("proposals.view_proposal")
        ):
            raise PermissionDenied
        if request.method != "POST":
            form = AnnouncementForm(initial={"event": request.GET.get("event")})
            return self._page(request, "compose", form=form)
        form = AnnouncementForm(request.POST)
        if "edit" in request.POST or not form.is_valid():
            return self._page(request, "compose", form=form)
        data = form.cleaned_data
        people = services.recipients(event=data["event"], audience=data["audience"])
        if "send" in request.POST and data["key"] and data["expected_count"] == len(people):
            return self._send(request, data)
        changed = "send" in request.POST and data["expected_count"] != len(people)
        preview = AnnouncementForm(
            initial={
                **data,
                "event": data["event"].pk,
                "key": data["key"] or uuid.uuid4(),
                "expected_count": len(people),
            }
        )
        sample = people[0] if people else None
        return self._page(
            request,
            "preview",
            form=preview,
            data=data,
            audience_label=Audience(data["audience"]).label,
            people=people,
            audience_changed=changed,
            sample_to=sample,
            sample_body=services.message_body(
                event=data["event"],
                audience=data["audience"],
                body=data["body"],
                language=sample.language if sample else "fr",
            ),
        )

    def _send(self, request, data):
        announcement, sent_now = services.send_announcement(
            event=data["event"],
            audience=data["audience"],
            subject=data["subject"],
            body=data["body"],
            by=request.user,
            key=data["key"],
        )
        count = announcement.recipient_count
        if sent_now:
            self.message_user(
                request,
                ngettext(
                    "Message to %d person recorded: it is being sent, follow it below.",
                    "Message to %d people recorded: it is being sent, follow it below.",
                    count,
                )
                % count,
                messages.SUCCESS,
            )
        else:
            self.message_user(
                request,
                _("This message had already been sent; it was not sent again."),
                messages.WARNING,
            )
        return redirect("admin:backoffice_announcement_change", announcement.pk)

    def _page(self, request, step, **context):
        opts = self.model._meta
        return TemplateResponse(
            request,
            f"admin/backoffice/announcement/{step}.html",
            {
                **self.admin_site.each_context(request),
                "opts": opts,
                "title": _("Write to attendees")
                if step == "compose"
                else _("Check and send your message"),
                "has_view_permission": self.has_view_permission(request),
                **context,
            },
        )
