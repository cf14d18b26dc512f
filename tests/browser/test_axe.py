"""axe-core finds no WCAG 2.1 A/AA violation on the public pages, in every language."""

import pytest

from tests.browser.checks import describe_violations, run_axe
from tests.browser.conftest import LANGUAGES

# django_db: the test database is set up and each test runs in a rolled-back transaction;
# the sample site itself is committed once per module by the `sample_site` fixture.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_wcag_violations(page, site_url, sample_site, language):
    paths = {
        "home": f"/{language}/",
        "listing": f"/{language}/practices/",
        "practice": sample_site.practice_path(language),
    }
    report = []
    for name, path in paths.items():
        page.goto(site_url(path))
        assert page.locator("html").get_attribute("lang") == language
        violations = run_axe(page)
        if violations:
            report.append(f"{name} {path}:\n{describe_violations(violations)}")
    assert not report, "axe-core WCAG 2.1 A/AA violations:\n" + "\n".join(report)


def test_axe_reports_a_violation(page, site_url, sample_site):
    """The scan itself works: an image without a text alternative is reported."""
    page.goto(site_url("/en/"))
    page.evaluate(
        "() => document.querySelector('main').insertAdjacentHTML('beforeend',"
        " '<img src=\"data:,\">')"
    )
    assert "image-alt" in {violation["id"] for violation in run_axe(page)}
