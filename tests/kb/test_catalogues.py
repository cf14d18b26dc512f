"""Interface catalogues: no empty or fuzzy entry, up to date with the code, Arabic plurals."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from kb.catalogues import (
    ARABIC_PLURAL_FORMS,
    LANGUAGES,
    catalogue_problems,
    check,
    out_of_date_problems,
    plural_forms_problem,
)

PROJECT_DIR = Path(__file__).resolve().parents[2]
VENV = Path(sys.prefix)  # the virtualenv running the tests
DJANGO_ARABIC = (
    "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : "
    "n%100>=11 && n%100<=99 ? 4 : 5;"
)
HEADER = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: {plural}\\n"
"""


def write_po(tmp_path, body, plural=ARABIC_PLURAL_FORMS, language="ar", header_flag=""):
    path = tmp_path / language / "LC_MESSAGES" / "django.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header_flag + HEADER.format(plural=plural) + "\n" + body, encoding="utf-8")
    return path


def problems_of(tmp_path, body, **kwargs):
    language = kwargs.get("language", "ar")
    return catalogue_problems(polib.pofile(str(write_po(tmp_path, body, **kwargs))), language)


COMPLETE_AR = """
msgid "Home"
msgstr "الرئيسية"

#, python-format
msgid "%(counter)s reader request"
msgid_plural "%(counter)s reader requests"
msgstr[0] "0"
msgstr[1] "1"
msgstr[2] "2"
msgstr[3] "3"
msgstr[4] "4"
msgstr[5] "5"

#~ msgid "Old string"
#~ msgstr ""
"""


class TestCatalogueProblems:
    def test_a_complete_arabic_catalogue_passes(self, tmp_path):
        assert problems_of(tmp_path, COMPLETE_AR) == []

    def test_the_django_spelling_of_the_arabic_rule_is_accepted(self, tmp_path):
        assert problems_of(tmp_path, COMPLETE_AR, plural=DJANGO_ARABIC) == []

    def test_empty_msgstr(self, tmp_path):
        problems = problems_of(tmp_path, COMPLETE_AR + '\nmsgid "Search"\nmsgstr ""\n')
        assert len(problems) == 1 and "'Search' is not translated" in problems[0]

    def test_empty_plural_form(self, tmp_path):
        body = COMPLETE_AR.replace('msgstr[4] "4"', 'msgstr[4] ""')
        problems = problems_of(tmp_path, body)
        assert len(problems) == 1 and "empty plural translation" in problems[0]

    def test_fuzzy_entry(self, tmp_path):
        body = COMPLETE_AR.replace('msgid "Home"', '#, fuzzy\nmsgid "Home"')
        problems = problems_of(tmp_path, body)
        assert len(problems) == 1 and "'Home' is fuzzy" in problems[0]

    def test_fuzzy_header(self, tmp_path):
        problems = problems_of(tmp_path, COMPLETE_AR, header_flag="#, fuzzy\n")
        assert problems == ["the header is marked fuzzy"]

    @pytest.mark.parametrize(
        "plural",
        [
            "nplurals=2; plural=(n != 1);",
            "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 ? 3 : 4;",
            "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : "
            "n>=3 && n<=10 ? 3 : n>=11 ? 4 : 5;",
            "nplurals=INTEGER; plural=EXPRESSION;",
        ],
    )
    def test_wrong_arabic_plural_forms(self, tmp_path, plural):
        problems = problems_of(tmp_path, COMPLETE_AR, plural=plural)
        assert any("Plural-Forms" in problem for problem in problems), problems

    def test_arabic_plural_entries_need_six_forms(self, tmp_path):
        body = COMPLETE_AR.replace('msgstr[5] "5"\n', "")
        problems = problems_of(tmp_path, body)
        assert any("Arabic needs 6" in problem for problem in problems)

    def test_french_plural_forms_are_not_held_to_the_arabic_rule(self, tmp_path):
        body = '\nmsgid "Home"\nmsgstr "Accueil"\n'
        assert (
            problems_of(tmp_path, body, plural="nplurals=2; plural=(n > 1);", language="fr") == []
        )

    def test_plural_entries_need_the_headers_number_of_forms(self, tmp_path):
        spanish = "nplurals=3; plural=n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2;"
        body = (
            '\n#, python-format\nmsgid "%(counter)s entry"\nmsgid_plural "%(counter)s entries"\n'
            'msgstr[0] "%(counter)s ficha"\nmsgstr[1] "%(counter)s fichas"\n'
        )
        problems = problems_of(tmp_path, body, plural=spanish, language="es")
        assert any("2 plural forms, the header says 3" in p for p in problems), problems
        complete = body + 'msgstr[2] "%(counter)s fichas"\n'
        assert problems_of(tmp_path, complete, plural=spanish, language="es") == []

    def test_the_arabic_rule_itself(self):
        assert plural_forms_problem(ARABIC_PLURAL_FORMS) is None
        assert plural_forms_problem(DJANGO_ARABIC) is None


