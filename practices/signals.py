"""Signal wiring for the practices app (search index maintenance lives in practices.search)."""

from django.core.management import call_command
from django.db.models.signals import post_migrate
from django.dispatch import receiver


@receiver(post_migrate, dispatch_uid="alz-cache-table")
def create_cache_table(sender, app_config=None, using="default", **kwargs):
    """The database cache's table, made by `migrate` (a no-op for Redis or when it exists)."""
    if app_config is None or app_config.label != "practices":
        return
    call_command("createcachetable", database=using, verbosity=0)
