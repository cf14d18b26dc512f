"""A translator publishes a French translation in wagtail-localize's editor, in a browser.

The path a translator takes (docs/translation.md): sign in at /admin/, open **Reports →
Translations of entries**, follow the French column of the entry into wagtail-localize's
editor, translate every passage by typing it, then **Publish in Français** in the footer.
An editor started the translation (editors start translations; translators translate).
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

# Publishing from the translation editor happens when the request's transaction commits:
# the server must commit, as in production.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

#: Set to a directory (docs/images) to keep screenshots of the journey for the documentation.
SCREENSHOTS = os.environ.get("ALIANZAS_SCREENSHOTS")

TRANSLATOR_PASSWORD = "a-translator-password"
ENGLISH = {
    "title": "Mobile rehabilitation teams paid from a district fund",
    "slug": "mobile-rehabilitation-teams",
    "summary": "Two districts pool their budgets to pay mobile rehabilitation teams.",
}
FRENCH = {
    "title": "Équipes mobiles de réadaptation payées par un fonds de district",
    "slug": "equipes-mobiles-readaptation",
    "summary": "Deux districts mettent en commun leur budget pour payer des équipes mobiles "
    "de réadaptation.",
}


@pytest.fixture
def french_translation_started(site_server):
    """translator-fr, and a published English entry whose French translation an editor started."""
    from django.contrib.auth.models import Group, User
    from wagtail.models import Locale
    from wagtail_localize.operations import TranslationCreator

    from home.site_structure import ensure_site_structure
    from practices.roles import EDITORS, ensure_group_permissions, translator_group_name
    from practices.vocabularies import load_vocabularies
    from tests.browser.sample_content import add_practice

    load_vocabularies()
    ensure_site_structure()
    ensure_group_permissions()
    translator = User.objects.create_user("translator-fr", "fr@example.org", TRANSLATOR_PASSWORD)
    translator.groups.add(Group.objects.get(name=translator_group_name("fr")))
    editor = User.objects.create_user("editor", "editor@example.org", "an-editor-password")
    editor.groups.add(Group.objects.get(name=EDITORS))
    original = add_practice("en", ENGLISH["title"], ENGLISH["summary"], ENGLISH["slug"])
    TranslationCreator(editor, [Locale.objects.get(language_code="fr")]).create_translations(
        original
    )
    return original, translator


class Watch:
    """Every 4xx/5xx answer from the site, and any "permission" message on screen."""

    def __init__(self, page, site_url):
        self.page = page
        self.base = site_url("")
        self.failures = []
        page.on("response", self.on_response)

    def on_response(self, response):
        if response.url.startswith(self.base) and response.status >= 400:
            self.failures.append(f"{response.status} {response.url}")

    def check(self, step):
        assert not self.failures, f"{step}: {self.failures}"
        text = self.page.locator("body").inner_text()
        assert "permission" not in text.lower(), f"{step}: {text[:2000]}"

    def screenshot(self, name):
        if SCREENSHOTS:
            self.page.screenshot(path=Path(SCREENSHOTS) / f"translation-{name}.png")


def translate_passage(page, source, text):
    """Translate, type the text, Save: what a translator does for each passage."""
    passage = page.locator("li").filter(has=page.locator("p", has_text=source)).last
    passage.get_by_role("button", name="Translate").click()
    box = passage.locator("textarea")
    expect(box).to_be_visible()
    box.press_sequentially(text)
    passage.get_by_role("button", name="Save").click()
    # Saved: the passage shows the translation, and is no longer marked incomplete.
    expect(passage.locator("textarea")).to_have_count(0)
    expect(passage).to_contain_text(text)
    expect(passage).not_to_have_class(re.compile(r"\bincomplete\b"))


def test_translator_translates_an_entry_and_publishes_it_in_french(
    page, site_url, french_translation_started
):
    original, translator = french_translation_started
    watch = Watch(page, site_url)
    page.set_viewport_size({"width": 1366, "height": 900})

    # Sign in at /admin/.
    page.goto(site_url("/admin/"))
    page.get_by_label("Username").fill(translator.username)
    page.get_by_label("Password").fill(TRANSLATOR_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="translator-fr")).to_be_visible()
    watch.check("dashboard")

    # Reports → Translations of entries.
    page.get_by_role("button", name="Reports").click()
    page.get_by_role("link", name="Translations of entries").click()
    expect(page.get_by_role("heading", name="Translations of entries")).to_be_visible()
    watch.check("overview")
    row = page.locator("#entry-translations tbody tr").filter(has_text=ENGLISH["title"])
    expect(row.locator('td[data-language="en"]')).to_have_text("Original")
    # Only what the translator may open is a link: not the English original.
    expect(row.locator('td[data-language="en"] a')).to_have_count(0)
    expect(row.get_by_role("link", name=ENGLISH["title"])).to_have_count(0)
    french = row.locator('td[data-language="fr"]')
    expect(french).to_contain_text("Draft")
    expect(french).to_contain_text("0% translated")
    watch.screenshot("overview")

    # The French column leads into wagtail-localize's editor.
    french.get_by_role("link", name="Draft").click()
    expect(
        page.get_by_role("heading", name="English to Français translation").first
    ).to_be_visible()
    watch.check("translation editor")
    footer = page.locator("footer nav.actions")
    primary = footer.locator(".w-dropdown-button").first.locator("> button, > a").first
    expect(primary).to_have_text("Publish in Français")
    expect(primary).to_be_visible()
    # Delete is never the primary action: it waits, hidden, in the "More actions" menu.
    expect(footer.get_by_text("Delete")).to_be_hidden()
    watch.screenshot("editor")

    # Every passage, typed by the translator: title and summary, then the slug (Promote).
    translate_passage(page, ENGLISH["title"], FRENCH["title"])
    translate_passage(page, ENGLISH["summary"], FRENCH["summary"])
    page.get_by_role("tab", name="Promote").click()
    translate_passage(page, ENGLISH["slug"], FRENCH["slug"])
    watch.check("passages translated")
    watch.screenshot("translated")

    # Publish in Français, from the footer.
    with page.expect_navigation():
        primary.click()
    expect(page.get_by_text(f"Published '{FRENCH['title']}' in Français.")).to_be_visible()
    watch.check("published")

    # The French page is live, with the French text.
    response = page.goto(site_url(f"/fr/practices/{FRENCH['slug']}/"))
    assert response.status == 200
    expect(page.locator("h1")).to_have_text(FRENCH["title"])
    expect(page.get_by_text(FRENCH["summary"])).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    watch.check("French page")

    from practices.models import PracticePage

    published = PracticePage.objects.get(locale__language_code="fr", slug=FRENCH["slug"])
    assert published.live and published.translation_key == original.translation_key
    assert published.translation_status == PracticePage.TranslationStatus.REVIEWED
    assert published.live_revision.user_id == translator.pk
