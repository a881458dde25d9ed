from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import mail
from .models import Event, OutgoingMail


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "date", "capacity", "is_published", "programme_published"]
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
                    "proposals_close_at",
                ]
            },
        ),
        (
            _("Contact and publication"),
            {"fields": ["contact_email", "committee", "is_published", "programme_published"]},
        ),
    ]


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "to", "subject", "kind", "status", "attempts", "sent_at"]
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
