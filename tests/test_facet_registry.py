"""The facet registry (practices.facets) is the one source every layer reads."""

from django.conf import settings
from django.utils import translation

from kb.languages import LANGUAGE_CODES
from practices.api.openapi import openapi_document
from practices.facets import CLOSED_FACETS, FACET_KEYS, FACETS, VOCABULARY_FIELDS
from practices.models import VOCABULARIES, PracticePage


def test_each_vocabulary_facet_is_a_page_field_to_its_vocabulary():
    assert set(VOCABULARY_FIELDS) == set(VOCABULARIES)
    for key, field_name in VOCABULARY_FIELDS.items():
        field = PracticePage._meta.get_field(field_name)
        assert field.many_to_many and field.related_model is VOCABULARIES[key], key


def test_keys_are_unique_and_vocabularies_are_closed():
    assert len(set(FACET_KEYS)) == len(FACETS)
    assert set(VOCABULARY_FIELDS) <= set(CLOSED_FACETS)
    assert {"country", "year", "tag"}.isdisjoint(CLOSED_FACETS)


def test_the_openapi_document_describes_every_facet_from_the_registry(db):
    parameters = {
        p["name"]: p for p in openapi_document()["paths"]["/api/v1/practices/"]["get"]["parameters"]
    }
    with translation.override("en"):
        for facet in FACETS:
            description = str(facet.description)
            assert parameters[facet.key]["description"].startswith(description), facet.key


def test_language_codes_come_from_settings():
    assert LANGUAGE_CODES == tuple(code for code, _name in settings.LANGUAGES)
    assert LANGUAGE_CODES == ("ar", "en", "fr", "es")
