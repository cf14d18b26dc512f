"""GET /api/v1/practices/ and /api/v1/openapi.json as CONTRACT.md describes them."""

import json
from http import HTTPStatus

import jsonschema
import pytest

from practices.facets import FACET_KEYS
from practices.models import Submission
from tests.conftest import shared_site_tree_fixtures

URL = "/api/v1/practices/"

#: The site skeleton, built once for the tests of this module.
shared_tree, vocabularies, site_tree, _no_transactional_test = shared_site_tree_fixtures("module")


@pytest.fixture
def entries(make_practice, translate):
    first = make_practice(
        language="es",
        title="Fondo regional de rehabilitación",
        summary="Un fondo regional.",
        region=["africa"],
        countries=["SN"],
        year=2019,
        organisation="Red de sobrevivientes",
    )
    second = make_practice(language="en", title="Training of nurses", year=2021)
    translate(second, "fr", title="Formation des infirmières")
    return first, second


def get(client, **params):
    return client.get(URL, params)


def test_response_shape(client, entries):
    response = get(client, lang="fr")
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["count"] == 2 and data["page"] == 1 and data["page_size"] == 20
    assert set(data["facets"]) == set(FACET_KEYS)
    by_title = {result["title"]: result for result in data["results"]}
    spanish = by_title["Fondo regional de rehabilitación"]
    assert spanish["lang"] == "es" and spanish["language"] == "es"
    assert spanish["translated"] is False
    assert spanish["url"] == "/es/practices/" + entries[0].slug + "/"
    assert spanish["id"] == str(entries[0].translation_key)
    assert spanish["year"] == 2019
    assert spanish["region"] == ["africa"] and spanish["country"] == ["SN"]
    assert spanish["cooperation_model"] == ["regional-funds"]
    french = by_title["Formation des infirmières"]
    assert french["lang"] == "fr" and french["language"] == "en" and french["translated"]
    regions = {item["value"]: item for item in data["facets"]["region"]}
    assert regions["africa"] == {"value": "africa", "label": "Afrique", "count": 1}
    assert data["facets"]["year"] == [
        {"value": 2021, "label": "2021", "count": 1},
        {"value": 2019, "label": "2019", "count": 1},
    ]


def test_filters_and_disjunctive_counts(client, entries):
    data = get(client, region="africa").json()
    assert data["count"] == 1
    regions = {item["value"]: item["count"] for item in data["facets"]["region"]}
    assert regions["africa"] == 1
    years = {item["value"]: item["count"] for item in data["facets"]["year"]}
    assert years == {2019: 1}
    data = client.get(URL + "?year=2019&year=2021&lang=en").json()
    assert data["count"] == 2


def test_repeated_parameters_and_unknown_names(client, entries):
    response = client.get(URL + "?cooperation_model=regional-funds&utm_source=x&foo=bar")
    assert response.status_code == HTTPStatus.OK
    assert response.json()["count"] == 2


@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({"cooperation_model": "no-such-model"}, "cooperation_model"),
        ({"region": "atlantis"}, "region"),
        ({"country": "XX"}, "country"),
        ({"country": "SEN"}, "country"),
        ({"year": "twenty"}, "year"),
        ({"year": "19"}, "year"),
        ({"language": "de"}, "language"),
        ({"tag": "a b"}, "tag"),
        ({"lang": "de"}, "lang"),
        ({"sort": "random"}, "sort"),
        ({"page": "0"}, "page"),
        ({"page": "-1"}, "page"),
        ({"page": "two"}, "page"),
        ({"page": "9" * 5000}, "page"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "101"}, "page_size"),
        ({"page_size": "1.5"}, "page_size"),
    ],
)
def test_bad_values_give_400(client, site_tree, params, param):
    response = get(client, **params)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    data = response.json()
    assert list(data) == ["errors"]
    assert param in data["errors"] and data["errors"][param]


def test_page_past_the_end_and_page_size(client, entries):
    data = get(client, page=3).json()
    assert data["count"] == 2 and data["results"] == [] and data["page"] == 3
    data = get(client, page_size=1, sort="title").json()
    assert len(data["results"]) == 1 and data["page_size"] == 1


def test_only_live_entries_and_no_contact_data(client, make_practice):
    from practices.models import PracticePage

    draft = make_practice(title="Hidden draft", publish=False)
    PracticePage.objects.filter(pk=draft.pk).update(live=False)
    page = make_practice(title="Public entry", organisation="Public organisation")
    Submission.objects.create(
        page=page,
        language="en",
        channel=Submission.Channel.choices[0][0],
        contact_name="Private Person",
        contact_email="private.person@example.org",
        contact_organisation="Secret Org",
        consent_contact=True,
    )
    page.save_revision().publish()
    body = get(client, q="entry").content.decode()
    assert "Hidden draft" not in body
    assert "Public entry" in body
    assert "@" not in body
    assert "private.person" not in body and "Private Person" not in body
    assert "Secret Org" not in body
    data = json.loads(body)
    assert set(data["results"][0]) == {
        "id", "url", "title", "summary", "lang", "language", "translated", "year",
        "cooperation_model", "guiding_question", "va_component", "region", "country",
        "actor_type", "funding_mechanism", "funder", "funding_type", "funding_status",
        "partner_country", "sdg", "crpd_article", "available_in", "tag", "funding_total_usd",
        "provenance", "status", "evidence", "participation", "rights_marker", "active_year",
        "action_plan", "sdg_target",
    }  # fmt: skip
    assert page.title == data["results"][0]["title"]
    # One slug or null each (CONTRACT.md, version 2); the other keys are lists.
    assert data["results"][0]["provenance"] == "contributed"
    assert data["results"][0]["status"] is None
    assert data["results"][0]["rights_marker"] == []


