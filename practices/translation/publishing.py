"""No mixed-language pages: a synced translation is published only when every segment is done,
and only in a version that holds the text its translation gives (see check_publishable).

Every publication of a page revision runs Wagtail's ``PublishPageRevisionAction``: the page
editor, wagtail-localize's editor (``Translation.save_target``), the sync view, bulk actions,
workflow approval, ``publish_scheduled``, Wagtail's admin API and ``Page.publish`` itself.
``practices.translation.publication_guard`` (installed at start-up) makes that action call
:func:`prepare_for_publishing` for entries, whichever of these paths is used. The admin hooks
in ``practices.translation.admin`` run the same check earlier, to answer with a message.
"""

import json
import re

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Exists, OuterRef
from django.utils.text import slugify
from django.utils.translation import gettext, ngettext
from wagtail_localize.fields import copy_synchronised_fields
from wagtail_localize.models import StringSegment, StringTranslation, Translation
from wagtail_localize.segments.extract import extract_segments
from wagtail_localize.segments.ingest import ingest_segments


class UnpublishableTranslationError(ValidationError):
    """Publishing this revision of a translation would put a mixed-language page online."""


class IncompleteTranslationError(UnpublishableTranslationError):
    """A translation with untranslated segments was about to be published."""

    def __init__(self, missing, total):
        self.missing, self.total = missing, total
        super().__init__({NON_FIELD_ERRORS: [incomplete_message(missing, total)]})


def incomplete_message(missing, total):
    return ngettext(
        "This translation cannot be published yet: %(missing)d of its %(total)d passages "
        "is not translated. Translate every passage first, so that the page does not mix "
        "languages.",
        "This translation cannot be published yet: %(missing)d of its %(total)d passages "
        "are not translated. Translate every passage first, so that the page does not mix "
        "languages.",
        missing,
    ) % {"missing": missing, "total": total}


class StaleTranslationDraftError(UnpublishableTranslationError):
    """The revision about to be published does not hold its translation's current text.

    wagtail-localize writes the translated passages into the page only when its editor
    publishes the translation (or a sync publishes it): until then the page's draft may
    still be the copied original, or an older state of the translation.
    """

    def __init__(self):
        super().__init__({NON_FIELD_ERRORS: [stale_message()]})


def stale_message():
    return gettext(
        "This translation's draft does not hold the translated text yet. Open it in the "
        "translation editor and publish it from there."
    )


def _translation(page, enabled):
    if page.translation_key is None:
        return None
    return (
        Translation.objects.filter(
            source__object_id=page.translation_key,
            target_locale_id=page.locale_id,
            enabled=enabled,
        )
        .exclude(source__locale_id=page.locale_id)
        .select_related("source", "target_locale")
        .order_by("-source__last_updated_at")
        .first()
    )


def synced_translation(page):
    """The enabled wagtail-localize Translation that produces this page, if any."""
    return _translation(page, enabled=True)


def stopped_translation(page):
    """The Translation whose syncing was stopped (the page became an ordinary page), if any."""
    return _translation(page, enabled=False)


def check_complete(page):
    """Raise IncompleteTranslationError when the page's synced translation has gaps."""
    translation = synced_translation(page)
    if translation is not None:
        total, translated = translation.get_progress()
        if translated < total:
            raise IncompleteTranslationError(total - translated, total)
    return translation


def _translatable_content(instance):
    """The translatable passages of a page, as wagtail-localize extracts them."""

    def key(segment):
        values = {name: value for name, value in vars(segment).items() if name != "order"}
        if "string" in values:
            values["string"] = values["string"].data
        return (type(segment).__name__, json.dumps(values, sort_keys=True, default=str))

    return sorted(key(segment) for segment in extract_segments(instance))


def translated_content(page, translation):
    """The translatable passages the Translation would write into ``page`` now.

    What ``Translation.save_target`` does, without saving: the source's content with the
    current translations of its segments, ingested into a copy of ``page`` (the version
    about to be published, left untouched), with the slug as save_target makes it.
    """
    source = translation.source
    original = source.as_instance()
    rebuilt = page.with_content_json(page.serializable_data())
    copy_synchronised_fields(original, rebuilt)
    segments = source._get_segments_for_translation(translation.target_locale, fallback=True)
    ingest_segments(original, rebuilt, source.locale, translation.target_locale, segments)
    # save_target slugifies the translated slug and, when a sibling has it, adds "-1", "-2"…
    # The suffix depends on the siblings of that time, so any suffix is accepted.
    slug = slugify(rebuilt.slug)
    rebuilt.slug = page.slug if re.fullmatch(rf"{re.escape(slug)}(-\d+)?", page.slug) else slug
    return _translatable_content(rebuilt)


def check_current(page, translation):
    """Raise StaleTranslationDraftError when ``page`` lacks its translation's current text."""
    if _translatable_content(page) != translated_content(page, translation):
        raise StaleTranslationDraftError()


def has_machine_translation(translation):
    """Whether any current segment of the translation was filled by a machine translator."""
    machine = StringTranslation.objects.filter(
        translation_of_id=OuterRef("string_id"),
        context_id=OuterRef("context_id"),
        locale_id=translation.target_locale_id,
        translation_type=StringTranslation.TRANSLATION_TYPE_MACHINE,
    )
    return (
        StringSegment.objects.filter(source_id=translation.source_id)
        .filter(Exists(machine))
        .exists()
    )


def translation_status_for(page):
    """original / machine / reviewed, for the version about to be published."""
    statuses = type(page).TranslationStatus
    if page.get_original().pk == page.pk:
        return statuses.ORIGINAL
    translation = check_publishable(page)
    if translation is None:
        # wagtail-localize's "Stop synced translation" turned the page into an ordinary page:
        # its text still comes from that translation, machine passages included, until
        # someone rewrites them, which nothing records. Keep the readers' notice rather
        # than claim a review that may not have happened.
        translation = stopped_translation(page)
    if translation is not None and has_machine_translation(translation):
        return statuses.MACHINE
    # Every segment is a translator's (or the text was written in Wagtail's own editor).
    return statuses.REVIEWED


def check_publishable(page):
    """Raise when publishing ``page`` (a revision's content) would mix languages.

    A synced translation must be complete, and the version published must hold the text its
    translation gives now. Returns the synced Translation, or None.
    """
    translation = check_complete(page)
    if translation is not None:
        check_current(page, translation)
    return translation


def prepare_for_publishing(page, revision):
    """Refuse gaps and stale drafts; store the status in the revision and on the page."""
    status = translation_status_for(page)
    page.translation_status = str(status)
    if revision.content.get("translation_status") != status:
        revision.content["translation_status"] = str(status)
        revision.save(update_fields=["content"])
    return status


WITHHELD_ACTION = "practices.publish.withheld"


def withheld_reason_data(error):
    """What the history entry of a withheld publication stores of the reason."""
    if isinstance(error, StaleTranslationDraftError):
        return {"reason": "stale"}
    return {"missing": error.missing, "total": error.total}


def withheld_reason_message(data):
    """The reason stored by withheld_reason_data, in the current language."""
    if data.get("reason") == "stale":
        return stale_message()
    return incomplete_message(data.get("missing", 0), data.get("total", 0))
