"""Keep the Elasticsearch index up to date on publish, unpublish, delete and move.

Active only when settings.ELASTICSEARCH_URL is set. The update runs once the database
transaction commits; if the cluster cannot be reached, publishing still succeeds: the
failure is logged and the page queued (PendingSearchUpdate) for `manage.py es_sync_pending`
or the next `manage.py es_reindex`. Translations are covered by the same signals: a new
language version is published, and every version of the entry is reindexed (the languages
available to the fallback change for all of them).
"""

import logging

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models.signals import post_delete
from wagtail.signals import page_published, page_unpublished, post_page_move

from .engines.elasticsearch import get_engine
from .es_indexing import IndexWriter

logger = logging.getLogger(__name__)


def enabled():
    return bool(getattr(settings, "ELASTICSEARCH_URL", ""))


def queue(page_id, translation_key=None, error=""):
    """Remember a page whose documents could not be updated."""
    from .models import PendingSearchUpdate

    try:
        pending, created = PendingSearchUpdate.objects.get_or_create(
            page_id=page_id,
            defaults={"translation_key": translation_key, "last_error": str(error)[:2000]},
        )
        if not created:
            pending.attempts += 1
            pending.last_error = str(error)[:2000]
            if translation_key:
                pending.translation_key = translation_key
            pending.save()
    except DatabaseError:
        logger.exception("Could not queue page %s for the search index.", page_id)


def update_page(page_id, translation_key=None):
    """Bring the documents of a page (and of its other language versions) up to date.
    Raises when the cluster fails; returns False when Elasticsearch is not configured."""
    from practices.models import PracticePage

    engine = get_engine()
    if engine is None:
        return False
    page = PracticePage.objects.filter(pk=page_id).first()
    if page is None:
        IndexWriter(engine).delete_page(page_id, translation_key=translation_key)
    else:
        IndexWriter(engine).index_page(page)
    return True


def _update_or_queue(page_id, translation_key):
    try:
        update_page(page_id, translation_key)
    except Exception as error:  # never let the search index block an editor
        logger.warning(
            "Could not update the search index for page %s (%s); queued for es_sync_pending.",
            page_id,
            error,
        )
        queue(page_id, translation_key, error)


def schedule(page_id, translation_key=None):
    if not enabled():
        return
    key = str(translation_key) if translation_key else None
    transaction.on_commit(lambda: _update_or_queue(page_id, key))


def _is_practice(instance):
    from practices.models import PracticePage

    return isinstance(instance, PracticePage)


def on_publish_change(sender, instance, **kwargs):
    if _is_practice(instance):
        schedule(instance.pk, instance.translation_key)


def on_delete(sender, instance, **kwargs):
    schedule(instance.pk, instance.translation_key)


def on_move(sender, instance, **kwargs):
    """A moved entry (or a moved ancestor) gets new URLs."""
    from practices.models import PracticePage

    if not enabled():
        return
    if _is_practice(instance):
        schedule(instance.pk, instance.translation_key)
        return
    for pk, key in PracticePage.objects.descendant_of(instance).values_list(
        "pk", "translation_key"
    ):
        schedule(pk, key)


def connect():
    """Connect the handlers (idempotent). They do nothing unless ELASTICSEARCH_URL is set."""
    from practices.models import PracticePage

    page_published.connect(on_publish_change, dispatch_uid="alianzas_es_published")
    page_unpublished.connect(on_publish_change, dispatch_uid="alianzas_es_unpublished")
    post_delete.connect(on_delete, sender=PracticePage, dispatch_uid="alianzas_es_deleted")
    post_page_move.connect(on_move, dispatch_uid="alianzas_es_moved")


def sync_pending():
    """Apply every queued update; rows stay queued while the cluster keeps failing.
    Returns (done, failed)."""
    from .models import PendingSearchUpdate

    if get_engine() is None:
        raise RuntimeError("ELASTICSEARCH_URL is not set.")
    done = failed = 0
    for pending in list(PendingSearchUpdate.objects.all()):
        try:
            update_page(pending.page_id, pending.translation_key)
        except Exception as error:
            failed += 1
            pending.attempts += 1
            pending.last_error = str(error)[:2000]
            pending.save(update_fields=["attempts", "last_error", "queued_at"])
            logger.warning("Search index update of page %s failed: %s", pending.page_id, error)
        else:
            done += 1
            PendingSearchUpdate.objects.filter(pk=pending.pk, queued_at=pending.queued_at).delete()
    return done, failed
