"""Speakers' slides: uploaded from the proposal's private link, shown after the day.

A speaker whose proposal was accepted (and told so) uploads one PDF, which replaces any
earlier one, and says whether the public programme may offer it. The file is checked by
what it holds, never by its name or the type the browser claims: it must start with the PDF
signature (`%PDF-`) and pypdf must read its pages; its size is capped (`SLIDES_MAX_MB`).
The programme offers slides only after the day, and only those the speaker agreed to show.
"""

import datetime as dt
import io
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from iness.models import Event

from ..models import Proposal, Slides
from .refusals import SlidesRefused

PDF_SIGNATURE = b"%PDF-"

logger = logging.getLogger(__name__)


def max_bytes() -> int:
    return settings.SLIDES_MAX_MB * 1024 * 1024


def can_upload(proposal: Proposal) -> bool:
    """An accepted proposal whose speaker has been told, not erased."""
    return (
        proposal.status in (Proposal.Status.ACCEPTED, Proposal.Status.CONFIRMED)
        and proposal.decision_released
        and proposal.anonymised_at is None
    )


def check_pdf(content: bytes) -> None:
    """Raise SlidesRefused unless `content` is a PDF of an acceptable size."""
    if len(content) > max_bytes():
        raise SlidesRefused(
            _("The file is too large: %(max)s MB at most.") % {"max": settings.SLIDES_MAX_MB}
        )
    if not content.startswith(PDF_SIGNATURE):
        raise SlidesRefused(_("This file is not a PDF: please export your slides as PDF."))
    try:
        pages = len(PdfReader(io.BytesIO(content)).pages)
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError):
        logger.info("Slides refused: the PDF could not be read")
        pages = 0
    if not pages:
        raise SlidesRefused(_("This PDF cannot be read: please export it again and retry."))


def upload(*, proposal: Proposal, content: bytes, public: bool) -> Slides:
    """Keep `content` as the proposal's slides (replacing earlier ones)."""
    if not can_upload(proposal):
        raise SlidesRefused()
    check_pdf(content)
    with transaction.atomic():
        slides, _created = Slides.objects.update_or_create(
            proposal=proposal,
            defaults={
                "content": content,
                "size": len(content),
                "public": public,
                "uploaded_at": timezone.now(),
            },
        )
    return slides


def set_public(*, proposal: Proposal, public: bool) -> None:
    """The speaker changes their mind about showing the slides."""
    Slides.objects.filter(proposal=proposal).update(public=public)


def remove(*, proposal: Proposal) -> None:
    Slides.objects.filter(proposal=proposal).delete()


def shown(event: Event, *, now: dt.datetime | None = None) -> bool:
    """Whether the programme offers slides yet: after the day."""
    return (now or timezone.now()) >= event.end


def public_slides(event: Event):
    """The slides the programme may offer now (a queryset; empty before the day's end)."""
    if not shown(event):
        return Slides.objects.none()
    return Slides.objects.filter(
        proposal__event=event,
        proposal__status__in=[Proposal.Status.ACCEPTED, Proposal.Status.CONFIRMED],
        proposal__anonymised_at__isnull=True,
        public=True,
    )
