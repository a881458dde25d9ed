"""Server-side checks for the text people type into the public forms.

Browsers send what the page's fields allow, but anything can be posted by hand: these checks
refuse what no person types, with a message beside the field, so that it never reaches the
database (PostgreSQL refuses NUL bytes outright) or a mail header.

- NUL is refused by Django itself (every CharField has ProhibitNullCharactersValidator).
- Other control characters (Unicode category Cc: backspace, escape, bell...) are refused
  everywhere, except tab and line breaks in multi-line fields.
- Single-line fields (names, titles, organisations) also refuse line breaks of any kind,
  Unicode's line and paragraph separators included: a name is one line in a mail header.
- Single-line fields also refuse format characters (Unicode category Cf: bidi marks,
  embeddings, overrides and isolates, the byte order mark, soft hyphens, zero-width spaces,
  tags), which would reorder or hide what a name shows in a mail header, an export or the
  sign-in sheet (`NoFormatCharacters`). Two are kept, between two characters only: the
  zero-width non-joiner and joiner, which Persian and Indic spellings and emoji need.

Everything else is welcome: accents, every script, emoji, combining characters; and in
paragraphs, format characters too (right-to-left marks in a text written in Arabic).
"""

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# Allowed in multi-line fields: tab, line feed, carriage return.
_MULTI_LINE_ALLOWED = {"\t", "\n", "\r"}
# Line breaks that are not Cc: NEL is Cc already; these two are Zl and Zp.
_LINE_SEPARATORS = {"\u2028", "\u2029"}


def _is_control(char: str) -> bool:
    # NUL has Django's own message ("Null characters are not allowed."); not twice.
    return char != "\x00" and unicodedata.category(char) == "Cc"


@deconstructible
class SingleLineText:
    """One line of text: no line break, no control character."""

    message = _("Write this on a single line, without special invisible characters.")
    code = "single_line"

    def __call__(self, value: str) -> None:
        if any(_is_control(char) or char in _LINE_SEPARATORS for char in value):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other):
        return isinstance(other, SingleLineText)


@deconstructible
class MultiLineText:
    """Paragraphs of text: line breaks and tabs, no other control character."""

    message = _("This text contains special invisible characters: please type it again.")
    code = "control_characters"

    def __call__(self, value: str) -> None:
        if any(_is_control(char) and char not in _MULTI_LINE_ALLOWED for char in value):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other):
        return isinstance(other, MultiLineText)


# Zero-width non-joiner and joiner: part of how Persian, Indic scripts and emoji are written.
_JOINERS = {"\u200c", "\u200d"}


@deconstructible
class NoFormatCharacters:
    """No invisible format character (Unicode Cf) in a one-line text: no bidi control, BOM,
    soft hyphen or zero-width space; a joiner only between two characters."""

    message = _(
        "This text contains an invisible formatting character (a text direction mark or a "
        "byte order mark, for example), often brought by copy and paste. Please type it again "
        "by hand."
    )
    code = "format_characters"

    def __call__(self, value: str) -> None:
        last = len(value) - 1
        for index, char in enumerate(value):
            if unicodedata.category(char) != "Cf":
                continue
            if char in _JOINERS and 0 < index < last:
                continue
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other):
        return isinstance(other, NoFormatCharacters)


def check_text_fields(form: forms.BaseForm) -> None:
    """Add the right checks to every text field of `form`: multi-line for a textarea,
    single-line and no format characters otherwise. Call it at the end of the form's
    __init__."""
    for field in form.fields.values():
        if not isinstance(field, forms.CharField):
            continue
        if isinstance(field.widget, forms.Textarea):
            field.validators.append(MultiLineText())
        elif isinstance(field, forms.EmailField):
            # An address's own rules (iness.identity) refuse format characters, in their words.
            field.validators.append(SingleLineText())
        else:
            field.validators += [SingleLineText(), NoFormatCharacters()]
