"""The contribution form driven over HTTP from a browser context (its cookies, its session).

The scans need the form's later pages (with errors, the check page, the confirmation) in
every language; going through the steps by hand in each is the contributor's journey, done
in test_contributor.py. Here the context's request API posts the steps as the browser would, so
that the pages are then opened in a real tab with the same session.
"""

import re
from http import HTTPStatus
from urllib.parse import urlencode

from django.utils import translation
from playwright.sync_api import expect

from tests.submit.conftest import STEP_DATA

FORM_FIELDS = ("csrfmiddlewaretoken", "form_stamp", "form_key")


def hidden_fields(html):
    fields = {}
    for name in FORM_FIELDS:
        match = re.search(rf'name="{name}" value="([^"]*)"', html)
        if match:
            fields[name] = match.group(1)
    return fields


def post_step(context, url, data, action="next"):
    """GET the page (fresh stamp and CSRF token), then POST it; returns the final response."""
    page = context.request.get(url)
    assert page.status == HTTPStatus.OK, f"{url}: {page.status}"
    form = {**hidden_fields(page.text()), **data, "action": action}
    # Encoded by hand: Playwright's `form=` takes one value per name, and a step may send
    # several (ticked checkboxes).
    return context.request.post(
        url,
        data=urlencode(form, doseq=True),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Referer": url},
    )


#: The structured answers of a complete example: at the guiding questions and with the results.
STRUCTURED_ANSWERS = {
    2: {"rights_markers": ["accessible-services"], "participation": "involved"},
    4: {
        "status": "completed",
        "evidence": "monitored",
        "beneficiaries_total": "1500",
        "beneficiaries_women": "700",
        "beneficiaries_men": "800",
        "beneficiaries_year": "2022",
        "sustainability": "The ministry kept the centres open.",
    },
}


def fill_example(context, site_url, language, title=None):
    """Fill the five steps of a complete example; return its reference, on the check page."""
    data = {number: dict(values) for number, values in STEP_DATA.items()}
    for number, answers in STRUCTURED_ANSWERS.items():
        data[number].update(answers)
    if title:
        data[1]["title"] = title
    response = post_step(context, site_url(f"/{language}/submit/"), data[1])
    assert response.ok, response.text()[:2000]
    match = re.search(rf"/{language}/submit/([^/]+)/step/2/", response.url)
    assert match, f"first step did not lead to step 2: {response.url}"
    reference = match.group(1)
    for number in range(2, 6):
        url = site_url(f"/{language}/submit/{reference}/step/{number}/")
        response = post_step(context, url, data[number])
        assert response.ok, response.text()[:2000]
    check = site_url(f"/{language}/submit/{reference}/check/")
    assert response.url == check, f"step 5 led to {response.url}"
    return reference


def send_example(context, site_url, language, reference):
    """Press "Send" on the check page; return the confirmation's URL."""
    response = post_step(
        context, site_url(f"/{language}/submit/{reference}/check/"), {}, action="submit"
    )
    assert response.ok, response.text()[:2000]
    confirmation = site_url(f"/{language}/submit/{reference}/")
    assert response.url == confirmation, f"sending led to {response.url}"
    return confirmation


def submit_example(context, site_url, language, title=None):
    """Send a complete example (five steps, then "Send" on the check page).

    Returns the confirmation's URL and the reference.
    """
    reference = fill_example(context, site_url, language, title)
    return send_example(context, site_url, language, reference), reference


class Contributor:
    """A person filling the form in a browser tab, in their language.

    Fields, buttons and links are found by what the person reads on screen (their label or
    name in the page's language, from the same catalogue the site uses); on a touch screen
    they are tapped. Every page shown is kept for the checks (axe-core, Nu, overflow).
    """

    def __init__(self, page, site_url, language, touch=False):
        self.page = page
        self.site_url = site_url
        self.language = language
        self.touch = touch
        self.failures = []
        page.on("response", self._record_failure)

    def _record_failure(self, response):
        if response.status >= 400:
            self.failures.append(f"{response.status} {response.url}")

    def t(self, msgid, /, **values):
        """`msgid` as the site shows it in the contributor's language."""
        with translation.override(self.language):
            text = translation.gettext(msgid)
        return text % values if values else text

    # -- acting -------------------------------------------------------------------------
    def press(self, locator):
        if self.touch:
            locator.tap()
        else:
            locator.click()

    def press_button(self, name):
        """Press a button that loads another page (the step's, the check page's)."""
        with self.page.expect_navigation():
            self.press(self.page.get_by_role("button", name=name, exact=True))

    def field(self, label, scope=None, exact=False):
        return (scope or self.page).get_by_label(self.t(label), exact=exact)

    def fill(self, label, value, scope=None, exact=False):
        self.field(label, scope, exact).fill(value)

    def tick(self, name, scope=None):
        box = (scope or self.page.locator("main")).get_by_role("checkbox", name=name, exact=True)
        self.press(box)
        expect(box).to_be_checked()

    def group(self, name, scope=None):
        return (scope or self.page).get_by_role("group", name=name, exact=True)

    def row(self, formset_heading, number):
        """Row `number` of the rows of a heading ("Funding", "Sources") on step 4."""
        rows = self.group(self.t(formset_heading))
        return self.group(self.t("Row %(number)s", number=number), rows)

    # -- the form -----------------------------------------------------------------------
    def open_form(self):
        self.page.goto(self.site_url(f"/{self.language}/submit/"))
        return self

    def expect_step(self, number):
        expect(self.page.locator(".progress-label")).to_have_text(
            self.t("Step %(number)s of %(count)s", number=number, count=5)
        )
        expect(self.page.locator("html")).to_have_attribute("lang", self.language)

    def next(self):
        self.press_button(self.t("Save and continue"))

    def choose_country(self, name):
        """Search the countries picker for `name` and tick it in the list of matches."""
        search = self.page.get_by_role("searchbox", name=self.t("Countries"))
        search.fill(name[:4])
        expect(self.page.locator(".picker-count")).to_contain_text(
            self.t("Countries found: %(count)s", count="")
        )
        matches = self.group(self.t("Countries"))
        self.tick(name, matches)
        chosen = self.page.locator(".picker-chosen")
        remove = self.t("Remove %(name)s", name=name)
        expect(chosen.get_by_role("button", name=remove)).to_be_visible()

    def save_draft(self, email):
        self.fill("Email address for the private link", email)
        self.press_button(self.t("Save draft and email me the link"))
        expect(self.page.get_by_role("heading", name=self.t("Your draft is saved"))).to_be_visible()

    def change(self, step_title):
        """On the check page: follow the "Change" link of a part."""
        name = f"{self.t('Change')} {self.t(step_title)}"
        with self.page.expect_navigation():
            self.press(self.page.get_by_role("link", name=name, exact=True))

    def expect_check_page(self):
        heading = self.t("Check your answers before sending")
        expect(self.page.get_by_role("heading", name=heading)).to_be_visible()
        return self.page.locator("main")

    def no_horizontal_overflow(self):
        widths = self.page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        return widths[0] <= widths[1], widths
