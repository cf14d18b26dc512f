"""The site skeleton rebuilt on an emptied database keeps the shape Wagtail's admin expects."""

import pytest
from django.core.management.color import no_style
from django.db import connection
from wagtail.models import Page, Site
from wagtail.permissions import policy_registry

from home.site_structure import ensure_site_structure
from practices.models import PracticeIndexPage
from practices.models.workflow import REVIEWERS
from practices.roles import ensure_group_permissions


@pytest.mark.django_db
@pytest.mark.parametrize("sequence", ["kept", "reset"])
def test_a_rebuilt_tree_has_its_root_at_page_1_where_the_page_explorer_starts(sequence):
    """The sidebar's explorer never asks the admin API for page 1 (the API does not serve the
    root): a root with another id leaves a reviewer's explorer empty.

    "kept": emptied as a transactional test does, the page id sequence goes on past the old
    pages; "reset": as after `manage.py flush`, the sequence starts again at 1.
    """
    from django.contrib.auth.models import Group, User

    Site.objects.all().delete()
    Page.objects.all().delete()
    if sequence == "reset":
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_by_name_sql(
                no_style(), [{"table": Page._meta.db_table, "column": "id"}]
            ):
                cursor.execute(statement)

    home = ensure_site_structure(information_pages=False)
    ensure_group_permissions()

    assert Page.get_first_root_node().pk == 1
    assert home.pk > 1
    # A page added after the root gets a fresh id from the sequence, not 1 again.
    index = PracticeIndexPage.objects.child_of(home).get()
    assert index.pk not in (1, home.pk)
    reviewer = User.objects.create_user("reviewer-explorer", password="x")
    reviewer.groups.add(Group.objects.get(name=REVIEWERS))
    # Reviewers hold a permission on an index in each language: their explorer starts at
    # the root, which the explorer script recognises by its id.
    pages = policy_registry.get_by_type(Page)
    assert pages.explorable_root_instance(reviewer).pk == 1
