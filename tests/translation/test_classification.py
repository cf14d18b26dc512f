"""The classification is language-neutral: translating never changes facet values."""

import json
from http import HTTPStatus

import pytest
from django.urls import reverse
from wagtail_localize.fields import get_translatable_fields
from wagtail_localize.models import OverridableSegment, StringSegment, TranslationSource

from practices.models import (
    CLASSIFICATION_PLAIN_FIELDS,
    VOCABULARY_FIELDS,
    CooperationModel,
    GuidingQuestion,
    PracticePage,
    Region,
)

CLASSIFICATION_FIELDS = {*VOCABULARY_FIELDS.values(), *CLASSIFICATION_PLAIN_FIELDS, "tags"}


def classify(**kwargs):
    return {
        "cooperation_model": ["regional-funds", "south-south-cooperation"],
        "guiding_question": ["q1", "q3"],
        "region": ["africa"],
        "sdg": ["sdg-3"],
        **kwargs,
    }


def test_classification_fields_are_synchronised_and_not_overridable(db):
    fields = {field.field_name: field for field in get_translatable_fields(PracticePage)}
    page = PracticePage()
    for name in CLASSIFICATION_FIELDS:
        assert name in fields, name
        assert not fields[name].is_translated(page), name
        assert not fields[name].is_overridable(page), name


@pytest.mark.parametrize("language", ["ar", "fr", "es"])
def test_translating_never_alters_facet_values(
    make_practice, start_translation, fill_translation, publish_translation, language
):
    original = make_practice(
        language="en", year=2016, year_end=2020, countries=["SN", "CO"], **classify()
    )
    original.tags.add("peer support")
    original.save_revision().publish()
    original = PracticePage.objects.get(pk=original.pk)
    expected = original.classification()

    translation = start_translation(original, language)
    source = translation.source
    # Nothing in wagtail-localize's editor data lets a translator touch the classification.
    offered = {
        path.split(".")[0]
        for path in StringSegment.objects.filter(source=source).values_list(
            "context__path", flat=True
        )
    } | {
        path.split(".")[0]
        for path in OverridableSegment.objects.filter(source=source).values_list(
            "context__path", flat=True
        )
    }
    assert offered.isdisjoint(CLASSIFICATION_FIELDS), offered

    fill_translation(translation)
    page = publish_translation(translation)
    assert page.classification() == {**expected, "language": ["en"]}
    assert sorted(page.classification()["country"]) == ["CO", "SN"]
    assert page.classification()["tag"] == ["peer-support"]

    # The original's classification changes; the translation follows on save and sync.
    original = PracticePage.objects.get(pk=original.pk)
    original.cooperation_models = list(CooperationModel.objects.filter(slug="regional-funds"))
    original.guiding_questions = list(GuidingQuestion.objects.filter(slug__in=["q2"]))
    original.regions = list(Region.objects.filter(slug="americas"))
    original.year = 2017
    original.summary = "A new summary."
    original.save_revision().publish()
    original = PracticePage.objects.get(pk=original.pk)
    changed = original.classification()
    assert changed["cooperation_model"] == ["regional-funds"]
    assert PracticePage.objects.get(pk=page.pk).classification() == changed

    source.update_from_db()
    fill_translation(translation)
    page = publish_translation(translation)
    assert page.summary.startswith("A new summary.")
    assert page.classification() == changed
    assert original.classification() == changed


def test_the_translation_editor_offers_no_classification(
    make_practice, start_translation, admin_client
):
    original = make_practice(language="en", **classify())
    translation = start_translation(original, "fr")
    page = translation.get_target_instance()
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == HTTPStatus.OK
    props = response.context["props"]
    data = json.loads(props)
    fields = {segment["location"]["field"] for segment in data["segments"]}
    assert fields, "the editor lists the passages to translate"
    labels = {
        str(PracticePage._meta.get_field(name).verbose_name) for name in CLASSIFICATION_FIELDS
    }
    assert fields.isdisjoint(labels | CLASSIFICATION_FIELDS), fields
    assert TranslationSource.objects.filter(object_id=original.translation_key).count() == 1
