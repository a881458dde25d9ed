"""One way to write dates and times in each language, everywhere (iness.dates).

French "9 h 30" and "mercredi 10 mars 2027", English "9:30 am" and "Wednesday 10 March 2027":
the helpers say so, the templates use no format of their own, and every public page, every
mail, the organisers' lists, exports and the sign-in sheet are read for any other way.
"""

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from iness import dates
from iness.models import OutgoingMail
from iness.privacy import PRIVACY_NOTICE_VERSION
from tests.backoffice.conftest import action, changelist, organisers_group
from tests.iness.test_every_mail import ORGANISERS, run_the_day
from tests.iness.test_public_pages import PUBLIC_REQUESTS, _fetch

pytestmark = pytest.mark.django_db

PARIS = timezone.get_default_timezone()
MOMENT = dt.datetime(2027, 3, 10, 9, 30, tzinfo=PARIS)
NB = "\xa0"


# The helpers. --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "fr",
            [
                "mercredi 10 mars 2027",
                f"9{NB}h{NB}30",
                f"mercredi 10 mars 2027 à 9{NB}h{NB}30",
                f"9{NB}h{NB}30{NB}– 14{NB}h{NB}05",
                f"0{NB}h{NB}00",
                f"12{NB}h{NB}00",
            ],
        ),
        (
            "en",
            [
                "Wednesday 10 March 2027",
                f"9:30{NB}am",
                f"Wednesday 10 March 2027, 9:30{NB}am",
                f"9:30{NB}am{NB}– 2:05{NB}pm",
                f"12:00{NB}am",
                f"12:00{NB}pm",
            ],
        ),
    ],
)
def test_the_helpers_write_dates_and_times_one_way_per_language(language, expected):
    with translation.override(language):
        written = [
            dates.format_date(MOMENT.date()),
            dates.format_time(dt.time(9, 30)),
            dates.format_datetime(MOMENT),
            dates.format_time_range(dt.time(9, 30), dt.time(14, 5)),
            dates.format_time(dt.time(0, 0)),
            dates.format_time(dt.time(12, 0)),
        ]

    assert written == expected


def test_the_helpers_write_aware_moments_in_paris_time():
    in_utc = MOMENT.astimezone(dt.UTC)

    with translation.override("fr"):
        assert dates.format_datetime(in_utc) == f"mercredi 10 mars 2027 à 9{NB}h{NB}30"
        assert dates.format_time(in_utc) == f"9{NB}h{NB}30"


def test_templates_have_the_same_filters_everywhere_without_loading_them():
    template = Template(
        "{{ day|date }} · {{ moment|datetime }} · {{ start|time }} · {{ start|timerange:end }}"
    )
    context = Context(
        {"day": MOMENT.date(), "moment": MOMENT, "start": dt.time(9, 30), "end": dt.time(10, 0)}
    )

    with translation.override("en"):
        assert template.render(context) == (
            f"Wednesday 10 March 2027 · Wednesday 10 March 2027, 9:30{NB}am · 9:30{NB}am · "
            f"9:30{NB}am{NB}– 10:00{NB}am"
        )


def test_the_admin_writes_moments_the_same_way():
    from django.utils import formats

    with translation.override("fr"):
        assert formats.localize(MOMENT) == f"mercredi 10 mars 2027 à 9{NB}h{NB}30"
        assert formats.date_format(MOMENT.date(), "SHORT_DATE_FORMAT") == "mercredi 10 mars 2027"


# No template or module writes a format of its own. ---------------------------------------------

ROOT = Path(django_settings.BASE_DIR)
OWN_FORMAT_IN_TEMPLATE = re.compile(r"\|\s*(date|time)\s*:")
# Where a format of its own is right, for machines rather than readers: names of downloaded
# files, the value of an <input type="time"> (HTML asks for 09:30), log lines.
OWN_FORMAT_ALLOWED = {
    "iness/adminkit.py",
    "proposals/admin.py",
    "iness/management/commands/purge_personal_data.py",
}


