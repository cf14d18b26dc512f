"""Who publishes the site and on what terms: information pages, licence and dates on entries,
error pages in the reader's language, the Privacy notice against the models."""

import re
from http import HTTPStatus

import pytest
from django.apps import apps
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client
from django.utils import translation
from django.utils.html import escape

from home.models import InformationPage
from practices.models import Submission
from practices.privacy import PERSONAL_DATA
from tests.conftest import LANGUAGES, shared_site_tree_fixtures, translated

KINDS = ("about", "contact", "privacy", "licence")

#: The site skeleton, built once for the tests of this module.
shared_tree, vocabularies, site_tree, _no_transactional_test = shared_site_tree_fixtures("module")


@pytest.mark.parametrize("language", LANGUAGES)
def test_information_pages_answer_at_the_contract_paths_in_every_language(
    client, information_pages, settings, language
):
    settings.PUBLISHER_NAME = "Example Publisher"
    settings.PUBLISHER_ADDRESS = "1 Example Street\nGeneva"
    settings.EDITORS_EMAIL = "editors@example.net"
    for kind in KINDS:
        response = client.get(f"/{language}/{kind}/")
        assert response.status_code == HTTPStatus.OK, kind
        html = response.content.decode()
        assert f'<html lang="{language}"' in html
        page = InformationPage.objects.get(kind=kind, locale__language_code=language)
        assert escape(page.title) in html
    about = client.get(f"/{language}/about/").content.decode()
    assert "Example Publisher" in about and "Geneva" in about
    contact = client.get(f"/{language}/contact/").content.decode()
    assert 'href="mailto:editors@example.net"' in contact


def test_every_page_links_to_the_information_pages_in_its_footer(client, information_pages):
    for path in ("/fr/", "/fr/practices/", "/fr/submit/", "/fr/about/"):
        html = client.get(path).content.decode()
        footer = html[html.index('<footer class="site-footer">') :]
        for kind in KINDS:
            assert f'href="/fr/{kind}/"' in footer, (path, kind)
        assert translated("fr", "Privacy notice") in footer


def test_information_pages_are_seeded_once_and_left_to_the_editors(information_pages):
    from home.site_structure import ensure_site_structure

    about = InformationPage.objects.get(kind="about", locale__language_code="es")
    about.title = "Quiénes somos"
    about.save_revision().publish()
    ensure_site_structure()
    assert InformationPage.objects.filter(kind="about").count() == 4
    assert InformationPage.objects.get(pk=about.pk).title == "Quiénes somos"


def test_about_page_tells_the_story_in_each_language(client, information_pages):
    for language, words in {
        "en": ("Building Partnerships", "4 December 2020"),
        "fr": ("Building Partnerships", "4 décembre 2020"),
        "es": ("Building Partnerships", "4 de diciembre de 2020"),
        "ar": ("بناء الشراكات", "2020"),
    }.items():
        html = client.get(f"/{language}/about/").content.decode()
        for word in words:
            assert word in html, (language, word)
        # The six questions and seven models, from the vocabularies, in the reader's language.
        assert html.count('href="/' + language + "/practices/?cooperation_model=") >= 7


# -- the Privacy notice against the code ----------------------------------------------------

#: Fields of the contributors' private models that are bookkeeping, not about a person.
NOT_PERSONAL = {
    "practices.Submission": {
        "id", "reference", "page", "language", "channel", "status", "created_at",
        "updated_at", "idempotency_key", "submitted_at", "status_history",
        "reviewer_comment", "mail_failed",
        "stamp_nonce",  # the form's random fill-time stamp: one draft per stamp
    },
    # sha256: the fingerprint of a file already listed, to spot the same file sent twice.
    "practices.SubmissionFile": {
        "id", "submission", "size", "kind", "document", "created_at", "sha256",
    },
    # secret: mixed into the keyed links of the mails (never the link itself).
    "practices.Subscription": {"id", "secret", "digest_sent_at"},
    "practices.AlertDelivery": {"id"},
}  # fmt: skip
PERSONAL_NAME = re.compile(r"email|contact|ip_|phone|address|token|password|consent")


