"""Spreadsheet exports for organisers: CSV (UTF-8 with BOM, comma or semicolon) and XLSX.

Written with tablib (the library under django-import-export): we need export only, and
django-import-export would also bring an import feature that writes rows straight into the
tables, past the services that hold the rules.

Every text cell comes from what someone typed in a public form, so text that a spreadsheet
would read as a formula (starting with =, +, -, @, a tab or a carriage return) gets a leading
apostrophe, OWASP's rule for CSV injection, in both formats.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import tablib
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from iness.dates import format_date, format_datetime

FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Format:
    key: str
    action_label: str
    extension: str
    content_type: str
    delimiter: str = ","
    decimal_comma: bool = False


CSV_COMMA = Format(
    "csv", _("Export the selected rows to CSV (comma)"), "csv", "text/csv; charset=utf-8"
)
# What a French-language spreadsheet expects: fields separated by semicolons, 3,5 not 3.5.
CSV_SEMICOLON = Format(
    "csv_fr",
    _("Export the selected rows to CSV (semicolon, for French spreadsheets)"),
    "csv",
    "text/csv; charset=utf-8",
    delimiter=";",
    decimal_comma=True,
)
XLSX = Format(
    "xlsx",
    _("Export the selected rows to Excel (XLSX)"),
    "xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
FORMATS = {f.key: f for f in (CSV_COMMA, CSV_SEMICOLON, XLSX)}


def neutralise(value):
    """A cell value a spreadsheet shows and never runs; dates and times as the site writes
    them everywhere (iness.dates), in Paris time."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return format_datetime(value)
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, bool | int | float):
        return value
    text = str(value)
    # Control characters are not allowed in an XLSX file (and mean nothing in a CSV one).
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    if text.startswith(FORMULA_LEADS):
        text = "'" + text
    return text


def dataset(*, title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> tablib.Dataset:
    data = tablib.Dataset(headers=[str(h) for h in headers], title=title[:31])
    for row in rows:
        data.append([neutralise(value) for value in row])
    return data


def render(data: tablib.Dataset, fmt: Format) -> bytes:
    if fmt.extension == "xlsx":
        return data.export("xlsx")
    if fmt.decimal_comma:
        data = _with_decimal_commas(data)
    # The BOM tells spreadsheet programs the file is UTF-8 (Excel guesses wrong without it).
    return ("\ufeff" + data.export("csv", delimiter=fmt.delimiter)).encode("utf-8")


def response(*, filename: str, fmt: Format, title: str, headers, rows) -> HttpResponse:
    """An HTTP download of `rows` in `fmt`; `filename` has no extension."""
    content = render(dataset(title=title, headers=headers, rows=rows), fmt)
    reply = HttpResponse(content, content_type=fmt.content_type)
    reply["Content-Disposition"] = f'attachment; filename="{filename}.{fmt.extension}"'
    return reply


def _with_decimal_commas(data: tablib.Dataset) -> tablib.Dataset:
    copy = tablib.Dataset(headers=data.headers, title=data.title)
    for row in data:
        copy.append([str(v).replace(".", ",") if isinstance(v, float) else v for v in row])
    return copy
