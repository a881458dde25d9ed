"""Private links: a random token for the person, only its hash in the database.

`secrets.token_urlsafe(32)` gives 256 random bits. The database is searched by the SHA-256 of
the token, so a leaked table gives no usable link, and the final comparison is constant-time.
"""

import hashlib
import hmac
import secrets

from django.views.decorators.debug import sensitive_variables

TOKEN_BYTES = 32


@sensitive_variables("token")
def new_token() -> tuple[str, str]:
    """A fresh token for the link, and the hash to store."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, hash_token(token)


@sensitive_variables("token")
def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


@sensitive_variables("token")
def token_matches(token: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_token(token), stored_hash)
