"""The exports of a search, read back as their users read them: Python's csv, openpyxl (a
spreadsheet's reading of the XLSX) and json line by line; compared with the API's pages."""

import csv
import io
import json
from http import HTTPStatus
from itertools import count

import openpyxl
import pytest
from django.db import transaction
from django.test import override_settings
from wagtail.models import Locale

from practices.models import VOCABULARIES, VOCABULARY_FIELDS, PracticePage
from practices.open_data.exports import FORMULA_STARTS
from practices.search import memory
from tests.conftest import practice_index, shared_site_tree_fixtures, submitted_with_contact
from tests.search.fixtures import funding_rows

shared_tree, vocabularies, site_tree, _no_transactional_test = shared_site_tree_fixtures("module")

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ANSWER = "<p>Survivors sit on the <b>board</b> &amp; decide.</p>"
_slugs = count(1)


def _publish(language="en", classification=None, **fields):
    number = next(_slugs)
    page = PracticePage(
        title=fields.pop("title", f"Export practice {number}"),
        slug=f"export-practice-{number}",
        summary=fields.pop("summary", "A summary of the practice."),
        **fields,
    )
    classification = {"cooperation_model": ["regional-funds"], **(classification or {})}
    for key, slugs in classification.items():
        model = VOCABULARIES[key]
        setattr(page, VOCABULARY_FIELDS[key], list(model.objects.filter(slug__in=slugs)))
    practice_index(language).add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def _translate(page, language, **fields):
    copy = page.copy_for_translation(Locale.objects.get(language_code=language))
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save()
    copy.save_revision().publish()
    return copy


@pytest.fixture(scope="module")
def corpus(shared_tree, django_db_blocker):
    """Built once for the module: entries in several languages with answers, funding, a
    licence, titles and summaries that spreadsheets would run as formulas; a draft and a
    submitter's contact details."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            funded = _publish(
                title="Rehabilitation grants",
                classification={
                    "cooperation_model": ["regional-funds", "south-south-cooperation"],
                    "guiding_question": ["q1", "q5"],
                },
                countries=["SN", "GH"],
                year=2019,
                funding=funding_rows(),
                licence="CC-BY-SA-4.0",
                answers=[
                    ("answer", {"question": "q5", "answer": ANSWER}),
                    ("answer", {"question": "q1", "answer": "<p>Money <i>pooled</i>.</p>"}),
                ],
            )
            _translate(funded, "fr", title="Subventions de réadaptation")
            _translate(funded, "ar", title="منح إعادة التأهيل")
            formulas = [
                _publish(title=f"{start}cmd|' /C calc'!A0", summary=f"{start}1+1 rehabilitation")
                for start in FORMULA_STARTS
            ]
            _publish(language="fr", title="Cliniques mobiles de réadaptation", year=2021)
            _publish(title="Peer support", provenance="illustrative")
            submitted_with_contact(funded)
            draft = PracticePage(
                title="Unpublished draft practice", slug="draft", summary="Draft.", live=False
            )
            practice_index("en").add_child(instance=draft)
            draft.save_revision()
            withdrawn = _publish(title="Withdrawn practice")
            withdrawn.unpublish()
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
        yield {"funded": funded, "formulas": formulas}
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _fresh(fresh_snapshot, corpus, db):
    memory.reset()


def download(client, fmt, query=""):
    response = client.get(f"/api/v1/practices/export.{fmt}?{query}")
    assert response.status_code == HTTPStatus.OK
    assert response.streaming
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return response, b"".join(response.streaming_content)


def read_csv(client, query=""):
    response, body = download(client, "csv", query)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def read_jsonl(client, query=""):
    response, body = download(client, "jsonl", query)
    assert response["Content-Type"].startswith("application/jsonl")
    return [json.loads(line) for line in body.decode("utf-8").splitlines()]


def read_xlsx(client, query=""):
    response, body = download(client, "xlsx", query)
    assert response["Content-Type"] == XLSX_TYPE
    return openpyxl.load_workbook(io.BytesIO(body))


def api_ids(client, query=""):
    """The ids of the API's pages, walked as a client walks them."""
    ids, page = [], 1
    while True:
        data = client.get(f"/api/v1/practices/?{query}&page={page}&page_size=3").json()
        ids += [result["id"] for result in data["results"]]
        if page * data["page_size"] >= data["count"]:
            return ids, data
        page += 1


def xlsx_value(value):
    """A cell's value as a spreadsheet shows it: OOXML escapes a carriage return in a string
    as `_x000D_`, which Excel and LibreOffice decode and openpyxl leaves as it is."""
    return value.replace("_x000D_", "\r") if isinstance(value, str) else value


def spreadsheet_text(value):
    """A cell of openpyxl as the CSV writes it."""
    return "" if value is None else str(xlsx_value(value))


