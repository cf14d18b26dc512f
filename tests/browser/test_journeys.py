"""Journeys through the site, in a real browser: a practitioner, a contributor, a reviewer."""

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import translation
from playwright.sync_api import expect

from practices.models import CooperationModel
from tests.browser.contributions import submit_example
from tests.browser.sample_content import FULL_ENTRY_TEXT
from tests.browser.visitor import Searcher, Visitor

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def short_label(slug, language):
    with translation.override(language):
        return CooperationModel.objects.get(slug=slug).get_short_label()


def test_practitioner_finds_a_practice_and_reads_it_in_arabic(page, site_url, sample_site):
    visitor = Visitor(page, site_url).open("/en/")
    visitor.follow_cooperation_model(short_label("regional-funds", "en"))
    expect(page).to_have_url(site_url("/en/practices/?cooperation_model=regional-funds"))
    assert Searcher(page, site_url).is_ticked(
        "Cooperation model", short_label("regional-funds", "en")
    )

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


def test_practitioner_searches_filters_and_reads_in_arabic(page, site_url, sample_site):
    searcher = Searcher(page, site_url).open("/en/practices/")
    everything = searcher.count()
    searcher.search_for("rehabilitation")
    matching = searcher.count()
    assert 1 < matching <= everything
    assert parse_qs(urlsplit(page.url).query)["q"] == ["rehabilitation"]

    searcher.tick("Cooperation model", short_label("regional-funds", "en"))
    in_model = searcher.count()
    assert 1 <= in_model < matching
    searcher.tick("Region", "Africa")
    assert searcher.count() == 1 < in_model
    query = parse_qs(urlsplit(page.url).query)
    assert query["q"] == ["rehabilitation"]
    assert query["cooperation_model"] == ["regional-funds"]
    assert query["region"] == ["africa"]
    english_title = FULL_ENTRY_TEXT["en"][0]
    assert searcher.result_titles() == [english_title]
    # The choices stay visible and undoable: ticked boxes and a chip per filter.
    assert searcher.is_ticked("Region", "Africa")
    expect(page.locator(".chips a")).to_have_count(2)

    searcher.open_result(english_title)
    expect(page).to_have_url(site_url(sample_site.practice_path("en")))
    searcher.switch_language("العربية")
    expect(page).to_have_url(site_url(sample_site.practice_path("ar")))
    assert searcher.language == "ar"
    expect(searcher.heading()).to_have_text(FULL_ENTRY_TEXT["ar"][0])
    searcher.expect_direction("rtl")