def listed_fields():
    return {(item.model, field) for item in PERSONAL_DATA if item.model for field in item.fields}


def test_every_field_the_notice_names_exists():
    for model_label, field in listed_fields():
        model = apps.get_model(model_label)
        model._meta.get_field(field)  # raises FieldDoesNotExist


def test_the_notice_names_every_personal_field_the_code_stores():
    listed = listed_fields()
    missing = []
    for model_label, bookkeeping in NOT_PERSONAL.items():
        for field in apps.get_model(model_label)._meta.concrete_fields:
            if field.name not in bookkeeping and (model_label, field.name) not in listed:
                missing.append(f"{model_label}.{field.name}")
    # Elsewhere, fields whose names say they hold contact or identifying data.
    for app in ("home", "practices", "practices_search"):
        for model in apps.get_app_config(app).get_models():
            label = model._meta.label
            for field in model._meta.concrete_fields:
                if PERSONAL_NAME.search(field.name) and (label, field.name) not in listed:
                    if field.name not in NOT_PERSONAL.get(label, ()):
                        missing.append(f"{label}.{field.name}")
    assert not missing, f"personal data not in the Privacy notice: {missing}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_privacy_page_shows_the_list_in_every_language(client, information_pages, language):
    html = client.get(f"/{language}/privacy/").content.decode()
    with translation.override(language):
        for item in PERSONAL_DATA:
            assert escape(str(item.what)) in html, item.what


def test_a_submission_keeps_only_what_the_notice_lists():
    """A new personal field on Submission must go through the notice: the test above fails."""
    fields = {field.name for field in Submission._meta.concrete_fields}
    listed = {field for model, field in listed_fields() if model == "practices.Submission"}
    assert listed <= fields
    assert fields - listed == NOT_PERSONAL["practices.Submission"]


# -- entries: licence, dates, one provenance notice -----------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_entry_shows_its_licence_dates_and_attribution(
    client, make_practice, translate, language
):
    original = make_practice(
        title="Mobile teams", organisation="Network", provenance="illustrative"
    )
    page = original if language == "en" else translate(original, language, title="Mobile teams")
    html = client.get(page.url).content.decode()
    assert 'rel="license noopener"' in html and "CC BY 4.0" in html
    assert f"creativecommons.org/licenses/by/4.0/deed.{language}" in html
    assert f'<time datetime="{page.first_published_at.strftime("%Y-%m-%dT%H:%M:%S")}+0000"' in html
    assert translated(language, "First published:") in html
    assert translated(language, "Licence and citation") in html
    # The address to credit is isolated left to right (an Arabic slug would reorder it).
    assert f'<bdi dir="ltr">http://testserver{page.url}</bdi>' in html
    notice = translated(
        language,
        "Illustrative sample: this entry was invented to show what an entry of the "
        "knowledge base looks like. The organisations, people, figures and events in it "
        "are fictional.",
    )
    assert html.count(notice) == 1


def test_the_licence_chosen_by_the_editors_is_shown_and_shared_by_translations(
    client, make_practice, translate
):
    original = make_practice(licence="CC-BY-SA-4.0")
    french = translate(original, "fr")
    assert french.licence == "CC-BY-SA-4.0"
    html = client.get(french.url).content.decode()
    assert "CC BY-SA 4.0" in html and "licenses/by-sa/4.0/deed.fr" in html


# -- the language switcher --------------------------------------------------------------------


def switcher_links(html):
    nav = html[html.index('class="language-switcher"') :]
    nav = nav[: nav.index("</nav>")]
    return re.findall(r'<a href="([^"]+)" hreflang="(\w+)"', nav), nav.count("<li>")


