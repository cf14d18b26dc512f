"""Journeys through the site, in a real browser: a practitioner, a contributor, a reviewer."""

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import translation
from playwright.sync_api import expect

from practices.models import CooperationModel, Submission
from tests.browser.contributions import submit_example
from tests.browser.sample_content import FULL_ENTRY_TEXT
from tests.browser.visitor import KeyboardUser, Searcher, Visitor

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


NEXT = "#step-form .actions button[value=next]"
SEND = "#send-form button[value=submit]"


def error_summary_links(page):
    summary = page.locator(".error-summary")
    expect(summary).to_have_attribute("role", "alert")
    return [
        (link.get_attribute("href"), link.inner_text())
        for link in summary.get_by_role("link").all()
    ]


def follow_first_error(keyboard, page, field_id):
    """From the focused summary, Tab to its first link and press Enter: the field has focus."""
    assert keyboard.is_at(".error-summary"), f"focus is on {keyboard.focused()}"
    keyboard.press("Tab")
    assert keyboard.focused()["href"] == f"#{field_id}"
    keyboard.press("Enter")
    expect(page.locator(f"#{field_id}")).to_be_focused()


def test_contributor_sends_an_example_with_the_keyboard_only(
    page, site_url, sample_site, quick_contributions
):
    keyboard = KeyboardUser(page)
    page.goto(site_url("/en/submit/"))
    expect(page.get_by_text("Step 1 of 5")).to_be_visible()

    # Step 1, sent without a title and with the years the wrong way round.
    keyboard.tab_to("#id_summary").type("Districts pooled their budgets for mobile teams.")
    keyboard.tab_to("#id_year").type("2021")
    keyboard.tab_to("#id_year_end").type("2019")
    keyboard.submit_with(NEXT)
    links = error_summary_links(page)
    assert [href for href, _text in links] == ["#id_title", "#id_year_end"], links
    assert page.title().startswith("Error:")
    # Nothing typed is lost.
    expect(page.locator("#id_summary")).to_have_value(
        "Districts pooled their budgets for mobile teams."
    )
    follow_first_error(keyboard, page, "id_title")
    keyboard.type("Mobile rehabilitation teams paid from pooled district budgets")
    keyboard.tab_to("#id_year_end").type("2024", replace=True)
    with page.expect_navigation():
        keyboard.press("Enter")  # Enter in a field sends the step ("Save and continue")

    # Step 2: a guiding question ticked with Space, its answer typed.
    expect(page.get_by_text("Step 2 of 5")).to_be_visible()
    keyboard.tab_to("#id_q_q1").press("Space")
    assert keyboard.focused()["checked"]
    keyboard.tab_to("#id_answer_q1").type("A budget line agreed by the district councils.")
    keyboard.submit_with(NEXT)

    # Step 3: a cooperation model and a region.
    expect(page.get_by_text("Step 3 of 5")).to_be_visible()
    keyboard.tab_to("input[name=cooperation_models][value=regional-cooperation]").press("Space")
    keyboard.tab_to("input[name=regions][value=africa]").press("Space")
    keyboard.submit_with(NEXT)

    # Step 4: one source.
    expect(page.get_by_text("Step 4 of 5")).to_be_visible()
    keyboard.tab_to("#id_sources-0-title").type("Evaluation of the mobile teams")
    keyboard.press("Tab")
    assert keyboard.is_at("#id_sources-0-url")
    keyboard.type("https://example.org/evaluation")
    keyboard.submit_with(NEXT)

    # Step 5: an address that is not one, and a consent missing.
    expect(page.get_by_text("Step 5 of 5")).to_be_visible()
    keyboard.tab_to("#id_contact_name").type("Ana Contributor")
    keyboard.tab_to("#id_contact_email").type("ana@example")
    keyboard.tab_to("#id_consent_publication").press("Space")
    keyboard.submit_with(NEXT)
    links = error_summary_links(page)
    assert [href for href, _text in links] == ["#id_contact_email", "#id_consent_contact"]
    follow_first_error(keyboard, page, "id_contact_email")
    keyboard.type("ana@example.org", replace=True)
    keyboard.tab_to("#id_consent_contact").press("Space")
    # Back with Shift+Tab: the first consent is still ticked.
    keyboard.tab_to("#id_consent_publication", backwards=True)
    assert keyboard.focused()["checked"]
    keyboard.submit_with(NEXT)

    # Check your answers, then send.
    expect(page.get_by_role("heading", name="Check your answers before sending")).to_be_visible()
    expect(page.locator("#part-4")).to_contain_text("Evaluation of the mobile teams")
    keyboard.submit_with(SEND)

    confirmation = page.locator(".confirmation[role=status]")
    expect(confirmation).to_contain_text("your example was sent for review")
    reference = confirmation.locator("strong").inner_text()
    submission = Submission.objects.get(reference=reference)
    assert submission.status == Submission.Status.SUBMITTED
    assert submission.page.title == "Mobile rehabilitation teams paid from pooled district budgets"
    assert not submission.page.live


REVIEWER_PASSWORD = "a-reviewer-password"


@pytest.fixture(scope="module")
def reviewer_account(sample_site, django_db_blocker):
    """A member of "Reviewers", committed with the module's sample site (and removed with it)."""
    from django.contrib.auth.models import Group, User

    from practices.models.workflow import REVIEWERS

    with django_db_blocker.unblock():
        user = User.objects.create_user("rosa", "rosa@example.org", REVIEWER_PASSWORD)
        user.groups.add(Group.objects.get(name=REVIEWERS))
    return user


def test_reviewer_approves_a_contribution_and_it_appears_in_search(
    browser, page, site_url, sample_site, reviewer_account, quick_contributions
):
    # Another title than the contributor's journey: on PostgreSQL the examples sent through
    # the live server are committed, and stay in review until the module's data is reset.
    title = "Home visits by survivor peer workers, paid from a municipal fund"
    contributor = browser.new_context()
    try:
        _confirmation, reference = submit_example(contributor, site_url, "en", title=title)
    finally:
        contributor.close()
    searcher = Searcher(page, site_url).open("/en/practices/").search_for("peer workers")
    assert title not in searcher.result_titles()

    page.goto(site_url("/admin/"))
    page.get_by_label("Username").fill(reviewer_account.username)
    page.get_by_label("Password").fill(REVIEWER_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Awaiting your review")).to_be_visible()

    # The entry waits in the reviewer's dashboard; "Approve and publish" from its actions.
    row = page.locator("#awaiting-review-section tbody tr").filter(has_text=title)
    expect(row).to_have_count(1)
    row.get_by_role("button", name="Actions").click()
    with page.expect_navigation():
        row.get_by_role("button", name="Approve and publish").click()
    expect(page.locator("#awaiting-review-section tbody tr").filter(has_text=title)).to_have_count(
        0
    )

    submission = Submission.objects.get(reference=reference)
    assert submission.status == Submission.Status.APPROVED
    assert submission.page.live
    approved_by = submission.status_history[-1]["by"]
    assert approved_by == reviewer_account.pk

    # The published entry is found by readers, on the search page and through the API.
    searcher.open("/en/practices/").search_for("peer workers")
    assert title in searcher.result_titles()
    searcher.open_result(title)
    api = page.request.get(site_url("/api/v1/practices/?q=peer+workers&lang=en"))
    assert api.ok
    listed = api.json()
    titles = [item["title"] for item in listed["results"]]
    assert title in titles, json.dumps(listed)[:2000]
    assert "ana@example.org" not in api.text()
