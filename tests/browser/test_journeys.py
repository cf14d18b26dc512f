"""Journeys through the public site, in a real browser, as a practitioner makes them."""

import pytest
from django.utils import translation
from playwright.sync_api import expect

from practices.models import CooperationModel
from tests.browser.sample_content import FULL_ENTRY_TEXT
from tests.browser.visitor import Visitor

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def short_label(slug, language):
    with translation.override(language):
        return CooperationModel.objects.get(slug=slug).get_short_label()


def test_practitioner_finds_a_practice_and_reads_it_in_arabic(page, site_url, sample_site):
    visitor = Visitor(page, site_url).open("/en/")
    visitor.follow_cooperation_model(short_label("regional-funds", "en"))
    expect(page).to_have_url(site_url("/en/practices/?cooperation_model=regional-funds"))
    # When the search page lands: the regional-funds box is ticked here, a region is ticked
    # next, and the result count and the URL follow each choice.

    english_title = FULL_ENTRY_TEXT["en"][0]
    visitor.open_result(english_title)
    expect(page).to_have_url(site_url(sample_site.practice_path("en")))
    assert visitor.language == "en"
    visitor.expect_direction("ltr")

    visitor.switch_language("العربية")
    expect(page).to_have_url(site_url(sample_site.practice_path("ar")))
    assert visitor.language == "ar"
    expect(visitor.heading()).to_have_text(FULL_ENTRY_TEXT["ar"][0])
    visitor.expect_direction("rtl")


def test_practitioner_switches_back_from_arabic(page, site_url, sample_site):
    visitor = Visitor(page, site_url).open(sample_site.practice_path("ar")).expect_direction("rtl")
    visitor.switch_language("Français")
    expect(page).to_have_url(site_url(sample_site.practice_path("fr")))
    expect(visitor.heading()).to_have_text(FULL_ENTRY_TEXT["fr"][0])
    visitor.expect_direction("ltr")
