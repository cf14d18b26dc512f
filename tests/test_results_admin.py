"""The editor's case-study tabs, as an editor uses them: results, participation and
provenance are entered in the admin, checked with clear, translated errors that keep what
was typed, and reach the entry and its translations."""

from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.html import escape
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield
from wagtail.users.models import UserProfile

from practices.models import (
    ActionPlanAction,
    CooperationModel,
    GuidingQuestion,
    PracticeIndexPage,
    PracticePage,
    SdgTarget,
)
from tests.conftest import shared_site_tree_fixtures, translated

shared_tree, vocabularies, site_tree, _no_transactional_test = shared_site_tree_fixtures("module")

NO_COUNTRY = "An illustrative entry names no real country: give its region instead."
TOO_MANY = "Women, men, girls and boys add up to more than the total reached."


def entry_data(**fields):
    data = nested_form_data(
        {
            "title": "Peer support grants",
            "slug": "peer-support-grants",
            "summary": "Small grants for peer support.",
            "answers": streamfield([]),
            "body": streamfield([]),
            **{
                name: rich_text("")
                for name in (
                    "outcomes",
                    "sustainability",
                    "lessons_learned",
                    "survivor_participation",
                    "accountability",
                )
            },
            "funding": inline_formset([]),
            "sources": inline_formset([]),
            "attachments": inline_formset([]),
            "provenance": "contributed",
        }
    )
    data["cooperation_models"] = [str(CooperationModel.objects.get(slug="regional-funds").pk)]
    data["guiding_questions"] = [str(GuidingQuestion.objects.get(slug="q5").pk)]
    data.update(fields)
    return data


def add_url():
    index = PracticeIndexPage.objects.get(locale__language_code="en")
    return f"/admin/pages/add/practices/practicepage/{index.pk}/"


@pytest.fixture
def french_admin(client, db):
    user = get_user_model().objects.create_superuser("editrice", "editrice@example.org", "pw")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "fr"
    profile.save()
    client.force_login(user)
    return client


def test_the_editor_s_tabs_follow_a_case_study(admin_client, site_tree):
    html = admin_client.get(add_url()).content.decode()
    tabs = [
        "context",
        "answers",
        "funding",
        "results",
        "participation",
        "sources",
        "classification",
    ]
    links = [html.find(f'href="#tab-{tab}"') for tab in tabs]
    assert -1 not in links, dict(zip(tabs, links, strict=True))
    assert links == sorted(links)
    # The participation levels are radio buttons, the rights markers checkboxes.
    assert 'type="radio" name="participation" value="survivor-led"' in html
    assert 'type="checkbox" name="rights_markers" value="disaggregated-data"' in html


def test_results_and_participation_are_saved(admin_client, site_tree):
    data = entry_data(
        status="ongoing",
        evidence="externally-evaluated",
        participation="co-decided",
        rights_markers=["disaggregated-data", "direct-funding-survivor-organisations"],
        beneficiaries_total="120",
        beneficiaries_women="50",
        beneficiaries_men="60",
        beneficiaries_survivors="30",
        beneficiaries_year="2022",
        beneficiaries_note="Counted at the end of the first year.",
        last_verified="2026-11-30",
        partner_countries=["NO"],
        action_plan_actions=[str(ActionPlanAction.objects.get(slug="oap-38").pk)],
        sdg_targets=[str(SdgTarget.objects.get(slug="3.8").pk)],
        year="2019",
    )
    response = admin_client.post(add_url(), data)
    assert response.status_code == HTTPStatus.FOUND, response.context["form"].errors
    page = PracticePage.objects.get(slug="peer-support-grants")
    assert (page.status, page.evidence, page.participation) == (
        "ongoing",
        "externally-evaluated",
        "co-decided",
    )
    # Kept in the list's own order, whatever order they were ticked in.
    assert page.rights_markers == ["direct-funding-survivor-organisations", "disaggregated-data"]
    assert page.beneficiaries() == [
        ("Total", 120),
        ("Women", 50),
        ("Men", 60),
        ("Survivors", 30),
    ]
    classification = page.classification()
    assert classification["partner_country"] == ["NO"]
    assert classification["action_plan"] == ["oap-38"]
    assert classification["sdg_target"] == ["3.8"]
    assert classification["active_year"][0] == 2019


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"provenance": "illustrative", "countries": ["TD"]}, "countries", NO_COUNTRY),
        (
            {"beneficiaries_total": "10", "beneficiaries_women": "8", "beneficiaries_boys": "5"},
            "beneficiaries_total",
            TOO_MANY,
        ),
    ],
)
def test_checks_speak_the_editor_s_language_and_keep_what_was_typed(
    french_admin, site_tree, fields, field, message
):
    response = french_admin.post(add_url(), entry_data(**fields))
    assert response.status_code == HTTPStatus.OK
    assert not PracticePage.objects.filter(slug="peer-support-grants").exists()
    form = response.context["form"]
    expected = translated("fr", message)
    assert expected != message
    with translation.override("fr"):  # the messages are lazy: read them as the page did
        assert form.errors[field] == [expected]
    html = response.content.decode()
    assert escape(expected) in html
    assert (
        'value="Small grants for peer support."' in html or "Small grants for peer support." in html
    )
    if "beneficiaries_women" in fields:
        assert 'name="beneficiaries_women" value="8"' in html


def test_a_translation_keeps_the_original_s_results(site_tree, make_practice, translate):
    original = make_practice(
        status="sustained",
        participation="survivor-led",
        rights_markers=["accessible-services"],
        beneficiaries_total=40,
        year=2015,
        year_end=2018,
    )
    french = translate(original, "fr", title="Subventions")
    assert (french.status, french.participation, french.rights_markers) == (
        "sustained",
        "survivor-led",
        ["accessible-services"],
    )
    assert french.beneficiaries_total == 40
    original.status = "discontinued"
    original.save_revision().publish()
    french.refresh_from_db()
    assert french.status == "discontinued"
