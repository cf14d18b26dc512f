"""Fixtures for the contribution form: users in each role and a helper that fills the form."""

import re
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from wagtail.models import Page

from practices.models import Submission
from practices.roles import ensure_group_permissions, translator_group_name
from tests.conftest import shared_site_tree_fixtures

# The site skeleton is built once for the package (no test here needs a live server).
shared_tree, vocabularies, site_tree, _no_transactional_test = shared_site_tree_fixtures("package")

STAMP_FIELD = "form_stamp"


@pytest.fixture(autouse=True)
def fast_forms(settings):
    """Tests fill the form faster than a person: no minimum time unless a test sets one."""
    settings.SUBMISSION_MIN_FILL_SECONDS = 0
    settings.WAGTAILADMIN_BASE_URL = "http://testserver"
    cache.clear()
    yield
    cache.clear()


_on_commit = {}


@pytest.fixture(autouse=True)
def run_on_commit(django_capture_on_commit_callbacks):
    """Tests run inside a transaction: run after-commit work (mail) at the end of each step."""
    _on_commit["capture"] = django_capture_on_commit_callbacks
    yield
    _on_commit.clear()


def committed():
    return _on_commit["capture"](execute=True)


@pytest.fixture
def submit_tree(site_tree):
    ensure_group_permissions()
    return site_tree


@pytest.fixture
def make_user(db, django_user_model):
    def build(username, *groups, superuser=False):
        user = django_user_model.objects.create_user(
            username=username,
            email=f"{username}@example.org",
            password="pw",
            is_superuser=superuser,
            is_staff=superuser,
        )
        for name in groups:
            user.groups.add(Group.objects.get(name=name))
        return user

    return build


@pytest.fixture
def reviewer(make_user, submit_tree):
    return make_user("reviewer", "Reviewers")


@pytest.fixture
def second_reviewer(make_user, submit_tree):
    return make_user("reviewer2", "Reviewers")


@pytest.fixture
def editor(make_user, submit_tree):
    return make_user("editor", "Editors")


@pytest.fixture
def translator_fr(make_user, submit_tree):
    return make_user("translator-fr", translator_group_name("fr"))


def form_fields(html):
    """The hidden per-render fields of a step page (stamp and idempotency key)."""
    fields = {}
    for name in (STAMP_FIELD, "form_key"):
        match = re.search(rf'name="{name}" value="([^"]*)"', html)
        if match:
            fields[name] = match.group(1)
    return fields


STEP_DATA = {
    1: {
        "title": "Regional fund for rehabilitation",
        "summary": "Three neighbouring States pooled money for prosthetics.",
        "organisation": "Ministry of Health",
        "partners": "Survivor network",
        "year": "2019",
        "year_end": "2022",
    },
    2: {"q_q1": "on", "answer_q1": "Long-term funding came from a pooled budget line."},
    3: {
        "cooperation_models": ["regional-cooperation"],
        "countries": ["CO", "PE"],
        "tags": "prosthetics, pooled fund",
    },
    4: {
        "funding-TOTAL_FORMS": "3",
        "funding-INITIAL_FORMS": "0",
        "funding-0-source": "Regional fund",
        "funding-0-amount": "120000",
        "funding-0-currency": "usd",
        "sources-TOTAL_FORMS": "3",
        "sources-INITIAL_FORMS": "0",
        "sources-0-title": "Annual report",
        "sources-0-url": "https://example.org/report.pdf",
        "outcomes": "Waiting lists fell.\n\nMore fittings.",
        "lessons_learned": "Start small.",
    },
    5: {
        "contact_name": "Ana Contributor",
        "contact_organisation": "Survivor network",
        "contact_email": "ana@example.org",
        "consent_publication": "on",
        "consent_contact": "on",
    },
}


def step_url(submission, number, language=None):
    return f"/{language or submission.language}/submit/{submission.reference}/step/{number}/"


def check_url(submission, language=None):
    return f"/{language or submission.language}/submit/{submission.reference}/check/"


def send(client, submission, language=None):
    """On the check page, press "Send": the page's own stamp, as the browser sends it."""
    url = check_url(submission, language)
    page = client.get(url)
    assert page.status_code == HTTPStatus.OK, page.status_code
    with committed():
        return client.post(url, {**form_fields(page.content.decode()), "action": "submit"})


def resend(client, submission):
    """Go through every step again with what is stored (a correction), then send."""
    for number in range(1, 6):
        response = post_step(client, step_url(submission, number), stored(submission, number))
        assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:3000]
    return send(client, submission)


def post_step(client, url, data, action="next", files=None):
    page = client.get(url)
    assert page.status_code == HTTPStatus.OK
    payload = {**form_fields(page.content.decode()), **data, "action": action}
    if files:
        payload["attachments"] = files
    with committed():
        return client.post(url, payload)


def fill_form(client, language="en", overrides=None, stop_before=None):
    """Go through every step as a contributor and send from the check page.

    `stop_before=N` stops before step N; `stop_before="send"` stops on the check page.
    Returns the Submission.
    """
    overrides = overrides or {}
    data = {number: {**STEP_DATA[number], **overrides.get(number, {})} for number in STEP_DATA}
    response = post_step(client, f"/{language}/submit/", data[1])
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:3000]
    submission = Submission.objects.latest("pk")
    for number in range(2, 6):
        if stop_before == number:
            return submission
        response = post_step(client, step_url(submission, number, language), data[number])
        assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:3000]
    assert response["Location"] == check_url(submission, language)
    if stop_before != "send":
        response = send(client, submission, language)
        assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:3000]
    submission.refresh_from_db()
    return submission


@pytest.fixture
def contributor_submission(client, submit_tree):
    def build(language="en", **kwargs):
        return fill_form(client, language, **kwargs)

    return build


def task_state_of(page):
    page = Page.objects.get(pk=page.pk).specific
    return page.current_workflow_task_state


def act(user, page, action, comment=""):
    """Perform a workflow action as `user` through the task API the admin uses."""
    state = task_state_of(page)
    kwargs = {"comment": comment} if comment or action != "approve" else {}
    with committed():
        state.task.specific.on_action(state, user, action, **kwargs)


def stored(submission, number):
    """What the form shows again for a step: the values kept on the submission."""
    submission.refresh_from_db()
    return dict(submission.form_data[str(number)])
