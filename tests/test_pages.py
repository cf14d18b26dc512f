"""Public pages render in the four languages, with the right direction and no private data."""

from http import HTTPStatus

import pytest
from django.test import override_settings
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from practices.models import CooperationModel, PracticeIndexPage, PracticePage, Submission
from tests.conftest import LANGUAGES, shared_site_tree_fixtures

#: The site skeleton, built once for the tests of this module.
shared_tree, vocabularies, site_tree, _no_transactional_test = shared_site_tree_fixtures("module")


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK, url
    return response.content.decode()


def assert_language(html, language):
    direction = "rtl" if language == "ar" else "ltr"
    assert f'<html lang="{language}" dir="{direction}">' in html


@pytest.mark.django_db
def test_root_redirects_to_a_language(client, site_tree):
    response = client.get("/")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/en/"


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_type_renders_in_each_language(client, make_practice, language):
    page = make_practice(
        language=language,
        slug=f"practice-in-{language}",
        title=f"Entry written in {language}",
        organisation="Survivor Network",
        answers=[("answer", {"question": "q3", "answer": "<p>A partnership with a bank.</p>"})],
        va_component=["physical-rehabilitation"],
        countries=["SN"],
        year=2019,
    )
    for url in (f"/{language}/", f"/{language}/practices/", page.url):
        assert_language(html_of(client, url), language)
    assert page.url == f"/{language}/practices/practice-in-{language}/"
    html = html_of(client, page.url)
    assert "A partnership with a bank." in html
    assert f"/{language}/practices/?va_component=physical-rehabilitation" in html
    assert f"/{language}/practices/?country=SN" in html


@pytest.mark.django_db
def test_practice_page_shows_funding_sources_and_language_versions(
    client, make_practice, translate
):
    page = make_practice(language="en", slug="fund", title="A regional fund")
    page = PracticePage.objects.get(pk=page.pk)
    page.funding.create(
        source="Donor State",
        recipient="Rehabilitation centre",
        amount=250000,
        currency="USD",
        year_start=2019,
        year_end=2021,
    )
    page.sources.create(title="Annual report 2020", url="https://example.org/report-2020")
    page.save_revision().publish()
    translate(page, "fr", title="Un fonds régional")

    html = html_of(client, "/en/practices/fund/")
    assert "Donor State" in html and "250,000 USD" in html and "2019–2021" in html
    assert 'href="https://example.org/report-2020"' in html
    assert 'href="/fr/practices/fund/"' in html  # the French version is offered
    assert 'hreflang="fr"' in html
    french = html_of(client, "/fr/practices/fund/")
    assert_language(french, "fr")
    assert "Un fonds régional" in french


@pytest.mark.django_db
def test_home_counts_each_published_entry_once(client, make_practice, translate):
    entry = make_practice(language="en", cooperation_model=["regional-funds"])
    translate(entry, "fr")
    make_practice(language="es", cooperation_model=["regional-funds"], publish=False)
    html = html_of(client, "/en/")
    assert "1 published example" in html
    assert "/en/practices/?cooperation_model=regional-funds" in html
    # An illustrative sample counts only where samples show, as in search.
    make_practice(language="en", cooperation_model=["regional-funds"], provenance="illustrative")
    assert "2 published examples" in html_of(client, "/en/")
    with override_settings(SHOW_ILLUSTRATIVE=False):
        assert "1 published example" in html_of(client, "/en/")


@pytest.mark.django_db
def test_contact_details_never_appear_on_public_pages(client, make_practice):
    page = make_practice(language="en", slug="private-contact")
    Submission.objects.create(
        page=page,
        language="en",
        channel=Submission.Channel.IMPORT,
        contact_name="Secret Contact Person",
        contact_email="secret.person@example.org",
        contact_organisation="Hidden Org Ltd",
    )
    for url in ("/en/", "/en/practices/", page.url):
        html = html_of(client, url)
        for private in ("Secret Contact Person", "secret.person@example.org", "Hidden Org Ltd"):
            assert private not in html


@pytest.mark.django_db
def test_admin_requires_a_cooperation_model_and_a_guiding_question(admin_client, site_tree):
    index = PracticeIndexPage.objects.get(locale__language_code="en")
    data = nested_form_data(
        {
            "title": "Incomplete entry",
            "slug": "incomplete-entry",
            "summary": "Missing its classification.",
            "answers": streamfield([]),
            "body": streamfield([]),
            "outcomes": rich_text(""),
            "lessons_learned": rich_text(""),
            "survivor_participation": rich_text(""),
            "accountability": rich_text(""),
            "funding": inline_formset([]),
            "sources": inline_formset([]),
            "attachments": inline_formset([]),
        }
    )
    url = f"/admin/pages/add/practices/practicepage/{index.pk}/"
    response = admin_client.post(url, data)
    assert response.status_code == HTTPStatus.OK
    errors = response.context["form"].errors
    assert "cooperation_models" in errors
    assert "guiding_questions" in errors
    assert not PracticePage.objects.filter(slug="incomplete-entry").exists()

    data["cooperation_models"] = [str(CooperationModel.objects.get(slug="regional-funds").pk)]
    data["answers-count"] = "1"
    data.update(
        {
            "answers-0-type": "answer",
            "answers-0-deleted": "",
            "answers-0-order": "0",
            "answers-0-value-question": "q4",
            "answers-0-value-answer": rich_text("<p>Rights first.</p>"),
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == HTTPStatus.FOUND, response.context["form"].errors
    created = PracticePage.objects.get(slug="incomplete-entry")
    assert list(created.guiding_questions.values_list("slug", flat=True)) == ["q4"]
