"""Sign-up pages, and the private pages behind each registration's link.

Views validate and call `services`; they never change a status themselves.

Every POST is rate-limited per client address, each form in its own group (iness.abuse), and
kept out of error reports: what people type is personal data (`sensitive_post_parameters`),
and private-link tokens are secrets (`sensitive_variables`, here and in every function the
view calls).
"""

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods

from iness.abuse import limit_public_posts, post_refused
from iness.forms import ConfirmForm
from iness.history import PUBLIC
from iness.mail import visitor_triggered
from iness.models import Event
from iness.private import private_page as _private_page
from iness.sessions import remember_result

from . import services
from .certificates import certificate_filename, certificate_pdf
from .feedback_forms import FeedbackForm
from .forms import DetailsForm, RegistrationForm
from .models import Registration

RESULT_KEY = "registration_result"

# A page reached through a sign-up's private link (iness.private).
private_page = _private_page(
    lambda token: services.find_by_token(token),
    invalid="registrations/invalid_link.html",
    name="registration",
)


@sensitive_variables()
@sensitive_post_parameters()
@limit_public_posts("registrations.signup", keeps_input=True)
# Whatever address is typed, the form cannot flood its inbox (iness.mail's budget).
@visitor_triggered()
@require_http_methods(["GET", "POST"])
def register(request, slug):
    event = get_object_or_404(Event.objects.published(), slug=slug)
    reason = services.closed_reason(event)
    seats_left = services.seats_left(event)
    # Bound on every POST, even an empty one: it then says what is missing.
    form = RegistrationForm(request.POST if request.method == "POST" else None, full=not seats_left)
    if not reason and request.method == "POST" and form.is_valid() and not post_refused(request):
        language = translation.get_language()
        try:
            outcome = services.register(
                event=event, data=form.registration_data(language=language), by=PUBLIC
            )
        except services.RegistrationClosed as closed:
            reason = closed.reason
        else:
            # The result page reads what to say from the session (POST/redirect/GET): the
            # sign-up's number and the time to confirm before, never the address. It says
            # the same to a new address and to a known one (the mail says what is true).
            registration = outcome.registration
            remember_result(
                request,
                RESULT_KEY,
                {
                    "event": event.pk,
                    "registration": registration.pk,
                    "until": outcome.until.timestamp(),
                },
                person=registration.person,
            )
            return redirect("registrations:registered", slug=event.slug)
    return render(
        request,
        "registrations/register.html",
        {"event": event, "form": form, "closed": reason, "seats_left": seats_left},
    )


def registered(request, slug):
    event = get_object_or_404(Event.objects.published(), slug=slug)
    result = request.session.get(RESULT_KEY)
    registration = None
    if result and result.get("event") == event.pk:
        registration = (
            Registration.objects.select_related("person")
            .filter(pk=result.get("registration"), event=event, anonymised_at__isnull=True)
            .first()
        )
    if registration is None or not result.get("until"):
        return redirect("registrations:register", slug=event.slug)
    return render(
        request,
        "registrations/registered.html",
        {
            "event": event,
            "until": dt.datetime.fromtimestamp(result["until"], tz=dt.UTC),
            "person": registration.person,
        },
    )


@sensitive_variables()
@private_page
def manage(request, *, registration, token):
    return render(
        request,
        "registrations/manage.html",
        {
            "registration": registration,
            "event": registration.event,
            "token": token,
            "position": services.waitlist_position(registration),
            "offer_open": services.offer_is_open(registration),
            "can_cancel": registration.is_active and timezone.now() < registration.event.start,
            "sign_up_open": services.closed_reason(registration.event) is None,
            "certificate": services.certificate_available(registration),
            "feedback_open": services.feedback_open(registration),
            "feedback_given": services.feedback_given(registration),
            "can_correct": services.can_correct(registration),
        },
    )


@sensitive_variables()
@require_http_methods(["GET"])
@private_page
def certificate(request, *, registration, token):
    """The attendance certificate, once organisers released it (services.day)."""
    if not services.certificate_available(registration):
        raise Http404
    content = certificate_pdf(registration, language=translation.get_language())
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{certificate_filename(registration)}"'
    return response


@sensitive_variables()
@sensitive_post_parameters()
@limit_public_posts("registrations.feedback")
@require_http_methods(["GET", "POST"])
@private_page
def feedback(request, *, registration, token):
    if not services.feedback_open(registration):
        return redirect("registrations:manage", token=token)
    form = FeedbackForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.give_feedback(registration=registration, data=form.feedback_data())
        except services.FeedbackRefused as refusal:
            messages.info(request, refusal.message)
        else:
            messages.success(request, _("Thank you: your feedback is recorded."))
        return redirect("registrations:manage", token=token)
    return render(
        request,
        "registrations/feedback.html",
        {"registration": registration, "event": registration.event, "token": token, "form": form},
    )


