"""generate_practices: synthetic entries written in bulk must be real, searchable entries."""

from collections import defaultdict

from django.core.management import call_command
from wagtail.models import Page

from practices.management.commands.generate_practices import COMMON_WORD
from practices.models import PracticePage
from practices.search.analysis import LANGUAGES
from practices.search.models import SearchDocument

ENTRIES = 40


def versions_by_entry():
    """translation_key -> {language: page} of the synthetic entries (original first)."""
    entries = defaultdict(dict)
    pages = PracticePage.objects.filter(slug__startswith="synthetic-")
    for page in pages.select_related("locale").order_by("pk"):
        entries[page.translation_key][page.locale.language_code] = page
    return entries


def test_entries_are_consistent_pages_with_their_documents(site_tree, make_practice):
    make_practice(title="An entry made in the usual way")
    # Twice: the second run places its pages after the existing children of each index.
    call_command("generate_practices", ENTRIES // 2, seed=5, translated=0.5, verbosity=0)
    call_command("generate_practices", ENTRIES // 2, seed=6, translated=0.5, verbosity=0)
    entries = versions_by_entry()
    assert len(entries) == ENTRIES
    assert any(len(versions) > 1 for versions in entries.values())
    assert Page.find_problems() == ([], [], [], [], [])  # a sound page tree

    pages = PracticePage.objects.filter(slug__startswith="synthetic-")
    for page in pages.specific():
        assert page.live and page.url.endswith(f"/{page.slug}/")
        assert page.answers[0].block_type == "answer"  # stream data readable as blocks
        assert page.body[0].block_type == "paragraph"
        assert page.cooperation_models.exists() and page.guiding_questions.exists()
        original = next(iter(entries[page.translation_key].values()))
        assert set(page.regions.values_list("slug", flat=True)) == set(
            original.regions.values_list("slug", flat=True)
        )
    documents = SearchDocument.objects.filter(page_id__in=pages.values("pk"))
    assert documents.count() == pages.count()
    # The documents built from the generated data say what the written rows say.
    funded = 0
    for document in documents:
        page = PracticePage.objects.get(pk=document.page_id)
        expected = page.funding_classification()
        assert {key: document.facets[key] for key in expected} == expected
        total = page.funding_total_usd()
        assert document.funding_total_usd == (float(total) if total is not None else None)
        funded += bool(expected["funder"])
    assert 0 < funded < documents.count()


def test_documents_are_found_by_text_and_facets(site_tree, search):
    call_command("generate_practices", ENTRIES, seed=7, translated=0.5, verbosity=0)
    entries = versions_by_entry()
    for lang in LANGUAGES:
        # Each entry once: its version in `lang`, else its original (the first version).
        shown = [
            versions.get(lang) or next(iter(versions.values())) for versions in entries.values()
        ]
        # Every summary holds its language's common word ("assistance" in English and French).
        word = COMMON_WORD[lang]
        expected = sum(1 for page in shown if word in page.summary.split())
        assert expected >= sum(1 for page in shown if page.locale.language_code == lang) > 0
        assert search(q=word, lang=lang).count == expected

        model = shown[0].cooperation_models.first().slug
        expected = sum(1 for page in shown if page.cooperation_models.filter(slug=model).exists())
        results = search(lang=lang, cooperation_model=model)
        assert results.count == expected
        assert {r.id for r in results.results} <= {str(key) for key in entries}
