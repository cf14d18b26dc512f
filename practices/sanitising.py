"""The one rich-text policy for text that comes from outside (imports, the public form).

It matches the features of the entries' rich text editor: paragraphs, lists, h3/h4, bold,
italic, links; no scripts, no event handlers, no javascript: URLs.
"""

import re

SAFE_TAGS = {"p", "br", "b", "strong", "i", "em", "ul", "ol", "li", "h3", "h4", "a"}
SAFE_ATTRIBUTES = {"a": {"href"}}
SAFE_URL_SCHEMES = {"http", "https", "mailto"}
#: Text with one of these is already structured in blocks; other text is wrapped in <p>.
BLOCK_TAG = re.compile(r"<(p|ul|ol|h3|h4)[\s>]", re.IGNORECASE)
