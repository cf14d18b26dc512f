"""The funding ledger in search (CONTRACT.md, version 2): funders and recipients found by
name or acronym in every language, the `funder`, `funding_type`, `funding_status` and
`partner_country` facets with disjunctive counts, and `funding_total_usd` on each result."""

from http import HTTPStatus

import jsonschema
import pytest

from practices.models import Organisation
from tests.conftest import shared_site_tree_fixtures, translated

URL = "/api/v1/practices/"
LANGUAGES = ("ar", "en", "fr", "es")

shared_tree, vocabularies, site_tree, _no_transactional_test = shared_site_tree_fixtures("module")


def search(client, **params):
    response = client.get(URL, params)
    assert response.status_code == HTTPStatus.OK, response.content
    return response.json()


def titles(data):
    return sorted(result["title"] for result in data["results"])


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("q", ["Leahy", "usaid", "Agence des États-Unis"])
def test_a_funder_s_name_or_acronym_finds_what_it_funded_in_every_language(
    client, ledger, language, q
):
    data = search(client, q=q, lang=language)
    shown = "Subventions de réadaptation" if language == "fr" else "Rehabilitation grants"
    assert titles(data) == [shown]


def test_a_recipient_s_name_finds_the_entry(client, ledger):
    assert titles(search(client, q="Ministry of Health of Senegal")) == ["Rehabilitation grants"]


def test_funding_facets_count_disjunctively_with_labels_in_the_language(client, ledger):
    data = search(client, lang="fr", funding_type="loan")
    assert titles(data) == ["Solidarity loans", "Subventions de réadaptation"]
    facets = data["facets"]
    # A closed list: every type, in order, counted without the type's own filter.
    assert [(item["value"], item["count"]) for item in facets["funding_type"]] == [
        ("grant", 1), ("loan", 2), ("in-kind", 0), ("budget-allocation", 0),
        ("technical-cooperation", 0), ("other", 0),
    ]  # fmt: skip
    assert {item["value"]: item["label"] for item in facets["funding_type"]}["loan"] == "Prêt"
    # The other keys count within the type filter.
    assert {item["value"]: item["count"] for item in facets["funding_status"]} == {
        "pledged": 2, "committed": 0, "disbursed": 1,
    }  # fmt: skip
    funders = {item["value"]: item for item in facets["funder"]}
    assert funders["usaid"]["count"] == 1 and funders["west-african-fund"]["count"] == 2
    assert funders["usaid"]["label"] == (
        "Agence des États-Unis pour le développement international (USAID)"
    )
    partners = {item["value"]: item for item in facets["partner_country"]}
    assert partners["US"] == {"value": "US", "label": "États-Unis d'Amérique", "count": 1}
    assert "SN" not in partners  # the recipient's country is where the practice happens

    both = search(client, funding_type="loan", funding_status="disbursed")
    assert titles(both) == ["Rehabilitation grants"]
    only_us = search(client, partner_country="us", funder="west-african-fund")
    assert titles(only_us) == ["Rehabilitation grants"]


def test_each_result_carries_its_usd_total(client, ledger):
    results = {result["title"]: result for result in search(client)["results"]}
    # 250,000 USD; the row in a currency without a rate is left out.
    assert results["Rehabilitation grants"]["funding_total_usd"] == 250000
    # The editor's figure stands for the converted one.
    assert results["Solidarity loans"]["funding_total_usd"] == 1100
    assert results["Peer support without funding"]["funding_total_usd"] is None
    assert results["Rehabilitation grants"]["funder"] == ["usaid", "west-african-fund"]
    assert results["Peer support without funding"]["funder"] == []


KNOWN = "“%(value)s” is not a known value of this filter."
COUNTRY = "Use a two-letter ISO 3166-1 country code, e.g. SN."
ORGANISATION = "“%(value)s” is not a valid organisation identifier."


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [("funding_type", "gift", KNOWN), ("funding_status", "spent", KNOWN),
     ("funder", "two words", ORGANISATION), ("partner_country", "XX", COUNTRY)],
)  # fmt: skip
def test_an_unknown_value_is_a_translated_error(client, ledger, key, value, message):
    response = client.get(URL, {key: value, "lang": "es"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    shown = response.json()["errors"][key]
    params = {"value": value} if "%(value)s" in message else {}
    assert shown == translated("es", message, **params)
    assert shown != (message % params if params else message)  # in Spanish, not English


def test_the_openapi_document_describes_the_new_facets_and_the_total(client, ledger):
    document = client.get("/api/v1/openapi.json").json()
    parameters = {
        p["name"]: p for p in document["paths"]["/api/v1/practices/"]["get"]["parameters"]
    }
    assert parameters["funding_type"]["schema"]["items"]["enum"][:2] == ["grant", "loan"]
    assert parameters["funding_status"]["schema"]["items"]["enum"] == [
        "pledged", "committed", "disbursed",
    ]  # fmt: skip
    assert "US" in parameters["partner_country"]["schema"]["items"]["enum"]
    schema = {**document["components"]["schemas"]["SearchResponse"]}
    schema["components"] = document["components"]
    jsonschema.validate(search(client, lang="ar"), schema)


def test_renaming_or_merging_an_organisation_updates_search(client, ledger):
    usaid = Organisation.objects.get(slug="usaid")
    usaid.acronym = "USAIDX"
    usaid.save()
    assert titles(search(client, q="USAIDX")) == ["Rehabilitation grants"]
    labels = {item["value"]: item["label"] for item in search(client)["facets"]["funder"]}
    assert labels["usaid"].endswith("(USAIDX)")

    duplicate = Organisation.objects.get(slug="west-african-fund")
    duplicate.merge_into(usaid)
    funders = {item["value"]: item["count"] for item in search(client)["facets"]["funder"]}
    assert funders == {"usaid": 2}
    assert titles(search(client, funder="usaid")) == ["Rehabilitation grants", "Solidarity loans"]
