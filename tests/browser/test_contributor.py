"""The contributor's journey through the form, in a real browser, in English and Arabic.

On a phone (390 px, touch) and a desktop screen (1366 px): every step filled, a mistake
corrected without losing anything, a draft saved, the private link followed from the e-mail
(read from the test outbox: the live server runs in this process) on another device, the
check page, one part changed through its link, the example sent. axe-core and the Nu Html
Checker find nothing on any page shown, and no page scrolls sideways. The Arabic example on
a phone goes on into review: the reviewer, mailed, asks for changes from the dashboard's
"Awaiting your review" list, and the contributor's mail and status page are in Arabic,
right to left.

These tests write through the live server, so they use a transactional database (restored
afterwards from the serialised copy) and build their own site skeleton.
"""

import os
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django.utils import translation
from django_countries import countries
from playwright.sync_api import expect

from practices.models import CooperationModel, CRPDArticle, GuidingQuestion, Submission
from practices.models.workflow import REVIEWERS
from tests.browser.checks import check_html, describe_violations, run_axe
from tests.browser.contributions import Contributor, fill_example
from tests.browser.visitor import KeyboardUser

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1366, "height": 900}}
SMALLEST = {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True}

#: What the contributor types, in their language.
TEXT = {
    "en": {
        "title": "Mobile rehabilitation teams paid from pooled district budgets",
        "summary": "Three districts pooled part of their budgets to pay mobile teams.",
        "answer": "A budget line agreed by the district councils for five years.",
        "funder": "District councils",
        "source": "Evaluation of the mobile teams",
        "name": "Ana Contributor",
    },
    "ar": {
        "title": "فرق تأهيل متنقلة تموّلها ميزانيات المقاطعات المشتركة",
        "summary": "جمعت ثلاث مقاطعات جزءاً من ميزانياتها لتمويل فرق متنقلة.",
        "answer": "بند في الميزانية أقرّته مجالس المقاطعات لمدة خمس سنوات.",
        "funder": "مجالس المقاطعات",
        "source": "تقييم الفرق المتنقلة",
        "name": "آنا المساهمة",
    },
}
DRAFT_EMAIL = "ana@example.org"
#: How the form names a CRPD article (the site's catalogue translates it).
NUMBERED_ARTICLE = "Art. %(number)s – %(title)s"
CONSENTS = (
    "I agree that the example (not my contact details) is published under the "
    "Creative Commons Attribution 4.0 licence after review.",
    "I agree that the editors use my contact details to discuss this example with me; "
    "they are never published.",
)


#: Set to a directory (docs/images) to keep screenshots of the journey for the documentation.
SCREENSHOTS = os.environ.get("ALIANZAS_SCREENSHOTS")
#: The journeys photographed, and the pages kept of each.
PHOTOGRAPHED = {
    ("desktop", "en"): {"change-step-3", "check"},
    ("phone", "ar"): {"resumed-step-4"},
}


class Scans:
    """axe-core, the Nu Html Checker and the overflow check on every page the person sees."""

    def __init__(self, tmp_path, journey=None):
        self.tmp_path = tmp_path
        self.journey = journey
        self.axe = []
        self.overflow = []
        self.files = []

    def __call__(self, contributor, name):
        page = contributor.page
        # The document as the browser built it (the picker's markup included), before axe
        # adds its own script.
        file = self.tmp_path / f"{len(self.files):02d}-{name}.html"
        file.write_text(page.content())
        self.files.append(file)
        if SCREENSHOTS and name in PHOTOGRAPHED.get(self.journey, ()):
            screen, language = self.journey
            path = Path(SCREENSHOTS) / f"contribution-{name}-{language}-{screen}.png"
            if name == "change-step-3":  # the countries picker, in use
                page.locator(".country-picker").screenshot(path=path)
            else:
                page.screenshot(path=path)
        violations = run_axe(page)
        if violations:
            self.axe.append(f"{name} {page.url}:\n{describe_violations(violations)}")
        fits, widths = contributor.no_horizontal_overflow()
        if not fits:
            self.overflow.append(f"{name} {page.url}: scroll width {widths[0]} > {widths[1]}")

    def assert_clean(self, vnu_command):
        assert not self.axe, "axe-core violations:\n" + "\n".join(self.axe)
        assert not self.overflow, "horizontal overflow:\n" + "\n".join(self.overflow)
        errors = check_html(vnu_command, self.files)
        assert not errors, "Nu Html Checker errors:\n" + "\n".join(
            f"{name}:\n  " + "\n  ".join(messages) for name, messages in sorted(errors.items())
        )


