"""Pieces the sign-up, proposal and event admins share: status history and export actions.

In `iness` so that every app's admin can use them: apps depend on `iness`, never on each other
upward (backoffice -> proposals -> registrations -> iness).
"""

from collections.abc import Callable, Iterable, Sequence

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import exports
from .history import PUBLIC, changes_of
from .models import StatusChange


def actor_label(change: StatusChange) -> str:
    """Who acted, in words: the organiser's name, the person on the site, or a task."""
    if change.by_user is not None:
        return change.by_user.get_full_name() or change.by_user.get_username()
    if change.by_label == PUBLIC:
        return str(_("the person, on the site"))
    if change.by_label.startswith("command "):
        return str(_("automatic task (%(name)s)") % {"name": change.by_label[len("command ") :]})
    return change.by_label


class StatusHistoryMixin:
    """A read-only "status history" field: who changed the status, when, from and to, and
    the other events of the record's life (edits, links sent, erasure...)."""

    @admin.display(description=_("status history"))
    def status_history(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        choices = dict(type(obj).Status.choices)
        changes = [
            {
                "at": change.at,
                "by": actor_label(change),
                "from": choices.get(change.from_status, change.from_status),
                "to": choices.get(change.to_status, change.to_status),
                # Lines recorded before history had kinds, that nothing could classify.
                "same": change.from_status == change.to_status,
                "event": change.get_kind_display()
                if change.kind != StatusChange.Kind.STATUS
                else "",
            }
            for change in changes_of(obj)
        ]
        return render_to_string("admin/iness/status_history.html", {"changes": changes})


class ObjectActionsMixin:
    """Buttons on a record's page that do what the list's actions do to that one record.

    `object_actions` names list actions; each button posts to `<pk>/action/<name>/`, which
    runs the same action (so the same service and messages) on a queryset of that record,
    only for those the organiser may run (`get_actions`).
    """

    object_actions: list[str] = []

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/action/<str:name>/",
                self.admin_site.admin_view(self.object_action_view),
                name=f"{opts.app_label}_{opts.model_name}_object_action",
            ),
            *super().get_urls(),
        ]

    def _object_actions(self, request):
        allowed = self.get_actions(request)
        return [(name, *allowed[name][1:]) for name in self.object_actions if name in allowed]

    def object_action_view(self, request, object_id, name):
        opts = self.model._meta
        change_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[object_id])
        if request.method != "POST":
            return redirect(change_url)
        allowed = self.get_actions(request)
        if name not in self.object_actions or name not in allowed:
            raise PermissionDenied
        func = allowed[name][0]
        queryset = self.get_queryset(request).filter(pk=object_id)
        response = func(self, request, queryset)
        return response or redirect(change_url)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        opts = self.model._meta
        extra_context = extra_context or {}
        extra_context["object_actions"] = [
            (
                reverse(
                    f"admin:{opts.app_label}_{opts.model_name}_object_action",
                    args=[object_id, name],
                ),
                description,
            )
            for name, _name, description in self._object_actions(request)
        ]
        return super().change_view(request, object_id, form_url, extra_context)


# (header, function of a row) pairs: the columns of an export.
Columns = Sequence[tuple[str, Callable]]


def export_actions(*, name: str, columns: Callable[[object], Columns]) -> list:
    """Admin actions that download the selected rows (select all for the filtered ones) as
    CSV with commas, CSV with semicolons and XLSX.

    `columns(request)` gives the columns, so that they may depend on who asks.
    """

    def make(fmt: exports.Format):
        def action(modeladmin, request, queryset):
            cols = columns(request)
            stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
            return exports.response(
                filename=f"{name}-{stamp}",
                fmt=fmt,
                title=str(modeladmin.model._meta.verbose_name_plural),
                headers=[str(header) for header, _get in cols],
                rows=_rows(queryset, cols),
            )

        action.__name__ = f"export_{fmt.key}"
        return admin.action(description=fmt.action_label, permissions=["view"])(action)

    return [make(fmt) for fmt in exports.FORMATS.values()]


def _rows(queryset, cols: Columns) -> Iterable[list]:
    for obj in queryset:
        yield [get(obj) for _header, get in cols]
