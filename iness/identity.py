"""One email address, one key: how the site tells whether two addresses are the same person.

Every lookup by address (already signed up? lost link, duplicate proposal, erasure, the
per-address rate limits) compares `email_key`, never the address as typed:

- Invisible and format characters (soft hyphen, zero-width spaces and joiners, bidi controls,
  the byte order mark, any space inside the address) are refused: they make an address that
  looks like another and reaches the same mailbox.
- Anything NFKC normalisation changes is refused: full-width letters (`ｅ`), ligatures, the
  long s (`ſ`), decomposed accents. A person never types those on purpose.
- The part before `@` must be plain ASCII and not quoted (`"seat"@example.org` is the mailbox
  `seat@example.org`): non-ASCII look-alikes such as the dotless `ı` are refused there.
- The domain is encoded the way Django encodes it when it sends a message
  (`django.utils.encoding.punycode`), so the key names the domain the mail really goes to.
- Then everything is lower-cased.

`email_key()` raises a ValidationError whose message is written for the person; `PersonEmail`
(the model field, whose form field the public forms and the admin both use) runs the same
check, so every form refuses or recognises a look-alike in the same way.
"""

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import models
from django.utils.encoding import punycode
from django.utils.translation import gettext_lazy as _

# RFC 5321: no address is longer than this.
MAX_ADDRESS_LENGTH = 254
# A key given to an address that the rules refuse (rows kept from before them): it can never
# equal the key of an address they accept, which has no colon.
REFUSED_PREFIX = "refused:"

# Unicode categories that show nothing, or nothing but a space: controls, format characters
# (soft hyphen, zero-width space and joiners, bidi marks, BOM), private-use, surrogates,
# unassigned, separators.
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Co", "Cs", "Cn", "Zs", "Zl", "Zp"}
# Default-ignorable code points outside those categories: combining grapheme joiner, Hangul
# fillers, Khmer inherent vowels, Mongolian variation selectors, variation selectors.
_IGNORABLE = {
    0x034F,
    0x115F,
    0x1160,
    0x17B4,
    0x17B5,
    0x3164,
    0xFFA0,
    *range(0x180B, 0x1810),
    *range(0xFE00, 0xFE10),
    *range(0xE0100, 0xE01F0),
}

INVISIBLE = _(
    "This address contains an invisible character (a hidden space or hyphen, for example). "
    "Please type it again by hand."
)
LOOKALIKE = _(
    "This address contains a character that only looks like a usual letter (a full-width "
    "letter, for example). Please type it again by hand."
)
QUOTED = _("Write the address without quotation marks or backslashes.")
NOT_ASCII = _(
    "The part before @ may contain only unaccented letters (a to z), digits and . _ - + characters."
)
# Django's own words, and its translation.
INVALID = EmailValidator.message
TOO_LONG = _("This address is too long.")


def _is_invisible(char: str) -> bool:
    return unicodedata.category(char) in _INVISIBLE_CATEGORIES or ord(char) in _IGNORABLE


def email_key(address: str) -> str:
    """The key that identifies the mailbox `address` reaches; ValidationError if refused."""
    address = address.strip()
    if "@" not in address:
        raise ValidationError(INVALID, code="invalid")
    # A plain space is refused below as an invalid address; other spaces hide.
    if any(_is_invisible(char) for char in address if char != " "):
        raise ValidationError(INVISIBLE, code="invisible")
    if unicodedata.normalize("NFKC", address) != address:
        raise ValidationError(LOOKALIKE, code="lookalike")
    local, at, domain = address.rpartition("@")
    if not (at and local and domain):
        raise ValidationError(INVALID, code="invalid")
    if '"' in local or "\\" in local:
        raise ValidationError(QUOTED, code="quoted")
    if not local.isascii():
        raise ValidationError(NOT_ASCII, code="not_ascii")
    try:
        domain = punycode(domain)
    except UnicodeError as error:
        raise ValidationError(INVALID, code="invalid") from error
    key = f"{local}@{domain}".lower()
    if len(key) > MAX_ADDRESS_LENGTH:
        raise ValidationError(TOO_LONG, code="too_long")
    EmailValidator(message=INVALID)(key)
    return key


def validate_email_address(address: str) -> None:
    """Validator: refuses what `email_key` refuses, with the same message."""
    email_key(address)


def key_or_refused(address: str) -> str:
    """The key of `address`, or for an address the rules refuse a key of its own that no
    accepted address can take (for rows recorded before the rules, and rate-limit counters
    of posts that the form will refuse anyway)."""
    try:
        return email_key(address)
    except ValidationError:
        return REFUSED_PREFIX + address.strip().lower()


class PersonEmailFormField(forms.EmailField):
    """The email field of every form that takes a person's address."""

    default_validators = [validate_email_address]


class PersonEmail(models.EmailField):
    """A person's address, checked by `email_key`'s rules in every form made from it."""

    default_validators = [validate_email_address]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PersonEmailFormField, **kwargs})
