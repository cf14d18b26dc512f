"""From a contribution to its French translation: every role, on the path a person takes.

One continuous journey (each step starts from the e-mail the previous step sent, read from
the test outbox, and clicks what a person clicks; it fails on any 4xx/5xx or "permission"):

1. the contributor sends an example through the public form;
2. the reviewer opens the link of the "New example to review" e-mail, signs in and requests
   changes from the editor's footer, with a comment;
3. the contributor follows the private link of the "changes requested" e-mail, corrects
   the example and sends it again;
4. the reviewer approves and publishes from the editor, through the new e-mail's link;
5. a reader finds the entry on the search page with a query and two facets;
6. an editor starts the French translation with **Translate** in *Reports → Translations
   of entries* (editors start translations: docs/translation.md); translator-fr, signed
   in, follows the French column into wagtail-localize's editor, translates every passage
   and publishes with **Publish in Français**;
7. a reader reads the French page.

Shorter tests here share the live server and browser: rejecting from the editor.
With ALIANZAS_SCREENSHOTS=docs/images the journey keeps the screenshots of
docs/contributions.md and docs/translation.md.
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from practices.models import CooperationModel, PracticePage, Submission
from tests.browser.contributions import submit_example
from tests.browser.reviewing import (
    CONTRIBUTOR,
    EDITOR_PASSWORD,
    PASSWORD,
    TITLE,
    TRANSLATOR_PASSWORD,
    Watch,
    last_mail,
    sign_in,
)
from tests.browser.visitor import Searcher

# Publishing happens when the request's transaction commits: the server must commit.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

#: Set to a directory (docs/images) to keep screenshots of the journey for the documentation.
SCREENSHOTS = os.environ.get("ALIANZAS_SCREENSHOTS")

SUMMARY = "Three neighbouring States pooled money for prosthetics."
CORRECTED_SUMMARY = "Three neighbouring States pooled money for prosthetics: USD 120,000."
COMMENT = "Please add the budget."
FRENCH = {
    "title": "Ateliers mobiles de réparation de prothèses, tenus avec des survivants",
    "summary": "Trois États voisins ont mis en commun des fonds pour les prothèses : 120 000 USD.",
    "slug": "ateliers-mobiles-protheses",
}


def screenshot(target, name):
    """Keep `target` (a page or an element) as docs/images/<name>.png when asked to."""
    if SCREENSHOTS:
        target.screenshot(path=Path(SCREENSHOTS) / f"{name}.png", animations="disabled")


def link_in(message, pattern):
    match = re.search(pattern, message.body)
    assert match, message.body
    return match.group(0)


EDIT_LINK = r"https?://\S+/admin/pages/\d+/edit/"


def open_decision(page, link, action, shot=None):
    """From the e-mail's link: the editor, its footer's actions menu, then `action`."""
    page.goto(link)
    footer = page.locator("footer")
    footer.get_by_role("button", name="More actions").click()
    if shot:
        screenshot(page, shot)
    footer.get_by_role("button", name=action).click()


def decide_from_the_editor(page, link, action, comment=None, shots=(None, None)):
    """`action` from the editor's footer; with a comment typed in the dialog it opens."""
    if comment is None:
        with page.expect_navigation():
            open_decision(page, link, action, shots[0])
        return
    open_decision(page, link, action, shots[0])
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("textbox").fill(comment)
    if shots[1]:
        screenshot(dialog, shots[1])
    with page.expect_navigation():
        dialog.get_by_role("button", name=action).click()


def revision_changes(entry):
    """What the last revision changed, said when a reviewer's revision appears."""
    *_, before, after = [None, *entry.revisions.order_by("pk")]
    if before is None:
        return "one revision only"
    a, b = before.content, after.content
    return {key: (a.get(key), b.get(key)) for key in set(a) | set(b) if a.get(key) != b.get(key)}


def translate_passage(page, source, text):
    """Translate, type the text, Save: what a translator does for each passage."""
    passage = page.locator("li").filter(has=page.locator("p", has_text=source)).last
    passage.get_by_role("button", name="Translate").click()
    box = passage.locator("textarea")
    expect(box).to_be_visible()
    box.fill(text)
    # Saved when the server says so (the editor shows it before): publishing must not
    # overtake the last save.
    with page.expect_response(
        lambda r: r.request.method != "GET" and "/localize/" in r.url
    ) as saved:
        passage.get_by_role("button", name="Save").click()
    assert saved.value.ok, saved.value.status
    # Saved: the passage shows the translation, and is no longer marked incomplete.
    expect(passage.locator("textarea")).to_have_count(0)
    expect(passage).to_contain_text(text)
    expect(passage).not_to_have_class(re.compile(r"\bincomplete\b"))


