"""The attendance certificate: one A4 page in PDF, in the person's language.

Written with fpdf2: pure Python (its wheel needs no system library, unlike WeasyPrint's
Pango or Cairo), small, and it embeds TrueType fonts. fpdf2 ships no Unicode font and its
built-in fonts know Latin-1 only (no "œ", no "’", no Polish or Vietnamese names), so the
DejaVu Sans font is shipped beside this module (`fonts/`, Bitstream Vera licence).
"""

import logging
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext as _
from fpdf import FPDF

from iness.dates import format_date, format_time_range

from .models import Registration

# fpdf2 subsets the font through fontTools, which logs every step at INFO.
logging.getLogger("fontTools").setLevel(logging.WARNING)

FONTS = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVu"


def certificate_filename(registration: Registration) -> str:
    return f"{registration.event.slug}-attestation.pdf"


def certificate_pdf(registration: Registration, *, language: str) -> bytes:
    """The certificate of `registration` (a person marked present), in `language`."""
    event, person = registration.event, registration.person
    with translation.override(language):
        title = _("Certificate of attendance")
        lines = {
            "intro": _("The organising committee of the INESS days certifies that"),
            "name": person.full_name,
            "attended": _("attended the day"),
            "event": event.display_title,
            "when": _("held on %(date)s, %(hours)s,")
            % {
                "date": format_date(event.date),
                "hours": format_time_range(event.starts_at, event.ends_at),
            },
            "where": _("at %(venue)s, %(address)s.")
            % {"venue": event.venue, "address": event.address},
            "issuer": _("Institut Mines-Télécom, INESS think tank"),
            "committee": _("For the organising committee:"),
        }
    pdf = FPDF(format="A4")
    pdf.set_title(title)
    pdf.set_author("INESS – Institut Mines-Télécom")
    pdf.set_creator("INESS")
    pdf.set_lang(language)
    pdf.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(25, 30, 25)
    pdf.add_page()
    width = pdf.epw

    def write(text, *, size=12, bold=False, gap=4):
        pdf.set_font(FONT, "B" if bold else "", size)
        pdf.multi_cell(width, size * 0.55, text, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    write(title.upper(), size=22, bold=True, gap=16)
    write(lines["intro"], gap=8)
    write(lines["name"], size=18, bold=True, gap=8)
    write(lines["attended"], gap=6)
    write(
        f"«\u00a0{lines['event']}\u00a0»" if language == "fr" else f"“{lines['event']}”",
        size=15,
        bold=True,
    )
    write(lines["when"])
    write(lines["where"], gap=24)
    write(lines["committee"], bold=True)
    for member in event.committee_members:
        write(member, size=11, gap=1)
    pdf.ln(16)
    write(lines["issuer"], size=10)
    return bytes(pdf.output())
