"""A reviewer decides from the page listing: Pages, the practices index, the entry's menu.

Same people and helpers as test_review_from_email (reviewing.py and the roles fixture); the
decision's dialog is the dashboard's.
"""

import pytest
from playwright.sync_api import expect

from practices.models import PracticePage, Submission
from tests.browser.contributions import submit_example
from tests.browser.reviewing import (
    CONTRIBUTOR,
    PASSWORD,
    TITLE,
    Watch,
    last_mail,
    sign_in,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

COMMENT = "Please name the survivors' organisation that runs the workshops."


def test_reviewer_requests_changes_from_the_page_listing(
    browser,
    page,
    site_url,
    roles,
):
    reviewer = roles["reviewer"]
    contributor = browser.new_context()
    try:
        _confirmation, reference = submit_example(contributor, site_url, "en", title=TITLE)
    finally:
        contributor.close()
    watch = Watch(page, site_url)
    page.goto(site_url("/admin/"))
    sign_in(page, reviewer, PASSWORD)

    # Pages, then the English practices index, in the sidebar's page explorer.
    page.get_by_role("button", name="Pages").click()
    explorer = page.locator("#wagtail-sidebar")
    home = explorer.locator(".c-page-explorer__item").filter(has_text="English")
    home.get_by_role("link", name="View child pages of 'Alianzas'").click()
    with page.expect_navigation():
        explorer.get_by_role("link", name="Practices", exact=True).click()
    expect(page.get_by_role("heading", name="Practices")).to_be_visible()
    watch.check("the page listing")

    row = page.locator("main tbody tr").filter(has_text=TITLE)
    expect(row.locator("[data-workflow-action-url]")).to_have_count(4)
    row.get_by_role("button", name=f"More options for '{TITLE}'").click()
    row.get_by_role("link", name="Request changes").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("textbox").fill(COMMENT)
    with page.expect_navigation():
        dialog.get_by_role("button", name="Request changes").click()
    watch.check("changes requested")
    # Back in the listing, where the entry offers no decision any more.
    expect(page.get_by_role("heading", name="Practices")).to_be_visible()
    expect(row).to_have_count(1)
    expect(page.locator("[data-workflow-action-url]")).to_have_count(0)

    submission = Submission.objects.get(reference=reference)
    assert submission.status == Submission.Status.CHANGES_REQUESTED
    returned = last_mail(CONTRIBUTOR, COMMENT)
    assert reference in returned.subject
    entry = PracticePage.objects.get(pk=submission.page_id)
    assert entry.current_workflow_state.status == "needs_changes"  # back with the contributor
    assert not entry.revisions.filter(user=reviewer).exists()
