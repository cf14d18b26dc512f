"""/<lang>/insights/ as a reader sees it: each chart with its title, its sentence and its
data table, the same counts as the search API, mirrored in Arabic, without script."""

import gzip
import re
from html.parser import HTMLParser
from http import HTTPStatus
from urllib.parse import urlencode

import pytest

from practices import charts
from practices.facets import SINGLE_VALUE_FACETS
from practices.models import PracticeFunding
from tests.api.conftest import build_ledger
from tests.conftest import build_practice, shared_site_tree_fixtures, translated

shared_tree, vocabularies, site_tree, _no_transactional_test = shared_site_tree_fixtures("module")

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def corpus(shared_tree, django_db_blocker):
    with django_db_blocker.unblock():
        build_ledger()
        build_practice(
            title="Formula fund", countries=["SN"],
            funding=[PracticeFunding(source="=HYPERLINK(\"http://example.org\")",
                                     amount=300, currency="USD", year_start=2020)],
        )  # fmt: skip
        build_practice(title="Peer network", countries=["KH"], year=2019, status="ongoing",
                       cooperation_model=["exchange-of-experience"],
                       region=["asia-pacific"])  # fmt: skip


class Tables(HTMLParser):
    """Every table's caption and rows of cell texts; the SVGs' attributes."""

    def __init__(self):
        super().__init__()
        self.tables, self.svgs, self.rects, self.scripts = [], [], [], 0
        self._cell = self._caption = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.tables.append({"caption": "", "rows": []})
        elif tag == "caption":
            self._caption = ""
        elif tag == "tr" and self.tables:
            self.tables[-1]["rows"].append([])
        elif tag in ("td", "th"):
            self._cell = ""
        elif tag == "svg":
            self.svgs.append(attrs)
        elif tag == "rect":
            self.rects.append(attrs)
        elif tag == "script":
            self.scripts += 1

    def handle_endtag(self, tag):
        if tag == "caption":
            self.tables[-1]["caption"] = self._caption.strip()
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None:
            # Runs of spaces and line breaks as one space; no-break spaces kept.
            self.tables[-1]["rows"][-1].append(re.sub(r"[ \t\r\n]+", " ", self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        if self._caption is not None:
            self._caption += data
        if self._cell is not None:
            self._cell += data


def read(client, url):
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    parser = Tables()
    parser.feed(response.content.decode())
    return response, parser


def table(parser, caption):
    return next(t["rows"] for t in parser.tables if t["caption"] == caption)


@pytest.mark.parametrize("language", ["en", "fr", "es", "ar"])
def test_each_chart_has_its_table_with_the_search_api_s_counts(client, corpus, language):
    params = {"cooperation_model": ["regional-funds", "south-south-cooperation"]}
    response, page = read(client, f"/{language}/insights/?{urlencode(params, doseq=True)}")
    api = client.get("/api/v1/insights/", {**params, "lang": language}).json()
    search = client.get("/api/v1/practices/", {**params, "lang": language}).json()
    not_given = translated(language, "Not given")
    for key, figure in api["counts"].items():
        rows = table(page, figure["label"])[1:]
        if key == "cooperation_model":
            # The facet the search filters on: each chosen value among the entries found.
            assert [row[0] for row in rows] == [item["label"] for item in figure["selected"]]
            assert sum(int(row[1]) for row in rows) == search["count"]  # one model each here
            continue
        assert "selected" not in figure
        expected = [[item["label"], str(item["count"])] for item in figure["values"]]
        if key in SINGLE_VALUE_FACETS:
            # One value per entry: the entries without one are counted as not given.
            given = sum(item["count"] for item in figure["values"])
            if given < search["count"]:
                expected.append([not_given, str(search["count"] - given)])
        assert rows == expected, key
    # Each chart is an image named by its title and its sentence.
    labelled = [svg for svg in page.svgs if svg.get("role") == "img"]
    assert len(labelled) >= len(api["counts"]) and all(
        svg.get("aria-labelledby") for svg in labelled
    )
    assert page.scripts == 0  # nothing to run: charts and tables come drawn


def test_the_list_and_the_data_keep_the_search(client, corpus):
    response, _page = read(client, "/fr/insights/?region=africa&cooperation_model=regional-funds")
    html = response.content.decode()
    assert 'href="/fr/practices/?region=africa&amp;cooperation_model=regional-funds"' in html
    data = "/api/v1/insights/?region=africa&amp;cooperation_model=regional-funds&amp;lang=fr"
    assert data in html


def test_funding_charts_keep_statuses_apart_and_count_rows_without_a_rate_apart(client, corpus):
    response, page = read(client, "/en/insights/")
    rows = table(page, "Funding by funder")
    assert rows[0] == ["Value", "Pledged (USD)", "Committed (USD)", "Disbursed (USD)",
                       "Status not given (USD)"]  # fmt: skip
    usaid = next(row for row in rows if row[0].startswith("United States Agency"))
    assert usaid[1:] == ["0", "0", "250,000", "0"]
    apart = table(page, "Amounts without a US dollar equivalent, in their own currency "
                        "(not in the charts)")  # fmt: skip
    assert apart[1][0] == "GHS" and "1000000" in apart[1]


def test_a_cambodian_example_is_counted_and_states_without_entries_are_marked(client, corpus):
    _response, page = read(client, "/en/insights/")
    countries = {row[0]: row[1:] for row in table(page, "Countries of this search")[1:]}
    assert countries["Cambodia"][:2] == ["1", "0"]
    assert countries["Afghanistan"] == ["0", "0", "Yes · no entry yet"]


def test_arabic_bars_grow_from_the_right(client, corpus):
    _response, page = read(client, "/ar/insights/")
    bars = [rect for rect in page.rects if "chart-bar" in rect.get("class", "")]
    horizontal = [rect for rect in bars if float(rect["height"]) == 14]
    assert horizontal and all(
        abs(float(rect["x"]) + float(rect["width"]) - charts.WIDTH) < 0.2 for rect in horizontal
    )
    _response, page = read(client, "/en/insights/")
    horizontal = [r for r in page.rects if "chart-bar" in r.get("class", "")
                  and float(r["height"]) == 14]  # fmt: skip
    assert all(float(rect["x"]) == 0 for rect in horizontal)


def test_the_timeline_runs_right_to_left_in_arabic():
    points = [(2018, 1), (2019, 2), (2020, 3)]
    ltr = charts.column_chart(points)
    rtl = charts.column_chart(points, rtl=True)
    assert [c.label for c in sorted(ltr.columns, key=lambda c: c.x)] == ["2018", "2019", "2020"]
    assert [c.label for c in sorted(rtl.columns, key=lambda c: c.x)] == ["2020", "2019", "2018"]
    # The value axis: round numbers from 0 to the top of the plot, at the start side.
    assert [line.text for line in ltr.gridlines] == ["0", "1", "2", "3"]
    assert max(c.height for c in ltr.columns) == charts.PLOT_HEIGHT
    top = ltr.gridlines[-1]
    assert top.y == min(c.y for c in ltr.columns)
    assert ltr.gridlines[0].y == ltr.baseline
    assert all(line.text_x <= min(c.x for c in ltr.columns) for line in ltr.gridlines)
    assert all(line.text_x >= max(c.x + c.width for c in rtl.columns) for line in rtl.gridlines)


def test_the_value_axis_counts_in_round_steps():
    assert charts.axis_values(3) == [0, 1, 2, 3]
    assert charts.axis_values(7) == [0, 2, 4, 6, 8]
    assert charts.axis_values(38) == [0, 10, 20, 30, 40]
    assert charts.axis_values(1234) == [0, 500, 1000, 1500]
    assert charts.axis_values(0) == [0, 1]
    chart = charts.column_chart([(2020, 1234), (2021, 0)])
    assert [line.text for line in chart.gridlines] == ["0", "500", "1,000", "1,500"]
    # The tallest column reaches 1234/1500 of the plot.
    assert max(c.height for c in chart.columns) == pytest.approx(charts.PLOT_HEIGHT * 1234 / 1500)


def test_a_long_number_keeps_its_room_beside_the_longest_bar():
    chart = charts.bar_chart([("Large", [("Disbursed", 54016182)]), ("Small", [("", 3)])])
    bar = chart.groups[0].bars[0]
    assert bar.text == "Disbursed: 54,016,182"
    assert bar.text_x + len(bar.text) * charts.CHARACTER_WIDTH <= charts.WIDTH


def test_a_filter_not_understood_is_said_and_left_out(client, corpus):
    response, _page = read(client, "/en/insights/?region=atlantis")
    assert "Some filters were not understood and were left out" in response.content.decode()


def test_the_page_is_light(client, corpus):
    response, _page = read(client, "/en/insights/")
    assert len(gzip.compress(response.content)) < 60_000
    assert not re.search(rb'(src|href)="https?://(?!testserver)', response.content)


def test_the_map_marks_places_partners_and_states_with_survivors(client, corpus):
    html = read(client, "/en/insights/")[0].content.decode()
    pattern = r'<rect class="tile ([^"]+)"[^>]*><title>([^<]+)</title>'
    tiles = {title.split(":")[0]: classes for classes, title in re.findall(pattern, html)}
    assert "tile-place" in tiles["Cambodia"] and "tile-survivors" in tiles["Cambodia"]
    assert tiles["Senegal"].startswith("tile-place")
    assert tiles["United States of America"].startswith("tile-partner")  # USAID's country
    assert tiles["Afghanistan"] == "tile-none tile-survivors"  # on the list, no entry
    assert tiles["Norway"] == "tile-none"
    assert "Cambodia: 1 entries as place, 0 as partner · significant numbers of survivors" in html


def test_each_chart_s_data_downloads_as_csv_that_a_spreadsheet_reads_safely(client, corpus):
    import csv
    import io

    html = read(client, "/fr/insights/?funding_status=disbursed")[0].content.decode()
    assert 'href="/fr/insights/cooperation_model.csv?funding_status=disbursed"' in html
    response = client.get("/fr/insights/cooperation_model.csv", {"funding_status": "disbursed"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    api = client.get("/api/v1/insights/", {"funding_status": "disbursed", "lang": "fr"}).json()
    expected = api["counts"]["cooperation_model"]["values"]
    assert rows[0] == ["Valeur", "Fiches"]
    assert rows[1:] == [[item["label"], str(item["count"])] for item in expected]

    response = client.get("/en/insights/funding-by_funder.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    formula = next(row for row in rows if "HYPERLINK" in row[0])
    assert formula[0].startswith("'=")  # shown as text, never run
    assert formula[1:] == ["0", "0", "0", "300"]

    timeline = list(
        csv.reader(io.StringIO(client.get("/en/insights/timeline.csv").content.decode()))
    )
    assert timeline[0][:2] == ["Year", "All entries"]
    assert client.get("/en/insights/nothing.csv").status_code == HTTPStatus.NOT_FOUND


def test_a_reader_goes_from_the_search_to_its_charts_and_back(client, corpus):
    search = client.get("/es/practices/", {"cooperation_model": "regional-funds", "sort": "title"})
    html = search.content.decode()
    link = re.search(r'<a href="(/es/insights/[^"]*)">([^<]+)</a>', html)
    assert link and link.group(2) == "Ver estos resultados en gráficos"
    response, page = read(client, link.group(1).replace("&amp;", "&"))
    assert response.context["figures"]["count"] == search.context["search"].count
    back = re.search(r'<a href="(/es/practices/[^"]*)">Ver estos resultados como lista</a>',
                     response.content.decode())  # fmt: skip
    assert back.group(1) == "/es/practices/?cooperation_model=regional-funds"
    assert search.context["search"].count > 1


def test_a_filtered_facet_counts_only_what_the_search_found(client, corpus):
    """The chart of the facet a search filters on never counts more than was found."""
    params = {"cooperation_model": "exchange-of-experience"}
    api = client.get("/api/v1/insights/", params).json()
    assert api["count"] == 1
    assert api["counts"]["cooperation_model"]["selected"] == [
        {"value": "exchange-of-experience", "label": "(e) Exchange of experiences", "count": 1}
    ]
    rows = table(read(client, "/en/insights/?cooperation_model=exchange-of-experience")[1],
                 "Cooperation model")  # fmt: skip
    assert rows[1:] == [["(e) Exchange of experiences", "1"]]


def test_no_chart_without_entries(client, corpus):
    response, page = read(client, "/en/insights/?q=zzzzqqq")
    assert "No entry matches this search: there is nothing to draw." in response.content.decode()
    assert not page.svgs and not page.tables


def test_countries_are_listed_by_name_in_the_reader_s_language(client, corpus):
    names = [row[0] for row in table(read(client, "/fr/insights/")[1], "Pays de cette recherche")]
    names = names[1:]
    assert names.index("Afghanistan") < names.index("Cambodge") < names.index("Tchad")


def test_arabic_numbers_are_grouped_in_thousands(client, corpus):
    rows = table(read(client, "/ar/insights/")[1], "التمويل حسب المموِّل")
    usaid = next(row for row in rows if "250" in "".join(row))
    assert "250,000" in usaid
