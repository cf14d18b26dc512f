"""The people and helpers of the review journeys (test_review_from_email, _from_listing).

The ``roles`` fixture that creates these people is in conftest.py.
"""

from django.core import mail

PASSWORD = "a-reviewer-password"
TRANSLATOR_PASSWORD = "a-translator-password"
EDITOR_PASSWORD = "an-editor-password"
CONTRIBUTOR = "ana@example.org"
TITLE = "Mobile repair workshops for prosthetic limbs, run with survivors"


class Watch:
    """Every 4xx/5xx answer from the site in a tab, and any "permission" message on screen."""

    def __init__(self, page, site_url):
        self.page = page
        self.base = site_url("")
        self.failures = []
        #: Saves the page's scripts sent on their own (Wagtail's autosave): the reason to
        #: look at first when a reviewer's revision appears.
        self.background_posts = []
        page.on("response", self.on_response)
        page.on("request", self.on_request)

    def on_request(self, request):
        if request.method == "POST" and request.resource_type in ("fetch", "xhr"):
            self.background_posts.append(request.url)

    def on_response(self, response):
        if response.url.startswith(self.base) and response.status >= 400:
            self.failures.append(f"{response.status} {response.url}")

    def check(self, step):
        assert not self.failures, f"{step}: {self.failures}"
        text = self.page.locator("body").inner_text()
        assert "permission" not in text.lower(), f"{step}: {text[:2000]}"


def last_mail(to, containing, subject=""):
    found = [m for m in mail.outbox if to in m.to and containing in m.body and subject in m.subject]
    assert found, [(m.to, m.subject) for m in mail.outbox]
    return found[-1]


def sign_in(page, user, password):
    """On the admin's sign-in page (reached through a link or /admin/)."""
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
