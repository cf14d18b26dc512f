"""No submitted text ever runs as script: public page, admin, preview, emails."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from practices.sanitising import stored_rich_text

from .conftest import STEP_DATA, act, fill_form, post_step, step_url

PAYLOAD = '<script>alert("xss")</script><img src=x onerror=alert(1)>"><svg onload=alert(2)>'
RAW_MARKERS = (
    "<script>alert",
    "<img src=x",
    "<svg onload",
    'href="javascript:',
    "<iframe src=//evil",
)


def assert_inert(html, where):
    for marker in RAW_MARKERS:
        assert marker not in html, f"{marker!r} found raw in {where}"


def xss_overrides():
    return {
        1: {
            "title": f"T {PAYLOAD}",
            "summary": f"S {PAYLOAD}",
            "organisation": f"O {PAYLOAD}"[:255],
            "partners": f"P {PAYLOAD}",
        },
        2: {"answer_q1": f'A {PAYLOAD} <a href="javascript:alert(3)">link</a>'},
        3: {"tags": f"tag {PAYLOAD}"[:100]},
        4: {
            "funding-0-source": f"F {PAYLOAD}",
            "funding-0-recipient": f"R {PAYLOAD}",
            "sources-0-title": f"Src {PAYLOAD}",
            "outcomes": f"Out {PAYLOAD}<iframe src=//evil></iframe>",
            "lessons_learned": f"Les {PAYLOAD}",
            "survivor_participation": f"Sur {PAYLOAD}",
            "accountability": f"Acc {PAYLOAD}",
        },
        5: {"contact_name": f"N {PAYLOAD}", "contact_organisation": f"CO {PAYLOAD}"},
    }


@pytest.mark.parametrize(
    "text",
    [
        PAYLOAD,
        '<a href="javascript:alert(1)">x</a>',
        "<p onclick=alert(1)>x</p>",
        "<style>body{}</style><math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    ],
)
def test_rich_text_keeps_a_safe_subset(text):
    html = stored_rich_text(text)
    assert_inert(html, "rich text")
    assert "onclick" not in html and "onerror=" not in html.replace("onerror=alert(1)&gt;", "")


def test_javascript_url_is_refused_as_a_source(client, submit_tree):
    submission = fill_form(client, stop_before=4)
    data = {**STEP_DATA[4], "sources-0-url": "javascript:alert(1)"}
    response = post_step(client, step_url(submission, 4), data)
    assert response.status_code == HTTPStatus.OK
    assert 'href="#id_sources-0-url"' in response.content.decode()


def test_payloads_stay_inert_everywhere(client, submit_tree, reviewer, mailoutbox):
    submission = fill_form(client, "en", overrides=xss_overrides())
    page = submission.page
    assert_inert(client.get(f"/en/submit/{submission.reference}/").content.decode(), "status")

    client.force_login(reviewer)
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert edit.status_code == HTTPStatus.OK
    assert_inert(edit.content.decode(), "admin edit page")
    preview = client.get(reverse("wagtailadmin_pages:view_draft", args=[page.pk]))
    assert preview.status_code == HTTPStatus.OK
    assert_inert(preview.content.decode(), "admin preview")
    listing = client.get("/admin/submissions/").content.decode()
    assert_inert(listing, "submissions listing")
    inspect = client.get(f"/admin/submissions/inspect/{submission.pk}/").content.decode()
    assert_inert(inspect, "submission details")
    assert "N &lt;script&gt;" in inspect

    act(reviewer, page, "reject", f"Comment {PAYLOAD}")
    # Subjects and text/plain bodies are never interpreted as HTML; the HTML parts must be inert.
    html_parts = [html for message in mailoutbox for html, _type in message.alternatives]
    assert len(html_parts) >= 3
    for html in html_parts:
        assert_inert(html, "an email's HTML part")
    client.logout()
    client.get(mailoutbox[-1].body.split("http://testserver")[1].split()[0])
    status = client.get(f"/en/submit/{submission.reference}/").content.decode()
    assert_inert(status, "status page with the reviewer comment")
    step = client.get(step_url(submission, 1)).content.decode()
    assert_inert(step, "form step with kept values")
    assert "T &lt;script&gt;" in step

    from .conftest import resend

    resend(client, submission)
    act(reviewer, page, "approve")
    page.refresh_from_db()
    assert page.live
    public = client.get(page.url)
    assert public.status_code == HTTPStatus.OK
    html = public.content.decode()
    assert_inert(html, "public page")
    assert "S &lt;script&gt;" in html  # shown as text, not dropped
    assert_inert(client.get("/en/practices/").content.decode(), "listing")