class TestOutOfDate:
    def test_added_and_removed_messages(self, tmp_path):
        current = polib.pofile(str(write_po(tmp_path / "a", COMPLETE_AR)))
        fresh = polib.pofile(
            str(
                write_po(
                    tmp_path / "b",
                    COMPLETE_AR.replace('msgid "Home"', 'msgid "Home page"')
                    + '\nmsgctxt "menu"\nmsgid "Search"\nmsgstr ""\n',
                )
            )
        )
        problems = out_of_date_problems(current, fresh)
        assert "missing from the catalogue: 'Home page'" in problems
        assert "missing from the catalogue: 'Search' (context 'menu')" in problems
        assert "no longer in the code: 'Home'" in problems
        assert len(problems) == 3
        assert out_of_date_problems(current, current) == []

    def test_check_reports_missing_catalogues(self, tmp_path):
        write_po(tmp_path, COMPLETE_AR)
        report = check(tmp_path, languages=("ar", "fr"))
        assert list(report) == ["fr"]
        assert "is missing" in report["fr"][0]


@pytest.mark.skipif(
    not (PROJECT_DIR / "locale" / "ar" / "LC_MESSAGES" / "django.po").exists(),
    reason="locale/ar/LC_MESSAGES/django.po does not exist yet: catalogues are added when the "
    "interface strings are translated (make messages); bin/check-translations fails until then",
)
def test_project_catalogues_are_complete():
    present = {path.parts[-3] for path in (PROJECT_DIR / "locale").glob("*/LC_MESSAGES/django.po")}
    languages = sorted(set(LANGUAGES) | present - {"en"})
    assert check(PROJECT_DIR / "locale", languages=languages) == {}


# -- bin/check-translations, run on a copy of the project ---------------------------------


def copy_project(tmp_path):
    target = tmp_path / "project"
    shutil.copytree(
        PROJECT_DIR,
        target,
        ignore=shutil.ignore_patterns(
            ".venv",
            ".git",
            "node_modules",
            "static",
            "media",
            ".test-media",
            "*.sqlite3*",
            "__pycache__",
            ".pytest_cache",
            "locale",
        ),
    )
    return target


