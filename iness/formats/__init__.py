"""Date and time formats of the site, per language (FORMAT_MODULE_PATH in settings).

Only what differs from Django's own formats for the language is set here. Code and templates
never write a format themselves: they use `iness.dates` (Python) or, in templates,
`{{ value|date }}`, `{{ value|time }}`, `{{ value|datetime }}` and `{{ start|timerange:end }}`
(iness/templatetags/iness_dates.py, loaded in every template).
"""
