"""The one rich-text policy for text that comes from outside (imports, the public form).

It matches the features of the entries' rich text editor: paragraphs, lists, h3/h4, bold,
italic, links; no scripts, no event handlers, no javascript: URLs.

Paragraphs follow one rule wherever the text comes from. Text structured in blocks (``<p>``,
lists, headings) keeps its structure. Any other text, plain or with inline tags only, had no
way to mark paragraphs but line breaks: blank lines separate paragraphs and single line
breaks become ``<br>``. Text without any tag is text, not HTML: it is escaped as it is
(``&amp;`` stays five characters).
"""

import html
import re

import nh3

from .editor_format import editor_rich_text

SAFE_TAGS = {"p", "br", "b", "strong", "i", "em", "ul", "ol", "li", "h3", "h4", "a"}
SAFE_ATTRIBUTES = {"a": {"href"}}
SAFE_URL_SCHEMES = {"http", "https", "mailto"}
#: Text with one of these is already structured in blocks; other text is wrapped in <p>.
BLOCK_TAG = re.compile(r"<(p|ul|ol|h3|h4)[\s>]", re.IGNORECASE)
_TAG = re.compile(r"<[a-zA-Z/!][^>]*>")
_BLANK_LINE = re.compile(r"\n\s*\n")


def _clean(text):
    return nh3.clean(
        text,
        tags=SAFE_TAGS,
        attributes=SAFE_ATTRIBUTES,
        url_schemes=SAFE_URL_SCHEMES,
        link_rel=None,
        clean_content_tags={"script", "style"},
        strip_comments=True,
    ).strip()


def _paragraphs(text):
    """Blank lines separate paragraphs, single line breaks become ``<br>``."""
    parts = [part.strip() for part in _BLANK_LINE.split(text) if part.strip()]
    return "".join(
        "<p>" + "<br>".join(line.strip() for line in part.splitlines()) + "</p>" for part in parts
    )


def sanitise_html(text):
    """Rich text safe to store: a small set of tags, no scripts, handlers or javascript: URLs."""
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        return ""
    if not _TAG.search(text):
        return _paragraphs(html.escape(text))
    cleaned = _clean(text)
    if not cleaned or BLOCK_TAG.search(cleaned):
        return cleaned
    # A second pass closes the inline tags a paragraph break cut in two.
    return _clean(_paragraphs(cleaned))


def stored_rich_text(text):
    """Outside text -> safe rich text, stored as the page editor would store it."""
    return editor_rich_text(sanitise_html(text))
