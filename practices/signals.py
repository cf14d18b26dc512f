"""Signal wiring for the practices app (search index maintenance lives in practices.search)."""

from django.core.management import call_command
from django.db.models.signals import post_migrate, post_save
from django.dispatch import receiver
from taggit.models import Tag

from .models import TagLabel


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
