"""Checks of the interface catalogues (locale/<lang>/LC_MESSAGES/django.po).

Used by ``bin/check-translations`` (with a fresh extraction to compare against) and by the
test suite. Only polib and the standard library: it runs without Django set up.

    python -m kb.catalogues --current locale [--fresh /tmp/x/locale]
"""

import argparse
import gettext
import re
import sys
from pathlib import Path

import polib

LANGUAGES = ("ar", "fr", "es")
RTL_LANGUAGES = ("ar",)
#: French typography: a no-break space (U+00A0, or the narrow U+202F) before : ; ? ! % and
#: inside « », so that a line never starts with ":" or "»".
NO_BREAK_SPACES = "\u00a0\u202f"
_FRENCH_PLAIN_SPACE_BEFORE = re.compile(r"[ \t\n]([:;?!]|%(?![(a-z%]))")
_FRENCH_QUOTE_OPEN = re.compile(r"«(?![\u00a0\u202f])")
_FRENCH_QUOTE_CLOSE = re.compile(r"(?<![\u00a0\u202f])»")
#: Placeholders that hold a file or person name: in a right-to-left message they must be
#: isolated (U+2068 FIRST STRONG ISOLATE ... U+2069 POP DIRECTIONAL ISOLATE, or <bdi>), or
#: the bidi algorithm reorders a Latin name with the numbers around it ("10 report.pdf").
NAME_PLACEHOLDER = re.compile(r"%\((?:name|filename|file_name)\)s|\{\{ *(?:name|filename) *\}\}")
_ISOLATED = re.compile(
    r"\u2068(?:%\((?:name|filename|file_name)\)s|\{\{ *(?:name|filename) *\}\})\u2069"
    r"|<bdi>(?:%\((?:name|filename|file_name)\)s|\{\{ *(?:name|filename) *\}\})</bdi>"
)
#: The GNU gettext / CLDR rule for Arabic: zero, one, two, few (3-10), many (11-99), other.
ARABIC_PLURAL_FORMS = (
    "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : "
    "n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5;"
)
_PLURAL_FORMS = re.compile(r"^\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?)\s*;?\s*$")


def arabic_plural_index(n):
    if n == 0:
        return 0
    if n == 1:
        return 1
    if n == 2:
        return 2
    if 3 <= n % 100 <= 10:
        return 3
    if 11 <= n % 100 <= 99:
        return 4
    return 5


def plural_forms_problem(header, nplurals=6, rule=arabic_plural_index):
    """None if the Plural-Forms header selects the same form as `rule` for every n."""
    match = _PLURAL_FORMS.match(header or "")
    if not match:
        return f"Plural-Forms header missing or malformed: {header!r}"
    if int(match[1]) != nplurals:
        return f"Plural-Forms has nplurals={match[1]}, expected {nplurals}"
    try:
        plural = gettext.c2py(match[2])
    except (ValueError, SyntaxError) as error:
        return f"Plural-Forms expression cannot be read: {error}"
    for n in range(0, 1201):
        if plural(n) != rule(n):
            return (
                f"Plural-Forms picks form {plural(n)} for n={n}, expected {rule(n)} "
                f"(use: {ARABIC_PLURAL_FORMS})"
            )
    return None


def message_key(entry):
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def message_keys(po):
    return {message_key(entry) for entry in po if not entry.obsolete and entry.msgid}


def entry_problems(po):
    """Empty and fuzzy entries, and a fuzzy header (msgfmt would skip it)."""
    problems = []
    header_flags = po.metadata_is_fuzzy or []  # polib keeps the header's flags here
    if header_flags is True or "fuzzy" in header_flags:
        problems.append("the header is marked fuzzy")
    match = _PLURAL_FORMS.match(po.metadata.get("Plural-Forms") or "")
    nplurals = int(match[1]) if match else None
    for entry in po:
        if entry.obsolete or not entry.msgid:
            continue
        label = f"line {entry.linenum}: {entry.msgid[:60]!r}"
        forms = entry.msgstr_plural or {}
        if entry.msgid_plural and nplurals and len(forms) != nplurals:
            # gettext falls back to the English text for the numbers of a missing form.
            problems.append(f"{label} has {len(forms)} plural forms, the header says {nplurals}")
        if "fuzzy" in entry.flags:
            problems.append(f"{label} is fuzzy")
        if entry.msgid_plural:
            forms = entry.msgstr_plural or {}
            if not forms or any(not value for value in forms.values()):
                problems.append(f"{label} has an empty plural translation")
        elif not entry.msgstr:
            problems.append(f"{label} is not translated (empty msgstr)")
    return problems


