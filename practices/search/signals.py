"""Keep every configured search backend in step with the pages, without a rebuild.

Publishing or unpublishing any language version (a translation is a page in another
locale), deleting or moving it, or changing who may view it, reindexes its whole entry in
every configured backend (backends.configured()): in the database's documents at once, and
in Elasticsearch (when ELASTICSEARCH_URL is set) once the transaction commits. Editing a
vocabulary term or a tag's labels reindexes the entries that use it, since its labels are
searchable; so does editing (or merging) an organisation, for the entries whose funding rows
name it.
"""

from functools import partial

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from ..models import (
    VOCABULARIES,
    VOCABULARY_FIELDS,
    Organisation,
    PracticeIndexPage,
    PracticePage,
    TagLabel,
)
from .backends import configured
from .index import updates_deferred
from .versions import bump_version


def index_entries(translation_keys):
    """Reindex these entries in every configured backend."""
    keys = {key for key in translation_keys if key}
    if not keys:
        return
    for backend in configured():
        backend.index_entries(keys)


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
    """Published or unpublished; a moved entry (or a moved ancestor) gets new URLs."""
    index_entries(_entry_keys(instance))


def on_practice_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    """A full save outside the publishing workflow (an import, a script) of a live page.

    Related terms are written after post_save (modelcluster commits them once the row is
    saved), so the entry is reindexed when the transaction commits.
    """
    if raw or update_fields is not None or not instance.live:
        return
    keys = [instance.translation_key]
    for backend in configured():
        if backend.writes_on_commit or updates_deferred():
            backend.index_entries(keys)  # reindexed once, when the transaction or block ends
        else:
            transaction.on_commit(partial(backend.index_entries, keys))


def on_practice_deleted(sender, instance, **kwargs):
    for backend in configured():
        backend.remove(instance.pk, instance.translation_key)


def on_restriction_changed(sender, instance, **kwargs):
    """A page restricted to a password, to logged-in users or to groups, or no longer
    restricted: the entries at or below it enter or leave search."""
    path = Page.objects.filter(pk=instance.page_id).values_list("path", flat=True).first()
    if path is None:  # deleted with its page: the page's own deletion reindexes
        return
    keys = PracticePage.objects.filter(path__startswith=path).values_list(
        "translation_key", flat=True
    )
    index_entries(set(keys))


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
    index_entries(set(keys))


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
    index_entries(set(keys))


def on_organisation_saved(sender, instance, created, raw=False, **kwargs):
    """An organisation's names are searchable and label the `funder` facet."""
    if raw or created:  # a new organisation: no row names it yet
        return
    keys = PracticePage.objects.filter(
        Q(funding__funder=instance) | Q(funding__recipient_organisation=instance)
    ).values_list("translation_key", flat=True)
    bump_version()
    index_entries(set(keys))


def connect():
    page_published.connect(on_page_changed, dispatch_uid="practices_search_published")
    page_unpublished.connect(on_page_changed, dispatch_uid="practices_search_unpublished")
    post_page_move.connect(on_page_changed, dispatch_uid="practices_search_moved")
    for signal in (post_save, post_delete):
        signal.connect(
            on_restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"practices_search_restriction_{signal is post_save}",
        )
    post_delete.connect(
        on_practice_deleted, sender=PracticePage, dispatch_uid="practices_search_deleted"
    )
    post_save.connect(on_practice_saved, sender=PracticePage, dispatch_uid="practices_search_saved")
    post_save.connect(
        on_tag_label_saved, sender=TagLabel, dispatch_uid="practices_search_tag_label"
    )
    post_save.connect(
        on_organisation_saved, sender=Organisation, dispatch_uid="practices_search_organisation"
    )
    for model in VOCABULARIES.values():
        post_save.connect(on_term_saved, sender=model, dispatch_uid=f"practices_search_{model}")
        post_delete.connect(
            on_term_deleted, sender=model, dispatch_uid=f"practices_search_del_{model}"
        )
