"""Skip a test whose outside tool is missing on this machine, or fail in CI.

A developer without Chromium, Java, the npm tools or GNU gettext sees a clear skip reason.
CI (`.ci/run`) sets REQUIRE_BROWSER=1 (browser, axe-core, Java and the HTML checker) and
REQUIRE_GETTEXT=1 (xgettext, msgmerge), so that a missing tool fails the run instead of hiding
a test.
"""

import os

import pytest


def require(available: bool, reason: str, *, variable: str = "REQUIRE_BROWSER") -> None:
    if available:
        return
    if os.environ.get(variable) == "1":
        pytest.fail(f"{reason} ({variable}=1)")
    pytest.skip(reason)
