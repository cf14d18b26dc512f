"""The admin's funding panel, as an editor uses it: organisation choosers, the new fields of
a row, and the checks of a row with clear, translated errors that keep what was typed."""

from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.utils.html import escape
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield
from wagtail.users.models import UserProfile

from practices.models import (
    CooperationModel,
    GuidingQuestion,
    PracticeIndexPage,
    PracticePage,
)
from tests.conftest import shared_site_tree_fixtures, translated

shared_tree, vocabularies, site_tree, _no_transactional_test = shared_site_tree_fixtures("module")

NOTE_NEEDED = "Say where the amount in US dollars comes from."


def entry_data(row):
    data = nested_form_data(
        {
            "title": "Prosthetics grants",
            "slug": "prosthetics-grants",
            "summary": "Grants for prosthetics.",
            "answers": streamfield([]),
            "body": streamfield([]),
            "outcomes": rich_text(""),
            "lessons_learned": rich_text(""),
            "survivor_participation": rich_text(""),
            "accountability": rich_text(""),
            "funding": inline_formset([row]),
            "sources": inline_formset([]),
            "attachments": inline_formset([]),
        }
    )
    data["cooperation_models"] = [str(CooperationModel.objects.get(slug="regional-funds").pk)]
    data["guiding_questions"] = [str(GuidingQuestion.objects.get(slug="q1").pk)]
    return data


def row(**fields):
    return {
        "source": "USAID (Leahy War Victims Fund)",
        "recipient": "",
        "amount": "250000",
        "currency": "USD",
        "amount_usd": "",
        "year_start": "2019",
        "year_end": "",
        "funding_type": "grant",
        "status": "disbursed",
        "va_share": "dedicated",
        "channel": "intermediary",
        "url": "https://example.org/report",
        "iati_identifier": "",
        "note": "",
        "mechanism": "",
        "funder": "",
        "recipient_organisation": "",
        **fields,
    }


@pytest.fixture
def french_admin(client, db):
    user = get_user_model().objects.create_superuser("editrice", "editrice@example.org", "pw")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "fr"
    profile.save()
    client.force_login(user)
    return client


def add_url():
    index = PracticeIndexPage.objects.get(locale__language_code="en")
    return f"/admin/pages/add/practices/practicepage/{index.pk}/"


def test_the_funding_panel_offers_organisation_choosers(admin_client, site_tree):
    html = admin_client.get(add_url()).content.decode()
    # Wagtail's snippet chooser for the funder and the recipient, not a long select.
    assert 'id="id_funding-__prefix__-funder"' in html
    assert "/admin/snippets/choose/practices/organisation/" in html


def test_a_row_is_saved_with_its_organisation_and_new_fields(admin_client, site_tree, usaid):
    data = entry_data(row(funder=str(usaid.pk)))
    response = admin_client.post(add_url(), data)
    assert response.status_code == HTTPStatus.FOUND, response.context["form"].errors
    funding = PracticePage.objects.get(slug="prosthetics-grants").funding.get()
    assert funding.funder == usaid
    assert (funding.funding_type, funding.status, funding.va_share, funding.channel) == (
        "grant",
        "disbursed",
        "dedicated",
        "intermediary",
    )
    assert funding.usd_equivalent == 250000


def test_an_amount_in_dollars_without_its_basis_is_refused_in_the_editor_s_language(
    french_admin, site_tree
):
    data = entry_data(row(amount="1000", currency="EUR", amount_usd="1100"))
    response = french_admin.post(add_url(), data)
    assert response.status_code == HTTPStatus.OK
    assert not PracticePage.objects.filter(slug="prosthetics-grants").exists()
    html = response.content.decode()
    message = translated("fr", NOTE_NEEDED)
    assert message != NOTE_NEEDED and escape(message) in html
    # Nothing typed is lost: the row comes back with its values.
    assert 'value="1100' in html and 'value="USAID (Leahy War Victims Fund)"' in html

    data = entry_data(row(amount="1000", currency="EUR", amount_usd="1100", note="Bank rate."))
    response = french_admin.post(add_url(), data)
    assert response.status_code == HTTPStatus.FOUND


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"currency": ""}, "currency", "Give the currency of the amount."),
        (
            {"year_start": "2020", "year_end": "2019"},
            "year_end",
            "The end year cannot be before the start year.",
        ),
    ],
)
def test_a_row_s_checks(admin_client, site_tree, fields, field, message):
    response = admin_client.post(add_url(), entry_data(row(**fields)))
    assert response.status_code == HTTPStatus.OK
    formset = response.context["form"].formsets["funding"]
    assert formset.forms[0].errors[field] == [message]
