"""axe-core finds no WCAG 2.1 A/AA violation on the public pages, in every language."""

import pytest
from playwright.sync_api import expect

from tests.browser.checks import describe_violations, run_axe
from tests.browser.conftest import LANGUAGES
from tests.browser.contributions import fill_example, send_example

# django_db: the test database is set up and each test runs in a rolled-back transaction;
# the sample site itself is committed once per module by the `sample_site` fixture.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_wcag_violations(page, site_url, sample_site, language):
    paths = {
        "home": f"/{language}/",
        "listing": f"/{language}/practices/",
        "practice": sample_site.practice_path(language),
        "countries": f"/{language}/countries/",
        "country": f"/{language}/countries/SN/",
    }
    report = []
    for name, path in paths.items():
        page.goto(site_url(path))
        assert page.locator("html").get_attribute("lang") == language
        violations = run_axe(page)
        if violations:
            report.append(f"{name} {path}:\n{describe_violations(violations)}")
    assert not report, "axe-core WCAG 2.1 A/AA violations:\n" + "\n".join(report)


#: The search page with a text, a cooperation model and a region chosen (results found).
SEARCH_WITH_FILTERS = "?q=fund&cooperation_model=regional-funds&region=africa"
#: A choice that matches nothing: the empty state with its suggestions.
SEARCH_WITHOUT_RESULTS = "?q=fund&cooperation_model=regional-funds&region=europe-central-asia"
#: The filters of results and participation (folded unless one is chosen) and a start year.
SEARCH_BY_RESULTS = "?participation=survivor-led&provenance=illustrative&active_year=2013"


def scan(page, report, name, expected_language):
    assert page.locator("html").get_attribute("lang") == expected_language, name
    violations = run_axe(page)
    if violations:
        report.append(f"{name} {page.url}:\n{describe_violations(violations)}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_search_and_contribution_pages_have_no_wcag_violations(
    page, context, site_url, sample_site, quick_contributions, language
):
    report = []
    page.goto(site_url(f"/{language}/practices/{SEARCH_WITH_FILTERS}"))
    assert page.locator(".result").count() >= 1
    assert page.locator(".facets input:checked").count() == 2
    # The downloads of the search: three links, each named by its format.
    downloads = page.locator(".downloads__links a")
    expect(downloads).to_have_count(3)
    assert all("lang=" + language in href for href in downloads.evaluate_all(
        "links => links.map(link => link.getAttribute('href'))"))  # fmt: skip
    scan(page, report, "search with filters", language)
    # On a phone (390 px) the links wrap within the page, in either direction.
    page.set_viewport_size({"width": 390, "height": 844})
    for box in (downloads.nth(i).bounding_box() for i in range(3)):
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 800})

    page.goto(site_url(f"/{language}/practices/{SEARCH_WITHOUT_RESULTS}"))
    assert page.locator(".result").count() == 0
    assert page.locator(".empty-state").is_visible()
    scan(page, report, "search without results", language)

    # The folded filters of results and participation, opened by a choice in them, and
    # results with every provenance, status and participation badge.
    page.goto(site_url(f"/{language}/practices/{SEARCH_BY_RESULTS}"))
    assert page.locator(".result .badge--illustrative").count() >= 1
    expect(page.locator("#facet-participation-survivor-led")).to_be_visible()
    scan(page, report, "search by results and participation", language)

    page.goto(site_url(f"/{language}/submit/"))
    scan(page, report, "submission form", language)

    # The click posts the form: wait for the answer before reading it.
    with page.expect_navigation():
        page.locator("#step-form .actions button[value=next]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert page.locator(".error-summary li").count() >= 2
    scan(page, report, "submission form with errors", language)

    reference = fill_example(context, site_url, language)
    page.goto(site_url(f"/{language}/submit/{reference}/step/2/"))
    expect(page.locator("#id_participation")).to_be_visible()
    scan(page, report, "guiding questions step", language)

    page.goto(site_url(f"/{language}/submit/{reference}/step/4/"))
    expect(page.locator("#id_funding-0-source")).to_be_visible()
    expect(page.locator("#id_beneficiaries_total")).to_be_visible()
    scan(page, report, "results and funding step", language)

    page.goto(site_url(f"/{language}/submit/{reference}/check/"))
    expect(page.locator("#part-5")).to_be_visible()
    scan(page, report, "check your answers", language)

    confirmation = send_example(context, site_url, language, reference)
    page.goto(confirmation)
    assert reference in page.locator("main").inner_text()
    scan(page, report, "submission confirmation", language)
    assert not report, "axe-core WCAG 2.1 A/AA violations:\n" + "\n".join(report)


def test_axe_reports_a_violation(page, site_url, sample_site):
    """The scan itself works: an image without a text alternative is reported."""
    page.goto(site_url("/en/"))
    page.evaluate(
        "() => document.querySelector('main').insertAdjacentHTML('beforeend',"
        " '<img src=\"/static/img/favicon.svg\">')"
    )
    assert "image-alt" in {violation["id"] for violation in run_axe(page)}
