"""Proposals and the committee's reviews in the admin.

Decisions go through `proposals.services` (`decide`, then `notify_decisions`). Reviews: each
member writes and edits only their own, and sees the others' scores on a proposal (on its page,
in the list's average, in exports) only once they have reviewed it, so as not to be swayed.
"""

import datetime as dt

from django import forms
from django.contrib import admin, messages
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
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from iness.adminkit import StatusHistoryMixin, export_actions
from iness.dates import format_time
from iness.exceptions import Refused
from registrations.models import Registration
from registrations.services import waitlist_position

from . import programme, services
from .models import Panellist, Proposal, Review, Slot


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
        (_("decision sent at"), lambda p: p.decision_notified_at),
        (_("event"), lambda p: p.event.title),
    ]


@admin.register(Proposal)
class ProposalAdmin(StatusHistoryMixin, admin.ModelAdmin):
    list_display = [
        "title",
        "format",
        "speaker",
        "organisation",
        "status",
        "reviews",
        "average",
        "speaker_seat",
    ]
    list_filter = ["event", "format", "status", ReviewedByMeFilter]
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
        (None, {"fields": ["event", "status", "decided_at", "decision_notified_at"]}),
        (
            _("Proposal"),
            {"fields": ["format", "title", "summary", "experience", "co_speakers", "needs"]},
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
        "decision_notified_at",
        "format",
        "title",
        "summary",
        "experience",
        "co_speakers",
        "needs",
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
        "notify",
        *export_actions(name="proposals", columns=export_columns),
    ]

    def get_queryset(self, request):
        return with_review_figures(super().get_queryset(request), request.user)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

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

    @admin.display(description=_("reviews"), ordering="review_count")
    def reviews(self, obj):
        return obj.review_count

    @admin.display(description=_("average score"), ordering="average_score")
    def average(self, obj):
        if obj.average_score is not None:
            return f"{obj.average_score:.1f}"
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
        description=_("Notify speakers of the decisions on the selected proposals"),
        permissions=["change"],
    )
    def notify(self, request, queryset):
        pending = queryset.awaiting_notification().count()
        notified = services.notify_decisions(proposals=queryset, by=request.user)
        if notified.count:
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
            # The mailing's page: how many wait, went, or failed, and "send the failed again".
            return redirect("admin:iness_mailbatch_change", notified.batch.pk)
        if not pending:
            self.message_user(
                request,
                _(
                    "No decision to send among the selected proposals: accept or decline them "
                    "first; speakers already told are not told twice."
                ),
                messages.WARNING,
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
                "%d proposal accepted. Speakers are told when you notify them.",
                "%d proposals accepted. Speakers are told when you notify them.",
                len(done),
            )
            if decision == Proposal.Status.ACCEPTED
            else ngettext(
                "%d proposal declined. Speakers are told when you notify them.",
                "%d proposals declined. Speakers are told when you notify them.",
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
