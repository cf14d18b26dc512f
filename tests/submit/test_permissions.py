"""Who sees and does what: anonymous, link holder, translator, reviewer, editor."""

from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse

from practices.models import PracticePage

from .conftest import fill_form, task_state_of

SUBMISSIONS = "/admin/submissions/"


@pytest.fixture
def submitted(client, submit_tree):
    """One entry under review in French and its private submission; `client` holds the link."""
    submission = fill_form(client, "fr")
    return submission


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def published_page(make_practice, language):
    return make_practice(language=language, title=f"Published {language}")


def test_anonymous(submitted):
    anonymous = Client()
    assert anonymous.get("/admin/").status_code == HTTPStatus.FOUND
    response = anonymous.get(SUBMISSIONS)
    assert response.status_code == HTTPStatus.FOUND and "/admin/login/" in response["Location"]
    assert anonymous.get(edit_url(submitted.page)).status_code == HTTPStatus.FOUND
    ref = submitted.reference
    assert anonymous.get(f"/fr/submit/{ref}/").status_code == HTTPStatus.NOT_FOUND
    assert anonymous.get(f"/fr/submit/{ref}/step/1/").status_code == HTTPStatus.NOT_FOUND
    assert anonymous.get(f"/fr/practices/{submitted.page.slug}/").status_code == (
        HTTPStatus.NOT_FOUND
    )


def test_contributor_link_holder(client, submitted):
    status = client.get(f"/fr/submit/{submitted.reference}/")
    assert status.status_code == HTTPStatus.OK
    assert submitted.reference in status.content.decode()
    # under review: no more editing until the reviewers ask for changes
    response = client.get(f"/fr/submit/{submitted.reference}/step/1/")
    assert response.status_code == HTTPStatus.FOUND
    assert client.get("/admin/").status_code == HTTPStatus.FOUND
    assert client.get(SUBMISSIONS).status_code == HTTPStatus.FOUND
    assert client.get(edit_url(submitted.page)).status_code == HTTPStatus.FOUND


def test_translator_edits_only_their_language(client, submitted, translator_fr, make_practice):
    french = published_page(make_practice, "fr")
    english = published_page(make_practice, "en")
    client.force_login(translator_fr)
    assert client.get("/admin/").status_code == HTTPStatus.OK
    assert client.get(edit_url(french)).status_code == HTTPStatus.OK
    assert client.get(edit_url(english)).status_code == HTTPStatus.FOUND  # permission denied
    response = client.get(SUBMISSIONS)
    assert response.status_code == HTTPStatus.FOUND
    assert "ana@example.org" not in client.get(response["Location"]).content.decode()
    page = submitted.page
    assert task_state_of(page).task.specific.get_actions(page, translator_fr) == []
    perms = french.permissions_for_user(translator_fr)
    assert perms.can_edit() and not perms.can_publish()
    assert not english.permissions_for_user(translator_fr).can_edit()


def test_reviewer_sees_contact_details_and_can_decide(client, submitted, reviewer):
    client.force_login(reviewer)
    listing = client.get(SUBMISSIONS)
    assert listing.status_code == HTTPStatus.OK
    html = listing.content.decode()
    assert submitted.reference in html and "ana@example.org" in html
    for export in ("csv", "xlsx"):
        response = client.get(SUBMISSIONS, {"export": export})
        assert "text/csv" not in response["Content-Type"]
        assert "spreadsheet" not in response["Content-Type"]
    inspect = client.get(f"{SUBMISSIONS}inspect/{submitted.pk}/")
    assert inspect.status_code == HTTPStatus.OK
    assert "Ana Contributor" in inspect.content.decode()
    page = submitted.page
    assert client.get(edit_url(page)).status_code == HTTPStatus.OK  # while in review
    actions = [name for name, *_ in task_state_of(page).task.specific.get_actions(page, reviewer)]
    assert "approve" in actions
    assert not PracticePage.objects.get(pk=page.pk).permissions_for_user(reviewer).can_publish()


def test_editor_sees_contact_details_and_edits_every_language(
    client, submitted, editor, make_practice
):
    client.force_login(editor)
    html = client.get(SUBMISSIONS).content.decode()
    assert "ana@example.org" in html
    for language in ("ar", "en", "fr", "es"):
        page = published_page(make_practice, language)
        assert client.get(edit_url(page)).status_code == HTTPStatus.OK
    page = submitted.page
    assert client.get(edit_url(page)).status_code == HTTPStatus.OK
    assert task_state_of(page).task.specific.get_actions(page, editor) == []


def test_listing_filters_by_status_language_and_date(client, submit_tree, reviewer):
    french = fill_form(client, "fr")
    client.cookies.clear()
    spanish = fill_form(Client(), "es", stop_before=3)
    client.force_login(reviewer)
    html = client.get(SUBMISSIONS, {"language": "fr"}).content.decode()
    assert french.reference in html and spanish.reference not in html
    html = client.get(SUBMISSIONS, {"status": "draft"}).content.decode()
    assert spanish.reference in html and french.reference not in html
    today = french.created_at.date().isoformat()
    html = client.get(SUBMISSIONS, {"created_at_from": today}).content.decode()
    assert french.reference in html
    html = client.get(SUBMISSIONS, {"created_at_to": "2000-01-01"}).content.decode()
    assert french.reference not in html
