"""Every public page type passes the Nu Html Checker (vnu.jar) in the four languages."""

import pytest

from tests.browser.checks import check_html
from tests.browser.conftest import LANGUAGES
from tests.browser.contributions import fill_example, hidden_fields, send_example

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

#: Enough entries for a second page of results.
SAMPLE_EXTRA_ENTRIES = 24


def public_pages(sample_site):
    """(name, path) of each public page type in each language."""
    minimal = next(entry for entry in sample_site.entries if not entry.answers)
    pages = [("minimal-practice", minimal.url)]
    for language in LANGUAGES:
        pages += [
            (f"{language}-home", f"/{language}/"),
            (f"{language}-listing", f"/{language}/practices/"),
            (f"{language}-listing-page-2", f"/{language}/practices/?page=2"),
            (
                f"{language}-listing-filtered",
                f"/{language}/practices/?cooperation_model=regional-funds",
            ),
            (f"{language}-practice", sample_site.practice_path(language)),
            (
                f"{language}-search-with-filters",
                f"/{language}/practices/?q=fund&cooperation_model=regional-funds&region=africa",
            ),
            (
                f"{language}-search-by-results",
                f"/{language}/practices/?participation=survivor-led&provenance=illustrative",
            ),
            (
                f"{language}-search-without-results",
                f"/{language}/practices/?q=fund&region=europe-central-asia",
            ),
            (f"{language}-submission-form", f"/{language}/submit/"),
            (f"{language}-countries", f"/{language}/countries/"),
            (f"{language}-country", f"/{language}/countries/SN/"),
            (f"{language}-follow-search", f"/{language}/alerts/follow/?country=SN&q=fund"),
            (f"{language}-insights", f"/{language}/insights/"),
        ]
    return pages


def contribution_pages(context, site_url):
    """(name, HTML) of the form sent empty (with errors), the guiding questions and the
    results and funding steps filled in, the check page, the confirmation."""
    pages = []
    for language in LANGUAGES:
        url = site_url(f"/{language}/submit/")
        fields = hidden_fields(context.request.get(url).text())
        response = context.request.post(url, form={**fields, "title": "", "action": "next"})
        assert response.status == 200 and 'class="error-summary"' in response.text()
        pages.append((f"{language}-submission-form-with-errors", response.body()))
        reference = fill_example(context, site_url, language)
        response = context.request.get(site_url(f"/{language}/submit/{reference}/step/2/"))
        assert 'name="participation"' in response.text()
        pages.append((f"{language}-submission-questions-step", response.body()))
        response = context.request.get(site_url(f"/{language}/submit/{reference}/step/4/"))
        assert 'name="funding-0-source"' in response.text()
        assert 'name="beneficiaries_total"' in response.text()
        pages.append((f"{language}-submission-funding-step", response.body()))
        response = context.request.get(site_url(f"/{language}/submit/{reference}/check/"))
        assert reference in response.text()
        pages.append((f"{language}-submission-check", response.body()))
        confirmation = send_example(context, site_url, language, reference)
        response = context.request.get(confirmation)
        assert reference in response.text()
        pages.append((f"{language}-submission-confirmation", response.body()))
    return pages


def test_public_pages_are_valid_html(
    context, site_url, sample_site, vnu_command, tmp_path, quick_contributions
):
    files = []
    for name, path in public_pages(sample_site):
        response = context.request.get(site_url(path))
        assert response.status == 200, f"{path}: {response.status}"
        if name.endswith("-search-with-filters"):  # the search's downloads are checked too
            assert 'class="downloads__links"' in response.text(), path
        file = tmp_path / f"{name}.html"
        file.write_bytes(response.body())
        files.append(file)
    for name, body in contribution_pages(context, site_url):
        file = tmp_path / f"{name}.html"
        file.write_bytes(body)
        files.append(file)
    errors = check_html(vnu_command, files)
    assert not errors, "Nu Html Checker errors:\n" + "\n".join(
        f"{name}:\n  " + "\n  ".join(messages) for name, messages in sorted(errors.items())
    )


def test_checker_reports_errors(vnu_command, tmp_path):
    """The checker runs and its errors reach the test: a misnested page is reported."""
    broken = tmp_path / "broken.html"
    broken.write_text('<!DOCTYPE html><html lang="en"><title>x</title><p><div></div></p>')
    assert "broken.html" in check_html(vnu_command, [broken])
