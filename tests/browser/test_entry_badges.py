"""A reader sees where an entry comes from and how it stands, on a phone and a desktop, in
the four languages: badges that wrap inside the screen, and a filter on them that works."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LANGUAGES
from tests.browser.test_everyday_accessibility import OVERFLOW_SCRIPT
from tests.conftest import translated

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PHONE = {"width": 390, "height": 844}

#: Where each badge sits: its box, and whether it is inside the screen.
BADGES_SCRIPT = """() => [...document.querySelectorAll('.badges .badge')].map((e) => {
  const r = e.getBoundingClientRect();
  return {text: e.textContent.trim(), top: Math.round(r.top), left: r.left, right: r.right};
})"""


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_on_a_phone_the_badges_wrap_inside_the_screen(phone, site_url, sample_site, language):
    for path in (sample_site.practice_path(language), f"/{language}/practices/"):
        phone.goto(site_url(path))
        badges = phone.evaluate(BADGES_SCRIPT)
        assert badges, path
        outside = [b for b in badges if b["left"] < -1 or b["right"] > PHONE["width"] + 1]
        assert not outside, f"{path}: badges cut off {outside}"
        overflow = phone.evaluate(OVERFLOW_SCRIPT)
        assert overflow["page"] <= overflow["width"] and not overflow["out"], (path, overflow)
    # On the entry, three badges of status, evidence and participation take more than a line.
    phone.goto(site_url(sample_site.practice_path(language)))
    rows = {badge["top"] for badge in phone.evaluate(BADGES_SCRIPT)}
    assert len(rows) > 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_reader_ticks_survivor_led_and_reads_only_such_entries(
    page, site_url, sample_site, language
):
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(site_url(f"/{language}/practices/"))
    total = page.locator(".result").count()
    section = page.locator("details.facet-section[data-facet=results]")
    section.locator("summary").click()
    label = translated(language, "Survivor-led")
    page.get_by_label(label, exact=False).check()
    expect(page.locator("#facet-participation-survivor-led")).to_be_checked()
    badge = translated(
        language,
        "%(group)s: %(value)s",
        group=translated(language, "Survivor participation"),
        value=label,
    )
    results = page.locator(".result")
    expect(results).not_to_have_count(total)
    assert 0 < results.count() < total
    for index in range(results.count()):
        expect(results.nth(index).locator(".badges")).to_contain_text(badge)
    assert "participation=survivor-led" in page.url