def labels(language):
    """Labels the contributor reads on step 3, in their language."""
    with translation.override(language):
        article = CRPDArticle.objects.get(article=26)
        return {
            "model": CooperationModel.objects.get(slug="regional-cooperation").get_label(),
            "question": GuidingQuestion.objects.get(slug="q1").get_label(),
            "article": translation.gettext(NUMBERED_ARTICLE)
            % {"number": 26, "title": article.get_label()},
            "senegal": str(countries.name("SN")),
            "mali": str(countries.name("ML")),
        }


def private_link_from_outbox(address):
    (message,) = [message for message in mail.outbox if message.to == [address]]
    return re.search(r"https?://\S+/submit/link/\S+/", message.body).group()


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_contributor_fills_saves_resumes_checks_changes_and_sends(
    browser, contribution_site, site_url, vnu_command, tmp_path, language, screen
):
    device = PHONE if screen == "phone" else DESKTOP
    text, label = TEXT[language], labels(language)
    scan = Scans(tmp_path, journey=(screen, language))
    # The Arabic example on a phone goes on into review: a reviewer is there to be mailed.
    reviewed = (screen, language) == ("phone", "ar")
    if reviewed:
        reviewer = User.objects.create_user("ines", "ines@example.org", REVIEWER_PASSWORD)
        reviewer.groups.add(Group.objects.get(name=REVIEWERS))
    first_device = browser.new_context(**device)
    person = Contributor(first_device.new_page(), site_url, language, touch=screen == "phone")
    t = person.t
    try:
        # Step 1, sent without a title: the error is listed, nothing typed is lost.
        person.open_form().expect_step(1)
        expect(person.page.locator("html")).to_have_attribute(
            "dir", "rtl" if language == "ar" else "ltr"
        )
        scan(person, "step-1")
        person.fill("Summary", text["summary"])
        person.fill("Start year", "2019")
        person.next()
        summary = person.page.locator(".error-summary[role=alert]")
        required = t("This field is required.")
        expect(summary.get_by_role("link")).to_have_text(
            [t("%(label)s: %(message)s", label=t("Title of the example"), message=required)]
        )
        expect(person.field("Summary")).to_have_value(text["summary"])
        expect(person.field("Start year")).to_have_value("2019")
        scan(person, "step-1-error")
        person.fill("Title of the example", text["title"])
        person.next()

        # Step 2: a guiding question ticked and answered.
        person.expect_step(2)
        expect(person.page.get_by_text(text["title"])).to_be_visible()
        scan(person, "step-2")
        person.tick(label["question"])
        person.page.get_by_label(t("Your answer to question %(number)s", number=1)).fill(
            text["answer"]
        )
        person.next()

        # Step 3: a model, a country through the search picker, a CRPD article by number.
        person.expect_step(3)
        scan(person, "step-3")
        person.tick(label["model"])
        person.choose_country(label["senegal"])
        # CRPD articles are read with their numbers.
        person.tick(label["article"])
        person.next()

        # Step 4: a funding row and a source; then the draft is saved and mailed.
        person.expect_step(4)
        scan(person, "step-4")
        person.fill("Source of funds", text["funder"], person.row("Funding", 1), exact=True)
        person.fill("Amount", "120000", person.row("Funding", 1), exact=True)
        person.fill("Currency", "USD", person.row("Funding", 1), exact=True)
        person.fill("Title of the source", text["source"], person.row("Sources", 1), exact=True)
        person.fill(
            "Address (URL)", "https://example.org/evaluation", person.row("Sources", 1), exact=True
        )
        person.save_draft(DRAFT_EMAIL)
        expect(person.page.get_by_text(text["title"])).to_be_visible()
        scan(person, "draft-saved")
    finally:
        first_device.close()

    # Later, on another device: the private link from the e-mail.
    link = private_link_from_outbox(DRAFT_EMAIL)
    assert link.startswith(site_url(f"/{language}/submit/link/"))
    second_device = browser.new_context(**device)
    person = Contributor(second_device.new_page(), site_url, language, touch=screen == "phone")
    try:
        person.page.goto(link)
        person.expect_step(4)  # where they stopped
        expect(person.page.locator(".notice[role=status]")).to_have_text(
            t("Welcome back. You continue where you stopped; everything you typed is kept.")
        )
        expect(person.page.locator(".entry-title")).to_contain_text(text["title"])
        expect(person.field("Source of funds", person.row("Funding", 1), exact=True)).to_have_value(
            text["funder"]
        )
        scan(person, "resumed-step-4")
        person.next()

        # Step 5: the address given for the draft is already the contact address.
        person.expect_step(5)
        expect(person.field("Your email address")).to_have_value(DRAFT_EMAIL)
        scan(person, "step-5")
        person.fill("Your name", text["name"])
        for consent in CONSENTS:
            person.press(person.field(consent))
        person.press_button(t("Save and check your answers"))

        # Check your answers: everything, with the labels of the page's language.
        main = person.expect_check_page()
        for seen in (
            text["title"],
            text["summary"],
            text["answer"],
            label["model"],
            label["senegal"],
            label["article"],
            text["funder"],
            "120,000",  # grouped in thousands in English and Arabic alike
            text["source"],
            "https://example.org/evaluation",
            text["name"],
            DRAFT_EMAIL,
        ):
            expect(main).to_contain_text(seen)
        scan(person, "check")

        # One part changed through its link: back to the check page afterwards.
        person.change("Classification")
        person.expect_step(3)
        person.choose_country(label["mali"])
        scan(person, "change-step-3")
        person.press_button(t("Save and go back to check your answers"))
        main = person.expect_check_page()
        classification = person.page.locator("#part-3")
        expect(classification).to_contain_text(label["mali"])
        expect(classification).to_contain_text(label["senegal"])

        person.press_button(t("Send the example for review"))
        confirmation = person.page.locator(".confirmation[role=status]")
        expect(confirmation).to_contain_text(t("Thank you: your example was sent for review"))
        reference = confirmation.locator("strong").inner_text()
        scan(person, "sent")
        assert not person.failures, person.failures
    finally:
        second_device.close()

    submission = Submission.objects.get(reference=reference)
    assert submission.status == Submission.Status.SUBMITTED
    page = submission.page.specific
    assert page.title == text["title"]
    assert sorted(country.code for country in page.countries) == ["ML", "SN"]
    assert [article.article for article in page.crpd_articles.all()] == [26]
    assert submission.contact_email == DRAFT_EMAIL
    scan.assert_clean(vnu_command)
    if reviewed:
        review_and_read_back_in_arabic(browser, site_url, submission)


