"""The one way a slug is made free: an entry's among its siblings (the importer's and the
public form's), and an organisation's (practices.models.organisations)."""

from django.utils.text import slugify
from wagtail.models import Page

#: Paths under a practices index that are not entries (the feed of a search: kb/urls.py).
RESERVED_ENTRY_SLUGS = frozenset({"feed"})


def free_slug(parent, wanted, page=None):
    """`wanted`, or `wanted-2`, `wanted-3`… if a child of `parent` other than `page` has it,
    or if it is a path the site answers itself (RESERVED_ENTRY_SLUGS)."""
    # Not parent.get_children(): it answers "none" when `parent` was loaded before its first
    # child was added (the importer keeps its indexes across records).
    siblings = Page.objects.child_of(parent).filter(slug__startswith=wanted)
    if page is not None and page.pk is not None:
        siblings = siblings.exclude(pk=page.pk)
    return first_free(wanted, set(siblings.values_list("slug", flat=True)) | RESERVED_ENTRY_SLUGS)


def first_free(wanted, taken):
    """`wanted`, or `wanted-2`, `wanted-3`…: the first not in `taken`."""
    slug, number = wanted, 2
    while slug in taken:
        slug = f"{wanted}-{number}"
        number += 1
    return slug


def submission_slug(parent, title, reference):
    """A new entry from the form: its title (at most 60 characters) and its reference."""
    base = slugify(title, allow_unicode=True)[:60].strip("-") or "practice"
    return free_slug(parent, f"{base}-{reference.lower()}")