def french_spacing_problems(text):
    """Where `text` breaks the French spacing rule: a plain space (or none) before : ; ? !,
    a plain space before %, « or » without a no-break space inside. URLs and placeholders
    (``%(count)d``) are not punctuation. Two spaces in a row (plain or no-break) are one
    too many."""
    problems = [
        f"two spaces in a row before “{text[match.end() : match.end() + 12]}”"
        for match in re.finditer(r"[ \u00a0\u202f]{2,}", text)
    ]
    text = re.sub(r"[a-z][a-z0-9+.-]*://\S+", "", text)  # addresses: https://...
    text = re.sub(r"%\([a-z_]+\)[sdif]|\{\{[^}]*\}\}|\{[a-z_]*\}", "x", text)
    for match in _FRENCH_PLAIN_SPACE_BEFORE.finditer(text):
        problems.append(f"plain space before “{match.group(1)}”")
    for match in re.finditer(r"(?<=[^\s\u00a0\u202f])([;?!])", text):
        problems.append(f"no space before “{match.group(1)}”")
    for match in re.finditer(r"(?<=[^\s\u00a0\u202f\d])(:)(?=[\s\u00a0]|$)", text):
        problems.append(f"no space before “{match.group(1)}”")
    if _FRENCH_QUOTE_OPEN.search(text):
        problems.append("“«” not followed by a no-break space")
    if _FRENCH_QUOTE_CLOSE.search(text):
        problems.append("“»” not preceded by a no-break space")
    return problems


def _translations(entry):
    if entry.msgid_plural:
        return [value for _index, value in sorted((entry.msgstr_plural or {}).items())]
    return [entry.msgstr]


def typography_problems(po, language):
    """French spacing; isolated names in right-to-left messages."""
    problems = []
    for entry in po:
        if entry.obsolete or not entry.msgid:
            continue
        label = f"line {entry.linenum}: {entry.msgid[:60]!r}"
        for text in _translations(entry):
            if not text:
                continue
            if language == "fr":
                for problem in dict.fromkeys(french_spacing_problems(text)):
                    problems.append(f"{label}: {problem} (French uses U+00A0)")
            if language in RTL_LANGUAGES:
                names = len(NAME_PLACEHOLDER.findall(text))
                if names and len(_ISOLATED.findall(text)) < names:
                    problems.append(
                        f"{label}: isolate the name placeholder with U+2068 … U+2069 or "
                        "<bdi>…</bdi>, so that bidi does not reorder it with the numbers"
                    )
    return problems


def catalogue_problems(po, language):
    """Everything wrong with one catalogue, as readable lines (empty list: all good)."""
    problems = entry_problems(po) + typography_problems(po, language)
    if language == "ar":
        problem = plural_forms_problem(po.metadata.get("Plural-Forms"))
        if problem:
            problems.append(problem)
        nplurals = 6
        for entry in po:
            if entry.msgid_plural and not entry.obsolete and len(entry.msgstr_plural) != nplurals:
                problems.append(
                    f"line {entry.linenum}: {entry.msgid[:60]!r} has "
                    f"{len(entry.msgstr_plural)} plural forms, Arabic needs {nplurals}"
                )
    return problems


def out_of_date_problems(current, fresh):
    """Messages in the code but not in the catalogue, and the reverse."""
    problems = []
    current_keys, fresh_keys = message_keys(current), message_keys(fresh)
    for context, msgid, _plural in sorted(fresh_keys - current_keys):
        problems.append(f"missing from the catalogue: {msgid[:60]!r}" + _context(context))
    for context, msgid, _plural in sorted(current_keys - fresh_keys):
        problems.append(f"no longer in the code: {msgid[:60]!r}" + _context(context))
    return problems


def _context(context):
    return f" (context {context!r})" if context else ""


def catalogue_path(locale_dir, language):
    return Path(locale_dir) / language / "LC_MESSAGES" / "django.po"


def check(current_dir, fresh_dir=None, languages=LANGUAGES):
    """language -> list of problems, for every language with at least one."""
    report = {}
    for language in languages:
        path = catalogue_path(current_dir, language)
        if not path.exists():
            report[language] = [f"{path} is missing: run `make messages` and translate it"]
            continue
        current = polib.pofile(str(path))
        problems = catalogue_problems(current, language)
        if fresh_dir is not None:
            fresh_path = catalogue_path(fresh_dir, language)
            if fresh_path.exists():
                problems += out_of_date_problems(current, polib.pofile(str(fresh_path)))
            else:
                problems.append(f"the extraction produced no catalogue at {fresh_path}")
        if problems:
            report[language] = problems
    return report


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--current", default="locale", help="the project's locale directory")
    parser.add_argument("--fresh", help="a locale directory freshly extracted from the code")
    parser.add_argument("languages", nargs="*", default=list(LANGUAGES))
    options = parser.parse_args(argv)
    report = check(options.current, options.fresh, options.languages)
    for language, problems in report.items():
        print(f"{language}: {len(problems)} problem(s)")
        for problem in problems:
            print(f"  - {problem}")
    if report:
        print("Translation catalogues are not ready.", file=sys.stderr)
        return 1
    print(f"Translation catalogues are complete and up to date: {', '.join(options.languages)}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