def test_openapi_document_describes_the_responses(client, entries):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == HTTPStatus.OK
    document = response.json()
    assert document["openapi"].startswith("3.")
    operation = document["paths"]["/api/v1/practices/"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert set(FACET_KEYS) | {"q", "lang", "sort", "page", "page_size"} == set(parameters)
    assert "regional-funds" in parameters["cooperation_model"]["schema"]["items"]["enum"]
    assert parameters["lang"]["schema"]["enum"] == ["ar", "en", "fr", "es"]
    assert parameters["available_in"]["schema"]["items"]["enum"] == ["ar", "en", "fr", "es"]
    assert parameters["sort"]["schema"]["enum"] == [
        "relevance",
        "newest",
        "oldest",
        "year",
        "title",
    ]
    assert "first publication" in parameters["sort"]["description"]
    # English whatever the reader's language (the exports give these texts translated).
    arabic = client.get("/api/v1/openapi.json", HTTP_ACCEPT_LANGUAGE="ar").json()
    (region,) = [p for p in arabic["paths"]["/api/v1/practices/"]["get"]["parameters"]
                 if p["name"] == "region"]  # fmt: skip
    assert region["description"].startswith("Region slugs.")
    schemas = document["components"]["schemas"]

    def validate(instance, name):
        schema = {**schemas[name], "components": document["components"]}
        jsonschema.validate(instance, schema)

    validate(get(client, lang="fr").json(), "SearchResponse")
    validate(get(client, available_in="fr", sort="year").json(), "SearchResponse")
    validate(get(client, sort="nope").json(), "Errors")
    with pytest.raises(jsonschema.ValidationError):
        validate({"count": 1}, "SearchResponse")


# -- available_in and the default order -----------------------------------------------------


def counts(data, key):
    return {item["value"]: item["count"] for item in data["facets"][key]}


@pytest.fixture
def versions(make_practice, translate):
    """Four entries: in English and French; English only; Spanish and English; Arabic."""
    both = make_practice(title="Peer support", region=["africa"])
    translate(both, "fr", title="Soutien par les pairs")
    nurses = make_practice(title="Nurses", region=["africa"])
    translate(nurses, "fr", publish=False, title="Infirmières")
    spanish = make_practice(language="es", title="Fondo", region=["americas"])
    translate(spanish, "en", title="Fund")
    make_practice(language="ar", title="صندوق", region=["middle-east-north-africa"])
    # A French draft of the English-only entry is no published version.
    return both


def test_available_in_keeps_entries_with_a_published_version_in_the_language(client, versions):
    data = get(client, available_in="fr", lang="fr").json()
    assert [result["title"] for result in data["results"]] == ["Soutien par les pairs"]
    assert data["results"][0]["available_in"] == ["en", "fr"]
    data = get(client, available_in=["fr", "es"]).json()  # OR within the key
    assert sorted(result["title"] for result in data["results"]) == ["Fund", "Peer support"]
    data = get(client, available_in="en", region="africa").json()  # AND across keys
    assert data["count"] == 2


def test_available_in_counts_are_disjunctive(client, versions):
    everything = get(client).json()
    assert everything["facets"]["available_in"] == [
        {"value": "ar", "label": "Arabic", "count": 1},
        {"value": "en", "label": "English", "count": 3},
        {"value": "fr", "label": "French", "count": 1},
        {"value": "es", "label": "Spanish", "count": 1},
    ]
    data = get(client, available_in="fr").json()
    assert data["count"] == 1
    # Its own filter does not change its counts; the other keys' counts apply it.
    assert counts(data, "available_in") == counts(everything, "available_in")
    assert counts(data, "region")["africa"] == 1 and counts(data, "region")["americas"] == 0
    # Another key's filter does change them.
    data = get(client, region="africa", available_in="fr").json()
    assert counts(data, "available_in") == {"ar": 0, "en": 2, "fr": 1, "es": 0}
    labels = {item["value"]: item["label"] for item in get(client, lang="fr").json()["facets"][
        "available_in"
    ]}  # fmt: skip
    assert labels == {"ar": "Arabe", "en": "Anglais", "fr": "Français", "es": "Espagnol"}


def test_unknown_available_in_language_and_sort_give_400(client, versions):
    response = get(client, available_in="de")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert set(response.json()["errors"]) == {"available_in"}
    assert get(client, sort="year").status_code == HTTPStatus.OK


def test_default_order_is_by_first_publication_not_by_start_year(client, make_practice):
    from datetime import UTC, datetime

    from practices.models import PracticePage
    from practices.search.index import update_entries

    earlier = make_practice(title="Published earlier, started later", year=2024)
    later = make_practice(title="Published later, started earlier", year=2012)
    for page, year in ((earlier, 2019), (later, 2023)):
        PracticePage.objects.filter(pk=page.pk).update(
            first_published_at=datetime(year, 1, 1, tzinfo=UTC)
        )
    update_entries([earlier.translation_key, later.translation_key])
    for params in ({}, {"sort": "newest"}):
        data = get(client, **params).json()
        assert [result["title"] for result in data["results"]] == [
            "Published later, started earlier",
            "Published earlier, started later",
        ]
    data = get(client, sort="year").json()
    assert [result["year"] for result in data["results"]] == [2024, 2012]
