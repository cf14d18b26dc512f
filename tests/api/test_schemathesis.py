"""The API against its own OpenAPI document, on a live test server (schemathesis)."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from tests.search.fixtures import funding_rows


@pytest.fixture
def api_schema(live_server, make_practice, translate):
    page = make_practice(
        language="es",
        title="Fondo regional",
        region=["africa"],
        year=2019,
        funding=funding_rows(),
    )
    translate(page, "fr", title="Fonds régional")
    make_practice(language="ar", title="الصندوق", countries=["JO"])
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json")
    schema.entry_id = str(page.translation_key)  # random ids find no entry: this one does
    return schema


schema = schemathesis.pytest.from_fixture("api_schema")


# The live server needs a transactional database; serialized_rollback restores what the
# migrations created (root page, locales, groups, workflow) for the tests that follow.
@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@schema.parametrize()
# 50 generated requests per operation (about 0.1 s each on the live server): each run draws
# new ones, so the runs of CI add up to far more.
@settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_description(case):
    """No 500, and every response (200 or 400) matches the documented schema."""
    case.call_and_validate()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_entry_conforms_to_its_description(api_schema):
    """A published entry, in each language (translated, original, fallback), matches the
    documented schema: generated ids never name one."""
    operation = api_schema["/api/v1/practices/{id}/"]["GET"]
    for lang in ("ar", "en", "fr", "es"):
        case = operation.Case(path_parameters={"id": api_schema.entry_id}, query={"lang": lang})
        response = case.call_and_validate()
        assert response.json()["id"] == api_schema.entry_id
