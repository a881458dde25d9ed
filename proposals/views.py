"""The proposal form, its result page, the speaker's private pages, the programme and its
calendars.

Every POST is rate-limited per client address, each form in its own group (iness.abuse), and
kept out of error reports: what speakers type is personal data (`sensitive_post_parameters`),
and private-link tokens are secrets (`sensitive_variables`, here and in every function the
view calls).
"""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods, require_POST

from iness.abuse import limit_public_posts, post_refused
from iness.forms import ConfirmForm
from iness.mail import visitor_triggered
from iness.middleware import accepts_files
from iness.models import Event
from iness.private import private_page as _private_page
from iness.sessions import remember_result
from registrations import services as registrations
from registrations.models import Registration

from . import services
from .calendar import item_calendar, programme_calendar
from .forms import ProposalEditForm, ProposalForm
from .models import Proposal, Slides
from .programme import published_item, published_items, speaker_slot, unscheduled
from .slides_forms import SlidesForm

SESSION_KEY = "proposal_submitted"

# A page reached through a proposal's private link (iness.private).
private_page = _private_page(
    lambda token: services.find_by_token(token),
    invalid="proposals/invalid_link.html",
    name="proposal",
)


@sensitive_variables()
@sensitive_post_parameters()
@limit_public_posts("proposals.submit", keeps_input=True)
# Whatever address is typed, the form cannot flood its inbox (iness.mail's budget).
@visitor_triggered()
@require_http_methods(["GET", "POST"])
def submit(request, slug):
    """The proposal form; a valid form is recorded and the browser sent to the result page."""
    event = get_object_or_404(Event.objects.published(), slug=slug)
    if not event.proposals_are_open():
        return render(request, "proposals/closed.html", {"event": event})
    signup_closed = registrations.closed_reason(event)
    # Bound on every POST, even an empty one: it then says what is missing.
    form = ProposalForm(
        request.POST if request.method == "POST" else None,
        event=event,
        offer_signup=not signup_closed,
    )
    if request.method == "POST" and form.is_valid() and not post_refused(request):
        data = form.proposal_data(language=translation.get_language())
        try:
            outcome = services.submit(
                event=event, data=data, also_register=form.cleaned_data.get("also_register", False)
            )
        except services.ProposalsClosed:
            return render(request, "proposals/closed.html", {"event": event})
        remember_result(request, SESSION_KEY, _result(outcome), person=outcome.proposal.person)
        return redirect("proposals:submitted", slug=event.slug)
    return render(
        request,
        "proposals/submit.html",
        {"event": event, "form": form, "signup_closed": signup_closed},
    )


def _result(outcome: services.SubmitOutcome) -> dict:
    """What the result page needs to say, kept in the session between the POST and the GET."""
    result = {"proposal": outcome.proposal.pk, "attendance": None}  # numbers, no address
    if outcome.registration_closed:
        result["attendance"] = "closed"
        result["closed_reason"] = outcome.registration_closed
    elif outcome.registration is not None:
        # An address that had already signed up is not told what that sign-up is.
        result["attendance"] = "registered" if outcome.registration.created else "already"
        result["registration"] = outcome.registration.registration.pk
    return result


@never_cache
def submitted(request, slug):
    """The result page, shown after the redirect: reloading it sends nothing again."""
    event = get_object_or_404(Event.objects.published(), slug=slug)
    result = request.session.get(SESSION_KEY) or {}
    proposal = (
        Proposal.objects.select_related("person")
        .filter(pk=result.get("proposal"), event=event, anonymised_at__isnull=True)
        .first()
    )
    if proposal is None:
        return redirect("proposals:submit", slug=event.slug)
    context = {
        "event": event,
        "proposal": proposal,
        "attendance": result.get("attendance"),
        "closed_reason": result.get("closed_reason"),
    }
    if result.get("attendance") == "registered":
        registration = Registration.objects.filter(pk=result.get("registration")).first()
        context["registration"] = registration
        if registration is not None:
            context["position"] = registrations.waitlist_position(registration)
    return render(request, "proposals/submitted.html", context)


@sensitive_variables()
@private_page
def manage(request, *, proposal, token):
    """The speaker's private page: the proposal, its status, and what they may do."""
    return render(
        request,
        "proposals/manage.html",
        {
            "proposal": proposal,
            "event": proposal.event,
            "token": token,
            "status": proposal.status_for_speaker,
            "Status": Proposal.Status,
            "can_edit": services.can_edit(proposal),
            "can_withdraw": services.can_withdraw(proposal),
            "can_confirm": services.can_confirm(proposal),
            "slot": speaker_slot(proposal),
            "can_upload_slides": services.slides.can_upload(proposal),
        },
    )


