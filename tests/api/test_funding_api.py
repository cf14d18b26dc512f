"""GET /api/v1/funding/ (CONTRACT.md, "API, added in version 2"): the funding rows of the
matching entries, with totals that never add statuses together and count rows without an
exchange rate apart."""

from http import HTTPStatus

import jsonschema
import pytest

from practices.models import PracticeFunding, Submission
from tests.conftest import shared_site_tree_fixtures

URL = "/api/v1/funding/"

shared_tree, vocabularies, site_tree, _no_transactional_test = shared_site_tree_fixtures("module")


def funding(client, **params):
    response = client.get(URL, params)
    assert response.status_code == HTTPStatus.OK, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


def validate(client, data):
    document = client.get("/api/v1/openapi.json").json()
    schema = {"$ref": "#/components/schemas/FundingResponse", "components": document["components"]}
    jsonschema.validate(data, schema)


def test_rows_of_every_matching_entry_with_totals_by_status(client, ledger):
    funded, pledged, _unfunded = ledger
    data = funding(client)
    validate(client, data)
    assert data["count"] == 3
    # Newest entry first; an entry's rows in their order.
    assert [row["id"] for row in data["rows"]] == [str(pledged.translation_key)] + [
        str(funded.translation_key)
    ] * 2
    grant = data["rows"][1]
    assert grant == {
        "id": str(funded.translation_key),
        "funder": "United States Agency for International Development (USAID)",
        "funder_slug": "usaid",
        "recipient": "Ministry of Health of Senegal",
        "recipient_slug": "ministry-of-health-senegal",
        "amount": 250000,
        "currency": "USD",
        "amount_usd": 250000,
        "year_start": 2019,
        "year_end": None,
        "type": "grant",
        "status": "disbursed",
        "va_share": "unknown",
        "channel": None,
        "mechanism": None,
        "source_url": None,
        "iati_identifier": None,
        "note": "",
    }
    # The editor's figure is the loan's equivalent; the GHS row has none.
    assert data["rows"][0]["amount_usd"] == 1100
    assert data["rows"][2]["amount_usd"] is None and data["rows"][2]["currency"] == "GHS"
    # A hand sum of the rows, by status: pledged (1,100) is never added to disbursed.
    assert data["totals"]["usd"] == {
        "pledged": 1100, "committed": 0, "disbursed": 250000, "not-given": 0,
    }  # fmt: skip
    assert data["totals"]["currencies"] == {
        "GHS": {"pledged": 1000000, "committed": 0, "disbursed": 0, "not-given": 0}
    }
    assert data["totals"]["rows_without_amount"] == 0


def test_the_search_chooses_the_entries_and_the_row_filters_the_rows(client, ledger):
    funded, _pledged, _unfunded = ledger
    by_text = funding(client, q="Leahy")
    assert {row["id"] for row in by_text["rows"]} == {str(funded.translation_key)}
    assert by_text["count"] == 2  # both rows of the entry the text found

    disbursed = funding(client, funding_status="disbursed")
    assert [row["funder_slug"] for row in disbursed["rows"]] == ["usaid"]
    assert disbursed["totals"]["usd"]["disbursed"] == 250000
    assert disbursed["totals"]["usd"]["pledged"] == 0 and disbursed["totals"]["currencies"] == {}

    fund = funding(client, funder="west-african-fund")
    assert [row["amount_usd"] for row in fund["rows"]] == [1100, None]
    assert fund["totals"]["usd"]["pledged"] == 1100

    nothing = funding(client, partner_country="FR")
    assert nothing == {
        "count": 0,
        "rows": [],
        "totals": {
            "usd": {"pledged": 0, "committed": 0, "disbursed": 0, "not-given": 0},
            "currencies": {},
            "rows_without_amount": 0,
        },
    }


def test_names_in_the_reader_s_language(client, ledger):
    data = funding(client, lang="fr", funder="usaid")
    assert data["rows"][0]["funder"] == (
        "Agence des États-Unis pour le développement international (USAID)"
    )
    # No French name given: the English one.
    assert data["rows"][0]["recipient"] == "Ministry of Health of Senegal"
    validate(client, data)


@pytest.mark.parametrize("params", [{"funding_type": "gift"}, {"lang": "de"}, {"year": "19"}])
def test_bad_parameters_are_errors(client, ledger, params):
    response = client.get(URL, params)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert set(response.json()["errors"]) == set(params)


def test_no_contact_data_and_no_unpublished_rows(client, ledger, make_practice):
    funded, _pledged, _unfunded = ledger
    Submission.objects.create(
        page=funded,
        language="en",
        channel=Submission.Channel.choices[0][0],
        contact_name="Jane Private",
        contact_email="jane.private@example.org",
        contact_organisation="Hidden Org",
    )
    make_practice(
        title="A draft",
        publish=False,
        funding=[PracticeFunding(source="Draft donor", amount=5, currency="USD")],
    )
    body = client.get(URL).content.decode()
    assert "Jane Private" not in body and "jane.private" not in body and "Hidden Org" not in body
    assert "Draft donor" not in body
