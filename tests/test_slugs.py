"""The one slug helper: the importer's translations and the public form's new entries."""

from practices.slugs import free_slug, submission_slug
from tests.conftest import practice_index, shared_site_tree_fixtures

shared_tree, vocabularies, site_tree, _no_transactional_test = shared_site_tree_fixtures("module")


def test_a_free_slug_is_kept(make_practice):
    make_practice(slug="workshops")
    assert free_slug(practice_index("en"), "repairs") == "repairs"


def test_a_taken_slug_gets_the_first_free_number_from_two(make_practice):
    make_practice(slug="workshops")
    make_practice(slug="workshops-2")
    make_practice(slug="workshops-in-the-south")
    assert free_slug(practice_index("en"), "workshops") == "workshops-3"


def test_the_page_itself_does_not_take_its_slug(make_practice):
    page = make_practice(slug="workshops")
    assert free_slug(practice_index("en"), "workshops", page) == "workshops"
    assert free_slug(practice_index("en"), "workshops") == "workshops-2"


def test_only_siblings_count(make_practice):
    make_practice(language="fr", slug="workshops")
    assert free_slug(practice_index("en"), "workshops") == "workshops"


def test_a_submission_slug_is_its_title_and_reference(make_practice):
    index = practice_index("en")
    title = "Mobile repair workshops for prosthetic limbs, run with survivors of mines"
    slug = submission_slug(index, title, "AB12CD")
    assert slug == "mobile-repair-workshops-for-prosthetic-limbs-run-with-surviv-ab12cd"
    make_practice(slug=slug)
    assert submission_slug(index, title, "AB12CD") == f"{slug}-2"
    assert submission_slug(index, "؟؟", "AB12CD") == "practice-ab12cd"


def test_a_parent_loaded_before_its_first_child_still_sees_it(make_practice):
    index = practice_index("en")
    assert index.numchild == 0
    make_practice(slug="workshops")
    assert free_slug(index, "workshops") == "workshops-2"
