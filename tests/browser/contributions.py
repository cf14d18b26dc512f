"""The contribution form driven over HTTP from a browser context (its cookies, its session).

The scans need the form's later pages (with errors, the confirmation) in every language;
going through five steps by hand in each is the contributor's journey, done once in
test_journeys.py. Here the context's request API posts the steps as the browser would, so
that the pages are then opened in a real tab with the same session.
"""

import re
from http import HTTPStatus
from urllib.parse import urlencode

from tests.submit.conftest import STEP_DATA

FORM_FIELDS = ("csrfmiddlewaretoken", "form_stamp", "form_key")


def hidden_fields(html):
    fields = {}
    for name in FORM_FIELDS:
        match = re.search(rf'name="{name}" value="([^"]*)"', html)
        if match:
            fields[name] = match.group(1)
    return fields


def post_step(context, url, data):
    """GET the step (fresh stamp and CSRF token), then POST it; returns the final response."""
    page = context.request.get(url)
    assert page.status == HTTPStatus.OK, f"{url}: {page.status}"
    form = {**hidden_fields(page.text()), **data, "action": "next"}
    # Encoded by hand: Playwright's `form=` takes one value per name, and a step may send
    # several (ticked checkboxes).
    return context.request.post(
        url,
        data=urlencode(form, doseq=True),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Referer": url},
    )


def submit_example(context, site_url, language, title=None):
    """Send a complete example through the five steps; return the confirmation's URL."""
    data = {number: dict(values) for number, values in STEP_DATA.items()}
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
    confirmation = site_url(f"/{language}/submit/{reference}/")
    assert response.url == confirmation, f"step 5 led to {response.url}"
    return confirmation, reference
