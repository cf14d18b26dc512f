"""Contact details and consents live on the private Submission only."""

import json
from http import HTTPStatus

from wagtail.search.backends import get_search_backend
from wagtail_localize.models import TranslationSource

from practices.models import PracticePage, Submission

from .conftest import act, fill_form

PRIVATE = ("Ana Contributor", "ana@example.org")


def test_contact_details_never_reach_public_page_search_or_translation(
    client, submit_tree, reviewer
):
    submission = fill_form(client, "es", overrides={5: {"contact_organisation": "Red Secreta"}})
    page = submission.page
    act(reviewer, page, "approve")
    page = PracticePage.objects.get(pk=page.pk)
    assert page.live

    for url in (page.url, "/es/practices/", "/es/"):
        html = client.get(url).content.decode()
        for value in (*PRIVATE, "Red Secreta"):
            assert value not in html, f"{value} on {url}"

    revision = json.dumps(page.get_latest_revision().content)
    assert not any(value in revision for value in PRIVATE)
    source, _created = TranslationSource.get_or_create_from_instance(page)
    assert not any(value in json.dumps(source.content_json) for value in PRIVATE)

    backend = get_search_backend()
    assert list(backend.search(page.title.split()[0], PracticePage))  # the index works
    for value in PRIVATE:
        assert list(backend.search(value, PracticePage)) == []

    assert not hasattr(Submission, "search_fields")


def test_status_page_shows_no_contact_details_to_the_link_holder(client, submit_tree):
    submission = fill_form(client)
    html = client.get(f"/en/submit/{submission.reference}/").content.decode()
    assert client.get(f"/en/submit/{submission.reference}/").status_code == HTTPStatus.OK
    assert not any(value in html for value in PRIVATE)
