"""The site's languages, read from settings.LANGUAGES: the one list code iterates over.

Settings themselves (and the modules they import, such as practices.countries) cannot
import this module; everything else takes the language codes from here.
"""

from django.conf import settings

#: The codes of settings.LANGUAGES, in their order (the order of the language facets).
LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)
#: Each language's name, translatable (for labels in the reader's language).
LANGUAGE_LABELS = {code: settings.LANGUAGE_NAMES_TRANSLATABLE[code] for code in LANGUAGE_CODES}