@sensitive_variables()
@sensitive_post_parameters()
@limit_public_posts("registrations.details")
@require_http_methods(["GET", "POST"])
@private_page
def details(request, *, registration, token):
    """The attendee corrects their details; a new address is verified before it is used."""
    if not services.can_correct(registration):
        messages.info(request, services.DetailsLocked.message)
        return redirect("registrations:manage", token=token)
    form = DetailsForm(request.POST if request.method == "POST" else None, instance=registration)
    if request.method == "POST" and form.is_valid():
        try:
            corrected = services.correct_details(
                registration=registration, data=form.details_data(), by=PUBLIC
            )
        except services.DetailsLocked as refusal:
            messages.error(request, refusal.message)
        else:
            if corrected.address_pending:
                messages.info(
                    request,
                    _(
                        "We sent a link to %(email)s: your address changes once you open it "
                        "and confirm. Until then we keep writing to your previous address."
                    )
                    % {"email": corrected.address_pending},
                )
            if corrected.changed:
                messages.success(request, _("Your changes are saved."))
            elif not corrected.address_pending:
                messages.info(request, _("Nothing was changed."))
        return redirect("registrations:manage", token=token)
    return render(
        request,
        "registrations/details.html",
        {"registration": registration, "event": registration.event, "form": form, "token": token},
    )


@sensitive_variables()
@limit_public_posts("registrations.verify")
@require_http_methods(["GET", "POST"])
@private_page
def verify(request, *, registration, token):
    """The page the mailed link opens: one button. Opening it (a GET, as mail scanners do)
    changes nothing; the POST confirms the address, and with it the seat or the place."""
    if request.method == "POST" and ConfirmForm(request.POST).is_valid():
        try:
            services.verify(registration=registration, by=PUBLIC)
        except services.HoldLapsed as refusal:
            messages.error(request, refusal.message)
        else:
            registration.refresh_from_db()
            if registration.status == Registration.Status.CONFIRMED:
                messages.success(
                    request,
                    _("Your seat is confirmed. We have sent you an email with the calendar file."),
                )
            else:
                messages.success(request, _("Your place on the waiting list is confirmed."))
        return redirect("registrations:manage", token=token)
    if registration.is_verified or not registration.is_active:
        return redirect("registrations:manage", token=token)
    return _confirm_page(request, registration, token, action="verify")


@sensitive_variables()
@limit_public_posts("registrations.cancel")
@require_http_methods(["GET", "POST"])
@private_page
def cancel(request, *, registration, token):
    if not registration.is_active or timezone.now() >= registration.event.start:
        messages.info(request, _("There is nothing to cancel any more."))
        return redirect("registrations:manage", token=token)
    if request.method == "POST" and ConfirmForm(request.POST).is_valid():
        services.cancel(registration=registration, by=PUBLIC)
        messages.success(
            request, _("Your sign-up is cancelled. We have sent you an email to confirm it.")
        )
        return redirect("registrations:manage", token=token)
    return _confirm_page(request, registration, token, action="cancel")


@sensitive_variables()
@limit_public_posts("registrations.accept")
@require_http_methods(["GET", "POST"])
@private_page
def accept(request, *, registration, token):
    return _answer_offer(request, registration, token, action="accept")


@sensitive_variables()
@limit_public_posts("registrations.decline")
@require_http_methods(["GET", "POST"])
@private_page
def decline(request, *, registration, token):
    return _answer_offer(request, registration, token, action="decline")


def _answer_offer(request, registration, token, *, action):
    if request.method == "POST" and ConfirmForm(request.POST).is_valid():
        service = services.accept_offer if action == "accept" else services.decline_offer
        try:
            service(registration=registration, by=PUBLIC)
        except services.OfferNotOpen:
            messages.error(request, _("This seat offer is no longer open."))
        else:
            messages.success(
                request,
                _("Your seat is confirmed. We have sent you an email with the calendar file.")
                if action == "accept"
                else _("You have given up the seat. Thank you for letting us know."),
            )
        return redirect("registrations:manage", token=token)
    if not services.offer_is_open(registration):
        messages.info(request, _("This seat offer is no longer open."))
        return redirect("registrations:manage", token=token)
    return _confirm_page(request, registration, token, action=action)


def _confirm_page(request, registration, token, *, action):
    return render(
        request,
        "registrations/confirm.html",
        {
            "registration": registration,
            "event": registration.event,
            "token": token,
            "action": action,
            "form": ConfirmForm(),
        },
    )
