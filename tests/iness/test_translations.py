"""The French catalogue is complete, and the compiled one the site reads says the same.

The site reads locale/fr/LC_MESSAGES/django.mo, committed beside the .po so that no machine
needs GNU gettext to run it; `make messages` updates both (see README, Translations).
"""

import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from tests.tools import require

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
# What `make messages` passes to makemessages, so the check sees the same strings.
MAKEMESSAGES = [
    "makemessages",
    "--locale=fr",
    "--no-obsolete",
    "--add-location=file",
    "--ignore=node_modules",
    "--ignore=staticfiles",
    "--ignore=tests",
]


def _untranslated(catalogue: polib.POFile) -> list[str]:
    return [entry.msgid for entry in catalogue.untranslated_entries()] + [
        f"{entry.msgid} (fuzzy)" for entry in catalogue.fuzzy_entries()
    ]


def test_every_string_of_the_french_catalogue_is_translated():
    catalogue = polib.pofile(str(PO))

    assert len(catalogue) > 100
    assert _untranslated(catalogue) == []


def test_compiled_catalogue_says_what_the_po_says():
    catalogue = polib.pofile(str(PO))
    with MO.open("rb") as file:
        compiled = gettext.GNUTranslations(file)

    stale = []
    for entry in catalogue.translated_entries():
        if entry.msgid_plural:
            for n, expected in entry.msgstr_plural.items():
                count = {0: 1, 1: 2}[n]  # French: singular for 0 and 1, plural from 2
                args = (entry.msgid, entry.msgid_plural, count)
                got = (
                    compiled.npgettext(entry.msgctxt, *args)
                    if entry.msgctxt
                    else compiled.ngettext(*args)
                )
                if got != expected:
                    stale.append(entry.msgid)
        else:
            got = (
                compiled.pgettext(entry.msgctxt, entry.msgid)
                if entry.msgctxt
                else compiled.gettext(entry.msgid)
            )
            if got != entry.msgstr:
                stale.append(entry.msgid)

    assert stale == [], "django.mo is older than django.po: run `make messages`"
    assert len(compiled._catalog) >= len(catalogue.translated_entries())


def test_every_string_in_the_code_has_a_french_translation(tmp_path):
    """Extract the strings afresh, in a copy of the project, and merge them into the .po."""
    require(
        shutil.which("xgettext") is not None and shutil.which("msgmerge") is not None,
        "GNU gettext is not installed (apt-get install gettext)",
        variable="REQUIRE_GETTEXT",
    )
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".*", "node_modules", "staticfiles", "tests", "*.sqlite3*", "__pycache__", "*.mo"
        ),
    )

    subprocess.run(
        [sys.executable, "manage.py", *MAKEMESSAGES],
        cwd=copy,
        # The copy has no tests/ (nor tests/settings.py, which this process runs with).
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "iness.settings", "DEBUG": "true"},
        check=True,
        capture_output=True,
        timeout=300,
    )

    fresh = polib.pofile(str(copy / "locale" / "fr" / "LC_MESSAGES" / "django.po"))
    committed = {entry.msgid for entry in polib.pofile(str(PO)) if not entry.obsolete}
    new = sorted({entry.msgid for entry in fresh if not entry.obsolete} - committed)
    assert new == [], "strings missing from django.po: run `make messages` and translate them"
    assert _untranslated(fresh) == [], "untranslated strings: translate them in django.po"


@pytest.mark.parametrize(
    ("english", "french"),
    [
        ("Privacy notice", "Politique de confidentialité"),
        ("Lost your link?", "Lien perdu\u00a0?"),
        ("Researcher", "Chercheur ou chercheuse"),
    ],
)
def test_the_site_reads_the_french_catalogue(english, french):
    from django.utils import translation

    with translation.override("fr"):
        assert translation.gettext(english) == french
