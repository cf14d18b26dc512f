"""A reader on a phone and on a desktop, in the four languages: results first, filters that
keep the focus, every language offered, who publishes the site, error pages."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.checks import describe_violations, run_axe
from tests.browser.conftest import LANGUAGES
from tests.browser.test_everyday_accessibility import OVERFLOW_SCRIPT
from tests.browser.test_html_validity import check_html
from tests.conftest import translated

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

#: A full first page of results, so that the results would be pushed below the fold.
SAMPLE_EXTRA_ENTRIES = 24
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
SMALLEST = {"width": 320, "height": 640}
SEARCH = "?q=fund"
INFORMATION = ("about", "contact", "privacy", "licence")


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def single_language_entry(sample_site):
    return next(
        entry
        for entry in sample_site.entries
        if entry.translation_key not in {e.translation_key for e in sample_site.full_entry.values()}
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_on_a_phone_the_count_and_results_come_first(phone, site_url, sample_site, language):
    phone.goto(site_url(f"/{language}/practices/{SEARCH}"))
    count = phone.locator(".result-count[role=status]")
    first = phone.locator(".result").first
    expect(count).to_be_in_viewport()
    box = first.bounding_box()
    assert box["y"] < PHONE["height"], f"first result starts at {box['y']}px"
    filters = phone.locator("details.filters")
    assert filters.get_attribute("open") is None
    expect(phone.locator(".facets fieldset").first).to_be_hidden()
    # The disclosure opens with the keyboard and says how many filters are chosen.
    phone.goto(site_url(f"/{language}/practices/{SEARCH}&region=africa&region=americas"))
    summary = phone.locator("details.filters > summary")
    expect(summary).to_contain_text("2")
    summary.focus()
    phone.keyboard.press("Enter")
    expect(phone.locator(".facets fieldset").first).to_be_visible()


@pytest.mark.parametrize("language", LANGUAGES)
def test_desktop_shows_filters_beside_the_results(page, site_url, sample_site, language):
    page.set_viewport_size(DESKTOP)
    page.goto(site_url(f"/{language}/practices/{SEARCH}"))
    facets = page.locator(".facets fieldset").first
    expect(facets).to_be_visible()
    results = page.locator(".result").first.bounding_box()
    filters = facets.bounding_box()
    if language == "ar":
        assert filters["x"] > results["x"]
    else:
        assert filters["x"] < results["x"]


def public_paths(sample_site, language):
    return [
        f"/{language}/",
        f"/{language}/practices/",
        f"/{language}/practices/{SEARCH}&region=africa",
        sample_site.practice_path(language),
        *(f"/{language}/{kind}/" for kind in INFORMATION),
        f"/{language}/practices/no-such-entry/",
    ]


def test_no_horizontal_overflow_at_320_px(browser, site_url, sample_site):
    context = browser.new_context(viewport=SMALLEST)
    page = context.new_page()
    problems = []
    for language in LANGUAGES:
        for path in public_paths(sample_site, language):
            page.goto(site_url(path))
            details = page.locator("details.filters")
            if details.count():  # the filters open, as a reader opens them
                page.locator("details.filters > summary").click()
            result = page.evaluate(OVERFLOW_SCRIPT)
            if result["page"] > result["width"] or result["out"]:
                problems.append(f"{path}: {result}")
    context.close()
    assert not problems, "wider than 320 px:\n" + "\n".join(problems)


@pytest.mark.parametrize(("language", "viewport"), [("en", DESKTOP), ("ar", PHONE)])
def test_ticking_a_filter_keeps_the_focus_and_announces_the_count(
    browser, site_url, sample_site, language, viewport
):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    # What a screen reader hears: every change of the live region, recorded from the start.
    page.add_init_script(
        """window.__announced = [];
        document.addEventListener('DOMContentLoaded', () => {
          const live = document.querySelector('[aria-live]');
          new MutationObserver(() => window.__announced.push(live.textContent.trim()))
            .observe(live, {childList: true, characterData: true, subtree: true});
        });"""
    )
    page.goto(site_url(f"/{language}/practices/"))
    before = page.locator(".result-count").inner_text()
    details = page.locator("details.filters")
    if not details.evaluate("(d) => d.open"):
        page.locator("details.filters > summary").focus()
        page.keyboard.press("Enter")
    box = page.locator("input[name=region][value=africa]")
    box.focus()
    page.keyboard.press("Space")
    page.wait_for_function("() => location.search.includes('region=africa')")
    page.wait_for_function("() => window.__announced.some((text) => text !== '')")
    focused = page.evaluate(
        "() => [document.activeElement.name, document.activeElement.value,"
        " document.activeElement.checked]"
    )
    assert focused == ["region", "africa", True]
    announced = page.evaluate("() => window.__announced.filter((text) => text)")
    after = page.locator(".result-count").inner_text()
    assert announced[-1] == after != before
    # Tab goes on from the box, not from the top of the page.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('.facets') !== null")
    context.close()


def test_filters_work_without_javascript(browser, site_url, sample_site):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(site_url("/fr/practices/"))
    page.locator("details.filters > summary").click()
    page.locator("input[name=region][value=africa]").check()
    apply = page.get_by_role("button", name=translated("fr", "Apply filters"))
    expect(apply).to_be_visible()
    with page.expect_navigation():
        apply.click()
    assert "region=africa" in page.url and page.url.endswith("#results")
    expect(page.locator("details.filters > summary")).to_contain_text("1")
    context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_language_switcher_offers_four_languages_on_a_single_language_entry(
    page, site_url, sample_site, language
):
    entry = single_language_entry(sample_site)
    page.goto(site_url(entry.url.replace(f"/{entry.locale.language_code}/", f"/{language}/")))
    switcher = page.locator("nav.language-switcher li")
    expect(switcher).to_have_count(4)
    # A language the entry is not written in, other than the page's: its fallback.
    other = next(code for code in LANGUAGES if code not in (language, entry.locale.language_code))
    link = page.locator(f"nav.language-switcher a[hreflang={other}]")
    link.click()
    expect(page.locator("html")).to_have_attribute("lang", other)
    expect(page.locator("main h1")).to_have_text(entry.title)
    expect(page.locator(".translation-notice")).to_be_visible()


def test_not_found_under_arabic_is_arabic_and_right_to_left(page, site_url, sample_site):
    response = page.goto(site_url("/ar/practices/no-such-entry/"))
    assert response.status == 404
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "ar")
    expect(html).to_have_attribute("dir", "rtl")
    expect(page.locator("main h1")).to_have_text(translated("ar", "Page not found"))
    expect(page.get_by_role("search")).to_be_visible()
    expect(page.locator("footer a[href='/ar/privacy/']")).to_be_visible()


@pytest.mark.parametrize("language", LANGUAGES)
def test_footer_leads_to_who_publishes_the_site(page, site_url, sample_site, language):
    page.goto(site_url(sample_site.practice_path(language)))
    expect(page.locator(".reuse")).to_contain_text("CC BY 4.0")
    expect(page.locator(".publication-dates time").first).to_be_visible()
    page.locator("footer").get_by_role("link", name=translated(language, "About")).click()
    expect(page).to_have_url(re.compile(f"/{language}/about/$"))
    expect(page.locator("main h1")).to_be_visible()


def new_pages_and_states(sample_site, language):
    return [
        *(f"/{language}/{kind}/" for kind in INFORMATION),
        f"/{language}/practices/no-such-entry/",
        f"/{language}/submit/ALZ-2000-000000/",
        sample_site.practice_path(language),
        f"/{language}/practices/{SEARCH}&region=africa",
    ]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1366"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_new_pages_and_states_have_no_wcag_violations(
    browser, site_url, sample_site, language, viewport
):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    report = []
    for path in new_pages_and_states(sample_site, language):
        page.goto(site_url(path))
        details = page.locator("details.filters")
        if details.count() and not details.evaluate("(d) => d.open"):
            page.locator(
                "details.filters > summary"
            ).click()  # the filters open: a state of its own
        assert page.locator("html").get_attribute("lang") == language
        violations = run_axe(page)
        if violations:
            report.append(f"{path}:\n{describe_violations(violations)}")
    context.close()
    assert not report, "axe-core WCAG 2.1 A/AA violations:\n" + "\n".join(report)


def test_new_pages_are_valid_html(context, site_url, sample_site, vnu_command, tmp_path):
    files = []
    for language in LANGUAGES:
        for number, path in enumerate(new_pages_and_states(sample_site, language)):
            response = context.request.get(site_url(path))
            assert response.status in (200, 404), path
            file = tmp_path / f"{language}-{number}.html"
            file.write_bytes(response.body())
            files.append(file)
        response = context.request.post(site_url(f"/{language}/submit/"), form={"title": "x"})
        assert response.status == 403  # no CSRF token: the CSRF failure page
        file = tmp_path / f"{language}-csrf.html"
        file.write_bytes(response.body())
        files.append(file)
    errors = check_html(vnu_command, files)
    assert not errors, "Nu Html Checker errors:\n" + "\n".join(
        f"{name}:\n  " + "\n  ".join(messages) for name, messages in sorted(errors.items())
    )


def test_on_a_phone_an_arabic_reader_copies_the_reference_and_downloads_it(
    phone, site_url, sample_site
):
    """At 390 px, right to left: the reference is on the page whole, and its RIS link gives
    a file a reference manager reads (rispy), citing the stable link."""
    import rispy

    phone.goto(site_url(sample_site.practice_path("ar")))
    section = phone.locator("section.cite")
    expect(section).to_have_attribute("dir", "rtl")
    heading = phone.get_by_role("heading", name=translated("ar", "Cite this example"))
    expect(heading).to_be_visible()
    reference = section.locator(".citation-reference")
    expect(reference).to_contain_text(sample_site.full_entry["ar"].title)
    box = reference.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    # In Arabic a left-to-right mark keeps ".ris" in its order: the name may carry it.
    link = section.get_by_role("link", name=re.compile("RIS \\(\u200e?\\.ris\\)"))
    with phone.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename.endswith(".ris")
    with open(download.path(), encoding="utf-8") as file:
        (record,) = rispy.loads(file.read())
    assert record["title"] == sample_site.full_entry["ar"].title
    assert record["urls"][0].endswith(f"/e/{sample_site.full_entry['ar'].translation_key}/")