def test_an_example_goes_from_the_form_through_review_to_a_french_translation(
    browser, page, site_url, roles
):
    reviewer, editor, translator = roles["reviewer"], roles["editor"], roles["translator"]
    watch = Watch(page, site_url)

    # 1. The contributor sends an example (their own browser).
    contributor = browser.new_context()
    try:
        _confirmation, reference = submit_example(contributor, site_url, "en", title=TITLE)
        submission = Submission.objects.get(reference=reference)

        # 2. The reviewer's e-mail links to the entry in the editor; they sign in on the way.
        new_example = last_mail(reviewer.email, "/admin/pages/", "New example to review")
        assert reference in new_example.subject
        edit_link = link_in(new_example, EDIT_LINK)
        page.goto(edit_link)
        sign_in(page, reviewer, PASSWORD)
        expect(page.locator("#id_title")).to_have_value(TITLE)
        decide_from_the_editor(
            page,
            edit_link,
            "Request changes",
            COMMENT,
            shots=("review-editor-actions", "review-request-changes"),
        )
        expect(page.get_by_text(f"Page '{TITLE}' has been updated.")).to_be_visible()
        expect(page).to_have_url(site_url("/admin/"))  # back on the dashboard
        watch.check("changes requested")
        submission.refresh_from_db()
        assert submission.status == Submission.Status.CHANGES_REQUESTED

        # 3. The contributor is told what to change, follows the private link, sends again.
        returned = last_mail(CONTRIBUTOR, COMMENT)
        private = link_in(returned, r"https?://\S+/link/\S+/")
        tab = contributor.new_page()
        tab_watch = Watch(tab, site_url)
        tab.goto(private)
        # The link shows the example, the reviewer's comment and a way to edit it.
        expect(tab.get_by_text(COMMENT)).to_be_visible()
        expect(tab.locator("main")).to_contain_text(TITLE)
        screenshot(tab.locator("main"), "review-changes-requested-status")
        tab.get_by_role("link", name="Edit the example").click()
        tab.locator("#id_summary").fill(CORRECTED_SUMMARY)
        check = site_url(f"/en/submit/{reference}/check/")
        for _step in range(5):
            tab.get_by_role(
                "button", name=re.compile("^Save and (continue|check your answers)$")
            ).click()
            tab.wait_for_load_state()
            if tab.url == check:
                break
        expect(tab).to_have_url(check)
        expect(tab.get_by_text(CORRECTED_SUMMARY)).to_be_visible()
        tab.get_by_role("button", name="Send").click()
        expect(tab).to_have_url(site_url(f"/en/submit/{reference}/"))
        tab_watch.check("sent again")
        submission.refresh_from_db()
        assert submission.status == Submission.Status.SUBMITTED
    finally:
        contributor.close()

    # 4. The reviewer approves from the editor, through the new e-mail's link.
    resent = last_mail(reviewer.email, "/admin/pages/", "New example to review")
    assert resent is not new_example
    decide_from_the_editor(page, link_in(resent, EDIT_LINK), "Approve and publish")
    expect(page.get_by_text(f"Page '{TITLE}' has been updated.")).to_be_visible()
    watch.check("approved")
    entry = PracticePage.objects.get(pk=submission.page_id)
    assert entry.live
    assert entry.summary == CORRECTED_SUMMARY
    assert not entry.revisions.filter(user=reviewer).exists(), (
        revision_changes(entry),
        watch.background_posts,
    )
    published = last_mail(CONTRIBUTOR, entry.url, "")
    assert reference in published.subject

    # 5. A reader finds it: a query, then two facets that keep it.
    model = CooperationModel.objects.get(slug="regional-cooperation").get_short_label()
    reader = browser.new_context()
    try:
        searcher = Searcher(reader.new_page(), site_url).open("/en/practices/")
        searcher.search_for("prosthetic limbs")
        assert TITLE in searcher.result_titles()
        # The country list is folded: the reader opens it, then ticks Colombia.
        searcher.page.locator("summary").filter(has_text=re.compile("^Country$")).click()
        searcher.tick("Country", "Colombia")
        searcher.tick("Cooperation model", model)
        assert searcher.result_titles() == [TITLE]
        searcher.open_result(TITLE)
        expect(searcher.page.get_by_text(CORRECTED_SUMMARY)).to_be_visible()
    finally:
        reader.close()

    # 6a. An editor starts the French translation from the translations overview.
    editing = browser.new_context(viewport={"width": 1366, "height": 900})
    try:
        desk = editing.new_page()
        desk_watch = Watch(desk, site_url)
        desk.goto(site_url("/admin/"))
        sign_in(desk, editor, EDITOR_PASSWORD)
        desk.get_by_role("button", name="Reports").click()
        desk.get_by_role("link", name="Translations of entries").click()
        row = desk.locator("#entry-translations tbody tr").filter(has_text=TITLE)
        expect(row.locator('td[data-language="fr"]')).to_contain_text("Not translated")
        row.get_by_role("link", name="Translate").click()
        desk.get_by_role("checkbox", name="Français").check()
        with desk.expect_navigation():
            desk.get_by_role("button", name="Submit").click()
        desk_watch.check("translation started")
    finally:
        editing.close()

    # 6b. translator-fr signs in and follows the French column into the translation editor.
    translating = browser.new_context(viewport={"width": 1366, "height": 900})
    try:
        desk = translating.new_page()
        desk_watch = Watch(desk, site_url)
        desk.goto(site_url("/admin/"))
        sign_in(desk, translator, TRANSLATOR_PASSWORD)
        expect(desk.get_by_role("button", name="translator-fr")).to_be_visible()
        desk.get_by_role("button", name="Reports").click()
        desk.get_by_role("link", name="Translations of entries").click()
        row = desk.locator("#entry-translations tbody tr").filter(has_text=TITLE)
        expect(row.locator('td[data-language="en"]')).to_have_text("Original")
        # Only what the translator may open is a link: not the original, nor "Translate".
        expect(row.get_by_role("link", name=TITLE)).to_have_count(0)
        expect(row.get_by_role("link", name="Translate")).to_have_count(0)
        french = row.locator('td[data-language="fr"]')
        expect(french).to_contain_text("0% translated")
        screenshot(desk, "translation-overview")
        french.get_by_role("link", name="Draft").click()
        expect(
            desk.get_by_role("heading", name="English to Français translation").first
        ).to_be_visible()
        footer = desk.locator("footer nav.actions")
        primary = footer.locator(".w-dropdown-button").first.locator("> button, > a").first
        expect(primary).to_have_text("Publish in Français")
        # Delete is never the primary action: it waits, hidden, in the "More actions" menu.
        expect(footer.get_by_text("Delete")).to_be_hidden()
        screenshot(desk, "translation-editor")

        # Every passage, typed by the translator: the Content tab, then the slug (Promote).
        for source in (TITLE, CORRECTED_SUMMARY):
            passage = desk.locator("li").filter(has=desk.locator("p", has_text=source)).last
            expect(passage).to_be_visible()
        untranslated = desk.locator("li.incomplete")
        translate_passage(desk, TITLE, FRENCH["title"])
        translate_passage(desk, CORRECTED_SUMMARY, FRENCH["summary"])
        # The example's other passages (answers, results, participation...), as typed, tab
        # after tab as the editor groups them (a case study's tabs), the slug last.
        tabs = desk.get_by_role("tab")
        names = [tabs.nth(i).inner_text().strip() for i in range(tabs.count())]
        for name in [name for name in names if name and name != "Promote"]:
            desk.get_by_role("tab", name=name, exact=True).click()
            while untranslated.filter(visible=True).count():
                passage = untranslated.filter(visible=True).first
                source = passage.locator("p").first.inner_text()
                translate_passage(desk, source, f"[fr] {source}")
        desk.get_by_role("tab", name="Promote").click()
        translate_passage(desk, entry.slug, FRENCH["slug"])
        expect(desk.locator("li.incomplete")).to_have_count(0)
        desk_watch.check("passages translated")
        screenshot(desk, "translation-translated")

        with desk.expect_navigation():
            primary.click()
        expect(desk.get_by_text(f"Published '{FRENCH['title']}' in Français.")).to_be_visible()
        desk_watch.check("published in French")
    finally:
        translating.close()

    # 7. A reader reads the French page.
    response = page.goto(site_url(f"/fr/practices/{FRENCH['slug']}/"))
    assert response.status == 200
    expect(page.locator("h1")).to_have_text(FRENCH["title"])
    expect(page.get_by_text(FRENCH["summary"])).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    watch.check("French page")
    french_page = PracticePage.objects.get(locale__language_code="fr", slug=FRENCH["slug"])
    assert french_page.live and french_page.translation_key == entry.translation_key
    assert french_page.translation_status == PracticePage.TranslationStatus.REVIEWED
    assert french_page.live_revision.user_id == translator.pk


