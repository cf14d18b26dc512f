"""The insights page in Chromium, as readers use it: axe-core (WCAG 2.1 and 2.2 A/AA) with
every data table opened, on a desktop and a phone, in four languages; nothing wider than a
phone; without script; printed, each chart with its table.

With ALIANZAS_SCREENSHOTS=docs/images the test keeps the pictures of docs/insights.md.
"""

import os
from pathlib import Path

import pytest

from tests.browser.checks import WCAG_TAGS, describe_violations, run_axe
from tests.browser.conftest import LANGUAGES

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

SCREENSHOTS = os.environ.get("ALIANZAS_SCREENSHOTS")
WIDTHS = {"desktop": 1366, "phone": 390}


@pytest.mark.parametrize("language", LANGUAGES)
def test_insights_have_no_wcag_violations_on_a_desktop_or_a_phone(
    page, site_url, sample_site, language
):
    report = []
    for device, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(site_url(f"/{language}/insights/"))
        assert page.locator("html").get_attribute("lang") == language
        assert page.locator("svg.chart-svg").count() >= 10
        if SCREENSHOTS and language in ("en", "ar"):
            page.screenshot(path=Path(SCREENSHOTS) / f"insights-{language}-{device}.png")
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        violations = run_axe(page, tags=[*WCAG_TAGS, "wcag22a", "wcag22aa"])
        if violations:
            report.append(f"{device}:\n{describe_violations(violations)}")
        if device == "phone":
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"the page is {overflow} px wider than the phone"
    assert not report, "axe-core WCAG 2.1/2.2 A/AA violations:\n" + "\n".join(report)


def test_insights_need_no_script_and_print_each_chart_with_its_table(
    browser, site_url, sample_site
):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url("/en/insights/"))
        assert page.locator("svg.chart-svg").count() >= 10
        first = page.locator("section.chart").first
        table = first.locator("table")
        assert not table.is_visible()  # one click away on screen
        page.emulate_media(media="print")
        assert table.is_visible()  # printed open, beside its chart
        assert first.evaluate("element => getComputedStyle(element).breakInside") == "avoid"
    finally:
        context.close()
