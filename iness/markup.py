"""Markdown written by organisers, turned into HTML that is safe to put in a page.

Two layers, each enough on its own for what it guards:

1. markdown-it-py, CommonMark, with raw HTML turned off: whatever looks like HTML in the
   text is shown as typed, never interpreted. Its link check drops `javascript:`,
   `vbscript:`, `file:` and `data:` destinations. Images are off: a picture from another
   site would be a request to it (the site makes none), and pictures need a text
   alternative that a Markdown author rarely writes.
2. nh3 (the Ammonia sanitiser) over the result: only the tags and attributes below survive,
   links only to http(s), mailto or the site itself, with rel="noopener noreferrer"; no
   `style`, no `on*` attribute, no comment. Should the first layer ever let something
   through, this one removes it.

Headings are renumbered so that the text's outline fits the page it is shown on: the
highest level used becomes `top_heading`, the next one below it, and so on, without gaps.
"""

from functools import lru_cache

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "hr",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

_markdown = (
    MarkdownIt("commonmark", {"html": False, "breaks": True, "linkify": False})
    .disable("image")
    .disable(["html_block", "html_inline"])
)


def markdown_to_html(text: str, *, top_heading: int = 2) -> str:
    """The HTML markdown-it makes of `text`, headings renumbered from `top_heading`. Not yet
    sanitised: use `render_markdown`."""
    tokens = _markdown.parse(text)
    levels = sorted({int(token.tag[1]) for token in tokens if token.type == "heading_open"})
    new_level = {level: min(top_heading + rank, 6) for rank, level in enumerate(levels)}
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{new_level[int(token.tag[1])]}"
    return _markdown.renderer.render(tokens, _markdown.options, {})


def sanitise(html: str) -> str:
    """Keep only the tags, attributes and link schemes listed above."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


@lru_cache(maxsize=64)
def render_markdown(text: str, *, top_heading: int = 2) -> SafeString:
    """Organisers' Markdown as safe HTML, ready for a template.

    Kept in memory by text: the home page shows the same presentation to every visitor.
    """
    if not text.strip():
        return mark_safe("")
    if not 2 <= top_heading <= 6:
        raise ValueError("top_heading is 2 to 6: a page has its own h1")
    # The output of nh3 is the only HTML that reaches a page.
    return mark_safe(sanitise(markdown_to_html(text, top_heading=top_heading)))
