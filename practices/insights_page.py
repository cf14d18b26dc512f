"""/<lang>/insights/: any search as charts, each with its title, a sentence that says what
it shows and its data table, drawn on the server (practices.charts) from the figures of
`GET /api/v1/insights/` for the same query string (practices.insights)."""

import csv
import io

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language, get_language_bidi, ngettext
from django.utils.translation import gettext as _

from .charts import bar_chart, column_chart, format_number, tile_map
from .country_pages import name_sort_key
from .facets import SINGLE_VALUE_FACETS, country_name
from .funding import FundingStatus
from .insights import insights
from .open_data.exports import cell_text
from .search.service import parse_search_params


def _status_labels():
    labels = {status.value: status.label for status in FundingStatus}
    labels["not-given"] = _("Status not given")
    return labels


def _count_chart(key, figure, total, rtl):
    # A facet the search filters on: its chosen values, counted among the entries found
    # (its `values` say what each value would find instead).
    values = list(figure.get("selected") or figure["values"])
    if key in SINGLE_VALUE_FACETS and "selected" not in figure:
        # One value per entry: the others give none.
        missing = total - sum(item["count"] for item in values)
        if missing > 0:
            values.append({"value": None, "label": _("Not given"), "count": missing})
    chart = bar_chart([(item["label"], [("", item["count"])]) for item in values], rtl=rtl)
    top = max(
        (item for item in values if item["value"] is not None),
        key=lambda item: item["count"],
        default=None,
    )
    if "selected" in figure:
        summary = _(
            "This search keeps only the entries with the values chosen here: how many of "
            "the entries found have each."
        )
    elif top is None or not top["count"]:
        summary = _("No entry of this search has a value here.")
    else:
        summary = ngettext(
            "Of %(total)s entry, the most have “%(label)s”: %(count)s. An entry may have "
            "several values, so the counts may add up to more than the entries.",
            "Of %(total)s entries, the most have “%(label)s”: %(count)s. An entry may have "
            "several values, so the counts may add up to more than the entries.",
            total,
        ) % {"total": format_number(total), "label": top["label"], "count": top["count"]}
    return {
        "id": key,
        "title": figure["label"],
        "summary": summary,
        "chart": chart,
        "columns": [_("Value"), _("Entries")],
        "data": [(item["label"], item["count"]) for item in values],
        "filtered": "selected" in figure,
    }


def _funding_chart(key, title, items, statuses, rtl):
    labels = _status_labels()
    groups = []
    rows = []
    for item in items:
        bars = [(labels[status], amount) for status in statuses if (amount := item["usd"][status])]
        if bars:
            groups.append((item["label"], bars))
        rows.append((item["label"], *(item["usd"][status] for status in statuses)))
    if groups:
        label, bars = groups[0]
        amounts = "; ".join(f"{status} {format_number(amount)}" for status, amount in bars)
        summary = _(
            "In US dollars, by funding status (never added together). The largest: "
            "%(label)s, %(amounts)s."
        ) % {"label": label, "amounts": amounts}
    else:
        summary = _("No funding row of this search has an amount in US dollars.")
    return {
        "id": f"funding-{key}",
        "title": title,
        "summary": summary,
        "chart": bar_chart(groups, rtl=rtl),
        "columns": [_("Value"), *(f"{labels[status]} (USD)" for status in statuses)],
        "data": rows,
    }


def _describe_country(code, row):
    if row is None:
        return country_name(code)
    text = _("%(name)s: %(place)s entries as place, %(partner)s as partner") % {
        "name": row["name"],
        "place": format_number(row["place"]),
        "partner": format_number(row["partner"]),
    }
    if row["survivor_state"]:
        text += " · " + _("significant numbers of survivors")
    return text


def _with_text(chart):
    """The chart with its table's numbers written as the page's language writes them."""
    chart["rows"] = [
        (label, *(format_number(value) for value in values)) for label, *values in chart["data"]
    ]
    return chart


def _page(request):
    """Every chart of the insights page for the request's search, and what surrounds them."""
    language = (get_language() or "en").split("-")[0]
    rtl = get_language_bidi()
    query, errors = parse_search_params(request.GET, lang=language)
    figures = insights(query)
    total = figures["count"]
    count_charts = [
        _with_text(_count_chart(key, figure, total, rtl))
        for key, figure in figures["counts"].items()
    ]
    timeline = figures["timeline"]
    points = list(zip(timeline["years"], timeline["total"], strict=True))
    funding = figures["funding"]
    statuses = funding["statuses"]
    funding_titles = {
        "by_mechanism": _("Funding by mechanism"),
        "by_funder": _("Funding by funder"),
        "by_recipient_country": _("Funding by recipient country"),
        "by_year": _("Funding by first year"),
    }
    funding_charts = [
        _with_text(_funding_chart(key, title, funding[key], statuses, rtl))
        for key, title in funding_titles.items()
    ]
    tables = {chart["id"]: (chart["columns"], chart["data"]) for chart in count_charts}
    tables.update((chart["id"], (chart["columns"], chart["data"])) for chart in funding_charts)
    tables["timeline"] = (
        [_("Year"), _("All entries"), *(line["label"] for line in timeline["series"])],
        [
            (year, total_count, *(line["counts"][index] for line in timeline["series"]))
            for index, (year, total_count) in enumerate(points)
        ],
    )
    tables["countries"] = (
        [_("Country"), _("Entries as place"), _("Entries as partner"),
         _("Significant numbers of survivors")],
        [(row["name"], row["place"], row["partner"], row["survivor_state"])
         for row in sorted(figures["countries"], key=lambda row: name_sort_key(row["name"]))],
    )  # fmt: skip
    return {
        "figures": figures,
        "errors": errors,
        "query_string": request.GET.urlencode(),
        "count_charts": count_charts,
        "timeline": {
            "chart": column_chart(points, rtl=rtl),
            "years": timeline["years"],
            "series": timeline["series"],
            # The data table's rows, their numbers as the page's language writes them.
            "rows": [
                (year, *(format_number(value) for value in values))
                for year, *values in tables["timeline"][1]
            ],
        },
        "funding_charts": funding_charts,
        "funding": funding,
        "status_labels": _status_labels(),
        "countries": sorted(figures["countries"], key=lambda row: name_sort_key(row["name"])),
        "map": tile_map(figures["countries"], _describe_country),
        "tables": tables,
    }


def insights_view(request):
    return render(request, "practices/insights.html", _page(request))


def insights_csv(request, chart):
    """The data table of one chart of the insights page, as CSV: numbers as numbers, and
    text that a spreadsheet would run neutralised, as in the exports."""
    tables = _page(request)["tables"]
    if chart not in tables:
        raise Http404
    columns, rows = tables[chart]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([cell_text(str(column)) for column in columns])
    for row in rows:
        writer.writerow(
            [cell_text(value if isinstance(value, (bool, int, float)) else str(value))
             for value in row]
        )  # fmt: skip
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="alianzas-insights-{chart}.csv"'
    return response
