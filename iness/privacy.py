"""The privacy notice's version, recorded with each consent so we know what was accepted.

Change the version whenever the notice's content changes.
"""

PRIVACY_NOTICE_VERSION = "2026-11-30"
