"""Classification is language-neutral: every language version of an entry carries the same."""

import pytest

from practices.models import (
    CooperationModel,
    GuidingQuestion,
    PracticePage,
    Region,
    VictimAssistanceComponent,
)
from tests.conftest import shared_site_tree_fixtures

shared_tree, vocabularies, site_tree, _no_transactional_test = shared_site_tree_fixtures("module")


def facet_values(page):
    page = PracticePage.objects.get(pk=page.pk)
    values = page.classification()
    values.pop("language")
    return values


@pytest.mark.django_db
def test_translation_starts_with_the_originals_classification(make_practice, translate):
    original = make_practice(
        language="es",
        cooperation_model=["regional-funds", "south-south-cooperation"],
        region=["americas"],
        countries=["CO", "PE"],
        year=2018,
    )
    for language in ("ar", "en", "fr"):
        version = translate(original, language, title=f"Version {language}")
        assert facet_values(version) == facet_values(original)
        assert version.original_language == "es"


@pytest.mark.django_db
def test_changing_the_original_updates_every_language_version(make_practice, translate):
    original = make_practice(language="en", cooperation_model=["regional-funds"], year=2015)
    versions = [translate(original, language) for language in ("ar", "fr", "es")]

    original = PracticePage.objects.get(pk=original.pk)
    original.cooperation_models = [CooperationModel.objects.get(slug="public-private-partnerships")]
    original.va_components = list(
        VictimAssistanceComponent.objects.filter(slug="physical-rehabilitation")
    )
    original.regions = [Region.objects.get(slug="africa")]
    original.countries = ["SN"]
    original.year = 2020
    original.tags.add("prosthetics")
    original.save_revision().publish()

    expected = facet_values(original)
    assert expected["cooperation_model"] == ["public-private-partnerships"]
    assert expected["tag"] == ["prosthetics"]
    for version in versions:
        assert facet_values(version) == expected


@pytest.mark.django_db
def test_a_translation_cannot_diverge_from_the_original(make_practice, translate):
    original = make_practice(language="fr", cooperation_model=["regional-funds"])
    version = translate(original, "ar")

    version = PracticePage.objects.get(pk=version.pk)
    version.cooperation_models = [CooperationModel.objects.get(slug="sdg-crpd-frameworks")]
    version.countries = ["IQ"]
    version.save_revision().publish()

    assert facet_values(version) == facet_values(original)
    assert facet_values(version)["cooperation_model"] == ["regional-funds"]


@pytest.mark.django_db
def test_answered_questions_are_part_of_the_classification(make_practice):
    page = make_practice(
        guiding_question=["q2"],
        answers=[("answer", {"question": "q5", "answer": "<p>Survivors sit on the board.</p>"})],
    )
    slugs = set(page.guiding_questions.values_list("slug", flat=True))
    assert slugs == {"q2", "q5"}
    assert GuidingQuestion.objects.get(slug="q5").practices.filter(pk=page.pk).exists()


@pytest.mark.django_db
def test_original_is_the_first_version_created(make_practice, translate):
    original = make_practice(language="ar")
    version = translate(original, "en")
    assert PracticePage.objects.get(pk=version.pk).is_original is False
    assert PracticePage.objects.get(pk=original.pk).is_original is True
    assert version.classification()["language"] == ["ar"]
