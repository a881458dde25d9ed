"""The proposal form, its result page, the speaker's private pages, the programme and its
calendars.

Every POST is rate-limited per client address, each form in its own group (iness.abuse), and
kept out of error reports: what speakers type is personal data (`sensitive_post_parameters`),
and private-link tokens are secrets (`sensitive_variables`, here and in every function the
view calls).
"""

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods, require_POST

from iness.abuse import limit_mails_per_address, limit_public_posts
from iness.forms import ConfirmForm
from iness.models import Event
from iness.private import private_page as _private_page
from iness.sessions import remember_result
from registrations import services as registrations
from registrations.models import Registration

from . import services
from .calendar import item_calendar, programme_calendar
from .forms import ProposalEditForm, ProposalForm
from .models import Proposal
from .programme import published_item, published_items, speaker_slot, unscheduled

SESSION_KEY = "proposal_submitted"

# A page reached through a proposal's private link (iness.private).
private_page = _private_page(
    lambda token: services.find_by_token(token),
    invalid="proposals/invalid_link.html",
    name="proposal",
)


@sensitive_variables()
@sensitive_post_parameters()
@limit_public_posts("proposals.submit")
@limit_mails_per_address("proposals.submit.email")
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
    if request.method == "POST" and form.is_valid():
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
        # The same answer whether the address had signed up already or not: the mail says
        # what is true (13.2). No record number either: the page reads nothing about it.
        result["attendance"] = "check_inbox"
        result["until"] = outcome.registration.until.timestamp()
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
    if result.get("until"):
        context["until"] = dt.datetime.fromtimestamp(result["until"], tz=dt.UTC)
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
            "held_seat": services.held_seat(proposal),
        },
    )


@sensitive_variables()
@sensitive_post_parameters()
@limit_public_posts("proposals.edit")
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
    if request.method == "POST" and form.is_valid():
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


@sensitive_variables()
@limit_public_posts("proposals.confirm_seat")
@require_POST
@private_page
def confirm_seat(request, *, proposal, token):
    """The speaker confirms the seat held with their proposal: opening the proposal's link
    (a GET) changes nothing, this POST confirms the address."""
    if not ConfirmForm(request.POST).is_valid():
        return redirect("proposals:manage", token=token)
    try:
        registration = services.confirm_seat(proposal=proposal)
    except registrations.HoldLapsed as refusal:
        messages.error(request, refusal.message)
    else:
        if registration is not None:
            registration.refresh_from_db()
            messages.success(
                request,
                _("Your seat is confirmed. We have sent you an email with the calendar file.")
                if registration.status == Registration.Status.CONFIRMED
                else _("Your place on the waiting list is confirmed."),
            )
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