def unformula(text):
    """The CSV cell without the `'` that keeps a formula from running."""
    return text[1:] if text[:1] == "'" and text[1:2] in FORMULA_STARTS else text


def test_the_three_formats_hold_the_same_rows(client):
    rows = read_csv(client)
    records = read_jsonl(client)
    workbook = read_xlsx(client)
    entries, about = workbook.worksheets
    sheet = [[cell.value for cell in row] for row in entries.iter_rows()]

    header = rows[0]
    assert sheet[0] == header == list(records[0])
    assert {"id", "url", "title", "licence", "funding_total_usd", "q1", "q6", "country"} <= set(
        header
    )
    assert len(rows) == len(sheet) == len(records) + 1 == 1 + api_ids(client)[1]["count"] == 10
    for csv_row, xlsx_row, record in zip(rows[1:], sheet[1:], records, strict=True):
        assert [unformula(cell) for cell in csv_row] == [spreadsheet_text(v) for v in xlsx_row]
        for key, cell in zip(header, xlsx_row, strict=True):
            value = record[key]
            if isinstance(value, list):
                assert (cell or "") == ";".join(str(item) for item in value)
            elif isinstance(value, bool):
                assert cell == ("true" if value else "false")
            else:
                assert xlsx_value(cell) == value
    assert entries.freeze_panes == "A2"
    assert entries["A1"].font.bold
    assert entries.column_dimensions["D"].width > 30  # the summary
    # The second sheet: each column's meaning, and the query.
    about_rows = [[cell.value for cell in row] for row in about.iter_rows()]
    assert [row[0] for row in about_rows[1 : len(header) + 1]] == header
    described = {row[0]: row for row in about_rows}
    assert described["cooperation_model"][1] == "Cooperation model"
    assert "“;”" in described["cooperation_model"][2]
    assert described["Entries"][1] == "9"
    assert "CC BY 4.0" in described["Licence"][1]


def test_a_row_holds_the_entry_with_its_answers_funding_and_licence(client, corpus):
    funded = corpus["funded"]
    (record,) = [r for r in read_jsonl(client) if r["id"] == str(funded.translation_key)]
    api = client.get("/api/v1/practices/?q=Rehabilitation+grants").json()["results"][0]
    assert record["url"] == "http://testserver" + funded.url
    assert {key: record[key] for key in api if key != "url"} == {
        key: value for key, value in api.items() if key != "url"
    }
    assert record["licence"] == "CC-BY-SA-4.0"
    assert record["funding_total_usd"] == 250000
    assert record["q5"] == "Survivors sit on the board & decide."
    assert record["q1"] == "Money pooled."
    assert record["q2"] is None
    assert sorted(record["cooperation_model"]) == ["regional-funds", "south-south-cooperation"]
    (row,) = [r for r in read_csv(client) if r[0] == str(funded.translation_key)]
    header = read_csv(client)[0]
    assert row[header.index("country")] in ("SN;GH", "GH;SN")
    assert row[header.index("q2")] == ""


@pytest.mark.parametrize(
    "query",
    [
        "",
        "q=rehabilitation",
        "cooperation_model=south-south-cooperation&cooperation_model=regional-funds",
        "lang=fr",
        "lang=ar&sort=title",
        "q=rehabilitation&lang=fr&sort=relevance",
    ],
)
def test_the_export_lists_the_apis_entries_in_its_order(client, query):
    ids, _data = api_ids(client, query)
    assert ids
    assert [record["id"] for record in read_jsonl(client, query)] == ids
    assert [row[0] for row in read_csv(client, query)[1:]] == ids
    sheet = read_xlsx(client, query).worksheets[0]
    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == ids


def test_rows_are_in_the_readers_language(client, corpus):
    funded = str(corpus["funded"].translation_key)
    by_id = {record["id"]: record for record in read_jsonl(client, "lang=ar")}
    assert by_id[funded]["title"] == "منح إعادة التأهيل"
    assert by_id[funded]["lang"] == "ar" and by_id[funded]["translated"] is True
    assert by_id[funded]["url"].startswith("http://testserver/ar/")
    entries = read_xlsx(client, "lang=fr").worksheets[0]
    assert "Cliniques mobiles de réadaptation" in [row[2].value for row in entries.iter_rows()]