def run_script(project, **env):
    return subprocess.run(
        [str(project / "bin" / "check-translations")],
        env={**os.environ, "VENV": str(VENV), **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def fill_catalogues(project):
    """What the translators deliver: every entry translated, Arabic with six forms."""
    subprocess.run(
        [
            str(VENV / "bin" / "python"), "manage.py", "makemessages", "--locale", "ar",
            "--locale", "fr", "--locale", "es", "--no-obsolete", "--ignore", ".venv/*",
            "--ignore", "node_modules/*", "--ignore", "static/*", "--add-location", "file",
            "--verbosity", "0",
        ],
        cwd=project,
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "kb.settings.dev"},
    )  # fmt: skip
    for language in LANGUAGES:
        path = project / "locale" / language / "LC_MESSAGES" / "django.po"
        po = polib.pofile(str(path))
        po.metadata_is_fuzzy = 0
        if language == "ar":
            po.metadata["Plural-Forms"] = ARABIC_PLURAL_FORMS
        for entry in po:
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            if entry.msgid_plural:
                # As many forms as the header says (Spanish: three, as Django's own catalogue).
                count = int(re.search(r"nplurals=(\d+)", po.metadata["Plural-Forms"])[1])
                entry.msgstr_plural = dict.fromkeys(
                    range(count), delivered(entry.msgid_plural, language)
                )
            else:
                entry.msgstr = delivered(entry.msgid, language)
        po.save()


def delivered(msgid, language):
    """A translation that keeps every placeholder and the house typography: no punctuation
    (so French spacing holds) and, in Arabic, each placeholder isolated."""
    placeholders = re.findall(r"%\([a-z_0-9]+\)[sdif]|%[sdif]|\{[a-z_0-9]*\}", msgid)
    if language == "ar":
        placeholders = [f"\u2068{name}\u2069" for name in placeholders]
    return " ".join([f"[{language}]", *placeholders])


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_check_translations_script(tmp_path):
    project = copy_project(tmp_path)

    result = run_script(project)
    assert result.returncode != 0
    assert "is missing" in result.stdout

    fill_catalogues(project)
    result = run_script(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "complete and up to date" in result.stdout

    # A new interface string in a template makes the catalogues out of date.
    template = project / "templates" / "practices" / "includes" / "translation_notice.html"
    template.write_text(
        template.read_text() + '{% translate "A sentence nobody translated yet" %}\n'
    )
    result = run_script(project)
    assert result.returncode == 1
    assert "missing from the catalogue: 'A sentence nobody translated yet'" in result.stdout


def test_check_translations_needs_xgettext(tmp_path):
    tools = tmp_path / "bin"
    tools.mkdir()
    for name in ("dirname", "basename", "mktemp", "tar", "rm", "mkdir"):
        found = shutil.which(name)
        if found:
            (tools / name).symlink_to(found)
    result = subprocess.run(
        ["/bin/bash", str(PROJECT_DIR / "bin" / "check-translations")],
        env={"PATH": str(tools), "VENV": str(VENV)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "'xgettext' not found" in result.stderr


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_check_translations_catches_broken_placeholders(tmp_path):
    project = copy_project(tmp_path)
    fill_catalogues(project)
    path = project / "locale" / "fr" / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(path))
    entry = next(entry for entry in po if "%(" in entry.msgid and not entry.msgid_plural)
    entry.msgstr = "sans marqueur"
    po.save()
    result = run_script(project)
    assert result.returncode == 1
    assert "broken placeholders" in result.stderr


# -- typography: French spacing, isolated names in Arabic ---------------------------------

FRENCH_ENTRY = 'msgid "{msgid}"\nmsgstr "{msgstr}"\n'


@pytest.mark.parametrize(
    "msgstr",
    [
        "Titre : la fiche",  # plain space before ":"
        "Titre: la fiche",  # no space at all
        "« la fiche »",  # plain spaces inside the quotes
        "Vraiment ?",
        "50 %",
    ],
)
def test_french_entry_without_no_break_space_fails(tmp_path, msgstr):
    body = FRENCH_ENTRY.format(msgid="Title: the entry", msgstr=msgstr)
    problems = problems_of(tmp_path, body, language="fr")
    assert any("U+00A0" in problem for problem in problems), problems


@pytest.mark.parametrize(
    "msgstr",
    [
        "Titre\u00a0: la fiche",
        "«\u00a0la fiche\u00a0»",
        "Vraiment\u202f?",
        "50\u00a0%",
        "Voir https://example.org/a:b et %(count)d fiches",
        "Question %(number)s\u00a0: 10:30",
    ],
)
def test_french_entry_with_no_break_spaces_passes(tmp_path, msgstr):
    body = FRENCH_ENTRY.format(msgid="Title: the entry", msgstr=msgstr)
    assert problems_of(tmp_path, body, language="fr") == []


@pytest.mark.parametrize("msgstr", ["«\u00a0\u00a0la fiche\u00a0»", "Titre \u00a0: la fiche"])
def test_french_entry_with_two_spaces_in_a_row_fails(tmp_path, msgstr):
    body = FRENCH_ENTRY.format(msgid="Title: the entry", msgstr=msgstr)
    problems = problems_of(tmp_path, body, language="fr")
    assert any("two spaces in a row" in problem for problem in problems), problems


def test_arabic_file_name_must_be_isolated(tmp_path):
    body = (
        '#, python-format\nmsgid "“%(name)s” is larger than %(size)d MB."\n'
        'msgstr "يتجاوز حجم الملف «%(name)s» %(size)d ميغابايت."\n'
    )
    problems = problems_of(tmp_path, body)
    assert any("isolate" in problem for problem in problems), problems
    isolated = body.replace("«%(name)s»", "«\u2068%(name)s\u2069»")
    assert problems_of(tmp_path, isolated) == []
    with_bdi = body.replace("«%(name)s»", "«<bdi>%(name)s</bdi>»")
    assert problems_of(tmp_path, with_bdi) == []


def test_french_texts_of_the_vocabularies_and_demo_entries_use_no_break_spaces():
    from kb.catalogues import french_spacing_problems

    data = PROJECT_DIR / "practices" / "data"
    problems = []

    def check_text(where, value):
        if isinstance(value, str):
            for problem in french_spacing_problems(value):
                problems.append(f"{where}: {problem}: {value[:80]!r}")
        elif isinstance(value, list):
            for item in value:
                check_text(where, item)
        elif isinstance(value, dict):
            for key, item in value.items():
                if key not in ("slug", "url", "language", "provenance", "contact"):
                    check_text(f"{where}.{key}", item)

    vocabularies = json.loads((data / "vocabularies.json").read_text(encoding="utf-8"))
    for key, terms in vocabularies.items():
        for term in terms if isinstance(terms, list) else []:
            for field, value in term.items():
                if field.endswith("_fr"):
                    check_text(f"{key}.{term['slug']}.{field}", value)
    for record in json.loads((data / "demo_practices.json").read_text(encoding="utf-8")):
        if record["language"] == "fr":
            check_text(record["slug"], {k: v for k, v in record.items() if k != "translations"})
        if "fr" in record.get("translations", {}):
            check_text(f"{record['slug']}.fr", record["translations"]["fr"])
    assert not problems, "\n".join(problems[:20])
