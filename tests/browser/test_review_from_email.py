"""The reviewer decides from the page editor, reached through the link in their e-mail.

Every step starts from the e-mail the previous step sent (read from the test outbox) and
clicks what a person clicks: the contributor sends an example; the reviewer opens the
"new example" e-mail's link, signs in and requests changes from the editor's footer; the
contributor follows the private link in the "changes requested" e-mail and sends again;
the reviewer approves from the editor through the new e-mail's link; the entry is live.
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from practices.models import PracticePage, Submission
from tests.browser.contributions import submit_example

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "a-reviewer-password"
CORRECTED_SUMMARY = "Three neighbouring States pooled money for prosthetics: USD 120,000."
TITLE = "Mobile repair workshops for prosthetic limbs, run with survivors"


@pytest.fixture
def reviewer(site_server, settings, quick_contributions):
    """The site skeleton, the review workflow and a reviewer; e-mail links to the live server."""
    from django.contrib.auth.models import Group, User

    from home.site_structure import ensure_site_structure
    from practices.roles import ensure_group_permissions
    from practices.vocabularies import load_vocabularies
    from practices.workflows import REVIEWERS

    load_vocabularies()
    ensure_site_structure()
    ensure_group_permissions()
    settings.WAGTAILADMIN_BASE_URL = site_server.url
    mail.outbox = []
    user = User.objects.create_user("ines", "ines@example.org", PASSWORD)
    user.groups.add(Group.objects.get(name=REVIEWERS))
    return user


def watch_errors(page):
    """Every response of 400 or more that the tab receives, as (status, url)."""
    errors = []
    page.on("response", lambda r: errors.append((r.status, r.url)) if r.status >= 400 else None)
    return errors


def last_mail(to, containing, subject=""):
    found = [m for m in mail.outbox if to in m.to and containing in m.body and subject in m.subject]
    assert found, [(m.to, m.subject) for m in mail.outbox]
    return found[-1]


def link_in(message, pattern):
    match = re.search(pattern, message.body)
    assert match, message.body
    return match.group(0)


def assert_no_refusal(page, errors):
    assert "permission" not in page.content().lower()
    assert errors == []


def decide_from_the_editor(page, link, action, comment=None):
    """From the e-mail's link: the editor, its footer's actions menu, `action`, a comment."""
    page.goto(link)
    footer = page.locator("footer")
    footer.get_by_role("button", name="More actions").click()
    footer.get_by_role("button", name=action).click()
    if comment is not None:
        dialog = page.get_by_role("dialog")
        dialog.get_by_role("textbox").fill(comment)
        with page.expect_navigation():
            dialog.get_by_role("button", name=action).click()


def test_reviewer_decides_from_the_editor_through_the_email_links(
    browser, page, site_url, reviewer
):
    errors = watch_errors(page)
    contributor = browser.new_context()
    try:
        _confirmation, reference = submit_example(contributor, site_url, "en", title=TITLE)
        submission = Submission.objects.get(reference=reference)

        # The reviewer's e-mail links to the entry in the editor; they sign in on the way.
        new_example = last_mail(reviewer.email, "/admin/pages/", "New example to review")
        edit_link = link_in(new_example, r"https?://\S+/admin/pages/\d+/edit/")
        page.goto(edit_link)
        page.get_by_label("Username").fill(reviewer.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.locator("#id_title")).to_have_value(TITLE)
        decide_from_the_editor(page, edit_link, "Request changes", "Please add the budget.")
        expect(page.get_by_text(f"Page '{TITLE}' has been updated.")).to_be_visible()
        assert_no_refusal(page, errors)
        submission.refresh_from_db()
        assert submission.status == Submission.Status.CHANGES_REQUESTED

        # The contributor is told what to change, follows the private link and sends again.
        returned = last_mail("ana@example.org", "Please add the budget.")
        private = link_in(returned, r"https?://\S+/link/\S+/")
        tab = contributor.new_page()
        tab_errors = watch_errors(tab)
        tab.goto(private)
        # The link shows the example, the reviewer's comment and a way to edit it.
        expect(tab.get_by_text("Please add the budget.")).to_be_visible()
        tab.get_by_role("link", name="Edit the example").click()
        tab.locator("#id_summary").fill(CORRECTED_SUMMARY)
        check = site_url(f"/en/submit/{reference}/check/")
        for _step in range(5):
            tab.get_by_role(
                "button", name=re.compile("^Save and (continue|check your answers)$")
            ).click()
            tab.wait_for_load_state()
            if tab.url == check:
                break
        expect(tab).to_have_url(check)
        expect(tab.get_by_text(CORRECTED_SUMMARY)).to_be_visible()
        tab.get_by_role("button", name="Send").click()
        expect(tab).to_have_url(site_url(f"/en/submit/{reference}/"))
        assert_no_refusal(tab, tab_errors)
        submission.refresh_from_db()
        assert submission.status == Submission.Status.SUBMITTED
    finally:
        contributor.close()

    # The reviewer approves from the editor, through the new e-mail's link.
    resent = last_mail(reviewer.email, "/admin/pages/", "New example to review")
    assert resent is not new_example
    decide_from_the_editor(
        page, link_in(resent, r"https?://\S+/admin/pages/\d+/edit/"), "Approve and publish"
    )
    expect(page.get_by_text(f"Page '{TITLE}' has been updated.")).to_be_visible()
    assert_no_refusal(page, errors)

    entry = PracticePage.objects.get(pk=submission.page_id)
    assert entry.live
    assert entry.summary == CORRECTED_SUMMARY
    assert not entry.revisions.filter(user=reviewer).exists()
    page.goto(site_url(entry.url))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    assert_no_refusal(page, errors)