def test_formulas_are_not_run_by_spreadsheets(client, corpus):
    titles = {page.title for page in corpus["formulas"]}
    rows = read_csv(client)
    header = rows[0]
    title, summary = header.index("title"), header.index("summary")
    written = {row[title]: row[summary] for row in rows[1:] if row[title].lstrip("'") in titles}
    assert len(written) == len(FORMULA_STARTS)
    for cell_title, cell_summary in written.items():
        assert cell_title.startswith("'") and cell_summary.startswith("'")
        assert cell_title[1:] in titles

    sheet = read_xlsx(client).worksheets[0]
    cells = [row[title] for row in sheet.iter_rows(min_row=2)]
    shown = {xlsx_value(cell.value) for cell in cells} & titles
    assert shown == titles  # the text as it is
    for cell in cells:
        assert cell.data_type == "s", (cell.value, cell.data_type)


def test_nothing_unpublished_and_no_contact_data(client):
    for fmt in ("csv", "jsonl", "xlsx"):
        _response, body = download(client, fmt)
        if fmt == "xlsx":
            workbook = read_xlsx(client)
            body = "\n".join(
                str(cell.value)
                for sheet in workbook.worksheets
                for row in sheet.iter_rows()
                for cell in row
            ).encode()
        text = body.decode("utf-8")
        assert "Rehabilitation grants" in text
        for private in (
            "Unpublished draft practice",
            "Withdrawn practice",
            "Private Contact Person",
            "private.contact@example.org",
            "Private Contact Organisation",
        ):
            assert private not in text, (fmt, private)


@override_settings(SHOW_ILLUSTRATIVE=False)
def test_illustrative_samples_follow_the_search(client):
    from practices.search.index import rebuild

    rebuild()
    memory.reset()
    titles = [record["title"] for record in read_jsonl(client)]
    assert "Peer support" not in titles and "Rehabilitation grants" in titles
    assert len(titles) == api_ids(client)[1]["count"]


@pytest.mark.parametrize(
    "query, param",
    [("cooperation_model=nope", "cooperation_model"), ("lang=xx", "lang"), ("page=0", "page")],
)
@pytest.mark.parametrize("fmt", ["csv", "xlsx", "jsonl"])
def test_bad_parameters_are_the_apis_400(client, fmt, query, param):
    response = client.get(f"/api/v1/practices/export.{fmt}?{query}")
    api = client.get(f"/api/v1/practices/?{query}")
    assert response.status_code == api.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == api.json()
    assert param in response.json()["errors"]


def test_the_search_page_links_to_the_exports_of_its_search(client):
    """The reader searches in French, follows the page's download links and gets the
    entries the page lists, in French."""
    from html.parser import HTMLParser

    class Links(HTMLParser):
        def __init__(self):
            super().__init__()
            self.links, self._href = [], None

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "a" and "/api/v1/practices/export." in attrs.get("href", ""):
                self._href = attrs["href"]

        def handle_data(self, data):
            if self._href and data.strip():
                self.links.append((data.strip(), self._href))
                self._href = None

    page = client.get("/fr/practices/?q=readaptation&sort=title&page_size=1")
    assert page.status_code == HTTPStatus.OK
    parser = Links()
    parser.feed(page.content.decode())
    assert [name for name, _href in parser.links] == ["CSV", "Excel (XLSX)", "JSON Lines"]
    ids, _data = api_ids(client, "q=readaptation&sort=title&lang=fr")
    assert len(ids) == 2
    for _name, href in parser.links:
        path, query = href.replace("&amp;", "&").split("?")
        assert "lang=fr" in query and "page_size" not in query
        fmt = path.rsplit(".", 1)[1]
        if fmt == "jsonl":
            assert [record["id"] for record in read_jsonl(client, query)] == ids
            assert read_jsonl(client, query)[0]["lang"] == "fr"
        elif fmt == "csv":
            assert [row[0] for row in read_csv(client, query)[1:]] == ids
        else:
            sheet = read_xlsx(client, query).worksheets[0]
            assert [row[0].value for row in sheet.iter_rows(min_row=2)] == ids


def test_the_arabic_spreadsheet_reads_right_to_left_with_its_meanings_in_arabic(client, corpus):
    from django.utils import translation

    from practices.facets import FACET_DESCRIPTIONS

    workbook = read_xlsx(client, "lang=ar")
    entries, about = workbook.worksheets
    assert entries.sheet_view.rightToLeft and about.sheet_view.rightToLeft
    meanings = {row[0].value: row[2].value for row in about.iter_rows() if len(row) > 2}
    with translation.override("ar"):
        arabic = str(FACET_DESCRIPTIONS["region"])
    assert arabic != "Region slugs."
    assert meanings["region"].startswith(arabic)
    assert meanings["id"] == "معرّف المدخل، وهو نفسه في جميع اللغات."
    english = read_xlsx(client, "lang=en")
    assert not any(sheet.sheet_view.rightToLeft for sheet in english.worksheets)
    english_meanings = {row[0].value: row[2].value for row in english.worksheets[1].iter_rows()}
    assert english_meanings["region"].startswith("Region slugs.")
