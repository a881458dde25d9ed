from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import mail
from .models import OutgoingMail, Person

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
        "kind",
        "status",
        "attempts",
        "last_error",
        "sent_at",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["to", "subject"]
    date_hierarchy = "created_at"
    actions = ["send_again"]
    readonly_fields = [f.name for f in OutgoingMail._meta.fields if f.name != "id"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Send the selected emails again"), permissions=["change"])
    def send_again(self, request, queryset):
        items = list(queryset.exclude(status=OutgoingMail.Status.SENDING))
        for item in items:
            mail.requeue(item)
        self.message_user(
            request,
            ngettext(
                "%d email put back in the queue.", "%d emails put back in the queue.", len(items)
            )
            % len(items),
            messages.SUCCESS,
        )


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
