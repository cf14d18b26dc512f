"""Exports of any search: `/api/v1/practices/export.csv`, `.xlsx` and `.jsonl`.

Every entry that matches the search, once, in `lang` and in the order of the API's pages
(search.service.ordered_document_ids), with the fields of a search result
(api.serialisers.serialise_result), the entry's absolute `url`, its `licence` (SPDX id) and
its answers as plain text in one column per guiding question (`q1`...`q6`). The columns are
built from the facet registry and the guiding questions, so that new facets and questions
follow.

Entries are read in chunks of CHUNK_SIZE documents with only the fields needed, and written
as they are read: CSV and JSON Lines stream row by row, XLSX is written by XlsxWriter in
constant_memory mode to a temporary file that is then streamed. See docs/exports.md.
"""

import csv
import json
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime

from django.http import StreamingHttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..api.serialisers import serialise_result
from ..facets import FACET_DESCRIPTIONS, FACET_LABELS, SINGLE_VALUE_FACETS
from ..licences import licence_info
from ..models import PracticePage
from ..models.taxonomy import GuidingQuestion
from ..search.documents import plain_text
from ..search.models import SearchDocument
from ..search.service import RESULT_LIST_KEYS, document_result, ordered_document_ids

CHUNK_SIZE = 500
STREAM_BLOCK = 64 * 1024
#: The separator of the values of a list facet in a CSV or XLSX cell.
LIST_SEPARATOR = ";"
#: What a spreadsheet may read as the start of a formula (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_DOCUMENT_FIELDS = (
    "id",
    "page_id",
    "entry_key",
    "url",
    "title",
    "summary",
    "language",
    "original_language",
    "year",
    "facets",
    "funding_total_usd",
)


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    description: str
    width: int = 14


#: The fields of a search result before its facets, with their meaning.
_RESULT_FIELDS = (
    Column("id", gettext_lazy("Identifier"),
           gettext_lazy("The entry's identifier, the same in every language."), 38),
    Column("url", gettext_lazy("Address"), gettext_lazy("The address of the entry's page."), 50),
    Column("title", gettext_lazy("Title"), gettext_lazy("The entry's title."), 40),
    Column("summary", gettext_lazy("Summary"), gettext_lazy("The entry's summary."), 60),
    Column("lang", gettext_lazy("Language of this version"),
           gettext_lazy("The language of the text in this row."), 10),
    Column("language", gettext_lazy("Original language"),
           gettext_lazy("The language the entry was written in."), 10),
    Column("translated", gettext_lazy("Translated"),
           gettext_lazy("true when this row is a translation of the entry."), 10),
    Column("year", gettext_lazy("Year"), gettext_lazy("The year the practice started."), 8),
)  # fmt: skip
_AFTER_FACETS = (
    Column("funding_total_usd", gettext_lazy("Funding (US dollars)"),
           gettext_lazy("The sum of the US dollar equivalents of the entry's funding rows "
                        "that have one; empty when none has."), 16),
    Column("licence", gettext_lazy("Licence"),
           gettext_lazy("The open licence the entry may be reused under (SPDX identifier)."),
           14),
)  # fmt: skip


def export_columns(questions):
    """Every column, in order: the result's fields, each facet of the registry that a result
    carries, the funding total, the licence and one column per guiding question
    (`questions`: GuidingQuestion objects in order)."""
    facets = tuple(
        Column(
            key,
            FACET_LABELS[key],
            FACET_DESCRIPTIONS[key]
            if key in SINGLE_VALUE_FACETS
            else _list_description(FACET_DESCRIPTIONS[key]),
            24,
        )
        for key in RESULT_LIST_KEYS
    )
    answers = tuple(
        Column(question.slug, question.get_short_label(), question.get_label(), 60)
        for question in questions
    )
    return (*_RESULT_FIELDS, *facets, *_AFTER_FACETS, *answers)


def _list_description(description):
    return f"{description} " + _("Several values are separated by “;”.")


def _answers(raw_answers, slugs):
    """Question slug -> plain text of its answer, from a StreamField's raw data."""
    raw = getattr(raw_answers, "raw_data", raw_answers)
    if isinstance(raw, str):
        raw = json.loads(raw or "[]")
    texts = {}
    for block in raw or ():
        value = block.get("value") or {}
        slug = value.get("question")
        if slug in slugs:
            texts[slug] = plain_text(value.get("answer") or "")
    return texts


def export_rows(request, document_ids, questions):
    """One dict per document id (in order): the search result's fields, the absolute url,
    the licence and the answers' plain text. Read CHUNK_SIZE documents at a time."""
    slugs = [question.slug for question in questions]
    for start in range(0, len(document_ids), CHUNK_SIZE):
        chunk = document_ids[start : start + CHUNK_SIZE]
        documents = SearchDocument.objects.only(*_DOCUMENT_FIELDS).in_bulk(chunk)
        pages = {
            pk: (licence, answers)
            for pk, licence, answers in PracticePage.objects.filter(
                pk__in=[document.page_id for document in documents.values()]
            ).values_list("pk", "licence", "answers")
        }
        for pk in chunk:
            document = documents.get(pk)
            if document is None or document.page_id not in pages:
                continue  # removed since the search: nothing to export
            licence, raw_answers = pages[document.page_id]
            row = serialise_result(_result(document))
            row["url"] = request.build_absolute_uri(document.url)
            row["licence"] = licence_info(licence).id
            texts = _answers(raw_answers, slugs)
            for slug in slugs:
                row[slug] = texts.get(slug)
            yield row


