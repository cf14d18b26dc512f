"""Signal wiring for the practices app (search index maintenance lives in practices.search)."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from taggit.models import Tag

from .models import TagLabel


@receiver(post_save, sender=Tag, dispatch_uid="practices_tag_labels")
def give_new_tags_their_labels(sender, instance, created, raw=False, **kwargs):
    """Every tag is listed in the admin's tag labels, ready for its translations."""
    if created and not raw:
        TagLabel.objects.get_or_create(tag=instance)
