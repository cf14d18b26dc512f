"""A search that finds nothing, as a reader meets it: a misspelled word typed in English and
the corrected search followed from "Did you mean"; in Arabic on a phone, a word that only
other languages' entries hold, and their search page reached from the link that names the
language. The links are reached with the keyboard; axe-core (WCAG 2.2 A/AA) and the Nu Html
Checker find nothing on the pages with the suggestions."""

import re

import pytest
from playwright.sync_api import expect

from practices.search import suggestions
from tests.browser.checks import WCAG_TAGS, check_html, describe_violations, run_axe
from tests.browser.sample_content import FULL_ENTRY_TEXT
from tests.browser.visitor import KeyboardUser, Searcher

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

WCAG_22_TAGS = [*WCAG_TAGS, "wcag22a", "wcag22aa"]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
SUGGESTIONS = "section.search-suggestions"
#: The full entry in four languages and two more, in Arabic and in English: a French word
#: is then only in the full entry's French version, which Arabic readers see in Arabic.
SAMPLE_EXTRA_ENTRIES = 2


@pytest.fixture(autouse=True)
def fresh_word_lists():
    """The word lists are cached per index version: another module's may have been kept."""
    suggestions.forget()
    yield
    suggestions.forget()


def assert_no_axe_violations(page, name):
    violations = run_axe(page, tags=WCAG_22_TAGS)
    assert not violations, f"{name} {page.url}:\n{describe_violations(violations)}"


def keep_for_nu(page, tmp_path, name):
    file = tmp_path / f"{name}.html"
    file.write_text(page.content(), encoding="utf-8")
    return file


def assert_readable_links(section):
    """Every suggestion is a visible link with a text and a target."""
    links = section.get_by_role("link")
    assert links.count() >= 1
    for link in links.all():
        expect(link).to_be_visible()
        assert link.inner_text().strip(), link.evaluate("e => e.outerHTML")
        assert link.get_attribute("href")
        box = link.bounding_box()
        assert box["width"] >= 1 and box["height"] >= 1, box


def reach_with_tab(page, link):
    """From the results (where the search's address leads), Tab reaches `link`."""
    link.evaluate("e => e.setAttribute('data-target', '')")
    KeyboardUser(page, limit=60).tab_to("[data-target]")
    link.evaluate("e => e.removeAttribute('data-target')")
    outline = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth), s.boxShadow]; }"
    )
    assert (outline[0] not in ("none", "hidden") and outline[1] >= 2) or outline[2] not in (
        "",
        "none",
    ), f"the focused suggestion shows no focus indicator: {outline}"


def test_a_misspelled_word_in_english_leads_to_the_corrected_search(
    page, site_url, sample_site, tmp_path, vnu_command
):
    title = FULL_ENTRY_TEXT["en"][0]  # "A regional fund for rehabilitation services"
    reader = Searcher(page, site_url).open("/en/practices/")
    reader.search_for("rehabilitaion")

    results = page.locator("#results")
    expect(page.locator(".result-count")).to_have_text("0 practices found")
    expect(results.locator(".empty-state h3")).to_have_text(
        "No practice matches all of these choices."
    )
    section = page.locator(SUGGESTIONS)
    expect(section).to_be_visible()
    expect(section.get_by_role("heading", level=4)).to_have_text(
        "Other searches that find practices"
    )
    expect(section).to_have_accessible_name("Other searches that find practices")
    spellings = section.get_by_role("list", name="Did you mean:")
    did_you_mean = spellings.get_by_role("link", name="rehabilitation", exact=True)
    expect(did_you_mean).to_be_visible()
    expect(did_you_mean.locator("strong")).to_have_text("rehabilitation")
    assert_readable_links(section)
    reach_with_tab(page, did_you_mean)

    assert_no_axe_violations(page, "en no results")
    files = [keep_for_nu(page, tmp_path, "en-no-results")]

    did_you_mean.click()
    expect(page).to_have_url(re.compile(r"[?&]q=rehabilitation(&|$)"))
    expect(
        reader.page.get_by_role("searchbox", name=re.compile("Search the practices"))
    ).to_have_value("rehabilitation")
    expect(page.locator(".result h3").first).to_be_visible()
    assert title in reader.result_titles()
    assert reader.count() >= 1
    expect(page.locator(SUGGESTIONS)).to_have_count(0)

    errors = check_html(vnu_command, files)
    assert not errors, errors


def test_a_word_found_in_another_language_in_arabic_on_a_phone(
    browser, site_url, sample_site, tmp_path, vnu_command
):
    context = browser.new_context(**PHONE)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        reader = Searcher(page, site_url).open("/ar/practices/")
        reader.expect_direction("rtl")
        page.get_by_role("searchbox").fill("réadaptation")
        page.get_by_role("button", name="بحث", exact=True).click()
        expect(page).to_have_url(re.compile(r"/ar/practices/\?q=r%C3%A9adaptation"))
        expect(page.locator(".empty-state")).to_be_visible()

        section = page.locator(SUGGESTIONS)
        expect(section).to_be_visible()
        # The section is laid out right to left, as the page: its text starts on the right.
        assert section.evaluate("e => getComputedStyle(e).direction") == "rtl"
        assert_readable_links(section)
        # Only the French version of the full entry has the word.
        languages = section.get_by_role("link", name=re.compile("français", re.IGNORECASE))
        expect(languages).to_have_count(1)
        to_french = section.locator("a[hreflang=fr]")
        expect(to_french).to_have_count(1)
        name = to_french.locator("span[lang=fr]")
        expect(name).to_have_text(re.compile("^français$", re.IGNORECASE))
        expect(name).to_have_attribute("dir", "ltr")
        # The count and the language are said in Arabic around the French name.
        expect(to_french).to_contain_text("الفرنسية")
        reach_with_tab(page, to_french)

        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
        assert_no_axe_violations(page, "ar no results")
        files = [keep_for_nu(page, tmp_path, "ar-no-results")]

        to_french.click()
        expect(page).to_have_url(re.compile(r"/fr/practices/\?q=r%C3%A9adaptation"))
        expect(page.locator("html")).to_have_attribute("lang", "fr")
        expect(page.locator("html")).to_have_attribute("dir", "ltr")
        expect(page.locator(".result h3")).to_have_text([FULL_ENTRY_TEXT["fr"][0]])
    finally:
        context.close()
    errors = check_html(vnu_command, files)
    assert not errors, errors
