"""GET /api/v1/insights/ (CONTRACT.md, "API, added in version 2"): the figures of any
search, from the same code paths as the search and funding APIs, so that they agree."""

from collections import defaultdict
from http import HTTPStatus

import jsonschema
import pytest

from practices import insights
from practices.models import FundingMechanism, Organisation, PracticeFunding
from tests.api.conftest import build_ledger
from tests.conftest import build_practice, shared_site_tree_fixtures, translate_practice

URL = "/api/v1/insights/"

shared_tree, vocabularies, site_tree, _no_transactional_test = shared_site_tree_fixtures("module")


def get(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == HTTPStatus.OK, response.content
    return response.json()


pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def corpus(shared_tree, django_db_blocker):
    """The funding ledger's entries and two more with mechanisms, years and statuses, built
    once in the module's shared transaction (the tests only read them)."""
    with django_db_blocker.unblock():
        return build_corpus()


def build_corpus():
    make_practice, translate = build_practice, translate_practice
    ledger = build_ledger()
    norad = Organisation.objects.create(slug="norad", name_en="Norad", country="NO")
    fund = Organisation.objects.get(slug="west-african-fund")
    mechanism = FundingMechanism.objects.get(slug="regional-fund")

    def row(funder, amount, currency, year, status, **fields):
        return PracticeFunding(source=funder.name_en, funder=funder, amount=amount,
                               currency=currency, year_start=year, status=status,
                               **fields)  # fmt: skip

    centre = make_practice(
        title="Regional fund for prostheses", countries=["GH"], year=2018, year_end=2022,
        status="completed", participation="co-decided", region=["africa"],
        cooperation_model=["regional-funds", "south-south-cooperation"],
        funding=[row(fund, 40000, "USD", 2018, "disbursed", mechanism=mechanism),
                 row(norad, 10000, "USD", 2019, "committed", mechanism=mechanism),
                 row(norad, 5000, "USD", 2020, "disbursed")],
    )  # fmt: skip
    translate(centre, "ar", title="صندوق إقليمي للأطراف الاصطناعية")
    make_practice(
        title="Peer network", countries=["KH"], year=2019, status="ongoing",
        cooperation_model=["exchange-of-experience"], participation="survivor-led",
        funding=[row(norad, 7000, "USD", 2021, "disbursed")],
    )  # fmt: skip
    return ledger, centre


QUERIES = [
    {},
    {"lang": "fr"},
    {"lang": "ar", "cooperation_model": "regional-funds"},
    {"lang": "es", "region": "africa"},
    {"q": "fund", "lang": "en"},
    {"funding_status": "disbursed", "lang": "fr"},
    {"participation": ["co-decided", "survivor-led"], "lang": "ar"},
]


@pytest.mark.parametrize("params", QUERIES)
def test_counts_equal_the_search_api_s_facet_counts(client, corpus, params):
    figures = get(client, URL, **params)
    search = get(client, "/api/v1/practices/", **params)
    assert figures["count"] == search["count"]
    for key in insights.COUNTED_FACETS:
        assert figures["counts"][key]["values"] == search["facets"][key], key
    # The timeline's total is the search's active_year counts, year by year.
    active = {item["value"]: item["count"] for item in search["facets"]["active_year"]}
    timeline = figures["timeline"]
    assert dict(zip(timeline["years"], timeline["total"], strict=True)) == {
        year: active.get(year, 0) for year in timeline["years"]
    }
    assert set(active) <= set(timeline["years"])


def test_the_timeline_splits_by_cooperation_model(client, corpus):
    timeline = get(client, URL)["timeline"]
    series = {line["value"]: dict(zip(timeline["years"], line["counts"], strict=True))
              for line in timeline["series"]}  # fmt: skip
    # Active 2018 to 2022 under two models; the peer network from 2019 to this year.
    south = series["south-south-cooperation"]
    assert south[2018] == 1 and south[2022] == 1 and south[2023] == 0
    assert series["regional-funds"][2022] >= 1
    assert series["exchange-of-experience"][2019] == 1
    assert series["exchange-of-experience"][timeline["years"][-1]] == 1
    for value, counts in series.items():
        search = get(client, "/api/v1/practices/", cooperation_model=value)
        expected = {item["value"]: item["count"] for item in search["facets"]["active_year"]}
        assert {year: n for year, n in counts.items() if n} == expected, value
    # A search for one model draws only that model.
    timeline = get(client, URL, cooperation_model="south-south-cooperation")["timeline"]
    assert [line["value"] for line in timeline["series"]] == ["south-south-cooperation"]


def hand_sums(rows, key):
    sums = defaultdict(lambda: defaultdict(float))
    for row in rows:
        if row["amount_usd"] is not None:
            sums[row[key]][row["status"] or "not-given"] += row["amount_usd"]
    return {value: dict(by_status) for value, by_status in sums.items()}


def usd_of(items):
    return {item["value"]: {status: amount for status, amount in item["usd"].items() if amount}
            for item in items}  # fmt: skip


@pytest.mark.parametrize("params", [{}, {"lang": "fr"}, {"funding_status": "disbursed"},
                                    {"cooperation_model": "regional-funds"}])  # fmt: skip
def test_funding_equals_a_hand_sum_of_the_funding_api_s_rows(client, corpus, params):
    funding = get(client, "/api/v1/funding/", **params)
    figures = get(client, URL, **params)["funding"]
    assert figures["rows"] == funding["count"]
    assert figures["totals"] == funding["totals"]
    assert usd_of(figures["by_mechanism"]) == hand_sums(funding["rows"], "mechanism")
    assert usd_of(figures["by_funder"]) == hand_sums(funding["rows"], "funder_slug")
    assert usd_of(figures["by_year"]) == hand_sums(funding["rows"], "year_start")
    # Statuses are never added together.
    for item in figures["by_funder"]:
        assert set(item["usd"]) == {"pledged", "committed", "disbursed", "not-given"}


def test_rows_without_a_rate_are_counted_apart_never_converted(client, corpus):
    figures = get(client, URL)["funding"]
    # The ledger's pledge in Ghanaian cedis has no exchange rate.
    assert figures["totals"]["currencies"]["GHS"]["pledged"] == 1000000
    funders = {item["value"] for item in figures["by_funder"]}
    assert "west-african-fund" in funders  # by its rows with a US dollar figure only
    pledged = [item["usd"]["pledged"] for item in figures["by_funder"]]
    assert 1000000 not in pledged


def test_recipient_country_is_the_recipient_s_else_the_entry_s_one_place(client, corpus):
    by_country = usd_of(get(client, URL)["funding"]["by_recipient_country"])
    assert by_country["SN"] == {"disbursed": 250000}  # the ministry of Senegal
    assert by_country["GH"] == {"disbursed": 45000, "committed": 10000, "pledged": 1100}
    assert by_country["KH"] == {"disbursed": 7000}


def test_funders_after_the_first_ones_are_grouped(client, corpus, monkeypatch):
    monkeypatch.setattr(insights, "TOP_FUNDERS", 1)
    items = get(client, URL)["funding"]["by_funder"]
    assert [item["value"] for item in items] == ["usaid", "others"]
    rest = hand_sums(get(client, "/api/v1/funding/")["rows"], "funder_slug")
    del rest["usaid"]
    for status in ("pledged", "committed", "disbursed"):
        assert items[1]["usd"][status] == pytest.approx(
            sum(by_status.get(status, 0) for by_status in rest.values())
        )


def test_countries_mark_the_states_with_many_survivors_even_without_entries(client, corpus):
    countries = {row["code"]: row for row in get(client, URL, lang="fr")["countries"]}
    assert countries["GH"]["place"] == 2 and not countries["GH"]["survivor_state"]
    assert countries["KH"]["survivor_state"] and countries["KH"]["name"] == "Cambodge"
    # Afghanistan has no entry here, and is on the reference list.
    assert countries["AF"] == {"code": "AF", "name": "Afghanistan", "place": 0, "partner": 0,
                               "survivor_state": True}  # fmt: skip


def test_the_openapi_document_describes_the_answer(client, corpus):
    document = get(client, "/api/v1/openapi.json")
    schema = {"$ref": "#/components/schemas/InsightsResponse",
              "components": document["components"]}  # fmt: skip
    jsonschema.validate(get(client, URL, lang="ar"), schema)
    assert "/api/v1/insights/" in document["paths"]


@pytest.mark.parametrize("params", [{"region": "atlantis"}, {"lang": "de"}, {"year": "19"}])
def test_bad_parameters_are_errors(client, corpus, params):
    response = client.get(URL, params)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert set(response.json()["errors"]) == set(params)


def test_funding_figures_follow_each_publication(client, corpus):
    """The funding rows are read once per version of the search index: a publication (or a
    change of an organisation) is seen by the next request."""
    norad = Organisation.objects.get(slug="norad")
    before = get(client, URL)["funding"]
    entry = build_practice(
        title="Grant for peer support", countries=["NO"],
        funding=[PracticeFunding(source="Norad", funder=norad, amount=123, currency="USD",
                                 year_start=2021, status="disbursed")],
    )  # fmt: skip
    after = get(client, URL)["funding"]
    assert after["rows"] == before["rows"] + 1
    assert after["totals"]["usd"]["disbursed"] == before["totals"]["usd"]["disbursed"] + 123

    (row,) = entry.funding.all()
    row.amount = 1123
    entry.funding = [row]
    entry.save_revision().publish()
    again = get(client, URL)["funding"]
    assert again["totals"]["usd"]["disbursed"] == before["totals"]["usd"]["disbursed"] + 1123

    entry.unpublish()
    assert get(client, URL)["funding"]["totals"] == before["totals"]


def test_funders_named_only_in_the_text_are_one_group_honestly_named(client, corpus):
    def unregistered(*sources):
        return [PracticeFunding(source=source, amount=100, currency="USD", year_start=2020,
                                status="disbursed") for source in sources]  # fmt: skip

    build_practice(title="Village fund", funding=unregistered("A village association"))
    (item,) = [i for i in get(client, URL)["funding"]["by_funder"] if i["value"] is None]
    assert item["label"] == "A village association"
    build_practice(title="Diaspora fund", funding=unregistered("A diaspora group"))
    (item,) = [i for i in get(client, URL)["funding"]["by_funder"] if i["value"] is None]
    assert item["label"] == "Funders named only in the text"
    assert item["usd"]["disbursed"] == 200
    french = get(client, URL, lang="fr")["funding"]["by_funder"]
    assert [i["label"] for i in french if i["value"] is None] != [item["label"]]
