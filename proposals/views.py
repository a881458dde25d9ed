"""The proposal form, its result page, the speaker's private pages, the programme and its
calendars.

Every POST is rate-limited per client address, each form in its own group (iness.abuse), and
kept out of error reports: what speakers type is personal data (`sensitive_post_parameters`),
and private-link tokens are secrets (`sensitive_variables`, here and in every function the
view calls).
"""

import datetime as dt

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
from .forms import AcceptNamingForm, ProposalEditForm, ProposalForm, TakeSeatForm
from .models import Panellist, Proposal, Slides
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
        except services.PanelRefused as refusal:
            # The form checks the same rule first: only a race with a change of format gets here.
            form.add_error(None, refusal.message)
            return render(
                request,
                "proposals/submit.html",
                {"event": event, "form": form, "signup_closed": signup_closed},
            )
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
            "can_upload_slides": services.slides.can_upload(proposal),
            "panel": proposal.panellists.exclude(status=Panellist.Status.REMOVED)
            .select_related("person")
            .order_by("position", "pk"),
            "held_seat": services.held_seat(proposal),
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
        except (services.NotEditable, services.PanelRefused) as refusal:
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


# The page of a person named by a speaker (an other speaker, a panellist). ------------------

panellist_page = _private_page(
    lambda token: services.panel.find_by_token(token),
    invalid="proposals/invalid_link.html",
    name="panellist",
)


@sensitive_variables()
@panellist_page
def panellist(request, *, panellist, token):
    """What the named person sees: the proposal, their answer, and a seat to take."""
    return _panellist_page(request, panellist, token)


def _panellist_page(request, panellist, token, *, accept_form=None, seat_form=None):
    proposal = panellist.proposal
    registration = registrations_for(panellist)
    return render(
        request,
        "proposals/panellist.html",
        {
            "panellist": panellist,
            "proposal": proposal,
            "event": proposal.event,
            "token": token,
            "Status": Panellist.Status,
            "can_answer": services.panel.can_answer(panellist),
            "accept_form": accept_form or AcceptNamingForm(),
            "registration": registration,
            "seat_form": seat_form
            or (TakeSeatForm() if _may_take_seat(panellist, registration) else None),
            "signup_closed": registrations.closed_reason(proposal.event),
        },
    )


def registrations_for(panellist):
    return (
        Registration.objects.active()
        .filter(event_id=panellist.proposal.event_id, person_id=panellist.person_id)
        .first()
    )


def _may_take_seat(panellist, registration) -> bool:
    return (
        panellist.status == Panellist.Status.ACCEPTED
        and registration is None
        and registrations.closed_reason(panellist.proposal.event) is None
    )


@sensitive_variables()
@sensitive_post_parameters()
@limit_public_posts("proposals.panellist.answer")
@require_POST
@panellist_page
def panellist_answer(request, *, panellist, token):
    """Accept (with consent to the notice) or decline being named."""
    accept = request.POST.get("answer") == "accept"
    form = AcceptNamingForm(request.POST) if accept else ConfirmForm(request.POST)
    if not form.is_valid():
        return _panellist_page(request, panellist, token, accept_form=form)
    try:
        services.panel.answer(panellist=panellist, accept=accept)
    except services.NotAnswerable as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            _("Thank you: you will be named on the programme if the proposal is accepted.")
            if accept
            else _("Thank you for letting us know: you will not be named."),
        )
    return redirect("proposals:panellist", token=token)


@sensitive_variables()
@sensitive_post_parameters()
@limit_public_posts("proposals.panellist.seat")
@require_POST
@panellist_page
def panellist_seat(request, *, panellist, token):
    """Take a seat: a sign-up through the sign-up service."""
    form = TakeSeatForm(request.POST)
    if not form.is_valid():
        return _panellist_page(request, panellist, token, seat_form=form)
    try:
        outcome = services.panel.take_seat(
            panellist=panellist, language=translation.get_language(), **form.cleaned_data
        )
    except (services.NotAnswerable, registrations.RegistrationClosed) as refusal:
        messages.error(request, refusal.message)
    else:
        if not outcome.created:
            messages.info(request, _("You had already signed up: we emailed you its link again."))
        elif outcome.position:
            messages.success(
                request,
                _(
                    "Every seat is taken: you are number %(position)s on the waiting list. "
                    "We emailed you the link of your sign-up."
                )
                % {"position": outcome.position},
            )
        else:
            messages.success(
                request, _("Your seat is confirmed. We emailed you the link of your sign-up.")
            )
    return redirect("proposals:panellist", token=token)
