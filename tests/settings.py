"""The settings the test suite runs with: the site's own, in development mode.

The site's settings default to production (DEBUG off, HTTPS only, a secret key required);
`make test` and a bare `pytest` both read this module (pyproject.toml), which turns
development mode on unless the environment says otherwise. Tests that need production
settings start Django in a process of their own (tests/iness/test_settings.py).
"""

import os

os.environ.setdefault("DEBUG", "true")

from iness.settings import *  # noqa: E402,F403
