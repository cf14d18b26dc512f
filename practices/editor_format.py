"""Rich text stored exactly as Wagtail's page editor (Draftail) stores it.

The public form and the importer write rich text themselves. If what they store differed
from what the editor writes back (Draftail adds a `data-block-key` to every block and drops
what its features do not allow), merely opening an entry in the editor and pressing a
workflow button would count as an edit: Wagtail would save a new revision in the
reviewer's name before deciding.
"""

import re

from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter

from .blocks import RICH_TEXT_FEATURES

_VOID = re.compile(r"<(br|hr)\s*/?>")
_EMPTY = re.compile(r"^(\s|<p[^>]*>\s*</p>)*$")


def editor_rich_text(html, features=RICH_TEXT_FEATURES):
    """`html` as the editor with `features` would save it; "" when there is no text."""
    html = str(html or "")
    if _EMPTY.match(html):
        return ""
    # Wagtail's stored HTML closes void elements ("<br/>"); nh3 writes "<br>".
    html = _VOID.sub(r"<\1/>", html)
    converter = ContentstateConverter(features)
    stored = converter.to_database_format(converter.from_database_format(html))
    return "" if _EMPTY.match(stored) else stored


_BLOCK_KEY = re.compile(r'\s+data-block-key="[^"]*"')


def comparable_html(html):
    """Rich text with what carries no content removed: block keys, `<br>` spelling, emptiness."""
    html = _VOID.sub(r"<\1/>", _BLOCK_KEY.sub("", str(html or "")))
    return "" if _EMPTY.match(html) else html


def _comparable(value):
    if isinstance(value, str):
        return comparable_html(value) if "<" in value else value
    if isinstance(value, dict):
        return {key: _comparable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_comparable(item) for item in value]
    return value


def ignore_block_keys(field):
    """Make a rich text or StreamField form field see only changes of content.

    Draftail gives every block a key; the editor posts text whose keys differ from those
    stored (or that had none) although nobody changed a word.
    """
    if hasattr(field, "block"):
        block = field.block

        def has_changed(initial, data):
            before = _comparable(block.get_prep_value(initial))
            after = _comparable(block.get_prep_value(data))
            return before != after

    elif "Draftail" in type(field.widget).__name__:
        original = field.has_changed

        def has_changed(initial, data):
            if isinstance(initial, str) and isinstance(data, str):
                return comparable_html(initial) != comparable_html(data)
            return original(initial, data)

    else:
        return
    field.has_changed = has_changed
