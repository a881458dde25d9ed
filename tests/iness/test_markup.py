"""Organisers' Markdown reaches pages as safe HTML only (iness.markup)."""

import pytest

from iness.markup import render_markdown, sanitise


def test_markdown_gives_paragraphs_emphasis_lists_and_links():
    html = render_markdown(
        "Un **texte** et *un autre*.\nNouvelle ligne.\n\n- un\n- deux\n\n[Le programme](/programme/x/)"
    )

    assert "<p>Un <strong>texte</strong> et <em>un autre</em>.<br>\nNouvelle ligne.</p>" in html
    assert "<ul>\n<li>un</li>\n<li>deux</li>\n</ul>" in html
    assert '<a href="/programme/x/" rel="noopener noreferrer">Le programme</a>' in html


def test_script_tags_are_shown_as_text_never_run():
    html = render_markdown("Avant <script>alert('x')</script> après")

    assert "<script" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize(
    "link",
    [
        "[clic](javascript:alert(1))",
        "[clic](JaVaScRiPt:alert(1))",
        "[clic](  javascript:alert(1) )",
        "[clic](java\tscript:alert(1))",
        "[clic](vbscript:msgbox(1))",
        "[clic](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "<javascript:alert(1)>",
        "[clic][ref]\n\n[ref]: javascript:alert(1)",
    ],
)
def test_dangerous_links_lose_their_address(link):
    html = render_markdown(link)

    assert "href" not in html
    assert "<a" not in html


def test_raw_html_is_shown_as_typed_not_interpreted():
    html = render_markdown(
        '<div class="x"><b>gras</b></div>\n\n<iframe src="https://x.org"></iframe>'
    )

    assert "<div" not in html and "<b>" not in html and "<iframe" not in html
    assert "&lt;b&gt;gras&lt;/b&gt;" in html


def test_event_handler_and_style_attributes_never_reach_the_page():
    html = render_markdown(
        '<img src=x onerror="alert(1)">\n\n<p style="color:red" onclick="x()">t</p>'
    )

    assert "<img" not in html and "<p style" not in html and "<p onclick" not in html
    assert "&lt;img" in html


def test_images_are_not_loaded_from_anywhere():
    html = render_markdown("![logo](https://example.org/logo.png)")

    assert "<img" not in html


def test_headings_start_at_the_level_the_page_asks_and_leave_no_gap():
    html = render_markdown("# Un\n\n### Trois\n\n###### Six", top_heading=2)

    assert "<h2>Un</h2>" in html and "<h3>Trois</h3>" in html and "<h4>Six</h4>" in html
    assert "<h1" not in html


def test_empty_text_gives_nothing():
    assert render_markdown("  \n ") == ""


def test_sanitiser_removes_scripts_handlers_styles_and_bad_links_from_any_html():
    # The second layer alone, on HTML that the Markdown layer would never produce.
    html = sanitise(
        '<p onclick="steal()" style="position:fixed">texte</p>'
        '<a href="javascript:alert(1)" onmouseover="x()">lien</a>'
        "<script>alert(1)</script><style>p{}</style><img src=x onerror=y>"
        '<iframe src="https://x.org"></iframe><!-- note --><a href="https://ok.org">ok</a>'
    )

    assert html == (
        '<p>texte</p><a rel="noopener noreferrer">lien</a>'
        '<a href="https://ok.org" rel="noopener noreferrer">ok</a>'
    )
