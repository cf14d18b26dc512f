"""The Content-Security-Policy holds in a real browser: the admin works under its policy,
and the console check of the browser fixtures sees a violation when there is one.

Every browser test's `context` fails on a CSP violation reported in the console, so the
public pages are walked under the strict policy by the axe, journey and weight tests.
"""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import watch_csp

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

ADMIN_PASSWORD = "an-admin-password"


@pytest.fixture(scope="module")
def admin_account(sample_site, django_db_blocker):
    from django.contrib.auth.models import User

    with django_db_blocker.unblock():
        return User.objects.create_superuser("ada", "ada@example.org", ADMIN_PASSWORD)


def test_the_admin_runs_under_its_policy(page, site_url, sample_site, admin_account):
    page.goto(site_url("/admin/login/"))
    page.get_by_label("Username").fill(admin_account.username)
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1).first).to_be_visible()
    entry = sample_site.full_entry["en"]
    translation = sample_site.full_entry["fr"]
    paths = [
        "/admin/",
        "/admin/pages/",
        f"/admin/pages/{entry.pk}/edit/",
        f"/admin/pages/{translation.pk}/edit/",
        f"/admin/pages/{entry.pk}/history/",
        "/admin/images/",
        "/admin/documents/multiple/add/",
        "/admin/submissions/",
        "/admin/users/",
    ]
    for path in paths:
        response = page.goto(site_url(path))
        assert response.ok, f"{path}: {response.status}"
        header = response.headers["content-security-policy"]
        assert "script-src-attr 'none'" in header
        page.wait_for_load_state("networkidle")
    # The rich-text editor came up (its scripts and the styles they insert were allowed).
    page.goto(site_url(f"/admin/pages/{entry.pk}/edit/"))
    expect(page.locator(".Draftail-Editor").first).to_be_visible()
    # No avatar from a third-party host.
    sources = page.eval_on_selector_all("img", "images => images.map(i => i.src)")
    assert all(src.startswith(site_url("")) or src.startswith("data:") for src in sources)


def test_the_console_check_sees_a_violation(browser, site_url, sample_site):
    context = browser.new_context()
    violations = watch_csp(context)
    try:
        page = context.new_page()
        page.goto(site_url("/en/"))
        page.evaluate(
            """() => {
                const script = document.createElement("script");
                script.textContent = "window.injected = true";
                document.body.append(script);
            }"""
        )
        page.wait_for_timeout(200)
        assert page.evaluate("() => window.injected") is None
    finally:
        context.close()
    assert any("script-src" in violation for violation in violations), violations
