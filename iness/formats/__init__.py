"""Date and time formats of the site, per language (FORMAT_MODULE_PATH in settings).

Only what differs from Django's own formats for the language is set here; templates use
`{{ value|date }}` and `{{ value|time }}` without an argument so that each language gets its own.
"""
