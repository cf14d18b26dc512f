"""Signal wiring for the practices app (search index maintenance lives in practices.search)."""

from django.core.management import call_command
from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver
from taggit.models import Tag

from kb import pagecache

from .models import VOCABULARIES, CountryProfile, TagLabel


@receiver(post_migrate, dispatch_uid="alz-cache-table")
def create_cache_table(sender, app_config=None, using="default", **kwargs):
    """The database cache's table, made by `migrate` (a no-op for Redis or when it exists)."""
    if app_config is None or app_config.label != "practices":
        return
    call_command("createcachetable", database=using, verbosity=0)


@receiver(post_save, sender=Tag, dispatch_uid="practices_tag_labels")
def give_new_tags_their_labels(sender, instance, created, raw=False, **kwargs):
    """Every tag is listed in the admin's tag labels, ready for its translations."""
    if created and not raw:
        TagLabel.objects.get_or_create(tag=instance)


# -- page cache (kb.pagecache): what readers see changed, so every cached page is forgotten --
def _forget_cached_pages(sender=None, **kwargs):
    if kwargs.get("raw"):
        return
    pagecache.bump_version()


def connect_page_cache():
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Locale, Page, Site
    from wagtail.signals import page_published, page_unpublished, post_page_move

    page_published.connect(_forget_cached_pages, dispatch_uid="alz_pagecache_published")
    page_unpublished.connect(_forget_cached_pages, dispatch_uid="alz_pagecache_unpublished")
    post_page_move.connect(_forget_cached_pages, dispatch_uid="alz_pagecache_moved")
    post_migrate.connect(_forget_cached_pages, dispatch_uid="alz_pagecache_migrate")
    # Deleting a page (any specific type) deletes its Page row.
    post_delete.connect(_forget_cached_pages, sender=Page, dispatch_uid="alz_pagecache_page_del")
    watched = [
        *VOCABULARIES.values(),
        TagLabel,
        Tag,
        CountryProfile,  # the links of the country pages
        Site,
        Locale,
        get_image_model(),
        get_document_model(),
    ]
    for model in watched:
        uid = f"alz_pagecache_{model._meta.label_lower}"
        post_save.connect(_forget_cached_pages, sender=model, dispatch_uid=uid + "_save")
        post_delete.connect(_forget_cached_pages, sender=model, dispatch_uid=uid + "_delete")
