"""No mixed-language pages: a synced translation is published only when every segment is done.

Every publication of a page goes through ``PracticePage.publish`` (wagtail-localize's editor
via ``Translation.save_target``, the sync view, bulk actions, workflows, scheduled
publishing), which calls :func:`prepare_for_publishing`. The admin hooks in
``practices.translation.admin`` run the same check earlier, to answer with a message.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Exists, OuterRef
from django.utils.translation import ngettext
from wagtail_localize.models import StringSegment, StringTranslation, Translation


class IncompleteTranslationError(ValidationError):
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


def synced_translation(page):
    """The enabled wagtail-localize Translation that produces this page, if any."""
    if page.translation_key is None:
        return None
    return (
        Translation.objects.filter(
            source__object_id=page.translation_key,
            target_locale_id=page.locale_id,
            enabled=True,
        )
        .exclude(source__locale_id=page.locale_id)
        .select_related("source", "target_locale")
        .order_by("-source__last_updated_at")
        .first()
    )


def check_complete(page):
    """Raise IncompleteTranslationError when the page's synced translation has gaps."""
    translation = synced_translation(page)
    if translation is not None:
        total, translated = translation.get_progress()
        if translated < total:
            raise IncompleteTranslationError(total - translated, total)
    return translation


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
    translation = check_complete(page)
    if translation is not None and has_machine_translation(translation):
        return statuses.MACHINE
    # Every segment is a translator's (or the text was written in Wagtail's own editor).
    return statuses.REVIEWED


def prepare_for_publishing(page, revision):
    """Called by PracticePage.publish: refuse gaps, store the status in the revision."""
    status = translation_status_for(page)
    if revision.content.get("translation_status") != status:
        revision.content["translation_status"] = str(status)
        revision.save(update_fields=["content"])
