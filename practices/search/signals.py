"""Keep every configured search backend in step with the pages, without a rebuild.

Publishing or unpublishing any language version (a translation is a page in another
locale), deleting or moving it, reindexes its whole entry: in the database's documents at
once, and in Elasticsearch (when ELASTICSEARCH_URL is set) once the transaction commits
(practices.search.es_indexing.schedule). Editing a vocabulary term reindexes the entries
that use it, since its labels are searchable.
"""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished, post_page_move

from ..models import VOCABULARIES, VOCABULARY_FIELDS, PracticeIndexPage, PracticePage, TagLabel
from . import es_indexing
from .index import update_entries, updates_deferred
from .versions import bump_version


def _entry_keys(page):
    """The entries a page change affects: its own, or those below an index page."""
    specific = getattr(page, "specific_deferred", page)
    if isinstance(specific, PracticePage):
        return [specific.translation_key]
    if isinstance(specific, PracticeIndexPage) or page.numchild:
        return list(
            PracticePage.objects.descendant_of(page).values_list("translation_key", flat=True)
        )
    return []


def on_page_changed(sender, instance, **kwargs):
    """Published or unpublished."""
    keys = _entry_keys(instance)
    if keys:
        update_entries(keys)
    if isinstance(instance, PracticePage):
        es_indexing.schedule(instance.pk, instance.translation_key)


def on_page_moved(sender, instance, **kwargs):
    """A moved entry (or a moved ancestor) gets new URLs."""
    on_page_changed(sender, instance)
    if es_indexing.enabled() and not isinstance(instance, PracticePage):
        for pk, key in PracticePage.objects.descendant_of(instance).values_list(
            "pk", "translation_key"
        ):
            es_indexing.schedule(pk, key)


def on_practice_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    """A full save outside the publishing workflow (an import, a script) of a live page.

    Related terms are written after post_save (modelcluster commits them once the row is
    saved), so the entry is reindexed when the transaction commits.
    """
    if raw or update_fields is not None or not instance.live:
        return
    key = instance.translation_key
    if updates_deferred():  # reindexed once, when the deferring block ends
        update_entries([key])
    else:
        transaction.on_commit(partial(update_entries, [key]))


def on_practice_deleted(sender, instance, **kwargs):
    update_entries([instance.translation_key])
    es_indexing.schedule(instance.pk, instance.translation_key)


def on_term_saved(sender, instance, created, **kwargs):
    """New terms appear as zero counts; edited labels are searchable in the documents."""
    if created:
        bump_version()
        return
    field = VOCABULARY_FIELDS[sender.facet_key]
    keys = PracticePage.objects.filter(**{field: instance}).values_list(
        "translation_key", flat=True
    )
    bump_version()  # the facet labels change even where no entry uses the term
    update_entries(set(keys))


def on_term_deleted(sender, instance, **kwargs):
    bump_version()


def on_tag_label_saved(sender, instance, created, **kwargs):
    """A tag's translated labels are facet labels and searchable text, like a term's."""
    if created:  # a new tag: its labels are its name until an editor translates them
        return
    keys = PracticePage.objects.filter(tagged_items__tag_id=instance.tag_id).values_list(
        "translation_key", flat=True
    )
    bump_version()
    update_entries(set(keys))


def connect():
    page_published.connect(on_page_changed, dispatch_uid="practices_search_published")
    page_unpublished.connect(on_page_changed, dispatch_uid="practices_search_unpublished")
    post_page_move.connect(on_page_moved, dispatch_uid="practices_search_moved")
    post_delete.connect(
        on_practice_deleted, sender=PracticePage, dispatch_uid="practices_search_deleted"
    )
    post_save.connect(on_practice_saved, sender=PracticePage, dispatch_uid="practices_search_saved")
    post_save.connect(
        on_tag_label_saved, sender=TagLabel, dispatch_uid="practices_search_tag_label"
    )
    for model in VOCABULARIES.values():
        post_save.connect(on_term_saved, sender=model, dispatch_uid=f"practices_search_{model}")
        post_delete.connect(
            on_term_deleted, sender=model, dispatch_uid=f"practices_search_del_{model}"
        )
