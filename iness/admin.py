from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import mail
from .models import OutgoingMail

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
