"""Reviewers decide from the page listing (Pages > a practices index) as from the dashboard.

Their only page permission is Wagtail's "lock" on the practices indexes: enough to open the
explorer, not to edit or publish an entry that is not on their task.
"""

from http import HTTPStatus

from bs4 import BeautifulSoup
from django.urls import reverse

from practices.models import PracticeIndexPage, PracticePage

from .conftest import fill_form, task_state_of

ACTIONS = ["Request changes", "Approve and publish", "Approve with comment", "Reject"]


def row_of(html, page):
    """The listing's row of `page`: the <tr> that holds its title."""
    rows = BeautifulSoup(html, "html.parser").select("main tbody tr")
    found = [row for row in rows if row.find(id=f"page_{page.pk}_title")]
    assert len(found) == 1, f"no row for page {page.pk}"
    return found[0]


def menu_entries(row):
    """(label, href, action url, opens the dialog) of the row's "More actions" menu."""
    return [
        (
            link.get_text(" ", strip=True),
            link["href"],
            link.get("data-workflow-action-url"),
            link.has_attr("data-launch-modal"),
        )
        for link in row.select(".w-dropdown a")
    ]


def test_reviewer_decides_from_the_listing_only_on_entries_in_review(
    client, submit_tree, reviewer, make_practice
):
    in_review = fill_form(client, "en").page
    published = make_practice(language="en", title="Already published")
    index = PracticeIndexPage.objects.get(locale__language_code="en")
    client.logout()
    client.force_login(reviewer)

    response = client.get(reverse("wagtailadmin_explore", args=[index.pk]))
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "wagtailadmin/js/workflow-action" in html  # the dashboard's dialog script

    state = task_state_of(in_review)
    edit = reverse("wagtailadmin_pages:edit", args=[in_review.pk])

    def action(name):
        return reverse("wagtailadmin_pages:workflow_action", args=[in_review.pk, name, state.pk])

    entries = menu_entries(row_of(html, in_review))
    # The dashboard's decisions, in the task's order; without scripts each link opens the
    # editor, whose footer offers the same decisions.
    assert [entry for entry in entries if entry[2]] == [
        ("Request changes", edit, action("reject"), True),
        ("Approve and publish", edit, action("approve"), False),
        ("Approve with comment", edit, action("approve"), True),
        ("Reject", edit, action("decline"), True),
    ]

    others = menu_entries(row_of(html, published))
    assert others, "the published entry's menu (View live, History…)"
    assert not [entry for entry in others if entry[2]]
    assert not {label for label, *_rest in others} & set(ACTIONS)

    # The explorer opened, nothing more: no editing or publishing outside the review task.
    refused = client.get(reverse("wagtailadmin_pages:edit", args=[published.pk]), follow=True)
    assert refused.redirect_chain == [("/admin/", HTTPStatus.FOUND)]  # Wagtail's refusal
    assert "do not have permission" in refused.content.decode()
    assert client.get(reverse("wagtailadmin_pages:edit", args=[in_review.pk])).status_code == (
        HTTPStatus.OK
    )
    permissions = PracticePage.objects.get(pk=published.pk).permissions_for_user(reviewer)
    assert not permissions.can_edit()
    assert not permissions.can_publish()
    assert not permissions.can_unpublish()
    assert not index.permissions_for_user(reviewer).can_add_subpage()
    assert (
        not PracticePage.objects.get(pk=in_review.pk).permissions_for_user(reviewer).can_publish()
    )