def test_reviewer_rejects_from_the_editor_with_a_reason(browser, page, site_url, roles):
    reviewer = roles["reviewer"]
    watch = Watch(page, site_url)
    contributor = browser.new_context()
    try:
        _confirmation, reference = submit_example(contributor, site_url, "en", title=TITLE)
    finally:
        contributor.close()
    link = link_in(last_mail(reviewer.email, reference, "New example to review"), EDIT_LINK)
    page.goto(link)
    sign_in(page, reviewer, PASSWORD)
    reason = "Outside the scope of victim assistance."
    decide_from_the_editor(page, link, "Reject", reason)
    expect(page.get_by_text(f"Page '{TITLE}' has been updated.")).to_be_visible()
    watch.check("rejected")

    submission = Submission.objects.get(reference=reference)
    assert submission.status == Submission.Status.REJECTED
    rejected = last_mail(CONTRIBUTOR, reason)
    assert reference in rejected.subject
    entry = PracticePage.objects.get(pk=submission.page_id)
    assert not entry.live
    assert entry.live_revision is None
    assert not entry.revisions.filter(user=reviewer).exists(), (
        revision_changes(entry),
        watch.background_posts,
    )
    # Nothing reaches readers: the entry is not on the site.
    response = page.goto(site_url(f"/en/practices/{entry.slug}/"))
    assert response.status == 404
