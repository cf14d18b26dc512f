"""The admin as editors and reviewers read it: action labels, the submissions listing, a
submission's history, and no request to a third-party host."""

import re
from http import HTTPStatus

import pytest
from django.urls import reverse
from wagtail.users.models import UserProfile

from practices.models import Submission

from .conftest import act, fill_form, resend

#: What makes the browser fetch by itself: images, scripts, frames, stylesheets, fonts.
FETCHED_URL = re.compile(
    r"""(?:\bsrc|\bsrcset|<link[^>]*\bhref|url\()=?\s*["']?((?:https?:)?//[^"'/)\s]+)"""
)


def visit(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK, (url, response.status_code)
    html = response.content.decode()
    assert "permission" not in html.lower() or "do not have permission" not in html.lower()
    return html


def workflow_labels(html):
    return [
        " ".join(label.split())
        for label in re.findall(
            r'data-workflow-action-name="[^"]*"[^>]*>\s*(?:<svg.*?</svg>)?(.*?)</button>',
            html,
            re.S,
        )
    ]


@pytest.mark.parametrize(
    ("language", "approve", "doubled"),
    [
        ("en", "Approve and publish", "publish and publish"),
        ("fr", "Approuver et publier", "publier et publier"),
    ],
)
def test_reviewer_reads_each_action_once_in_the_edit_view(
    client, submit_tree, reviewer, language, approve, doubled
):
    submission = fill_form(client, "en")
    profile = UserProfile.get_for_user(reviewer)
    profile.preferred_language = language
    profile.save()
    html = visit(client, reviewer, reverse("wagtailadmin_pages:edit", args=[submission.page_id]))
    labels = workflow_labels(html)
    assert approve in labels, labels
    assert not any(doubled.lower() in label.lower() for label in labels), labels
    assert all(len(set(label.lower().split())) == len(label.split()) for label in labels), labels


def listing_rows(html):
    return {
        reference: row
        for row in re.findall(r"<tr[^>]*>.*?</tr>", html, re.S)
        for reference in re.findall(r"ALZ-\d{4}-[0-9A-F]{6}", row)[:1]
    }


def test_mail_failed_column_marks_only_failed_rows(client, submit_tree, editor):
    ok = Submission.objects.create(language="en", channel="form", contact_name="Ok Person")
    failed = Submission.objects.create(
        language="en", channel="form", contact_name="Failed Person", mail_failed=True
    )
    html = visit(client, editor, reverse("submissions:index"))
    rows = listing_rows(html)
    assert "Not sent" in rows[failed.reference]
    ok_cells = re.findall(r"<td[^>]*>(.*?)</td>", rows[ok.reference], re.S)
    last = re.sub(r"<[^>]+>", "", ok_cells[-1]).strip()
    assert last == "" and "<svg" not in ok_cells[-1], ok_cells[-1]
    assert html.count("Not sent") == 1


def test_editor_reads_the_history_of_a_submission(client, submit_tree, reviewer, editor):
    submission = fill_form(client, "en")
    act(reviewer, submission.page, "reject", "Add the sources, please.")
    resend(client, submission)
    act(reviewer, submission.page, "approve")
    submission.refresh_from_db()
    html = visit(client, editor, reverse("submissions:inspect", args=[submission.pk]))
    table = html.split('<th scope="col">Event</th>', 1)[1].split("</table>", 1)[0]
    rows = [
        [
            " ".join(re.sub(r"<[^>]+>", "", cell).split())
            for cell in re.findall(r"<td>(.*?)</td>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)
        if "<td>" in row
    ]
    events = [row[0] for row in rows]
    assert events == ["Submitted", "Changes requested", "Resubmitted", "Approved", "Published"]
    by = [row[2] for row in rows]
    assert by == ["Ana Contributor", "reviewer", "Ana Contributor", "reviewer", "reviewer"]
    assert rows[1][3] == "Add the sources, please."
    assert all(re.search(r"\d{4}", row[1]) for row in rows), rows
    page = submission.page
    assert f'href="/admin/pages/{page.pk}/edit/"' in html
    public = page.specific.get_url()
    assert f'href="{public}"' in html
    assert client.get(public).status_code == HTTPStatus.OK
    assert '"from": ' not in html  # the history in words, not as stored


def test_admin_pages_load_nothing_from_other_hosts(client, submit_tree, editor, reviewer):
    submission = fill_form(client, "en")
    for user, url in [
        (editor, reverse("wagtailadmin_home")),
        (editor, reverse("submissions:index")),
        (editor, reverse("submissions:inspect", args=[submission.pk])),
        (reviewer, reverse("wagtailadmin_pages:edit", args=[submission.page_id])),
        (editor, reverse("wagtailadmin_account")),
    ]:
        html = visit(client, user, url)
        assert "gravatar" not in html.lower(), url
        foreign = [host for host in FETCHED_URL.findall(html) if "testserver" not in host]
        assert foreign == [], (url, foreign)
