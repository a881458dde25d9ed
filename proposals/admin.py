"""Proposals and the committee's reviews in the admin.

Decisions go through `proposals.services` (`decide`, then `notify_decisions`). Reviews: each
member writes and edits only their own, and sees the others' scores on a proposal (on its page,
in the list's average, in exports) only once they have reviewed it, so as not to be swayed.
"""

import datetime as dt
import hashlib

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from iness.adminkit import ObjectActionsMixin, StatusHistoryMixin, export_actions
from iness.dates import format_date, format_time
from iness.exceptions import Refused
from registrations.models import Registration
from registrations.services import waitlist_position

from . import programme, services
from .models import Panellist, Proposal, Review, Slides, Slot


def with_review_figures(queryset, user):
    """Annotate `review_count`, `reviewed_by_me` and `average_score` (None until `user` has
    reviewed the proposal, so that neither the column nor sorting by it gives scores away),
    and `speaker_status`, the status of the speaker's active sign-up to the same day."""
    reviews = Review.objects.filter(proposal=OuterRef("pk")).order_by().values("proposal")
    mine = Review.objects.filter(proposal=OuterRef("pk"), reviewer_id=user.pk)
    sign_up = (
        Registration.objects.active()
        .filter(event=OuterRef("event"), person=OuterRef("person"))
        .values("status")[:1]
    )
    return queryset.annotate(
        review_count=Coalesce(
            Subquery(reviews.annotate(n=Count("pk")).values("n"), output_field=IntegerField()),
            Value(0),
        ),
        reviewed_by_me=Exists(mine),
        average_score=Case(
            When(
                reviewed_by_me=True,
                then=Subquery(
                    reviews.annotate(a=Avg("score")).values("a"), output_field=FloatField()
                ),
            ),
            default=None,
            output_field=FloatField(),
        ),
        speaker_status=Subquery(sign_up),
    )


class ReviewedByMeFilter(admin.SimpleListFilter):
    title = _("your review")
    parameter_name = "my_review"

    def lookups(self, request, model_admin):
        return [("done", _("written")), ("todo", _("still to write"))]

    def queryset(self, request, queryset):
        if self.value() == "done":
            return queryset.filter(reviewed_by_me=True)
        if self.value() == "todo":
            return queryset.filter(reviewed_by_me=False)
        return queryset


