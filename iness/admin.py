from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import mail, mailkinds
from .models import MailBatch, OutgoingMail, Person


class MailKindFilter(admin.SimpleListFilter):
    """The kinds of email by their names, not their codes."""

    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        kinds = OutgoingMail.objects.order_by().values_list("kind", flat=True).distinct()
        return sorted(((kind, mailkinds.label(kind)) for kind in kinds), key=lambda c: c[1])

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(kind=self.value())
        return queryset


admin.site.site_header = _("INESS days: organisers")
admin.site.site_title = _("INESS days")
admin.site.index_title = _("Organisers' back office")
# The lists are wide (counts, reviews, seats): give them the whole width.
admin.site.enable_nav_sidebar = False


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "to",
        "subject",
        "kind_label",
        "status",
        "attempts",
        "last_error",
        "sent_at",
    ]
    list_filter = ["status", MailKindFilter, "batch"]
    list_select_related = ["batch"]
    search_fields = ["to", "subject"]
    date_hierarchy = "created_at"
    actions = ["send_again"]
    fields = [
        "kind_label",
        "event",
        "batch",
        "to",
        "subject",
        "body",
        "html_body",
        "attachments",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "sent_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("kind"), ordering="kind")
    def kind_label(self, obj):
        return mailkinds.label(obj.kind)

    @admin.action(description=_("Send the selected emails again"), permissions=["change"])
    def send_again(self, request, queryset):
        count = sum(mail.requeue(item) for item in queryset)
        self.message_user(
            request,
            ngettext("%d email put back in the queue.", "%d emails put back in the queue.", count)
            % count,
            messages.SUCCESS,
        )


def progress_text(p: mail.Progress) -> str:
    """ "3 waiting, 10 sent, 1 failed, of 14" for a list cell or a page."""
    return _("%(queued)d waiting, %(sent)d sent, %(failed)d failed, of %(total)d") % {
        "queued": p.queued,
        "sent": p.sent,
        "failed": p.failed,
        "total": p.total,
    }


@admin.register(MailBatch)
class MailBatchAdmin(admin.ModelAdmin):
    """Mailings: each message to attendees and each release of decisions, with its progress.

    Seen by whoever may see the outgoing emails; "send the failed again" needs the right to
    change them, like the action of the emails' list.
    """

    list_display = ["created_at", "label", "event", "sender", "progress"]
    list_filter = ["event"]
    list_select_related = ["event", "created_by"]
    fields = ["label", "event", "sender", "created_at", "progress", "emails"]
    readonly_fields = fields
    change_form_template = "admin/iness/mailbatch/change_form.html"

    def get_queryset(self, request):
        return mail.with_progress(super().get_queryset(request))

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("iness.view_outgoingmail")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("by"), ordering="created_by__username")
    def sender(self, obj):
        if obj.created_by is None:
            return "-"
        return obj.created_by.get_full_name() or obj.created_by.get_username()

    @admin.display(description=_("sending"))
    def progress(self, obj):
        return progress_text(mail.progress(obj))

    @admin.display(description=_("emails"))
    def emails(self, obj):
        url = reverse("admin:iness_outgoingmail_changelist")
        return format_html(
            '<a href="{}?batch__id__exact={}">{}</a> · <a href="{}?batch__id__exact={}&amp;'
            'status__exact=failed">{}</a>',
            url,
            obj.pk,
            _("every email of this mailing"),
            url,
            obj.pk,
            _("the failed ones"),
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/resend-failed/",
                self.admin_site.admin_view(self.resend_failed_view),
                name="iness_mailbatch_resend_failed",
            ),
            *super().get_urls(),
        ]

    def resend_failed_view(self, request, pk):
        if request.method != "POST":
            return redirect("admin:iness_mailbatch_change", pk)
        if not request.user.has_perm("iness.change_outgoingmail"):
            raise PermissionDenied
        batch = get_object_or_404(MailBatch, pk=pk)
        count = mail.resend_failed(batch)
        self.message_user(
            request,
            ngettext(
                "%d failed email put back in the queue.",
                "%d failed emails put back in the queue.",
                count,
            )
            % count,
            messages.SUCCESS,
        )
        return redirect("admin:iness_mailbatch_change", pk)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        extra_context["can_resend"] = request.user.has_perm("iness.change_outgoingmail")
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    """The people the site holds data about. Organisers correct a name, an address (checked
    by the same email-key rules as the public forms: iness.identity) or a wish for news; the
    rest comes from the forms. People are erased, never deleted (iness.erasure)."""

    list_display = ["last_name", "first_name", "email", "language", "wants_news", "created_at"]
    list_display_links = ["last_name", "first_name"]
    list_filter = ["wants_news", "language"]
    search_fields = ["first_name", "last_name", "email"]
    fields = [
        "first_name",
        "last_name",
        "email",
        "language",
        "wants_news",
        "consent_at",
        "privacy_notice_version",
        "created_at",
        "anonymised_at",
    ]
    readonly_fields = ["consent_at", "privacy_notice_version", "created_at", "anonymised_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