def _result(document):
    return document_result(document, organisation="")


def neutralise_formula(text):
    """`text` as a spreadsheet shows it without running it: a leading `'` before a start
    that would make a formula (OWASP)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def cell_text(value):
    """The text of a CSV cell: lists joined with `;`, booleans as true/false, nothing for
    null; text that a spreadsheet would run is neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = LIST_SEPARATOR.join(str(item) for item in value)
    if isinstance(value, str):
        return neutralise_formula(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # 250000, not 250000.0, as a spreadsheet shows it
    return str(value)


class _Echo:
    def write(self, value):
        return value


def _csv_chunks(columns, rows):
    writer = csv.writer(_Echo())
    yield "\ufeff"  # the byte order mark, so that spreadsheets read UTF-8 (Arabic) as such
    yield writer.writerow([column.key for column in columns])
    for row in rows:
        yield writer.writerow([cell_text(row[column.key]) for column in columns])


def _jsonl_chunks(columns, rows):
    keys = [column.key for column in columns]
    for row in rows:
        yield json.dumps({key: row[key] for key in keys}, ensure_ascii=False) + "\n"


def _xlsx_chunks(columns, rows, about):
    import xlsxwriter

    with tempfile.TemporaryFile() as output:
        workbook = xlsxwriter.Workbook(
            output,
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
            },
        )
        bold = workbook.add_format({"bold": True})
        sheet = workbook.add_worksheet(_("Entries"))
        rtl = translation.get_language_bidi()
        if rtl:
            sheet.right_to_left()
        for index, column in enumerate(columns):
            sheet.set_column(index, index, column.width)
            sheet.write_string(0, index, column.key, bold)
        sheet.freeze_panes(1, 0)
        count = 0
        for count, row in enumerate(rows, start=1):
            for index, column in enumerate(columns):
                _write_cell(sheet, count, index, row[column.key])
        about = {**about, "count": count}
        about_sheet = workbook.add_worksheet(_("About"))
        if rtl:
            about_sheet.right_to_left()
        _write_about(about_sheet, bold, columns, about)
        workbook.close()
        output.seek(0)
        while block := output.read(STREAM_BLOCK):
            yield block


def _write_cell(sheet, row, col, value):
    if value is None:
        return
    if isinstance(value, bool):
        sheet.write_string(row, col, "true" if value else "false")
    elif isinstance(value, int | float):
        sheet.write_number(row, col, value)
    else:
        if isinstance(value, list):
            value = LIST_SEPARATOR.join(str(item) for item in value)
        # A string cell: a spreadsheet shows it as it is and never runs it.
        sheet.write_string(row, col, value)


def _write_about(sheet, bold, columns, about):
    """The second sheet: what each column means, and the query that produced the export."""
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 1, 36)
    sheet.set_column(2, 2, 90)
    lines = [
        (_("Column"), _("Label"), _("Meaning")),
        *((column.key, str(column.label), str(column.description)) for column in columns),
        (),
        (_("Query"), about["query"] or _("(every entry)")),
        (_("Language"), about["lang"]),
        (_("Exported at (UTC)"), about["date"]),
        (_("Entries"), str(about["count"])),
        (_("Licence"), about["licence_note"]),
    ]
    for number, line in enumerate(lines):
        for index, text in enumerate(line):
            style = bold if number == 0 or (index == 0 and number > len(columns)) else None
            sheet.write_string(number, index, text, style)


FORMATS = {
    "csv": ("text/csv; charset=utf-8", _csv_chunks),
    "jsonl": ("application/jsonl; charset=utf-8", _jsonl_chunks),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _xlsx_chunks),
}


def licence_note():
    return _(
        "Each entry may be reused under the open licence of its “licence” column "
        "(CC BY 4.0 unless another is given): cite Alianzas and link to the entry's address."
    )


def export_response(request, query, fmt):
    """The streamed export of `query` (a valid SearchQuery) in `fmt` (a key of FORMATS)."""
    content_type, write = FORMATS[fmt]
    lang = query.lang
    document_ids = ordered_document_ids(query)

    def chunks():
        with translation.override(lang):
            questions = list(GuidingQuestion.objects.order_by("number"))
            columns = export_columns(questions)
            rows = export_rows(request, document_ids, questions)
            if fmt == "xlsx":
                about = {
                    "query": request.GET.urlencode(),
                    "lang": lang,
                    "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M"),
                    "licence_note": licence_note(),
                }
                yield from write(columns, rows, about)
            else:
                for chunk in write(columns, rows):
                    yield chunk.encode("utf-8")

    response = StreamingHttpResponse(chunks(), content_type=content_type)
    stamp = datetime.now(UTC).strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="alianzas-{lang}-{stamp}.{fmt}"'
    response["Content-Language"] = lang
    return response
