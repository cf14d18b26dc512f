"""Fixtures for translation through wagtail-localize's own models and views."""

import pytest
from wagtail.models import Locale
from wagtail_localize.models import StringSegment, StringTranslation, Translation
from wagtail_localize.operations import TranslationCreator

from tests.conftest import shared_site_tree_fixtures

DUMMY_TRANSLATOR = {"CLASS": "wagtail_localize.machine_translators.dummy.DummyTranslator"}


def locale(code):
    return Locale.objects.get(language_code=code)


#: The site skeleton, built once for the translation tests.
shared_tree, vocabularies, site_tree, _no_transactional_test = shared_site_tree_fixtures("package")


def marked(text, language):
    """A recognisable 'translation': the source text tagged with the target language."""
    return f"{text} [{language}]"


@pytest.fixture
def start_translation(admin_user):
    """What wagtail-localize's "Translate" action does: a source, a Translation, a draft."""

    def start(page, language, user=None):
        TranslationCreator(user or admin_user, [locale(language)]).create_translations(page)
        return Translation.objects.get(
            source__object_id=page.translation_key, target_locale__language_code=language
        )

    return start


@pytest.fixture
def fill_translation():
    """Translate segments as a translator would in the editor (manual StringTranslations)."""

    def fill(translation, skip=0, translation_type="manual", text=None):
        language = translation.target_locale.language_code
        segments = list(
            StringSegment.objects.filter(source=translation.source)
            .select_related("string", "context")
            .order_by("order")
        )
        for segment in segments[: len(segments) - skip]:
            StringTranslation.objects.update_or_create(
                translation_of=segment.string,
                locale=translation.target_locale,
                context=segment.context,
                defaults={
                    "data": text(segment) if text else marked(segment.string.data, language),
                    "translation_type": translation_type,
                },
            )
        return segments

    return fill


@pytest.fixture
def publish_translation(admin_user, django_capture_on_commit_callbacks):
    """Translation.save_target(publish=True); wagtail-localize publishes on commit."""

    def publish(translation, user=None):
        with django_capture_on_commit_callbacks(execute=True):
            translation.save_target(user=user or admin_user, publish=True)
        return translation.get_target_instance().specific

    return publish


@pytest.fixture
def dummy_translator(settings):
    settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR = DUMMY_TRANSLATOR
    return DUMMY_TRANSLATOR