REVIEWER_PASSWORD = "a-reviewer-password"
ARABIC_COMMENT = "يرجى إضافة الميزانية السنوية."


def review_and_read_back_in_arabic(browser, site_url, submission):
    """The Arabic example, continued: a reviewer is mailed and asks for changes from the
    dashboard's "Awaiting your review" list; the contributor's mail and status page are in
    Arabic, right to left."""
    reviewer = User.objects.get(username="ines")
    (notice,) = [m for m in mail.outbox if m.to == [reviewer.email]]
    assert submission.reference in notice.subject and "(ar)" in notice.subject
    link = re.search(r"https?://\S+/admin/pages/\d+/edit/", notice.body).group()

    desk = browser.new_context(**DESKTOP)
    try:
        page = desk.new_page()
        failures = []
        page.on("response", lambda r: failures.append(r.url) if r.status >= 400 else None)
        page.goto(link)
        page.get_by_label("Username").fill(reviewer.username)
        page.get_by_label("Password").fill(REVIEWER_PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
        expect(page.locator("#id_title")).to_have_value(TEXT["ar"]["title"])
        # To the dashboard: the example waits there; "Request changes" from its actions.
        page.get_by_role("link", name="Dashboard").click()
        row = page.locator("#awaiting-review-section tbody tr").filter(has_text=TEXT["ar"]["title"])
        expect(row).to_have_count(1)
        row.get_by_role("button", name="Actions").click()
        row.get_by_role("button", name="Request changes").click()
        dialog = page.get_by_role("dialog")
        dialog.get_by_role("textbox").fill(ARABIC_COMMENT)
        with page.expect_navigation():
            dialog.get_by_role("button", name="Request changes").click()
        expect(
            page.locator("#awaiting-review-section tbody tr").filter(has_text=TEXT["ar"]["title"])
        ).to_have_count(0)
        assert "permission" not in page.locator("body").inner_text().lower()
        assert not failures, failures
    finally:
        desk.close()
    submission.refresh_from_db()
    assert submission.status == Submission.Status.CHANGES_REQUESTED
    assert not submission.page.revisions.filter(user=reviewer).exists()

    # The contributor's mail: in Arabic, right to left, with the comment and the private link.
    returned = [m for m in mail.outbox if m.to == [DRAFT_EMAIL]][-1]
    with translation.override("ar"):
        assert (
            translation.gettext("The reviewers ask for changes before publishing your example:")
            in returned.body
        )
    assert ARABIC_COMMENT in returned.body
    html = returned.alternatives[0][0]
    assert 'lang="ar"' in html and 'dir="rtl"' in html
    private = re.search(r"https?://\S+/ar/submit/link/\S+/", returned.body).group()

    phone = browser.new_context(**PHONE)
    try:
        person = Contributor(phone.new_page(), site_url, "ar", touch=True)
        person.page.goto(private)
        html_element = person.page.locator("html")
        expect(html_element).to_have_attribute("lang", "ar")
        expect(html_element).to_have_attribute("dir", "rtl")
        main = person.page.locator("main")
        expect(
            main.get_by_role("heading", name=person.t("The reviewers ask for changes"))
        ).to_be_visible()
        expect(main.locator("blockquote")).to_have_text(ARABIC_COMMENT)
        expect(main).to_contain_text(person.t("Changes requested"))
        expect(main.get_by_role("link", name=person.t("Edit the example"))).to_be_visible()
        fits, widths = person.no_horizontal_overflow()
        assert fits, widths
        assert not person.failures, person.failures
    finally:
        phone.close()


def step_paths(language, reference):
    steps = [f"/{language}/submit/{reference}/step/{number}/" for number in range(1, 6)]
    return [*steps, f"/{language}/submit/{reference}/check/"]


def boxes_apart(page):
    """Labels of the visible checkboxes whose label does not start on the box's line.

    The box must sit beside the first line of its label (before it in the reading
    direction), not above it.
    """
    return page.evaluate(
        """() => {
        const rtl = document.documentElement.dir === 'rtl';
        const apart = [];
        for (const box of document.querySelectorAll('main input[type=checkbox]')) {
          const label = box.labels && box.labels[0];
          if (!label || !box.offsetParent) continue;
          const b = box.getBoundingClientRect();
          const range = document.createRange();
          range.selectNodeContents(label);
          const line = range.getClientRects()[0];
          const sameLine = b.top < line.bottom && b.bottom > line.top;
          const before = rtl ? b.left >= line.right - 1 : b.right <= line.left + 1;
          if (!sameLine || !before) apart.push(label.textContent.trim().slice(0, 60));
        }
        return apart;
      }"""
    )


@pytest.mark.parametrize("language", ["ar", "en", "fr", "es"])
def test_no_step_scrolls_sideways_on_the_smallest_phones(
    browser, contribution_site, site_url, language
):
    """Every step and the check page, filled, at 320 and 390 px wide; boxes beside labels."""
    context = browser.new_context(**SMALLEST)
    try:
        reference = fill_example(context, site_url, language)
        person = Contributor(context.new_page(), site_url, language, touch=True)
        wide, apart = [], []
        for width in (320, 390):
            person.page.set_viewport_size({"width": width, "height": 700})
            for path in step_paths(language, reference):
                person.page.goto(site_url(path))
                fits, widths = person.no_horizontal_overflow()
                if not fits:
                    wide.append(f"{width} px {path}: {widths}")
                apart.extend(f"{width} px {path}: {label}" for label in boxes_apart(person.page))
        assert not wide, "pages wider than the screen:\n" + "\n".join(wide)
        assert not apart, "checkboxes not on the line of their label:\n" + "\n".join(apart)
        assert not person.failures, person.failures
    finally:
        context.close()


def test_countries_picker_by_keyboard_only(browser, contribution_site, site_url):
    """Search, reach a match with the arrow key, tick with Space, remove a choice, continue."""
    context = browser.new_context(**DESKTOP)
    try:
        reference = fill_example(context, site_url, "en")  # Colombia and Peru chosen
        page = context.new_page()
        page.goto(site_url(f"/en/submit/{reference}/step/3/"))
        keyboard = KeyboardUser(page)
        chosen = page.locator(".picker-chosen")
        expect(chosen.get_by_role("button")).to_have_text(["Colombia ×", "Peru ×"])

        keyboard.tab_to("#id_countries_search")
        search = page.get_by_role("searchbox", name="Countries")
        expect(search).to_be_focused()
        keyboard.type("sénég")  # accents do not matter
        expect(page.locator(".picker-count[role=status]")).to_have_text("Countries found: 1")
        keyboard.press("ArrowDown")
        expect(page.get_by_role("checkbox", name="Senegal", exact=True)).to_be_focused()
        keyboard.press("Space")
        expect(page.get_by_role("checkbox", name="Senegal", exact=True)).to_be_checked()
        expect(chosen.get_by_role("button")).to_have_text(["Colombia ×", "Peru ×", "Senegal ×"])
        # Escape goes back to the search box, which Escape then empties.
        keyboard.press("Escape")
        expect(search).to_be_focused()
        keyboard.press("Escape")
        expect(search).to_have_value("")

        keyboard.tab_to("button[aria-label='Remove Colombia']", backwards=True)
        keyboard.press("Enter")
        expect(chosen.get_by_role("button")).to_have_text(["Peru ×", "Senegal ×"])
        expect(page.get_by_role("button", name="Remove Peru")).to_be_focused()
        expect(page.locator(".picker-count[role=status]")).to_have_text("Colombia removed.")

        keyboard.submit_with("#step-form .actions button[value=next]")
        expect(page).to_have_url(site_url(f"/en/submit/{reference}/step/4/"))
        page.goto(site_url(f"/en/submit/{reference}/check/"))
        countries_answer = page.locator("#part-3 dd").filter(has_text="Senegal")
        expect(countries_answer.get_by_role("listitem")).to_have_text(["Peru", "Senegal"])
    finally:
        context.close()
    submission = Submission.objects.get(reference=reference)
    assert submission.form_data["3"]["countries"] == ["PE", "SN"]


def test_countries_without_javascript(browser, contribution_site, site_url):
    """The native list works alone: chosen on a phone with JavaScript off, and kept."""
    context = browser.new_context(**PHONE, java_script_enabled=False)
    try:
        reference = fill_example(context, site_url, "fr")
        page = context.new_page()
        page.goto(site_url(f"/fr/submit/{reference}/step/3/"))
        expect(page.get_by_role("searchbox")).to_have_count(0)
        countries_list = page.get_by_role("listbox", name="Pays")
        expect(countries_list).to_be_visible()
        expect(page.get_by_text("Maintenez la touche Ctrl")).to_be_visible()
        countries_list.select_option(["SN", "ML"])
        with page.expect_navigation():
            page.get_by_role("button", name="Enregistrer et continuer", exact=True).click()
        expect(page).to_have_url(site_url(f"/fr/submit/{reference}/step/4/"))
        page.goto(site_url(f"/fr/submit/{reference}/check/"))
        expect(page.locator("#part-3")).to_contain_text("Sénégal")
        expect(page.locator("#part-3")).to_contain_text("Mali")
    finally:
        context.close()
