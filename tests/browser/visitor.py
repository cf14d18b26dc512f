"""What a person does on the public site, as steps the journeys share.

Each step acts as a user would (links found by their visible name, the language switcher by
its label) and checks what the user would see. Searcher adds the steps of the search
page (typing a query, ticking facet values, reading the announced count).
"""

import re

from playwright.sync_api import expect


class Visitor:
    def __init__(self, page, site_url):
        self.page = page
        self.site_url = site_url

    def open(self, path):
        self.page.goto(self.site_url(path))
        return self

    @property
    def language(self):
        return self.page.locator("html").get_attribute("lang")

    def heading(self):
        return self.page.locator("main h1")

    def follow_cooperation_model(self, label):
        """On the home page: follow a cooperation model card to the listing."""
        models = self.page.locator("section[aria-labelledby='models-heading']")
        models.get_by_role("link", name=label, exact=True).click()
        expect(self.page).to_have_url(re.compile(r"/practices/\?cooperation_model="))
        return self

    def open_result(self, title):
        """On the listing: open an entry by its title."""
        self.page.locator("main").get_by_role("link", name=title, exact=True).click()
        expect(self.heading()).to_have_text(title)
        return self

    def switch_language(self, name_local):
        """Use the language switcher, by the language's own name (e.g. "العربية")."""
        switcher = self.page.locator("nav.language-switcher")
        switcher.get_by_role("link", name=name_local, exact=True).click()
        return self

    def expect_direction(self, direction):
        html = self.page.locator("html")
        expect(html).to_have_attribute("dir", direction)
        brand, nav = (
            self.page.locator(selector).first.bounding_box()["x"]
            for selector in (".site-header .brand", ".site-header nav")
        )
        assert (brand > nav) == (direction == "rtl"), "the header is not laid out in reading order"
        return self


class Searcher(Visitor):
    """On the search page: types a query, ticks facet values, reads the count."""

    def search_for(self, text):
        box = self.page.get_by_role("searchbox", name=re.compile("Search the practices"))
        box.fill(text)
        box.press("Enter")
        expect(self.page).to_have_url(re.compile(r"[?&]q="))
        return self

    def tick(self, group, label):
        """Tick the value labelled `label` in the filter group `group` (its legend).

        The optional script applies the filter at once; without it, "Apply filters" does.
        """
        fieldset = self._group(group)
        checkbox = fieldset.get_by_role("checkbox", name=re.compile("^" + re.escape(label)))
        before = self.page.url
        if self.page.locator("form.auto-submit").count() == 0:
            checkbox.click()
            with self.page.expect_navigation():
                self.page.get_by_role("button", name="Apply filters").click()
        else:  # the script updates the page in place and the address with it
            checkbox.click()
            self.page.wait_for_function("(before) => location.href !== before", arg=before)
            self.wait_for_count()
        assert self.page.url != before
        return self

    def wait_for_count(self):
        """Until the script has written the new count into the live region."""
        self.page.wait_for_function(
            """() => !document.querySelector('form[aria-busy]') &&
            document.querySelector('.result-count[role=status]').textContent.trim() !== ''"""
        )

    def _group(self, group):
        legend = self.page.locator("legend").filter(has_text=re.compile(f"^{re.escape(group)}$"))
        return self.page.locator("fieldset.facet").filter(has=legend)

    def is_ticked(self, group, label):
        fieldset = self._group(group)
        return fieldset.get_by_role(
            "checkbox", name=re.compile("^" + re.escape(label))
        ).is_checked()

    def count(self):
        """The number announced in the result count (a live region)."""
        text = self.page.locator(".result-count[role=status]").inner_text()
        return int(re.search(r"\d+", text).group())

    def result_titles(self):
        return self.page.locator(".result h3").all_inner_texts()


class KeyboardUser:
    """Moves with Tab and Shift+Tab, acts with Space and Enter, types: never a pointer.

    CSS selectors only tell which element the user has reached (as a sighted keyboard user
    sees the focus ring, or a screen reader announces the control); they never act.
    """

    def __init__(self, page, limit=200):
        self.page = page
        self.limit = limit

    def focused(self):
        return self.page.evaluate(
            """() => { const e = document.activeElement;
            return {tag: e.tagName.toLowerCase(), id: e.id, name: e.getAttribute('name'),
                    cls: e.className, text: (e.innerText || '').trim().slice(0, 120),
                    href: e.getAttribute('href'), checked: !!e.checked,
                    value: e.value === undefined ? null : e.value}; }"""
        )

    def is_at(self, selector):
        return self.page.evaluate("(s) => document.activeElement.matches(s)", selector)

    def tab_to(self, selector, backwards=False):
        """Press Tab (or Shift+Tab) until the focus reaches `selector`."""
        key = "Shift+Tab" if backwards else "Tab"
        path = []
        for _ in range(self.limit):
            self.page.keyboard.press(key)
            if self.is_at(selector):
                return self
            path.append(self.focused())
        raise AssertionError(f"{key} never reached {selector}; passed {path[-10:]}")

    def type(self, text, replace=False):
        if replace:
            self.page.keyboard.press("ControlOrMeta+A")
        self.page.keyboard.type(text)
        return self

    def press(self, key):
        self.page.keyboard.press(key)
        return self

    def submit_with(self, selector, key="Enter"):
        """Reach a button and press it; wait for the next page."""
        self.tab_to(selector)
        with self.page.expect_navigation():
            self.page.keyboard.press(key)
        return self
