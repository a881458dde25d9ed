"""A "Preview" button for admin forms with Markdown texts, rendered by the server.

The admin's pages run under the site's strict Content-Security-Policy (no inline script), so
the preview is not a script: the button sends the form, the server renders each text through
`iness.markup` (the same renderer as the public pages) and shows the form again, as typed,
with the preview above it. Nothing is saved until the organiser presses Save.
"""

from .markup import render_markdown

PREVIEW = "_preview"


class _NeverValid:
    """Mixed into the admin form on a preview: it validates as usual, so that mistakes show
    beside their fields, and then reports itself not valid, so that the admin shows the
    form again instead of saving it."""

    def is_valid(self):
        super().is_valid()
        return False


class MarkdownPreviewMixin:
    """For a ModelAdmin: `markdown_preview_fields = {"field": "fr", "field_en": "en", ...}`
    names the Markdown fields and the language each is written in.

    Its change form template includes "admin/markdown_preview.html" in `form_top`, and its
    submit_line.html adds the button (see templates/admin/iness/event/).
    """

    markdown_preview_fields: dict[str, str] = {}

    @staticmethod
    def is_preview(request) -> bool:
        return request.method == "POST" and PREVIEW in request.POST

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if self.is_preview(request):
            return type(form.__name__, (_NeverValid, form), {})
        return form

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if self.is_preview(request):
            form = context["adminform"].form
            context["markdown_preview"] = [
                {
                    "label": form[name].label,
                    "language": language,
                    # A page's h1 and the preview's own h2 and h3 come first.
                    "html": render_markdown(form[name].value() or "", top_heading=4),
                }
                for name, language in self.markdown_preview_fields.items()
                if name in form.fields
            ]
        return super().render_change_form(request, context, add, change, form_url, obj)