def test_the_switcher_offers_four_languages_on_an_entry_in_one_language(client, make_practice):
    page = make_practice(language="es", slug="fondo-regional")
    links, items = switcher_links(client.get(page.url).content.decode())
    assert items == 4
    assert {code: url for url, code in links} == {
        "ar": "/ar/practices/fondo-regional/",
        "en": "/en/practices/fondo-regional/",
        "fr": "/fr/practices/fondo-regional/",
    }
    fallback = client.get("/fr/practices/fondo-regional/")
    assert fallback.status_code == HTTPStatus.OK
    assert translated("fr", "French") in fallback.content.decode()  # the notice names it


# -- error pages ------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_not_found_speaks_the_language_of_the_address(client, site_tree, language):
    response = client.get(f"/{language}/practices/no-such-entry/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    html = response.content.decode()
    assert f'<html lang="{language}" dir="{"rtl" if language == "ar" else "ltr"}"' in html
    assert translated(language, "Page not found") in html
    assert 'role="search"' in html and f'action="/{language}/practices/"' in html
    assert f'href="/{language}/privacy/"' in html


def test_forbidden_and_csrf_failure_pages(site_tree):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/ar/submit/", {"title": "x"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    html = response.content.decode()
    assert 'lang="ar"' in html and translated("ar", "The form could not be sent") in html


def test_server_error_page_renders_with_the_database_unreachable(site_tree, monkeypatch):
    def unreachable(self):
        raise OperationalError("could not connect to server: Connection refused")

    client = Client(raise_request_exception=False)
    with monkeypatch.context() as patch:
        patch.setattr(BaseDatabaseWrapper, "ensure_connection", unreachable)
        patch.setattr(BaseDatabaseWrapper, "_cursor", lambda self, name=None: unreachable(self))
        response = client.get("/fr/practices/")
    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    html = response.content.decode()
    assert '<html lang="fr" dir="ltr"' in html
    assert translated("fr", "Something went wrong") in html
    assert 'action="/fr/practices/"' in html  # the search box
    assert 'href="/fr/contact/"' in html  # the footer


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_contribution_address_without_its_private_link_says_what_to_do(
    client, site_tree, language
):
    submission = Submission.objects.create(language="en", channel=Submission.Channel.FORM)
    for reference in (submission.reference, "ALZ-2020-NOPE00"):
        response = client.get(f"/{language}/submit/{reference}/")
        assert response.status_code == HTTPStatus.NOT_FOUND
        html = response.content.decode()
        assert translated(language, "Open your private link") in html
        assert "editors@example.org" in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_home_has_a_search_box_and_cards_that_describe_the_models(client, site_tree, language):
    from practices.models import CooperationModel

    html = client.get(f"/{language}/").content.decode()
    assert 'role="search"' in html and f'action="/{language}/practices/"' in html
    with translation.override(language):
        for model in CooperationModel.objects.all():
            assert model.description and escape(model.description) in html
            assert html.count(escape(model.short_label)) == 1  # the title, not repeated


@pytest.mark.parametrize("language", ["ar", "en", "fr", "es"])
@pytest.mark.parametrize("where", ["", "submit/"])
def test_the_header_and_footer_link_to_the_pages_of_the_reader_language(
    client, information_pages, language, where
):
    html = client.get(f"/{language}/{where}").content.decode()
    header = html[html.index('<header class="site-header">') : html.index("</header>")]
    main_nav = header[: header.index('class="language-switcher"')]
    footer = html[html.index('<footer class="site-footer">') :]
    assert re.findall(r'href="([^"]*)"', main_nav) == [
        f"/{language}/",
        f"/{language}/",
        f"/{language}/practices/",
        f"/{language}/countries/",
        f"/{language}/submit/",
    ]
    assert re.findall(r'href="([^"]*)"', footer) == [
        f"/{language}/{kind}/" for kind in ("about", "contact", "privacy", "licence")
    ]
    assert ('aria-current="page"' in main_nav) == (where == "")
