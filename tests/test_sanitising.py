"""The one rich-text policy for outside text, the same for the importer and the public form."""

import pytest

from practices.editor_format import comparable_html
from practices.sanitising import sanitise_html, stored_rich_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One line", "<p>One line</p>"),
        ("First\n\nSecond\nline", "<p>First</p><p>Second<br>line</p>"),
        ("First\r\n\r\nSecond\r\nline", "<p>First</p><p>Second<br>line</p>"),
        ("a < b & c", "<p>a &lt; b &amp; c</p>"),
        # text without a tag is text: an entity in it is shown as typed
        ("x &amp; y", "<p>x &amp;amp; y</p>"),
        ("<b>bold</b> text", "<p><b>bold</b> text</p>"),
        ("<p>kept</p>", "<p>kept</p>"),
        (
            '<a href="mailto:x@example.org">mail</a>',
            '<p><a href="mailto:x@example.org">mail</a></p>',
        ),
        # inline tags only: the same paragraph rule as plain text
        ("<b>a</b>\n\nsecond\nline", "<p><b>a</b></p><p>second<br>line</p>"),
        # a paragraph break inside a tag closes and reopens it
        ("<b>a\n\nb</b>", "<p><b>a</b></p><p><b>b</b></p>"),
        # structured text keeps its structure: line breaks between blocks mean nothing
        ("<p>a</p>\n\n<p>b\nc</p>", "<p>a</p>\n\n<p>b\nc</p>"),
        ("<script>alert(1)</script>", ""),
        ("<!-- a comment -->", ""),
        ("   ", ""),
        (None, ""),
    ],
)
def test_sanitise_html(text, expected):
    assert sanitise_html(text) == expected


def test_stored_rich_text_is_what_the_page_editor_stores():
    # a key per block, "<br/>"
    assert (
        comparable_html(stored_rich_text("one\n\ntwo\nthree")) == "<p>one</p><p>two<br/>three</p>"
    )
    assert stored_rich_text("one\n\ntwo\nthree").count("data-block-key") == 2
    assert (
        comparable_html(stored_rich_text("<b>bold</b> & <i>it</i>"))
        == "<p><b>bold</b> &amp; <i>it</i></p>"
    )
    assert 'href="https://example.org"' in stored_rich_text('<a href="https://example.org">x</a>')
    assert stored_rich_text("<script>alert(1)</script>") == ""