class AnnouncementFilter(admin.SimpleListFilter):
    title = _("announcement of the decision")
    parameter_name = "announced"

    def lookups(self, request, model_admin):
        return [
            ("pending", _("decided, not announced yet")),
            ("done", _("announced to the speaker")),
            ("undecided", _("no decision yet")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "pending":
            return queryset.awaiting_notification()
        if self.value() == "done":
            return queryset.filter(decision_notified_at__isnull=False)
        if self.value() == "undecided":
            return queryset.filter(status=Proposal.Status.SUBMITTED)
        return queryset


def announcement_text(proposal: Proposal) -> str:
    """Whether the speaker has been told the decision, in words for a list or a page."""
    if proposal.decision_notified_at is not None:
        return _("announced on %(date)s") % {"date": format_date(proposal.decision_notified_at)}
    if proposal.status in Proposal.DECISIONS:
        return _("not announced yet")
    return "-"


class ReviewForm(forms.ModelForm):
    score = forms.TypedChoiceField(
        label=_("Score"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("From 1 (weak) to 5 (excellent)."),
    )

    class Meta:
        model = Review
        fields = ["score", "comment"]


class OwnReviewInline(admin.StackedInline):
    """The signed-in member's own review, and nobody else's."""

    model = Review
    form = ReviewForm
    template = "admin/proposals/proposal/own_review.html"
    fields = ["score", "comment"]
    max_num = 1
    can_delete = False
    verbose_name = _("your review")
    verbose_name_plural = _("your review")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(reviewer=request.user)

    def get_extra(self, request, obj=None, **kwargs):
        if obj is not None and obj.reviews.filter(reviewer=request.user).exists():
            return 0
        return 1


class PanellistInline(admin.TabularInline):
    """Who the speaker names, and their answers: read only, since each person answers
    through their own link and the speaker changes the list through theirs."""

    model = Panellist
    fields = ["person", "organisation", "status", "answered_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person")


def _average(p):
    return round(p.average_score, 2) if p.average_score is not None else None


def export_columns(request):
    return [
        (_("title"), lambda p: p.title),
        (_("format"), lambda p: p.get_format_display()),
        (_("status"), lambda p: p.get_status_display()),
        (_("first name"), lambda p: p.person.first_name),
        (_("last name"), lambda p: p.person.last_name),
        (_("email"), lambda p: p.person.email),
        (_("organisation"), lambda p: p.organisation),
        (_("kind of organisation"), lambda p: p.get_organisation_kind_display()),
        (_("profile"), lambda p: p.get_profile_display()),
        (_("other speakers"), lambda p: p.co_speakers),
        (_("summary"), lambda p: p.summary),
        (_("experience or initiative concerned"), lambda p: p.experience),
        (_("needs"), lambda p: p.needs),
        (_("number of reviews"), lambda p: p.review_count),
        (_("average score (once you have reviewed)"), _average),
        (_("submitted at"), lambda p: p.created_at),
        (_("decision announced at"), lambda p: p.decision_notified_at),
        (_("event"), lambda p: p.event.title),
    ]


@admin.register(Proposal)
class ProposalAdmin(ObjectActionsMixin, StatusHistoryMixin, admin.ModelAdmin):
    list_display = [
        "title",
        "format",
        "speaker",
        "organisation",
        "status",
        "announcement",
        "reviews",
        "average",
        "speaker_seat",
    ]
    list_filter = ["event", "format", "status", AnnouncementFilter, ReviewedByMeFilter]
    search_fields = [
        "title",
        "person__first_name",
        "person__last_name",
        "person__email",
        "organisation",
        "co_speakers",
    ]
    list_select_related = ["event", "person"]
    inlines = [PanellistInline, OwnReviewInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "event",
                    "status",
                    "decided_at",
                    "announcement",
                    "decision_notified_at",
                    "decision_comment",
                ]
            },
        ),
        (
            _("Proposal"),
            {
                "fields": [
                    "format",
                    "title",
                    "summary",
                    "experience",
                    "co_speakers",
                    "needs",
                    "slides_file",
                ]
            },
        ),
        (
            _("Speaker"),
            {
                "fields": [
                    "person",
                    "organisation",
                    "organisation_kind",
                    "profile",
                    "speaker_seat",
                ]
            },
        ),
        (_("History"), {"fields": ["created_at", "confirmed_at", "status_history"]}),
    ]
    # The text is the speaker's: they change it through their private link.
    readonly_fields = [
        "event",
        "status",
        "decided_at",
        "announcement",
        "decision_notified_at",
        "format",
        "title",
        "summary",
        "experience",
        "co_speakers",
        "needs",
        "slides_file",
        "person",
        "organisation",
        "organisation_kind",
        "profile",
        "speaker_seat",
        "created_at",
        "confirmed_at",
        "status_history",
    ]
    actions = [
        "accept",
        "reject",
        "announce",
        *export_actions(name="proposals", columns=export_columns),
    ]
    change_list_template = "admin/proposals/proposal/change_list.html"
    # The same actions as buttons on each proposal's page.
    object_actions = ["accept", "reject", "announce"]

    def get_queryset(self, request):
        return with_review_figures(super().get_queryset(request), request.user)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    # The speaker's slides (proposals.services.slides): the committee reads them here,
    # whether or not the speaker agreed to show them on the programme.
    @admin.display(description=_("slides"))
    def slides_file(self, obj):
        slides = Slides.objects.filter(proposal=obj).only("pk", "size", "public").first()
        if slides is None:
            return "-"
        return format_html(
            '<a href="{}">{}</a> ({}) · {}',
            reverse("admin:proposals_proposal_slides", args=[obj.pk]),
            _("PDF"),
            filesizeformat(slides.size),
            _("shown on the programme after the day") if slides.public else _("not shown"),
        )

    def slides_pdf(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        slides = get_object_or_404(Slides, proposal_id=pk)
        response = HttpResponse(bytes(slides.content), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="proposal-{pk}-slides.pdf"'
        return response

    def get_readonly_fields(self, request, obj=None):
        # The committee's comment goes out with the decision: fixed once announced.
        if obj is not None and obj.decision_released:
            return [*self.readonly_fields, "decision_comment"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        # Everything else on this page is read-only; the comment goes through the service.
        if "decision_comment" not in form.changed_data:
            return
        try:
            services.set_decision_comment(
                proposal=obj, comment=form.cleaned_data["decision_comment"], by=request.user
            )
        except Refused as refusal:
            self.message_user(request, refusal.message, messages.ERROR)

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        extra_context["pending_announcements"] = Proposal.objects.awaiting_notification().count()
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        proposal = self.get_object(request, object_id)
        if proposal is not None:
            reviews = list(proposal.reviews.select_related("reviewer"))
            extra_context["has_reviewed"] = any(r.reviewer_id == request.user.pk for r in reviews)
            extra_context["other_reviews"] = [
                r for r in reviews if r.reviewer_id != request.user.pk
            ]
        return super().change_view(request, object_id, form_url, extra_context)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Review:
            return super().save_formset(request, form, formset, change)
        for review in formset.save(commit=False):
            review.reviewer = request.user
            # A review written twice at once (two tabs) updates the one already there.
            Review.objects.update_or_create(
                proposal=form.instance,
                reviewer=request.user,
                defaults={"score": review.score, "comment": review.comment},
            )

    @admin.display(description=_("speaker"), ordering="person__last_name")
    def speaker(self, obj):
        return obj.person.full_name

    @admin.display(description=_("announcement"), ordering="decision_notified_at")
    def announcement(self, obj):
        return announcement_text(obj)

    @admin.display(description=_("reviews"), ordering="review_count")
    def reviews(self, obj):
        return obj.review_count

    @admin.display(description=_("average score"), ordering="average_score")
    def average(self, obj):
        if obj.average_score is not None:
            return formats.number_format(obj.average_score, 1)
        return _("review it to see") if obj.review_count else "-"

    @admin.display(description=_("speaker's sign-up"))
    def speaker_seat(self, obj):
        status = getattr(obj, "speaker_status", None)
        if status is None:
            return _("not signed up")
        return Registration.Status(status).label

    @admin.action(
        description=_("Accept the selected proposals (not emailed yet)"), permissions=["change"]
    )
    def accept(self, request, queryset):
        self._decide(request, queryset, Proposal.Status.ACCEPTED)

    @admin.action(
        description=_("Decline the selected proposals (not emailed yet)"), permissions=["change"]
    )
    def reject(self, request, queryset):
        self._decide(request, queryset, Proposal.Status.REJECTED)

    @admin.action(
        description=_("Announce the decisions on the selected proposals (preview first)"),
        permissions=["change"],
    )
    def announce(self, request, queryset):
        # Opens the page that shows every email and sends only when confirmed.
        ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True))
        return redirect(reverse("admin:proposals_proposal_announce") + f"?ids={ids}")

    def get_urls(self):
        return [
            path(
                "announce/",
                self.admin_site.admin_view(self.announce_view),
                name="proposals_proposal_announce",
            ),
            path(
                "<int:pk>/slides.pdf",
                self.admin_site.admin_view(self.slides_pdf),
                name="proposals_proposal_slides",
            ),
            *super().get_urls(),
        ]

    def announce_view(self, request):
        """Announce decisions: what will be sent, each email as its speaker will read it,
        counts; sends only on the confirmation's POST, as one mailing to follow."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        source = request.POST if request.method == "POST" else request.GET
        chosen = Proposal.objects.all()
        if source.get("ids"):
            chosen = chosen.filter(pk__in=_ids(source["ids"]))
        if source.get("event", "").isdigit():
            chosen = chosen.filter(event_id=source["event"])
        previews = services.decision_mails(proposals=chosen)
        fingerprint = _fingerprint(previews)
        if request.method == "POST" and previews:
            if request.POST.get("fingerprint") == fingerprint:
                shown = Proposal.objects.filter(pk__in=[p.proposal.pk for p in previews])
                notified = services.notify_decisions(proposals=shown, by=request.user)
                self.message_user(
                    request,
                    ngettext(
                        "%d decision email is being sent: follow it on this page.",
                        "%d decision emails are being sent: follow them on this page.",
                        notified.count,
                    )
                    % notified.count,
                    messages.SUCCESS,
                )
                # The mailing's page: how many wait, went, or failed; "send the failed again".
                return redirect("admin:iness_mailbatch_change", notified.batch.pk)
            self.message_user(
                request,
                _(
                    "The decisions changed since this page was shown (another organiser, or a "
                    "speaker withdrew): nothing was sent. Check the emails below again."
                ),
                messages.WARNING,
            )
        accepted = sum(p.proposal.status == Proposal.Status.ACCEPTED for p in previews)
        return TemplateResponse(
            request,
            "admin/proposals/proposal/announce.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Announce decisions"),
                "previews": previews,
                "accepted": accepted,
                "rejected": len(previews) - accepted,
                "fingerprint": fingerprint,
                "ids": source.get("ids", ""),
                "event": source.get("event", ""),
            },
        )

    def _decide(self, request, queryset, decision):
        done = []
        for proposal in queryset.select_related("event", "person"):
            try:
                services.decide(proposal=proposal, decision=decision, by=request.user)
            except Refused as refusal:
                self.message_user(
                    request,
                    _("“%(title)s” unchanged: %(reason)s")
                    % {"title": proposal.title, "reason": refusal.message},
                    messages.WARNING,
                )
            else:
                done.append(proposal)
        if not done:
            return
        message = (
            ngettext(
                "%d proposal accepted. Speakers are told when you announce the decisions.",
                "%d proposals accepted. Speakers are told when you announce the decisions.",
                len(done),
            )
            if decision == Proposal.Status.ACCEPTED
            else ngettext(
                "%d proposal declined. Speakers are told when you announce the decisions.",
                "%d proposals declined. Speakers are told when you announce the decisions.",
                len(done),
            )
        )
        self.message_user(request, message % len(done), messages.SUCCESS)
        if decision == Proposal.Status.ACCEPTED:
            for proposal in done:
                self._warn_about_seat(request, proposal)

    def _warn_about_seat(self, request, proposal):
        """An accepted speaker without a confirmed seat: the committee may want to act."""
        registration = services.speaker_registration(proposal)
        if registration is None:
            reason = _("is not signed up to attend")
        elif registration.status == Registration.Status.WAITLISTED:
            reason = _("is number %(position)d on the waiting list") % {
                "position": waitlist_position(registration)
            }
        elif registration.status == Registration.Status.OFFERED:
            reason = _("has been offered a seat but has not accepted it yet")
        else:
            return
        self.message_user(
            request,
            _("The speaker of “%(title)s”, %(name)s, %(reason)s.")
            % {"title": proposal.title, "name": proposal.person.full_name, "reason": reason},
            messages.WARNING,
        )


def _ids(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip().isdigit()]


def _fingerprint(previews) -> str:
    """What the organiser saw: the confirmation sends only if it is still what would go."""
    seen = "\n".join(f"{p.proposal.pk}:{p.subject}\n{p.body}" for p in previews)
    return hashlib.sha256(seen.encode()).hexdigest()


# The programme of the day, built on the event's page (backoffice.event_admin). ------------


def _proposal_choice(proposal: Proposal) -> str:
    """ "Title · Speaker (Talk)", and what happened to a proposal no longer accepted."""
    label = f"{proposal.title} · {proposal.person.full_name} ({proposal.get_format_display()})"
    if proposal.status not in programme.SCHEDULABLE:
        label = f"{label}: {proposal.get_status_display()}"
    return label


class SlotForm(forms.ModelForm):
    # Optional here: an item without a start time starts when the item above it ends.
    starts_at = forms.TimeField(
        label=_("starts at"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M"),
    )

    class Meta:
        model = Slot
        fields = ["starts_at", "duration", "proposal", "kind", "title", "title_en", "room"]
        widgets = {
            "duration": forms.NumberInput(attrs={"min": 5, "max": 1440, "step": 5}),
            "title": forms.TextInput(attrs={"size": 10}),
            "title_en": forms.TextInput(attrs={"size": 10}),
            "room": forms.TextInput(attrs={"size": 8}),
        }


class SlotFormSet(forms.BaseInlineFormSet):
    """Checks the day as a whole (proposals.programme), each problem beside its field."""

    def clean(self):
        super().clean()
        event = self.instance
        if any(self.errors) or None in (event.date, event.starts_at, event.ends_at):
            return
        kept = [
            form for form in self.forms if form.cleaned_data and not self._should_delete_form(form)
        ]
        # In the order shown: an item without a start time follows the one above it.
        programme.fill_start_times(event, [form.instance for form in kept])
        kept.sort(key=lambda form: (form.instance.starts_at or dt.time.min, form.instance.room))
        for problem in programme.day_problems(event, [form.instance for form in kept]):
            kept[problem.index].add_error(problem.field, problem.message)


class SlotInline(admin.TabularInline):
    """The day's items on the event's page, by start time; saved by `programme.save_day`
    (see EventAdmin.save_formset)."""

    model = Slot
    form = SlotForm
    formset = SlotFormSet
    template = "admin/proposals/slot/tabular.html"
    fields = [
        "starts_at",
        "duration",
        "ends",
        "proposal",
        "kind",
        "title",
        "title_en",
        "room",
    ]
    readonly_fields = ["ends"]
    ordering = ["starts_at", "room", "pk"]
    extra = 3

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("event", "proposal")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "proposal":
            # A plain list: proposals are not added or edited from here.
            field.widget = field.widget.widget
        return field

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name != "proposal":
            return field
        event_pk = request.resolver_match.kwargs.get("object_id")
        # The day's accepted proposals, and any already placed (a withdrawn one stays
        # choosable, so that its row says what happened instead of "invalid choice").
        field.queryset = (
            Proposal.objects.filter(event_id=event_pk)
            .filter(Q(status__in=programme.SCHEDULABLE) | Q(slot__isnull=False))
            .select_related("person")
            .order_by("format", "title", "pk")
            if event_pk and str(event_pk).isdigit()
            else Proposal.objects.none()
        )
        # Built once for every row of the table, instead of one query per row.
        field.choices = [("", "---------")] + [(p.pk, _proposal_choice(p)) for p in field.queryset]
        return field

    @admin.display(description=_("ends at"))
    def ends(self, obj):
        if obj is None or obj.pk is None:
            return ""
        return format_time(obj.end)