@accepts_files
@sensitive_variables()
@sensitive_post_parameters()
@limit_public_posts("proposals.slides")
@require_http_methods(["GET", "POST"])
@private_page
def slides(request, *, proposal, token):
    """The speaker sends their slides, and says whether the programme may show them."""
    if not services.slides.can_upload(proposal):
        return redirect("proposals:manage", token=token)
    current = Slides.objects.filter(proposal=proposal).only("pk", "size", "public").first()
    max_mb = settings.SLIDES_MAX_MB
    form = SlidesForm(has_slides=current is not None, max_mb=max_mb)
    if request.method == "POST" and request.POST.get("remove"):
        services.slides.remove(proposal=proposal)
        messages.success(request, _("Your slides are removed."))
        return redirect("proposals:slides", token=token)
    if request.method == "POST":
        # Refused before the body is read: a file far too large is not stored anywhere.
        if int(request.META.get("CONTENT_LENGTH") or 0) > services.slides.max_bytes() + 65536:
            form.add_error(None, _("The file is too large: %(max)s MB at most.") % {"max": max_mb})
        else:
            form = SlidesForm(
                request.POST, request.FILES, has_slides=current is not None, max_mb=max_mb
            )
        if form.is_bound and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                if upload:
                    services.slides.upload(
                        proposal=proposal,
                        content=upload.read(services.slides.max_bytes() + 1),
                        public=form.cleaned_data["public"],
                    )
                else:
                    services.slides.set_public(
                        proposal=proposal, public=form.cleaned_data["public"]
                    )
            except services.SlidesRefused as refusal:
                form.add_error("file", refusal.message)
            else:
                messages.success(request, _("Your slides are saved."))
                return redirect("proposals:slides", token=token)
    elif current is not None:
        form = SlidesForm(initial={"public": current.public}, has_slides=True, max_mb=max_mb)
    return render(
        request,
        "proposals/slides.html",
        {
            "proposal": proposal,
            "event": proposal.event,
            "token": token,
            "form": form,
            "current": current,
        },
    )


def slides_file(request, slug, pk):
    """Slides on the programme: after the day, when the speaker agreed to show them."""
    event = get_object_or_404(Event.objects.published(), slug=slug, programme_published=True)
    shown = get_object_or_404(services.slides.public_slides(event), proposal_id=pk)
    response = HttpResponse(bytes(shown.content), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{event.slug}-{pk}.pdf"'
    return response


@sensitive_variables()
@sensitive_post_parameters()
@limit_public_posts("proposals.edit", keeps_input=True)
@require_http_methods(["GET", "POST"])
@private_page
def edit(request, *, proposal, token):
    if not services.can_edit(proposal):
        messages.error(request, services.edit_refusal(proposal))
        return redirect("proposals:manage", token=token)
    form = ProposalEditForm(
        request.POST if request.method == "POST" else None,
        instance=proposal,
        event=proposal.event,
    )
    if request.method == "POST" and form.is_valid() and not post_refused(request):
        data = form.proposal_data(language=proposal.person.language, email=proposal.person.email)
        try:
            changed = services.edit(proposal=proposal, data=data)
        except services.NotEditable as refusal:
            messages.error(request, refusal.message)
        else:
            if changed:
                messages.success(request, _("Your changes are saved. We sent you a confirmation."))
            else:
                messages.info(request, _("Nothing was changed."))
        return redirect("proposals:manage", token=token)
    return render(
        request,
        "proposals/edit.html",
        {"proposal": proposal, "event": proposal.event, "form": form, "token": token},
    )


@sensitive_variables()
@limit_public_posts("proposals.withdraw")
@require_http_methods(["GET", "POST"])
@private_page
def withdraw(request, *, proposal, token):
    """A confirmation page (GET), then the withdrawal itself (POST)."""
    # Reading the posted form checks its size and number of fields before anything changes.
    if request.method == "POST" and ConfirmForm(request.POST).is_valid():
        try:
            services.withdraw(proposal=proposal)
        except services.NotWithdrawable as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("Your proposal is withdrawn. We sent you a confirmation."))
        return redirect("proposals:manage", token=token)
    if not services.can_withdraw(proposal):
        messages.error(request, services.NotWithdrawable.message)
        return redirect("proposals:manage", token=token)
    return render(
        request,
        "proposals/withdraw.html",
        {"proposal": proposal, "event": proposal.event, "token": token},
    )


@sensitive_variables()
@limit_public_posts("proposals.confirm")
@require_POST
@private_page
def confirm(request, *, proposal, token):
    # Reading the posted form checks its size and number of fields before anything changes.
    if not ConfirmForm(request.POST).is_valid():
        return redirect("proposals:manage", token=token)
    try:
        services.confirm(proposal=proposal)
    except services.NotConfirmable as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Thank you: your participation is confirmed."))
    return redirect("proposals:manage", token=token)


def programme(request, slug):
    """The public programme: the day as a timeline, once organisers publish it."""
    event = get_object_or_404(Event.objects.published(), slug=slug)
    feed = reverse("proposals:programme_feed", args=[event.slug, translation.get_language()])
    return render(
        request,
        "proposals/programme.html",
        {
            "event": event,
            "items": published_items(event),
            "slides": set(
                services.slides.public_slides(event).values_list("proposal_id", flat=True)
            ),
            "unscheduled": unscheduled(event),
            "feed_url": request.build_absolute_uri(feed),
        },
    )


def programme_feed(request, slug, language):
    """The programme as an iCalendar feed, for calendars that subscribe to it."""
    event = get_object_or_404(Event.objects.published(), slug=slug, programme_published=True)
    content = programme_calendar(event, published_items(event), language=language)
    return _calendar_response(content, f"{event.slug}-programme.ics", disposition="inline")


def programme_item(request, slug, pk, language):
    """One item of the programme as a calendar file: "add to my calendar"."""
    event = get_object_or_404(Event.objects.published(), slug=slug)
    item = published_item(event, pk)
    if item is None:
        raise Http404
    content = item_calendar(item, language=language)
    return _calendar_response(content, f"{event.slug}-{pk}.ics", disposition="attachment")


def _calendar_response(content: str, filename: str, *, disposition: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