def test_no_template_writes_a_date_or_time_format_of_its_own():
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates").rglob("*")
        if path.is_file() and OWN_FORMAT_IN_TEMPLATE.search(path.read_text(encoding="utf-8"))
    ]

    assert offenders == [], "use |date, |time, |datetime or |timerange without a format"


def test_no_module_formats_a_date_or_time_itself():
    pattern = re.compile(r"strftime|:%[A-Za-z]|\.isoformat\(\)")
    offenders = []
    for app in ("iness", "registrations", "proposals", "backoffice"):
        for path in (ROOT / app).rglob("*.py"):
            relative = str(path.relative_to(ROOT))
            if "migrations" in relative or relative in OWN_FORMAT_ALLOWED:
                continue
            if pattern.search(path.read_text(encoding="utf-8")):
                offenders.append(relative)

    assert offenders == [], "use iness.dates (format_date, format_time, format_datetime...)"


# Every page, mail, list, export and sheet, read for any other way. ----------------------------

MONTHS = {
    "fr": "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre",
    "en": "January|February|March|April|May|June|July|August|September|October|November|December",
}
WEEKDAYS = {
    "fr": "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche",
    "en": "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday",
}
# Ways the site must never write a date or a time, in any language.
NEVER = [
    (re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b"), "a date in figures (04/12/2026)"),
    (re.compile(r"\b\d{4}-\d{2}-\d{2}\b"), "an ISO date (2026-12-04)"),
    (re.compile(r"\b\d{1,2}:\d{2}:\d{2}\b"), "a time with seconds"),
    (re.compile(r"\b\d{1,2} ?h ?\d{2}\b"), "a French time without its non-breaking spaces"),
    (re.compile(r"\b0\d:\d{2}\b"), "a time with a leading zero (09:30)"),
    (re.compile(r"\b[ap]\.m\.|\b(AM|PM)\b"), "a.m., p.m., AM or PM"),
]
NEVER_IN = {
    "fr": [(re.compile(r"\b\d{1,2}:\d{2}\b"), "a time with a colon in French (14:32)")],
    "en": [
        (re.compile(r"\b\d{1,2}:\d{2}(?!\xa0[ap]m\b)"), "a time without am or pm (14:32)"),
        (re.compile(rf"\b({MONTHS['en']}) \d{{1,2}}(st|nd|rd|th)?,? \d{{4}}"), "March 10, 2027"),
        (re.compile(r"\b(noon|midnight)\b"), "noon or midnight instead of the time"),
    ],
}
# What the site does write: each text read must hold some, so that the check cannot pass on
# texts without dates.
TIME = {
    "fr": re.compile(r"\b\d{1,2}\xa0h\xa0\d{2}\b"),
    "en": re.compile(r"\b\d{1,2}:\d{2}\xa0[ap]m\b"),
}


def date_problems(text: str, language: str) -> list[str]:
    """Every way `text` writes a date or a time other than the site's way in `language`."""
    text = re.sub(r"https?://\S+", " ", text)  # addresses, with their tokens and slugs
    # The privacy notice's version is a label stored with each consent, not a date to read.
    text = text.replace(PRIVACY_NOTICE_VERSION, "version")
    problems = [
        f"{why}: “{match.group(0)}”"
        for pattern, why in NEVER + NEVER_IN[language]
        for match in pattern.finditer(text)
    ]
    # A full date always comes with its day of the week: "mercredi 10 mars 2027".
    full_date = re.compile(rf"(\w*)\W*(\d{{1,2}}) ({MONTHS[language]}) (\d{{4}})")
    for match in full_date.finditer(text):
        if not re.fullmatch(WEEKDAYS[language], match.group(1)):
            problems.append(f"a date without its day of the week: “{match.group(0)}”")
    return problems


class _Text(HTMLParser):
    """What a reader reads of a page: its text, and the words of title, alt and aria-label."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        self.parts += [v for k, v in attrs if k in ("title", "alt", "aria-label") and v]

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def page_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return re.sub(r"[ \t\r\n]+", " ", " ".join(parser.parts))


def test_the_check_catches_every_other_way_and_lets_the_site_s_way_pass():
    assert date_problems(f"le mercredi 10 mars 2027 à 9{NB}h{NB}30", "fr") == []
    assert date_problems(f"on Wednesday 10 March 2027, 9:30{NB}am", "en") == []
    for wrong in ["de 09:30 à 17:30", "9h30 – 17h30", "04/12/2026 14:32", "le 10 mars 2027"]:
        assert date_problems(wrong, "fr"), wrong
    for wrong in ["9:30 a.m.", "14:32", "2026-12-04", "March 10, 2027", "at noon", "9:30 AM"]:
        assert date_problems(wrong, "en"), wrong


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_public_page_writes_dates_and_times_the_one_way(client, event, language):
    found_a_time = False
    problems = {}
    for request_ in PUBLIC_REQUESTS:
        text = page_text(_fetch(client, request_, language).content.decode())
        found_a_time |= bool(TIME[language].search(text))
        if mistakes := date_problems(text, language):
            problems[request_.name] = mistakes

    assert problems == {}
    assert found_a_time, "no page gave a time: the check read nothing"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_mail_writes_dates_and_times_the_one_way(
    make_event, django_user_model, settings, language
):
    settings.ORGANISERS_EMAIL = ORGANISERS
    organiser = django_user_model.objects.create_user(username="alice", password="x" * 16)
    run_the_day(make_event, organiser, language)

    problems = {}
    for mail in OutgoingMail.objects.exclude(to=ORGANISERS):
        if mistakes := date_problems(f"{mail.subject}\n{mail.body}", language):
            problems[f"{mail.kind} to {mail.to}"] = mistakes
    for mail in OutgoingMail.objects.filter(to=ORGANISERS):  # written in the site's language
        if mistakes := date_problems(f"{mail.subject}\n{mail.body}", "fr"):
            problems[f"{mail.kind} to the organisers"] = mistakes

    assert problems == {}
    assert any(TIME[language].search(m.body) for m in OutgoingMail.objects.all())


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_organisers_lists_exports_and_sheet_write_dates_the_one_way(
    client, django_user_model, make_event, language
):
    organiser = django_user_model.objects.create_user(
        username="claire", password="organiser-pass-123", is_staff=True
    )
    organiser.groups.add(organisers_group())
    client.force_login(organiser)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    run_the_day(make_event, organiser, language)
    event = OutgoingMail.objects.exclude(event=None).first().event
    registrations = list(event.registrations.all())
    proposals = list(event.proposals.all())

    pages = {
        "events": client.get(changelist("iness.event")),
        "event": client.get(reverse("admin:iness_event_change", args=[event.pk])),
        "sign-ups": client.get(changelist("registrations.registration")),
        "a sign-up": client.get(
            reverse("admin:registrations_registration_change", args=[registrations[0].pk])
        ),
        "proposals": client.get(changelist("proposals.proposal")),
        "a proposal": client.get(
            reverse("admin:proposals_proposal_change", args=[proposals[0].pk])
        ),
        "mails": client.get(changelist("iness.outgoingmail")),
        "dashboard": client.get(reverse("admin:index")),
    }
    problems = {}
    for name, response in pages.items():
        assert response.status_code == 200, name
        if mistakes := date_problems(page_text(response.content.decode()), language):
            problems[name] = mistakes
    sheet = client.get(reverse("admin:iness_event_sign_in_sheet", args=[event.pk]))
    if mistakes := date_problems(page_text(sheet.content.decode()), "fr"):
        problems["sign-in sheet"] = mistakes
    for model, rows in [
        ("registrations.registration", registrations),
        ("proposals.proposal", proposals),
    ]:
        export = action(client, model, "export_csv", rows, follow=False)
        if mistakes := date_problems(export.content.decode("utf-8-sig"), language):
            problems[f"export of {model}"] = mistakes

    assert problems == {}
    assert TIME[language].search(page_text(pages["sign-ups"].content.decode()))
