"""No mixed-language pages, whichever way a revision is published.

Wagtail's admin API and code that runs ``PublishPageRevisionAction`` itself do not go through
``Page.publish`` nor the admin hooks: the guard sits on the action (see
practices.translation.publication_guard.guard_revision_publishing).
"""

from datetime import timedelta
from http import HTTPStatus
from io import StringIO
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils import translation as django_translation
from django.utils.html import escape
from django.utils.translation import gettext
from wagtail.actions.publish_page_revision import PublishPageRevisionAction
from wagtail.models import Page, PageLogEntry, TaskState, Workflow, WorkflowState
from wagtail.users.models import UserProfile

from practices.models import PracticePage
from practices.models.workflow import REVIEWERS, WORKFLOW_NAME
from practices.roles import ensure_group_permissions
from practices.translation.publishing import (
    WITHHELD_ACTION,
    IncompleteTranslationError,
    incomplete_message,
)
from tests.conftest import translated

from .conftest import marked


def api_publish_url(page):
    return reverse("wagtailadmin_api:pages:action", args=[page.pk, "publish"])


def test_admin_api_publish_refuses_an_incomplete_translation(
    make_practice, start_translation, fill_translation, admin_client, admin_user
):
    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "fr"
    profile.save()
    original = make_practice(language="en", summary="A fund.")
    translation = start_translation(original, "es")
    fill_translation(translation, skip=1)
    page = translation.get_target_instance()

    response = admin_client.post(api_publish_url(page), {}, content_type="application/json")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    with django_translation.override("fr"):
        expected = incomplete_message(1, 3)
    assert response.json() == {"__all__": [expected]}, "the reason, in the admin's language"
    page.refresh_from_db()
    assert not page.live and page.first_published_at is None


def test_admin_api_publishes_a_complete_translation_with_its_status(
    make_practice, start_translation, fill_translation, admin_client
):
    original = make_practice(language="en", summary="A fund.")
    translation = start_translation(original, "es")
    fill_translation(translation)
    page = translation.get_target_instance()
    # The translated strings reach the page's draft only when wagtail-localize writes it.
    translation.save_target(publish=False)

    response = admin_client.post(api_publish_url(page), {}, content_type="application/json")

    assert response.status_code == HTTPStatus.OK
    page = PracticePage.objects.get(pk=page.pk)
    assert page.live and page.summary == marked("A fund.", "es")
    assert page.translation_status == PracticePage.TranslationStatus.REVIEWED
    assert page.live_revision.content["translation_status"] == "reviewed"


def test_the_publish_action_itself_refuses(make_practice, start_translation, admin_user):
    """Any code that runs Wagtail's action directly, as its editor and API do."""
    original = make_practice(language="en")
    translation = start_translation(original, "fr")
    page = translation.get_target_instance().specific
    revision = page.save_revision(user=admin_user)

    with pytest.raises(IncompleteTranslationError):
        PublishPageRevisionAction(revision, user=admin_user).execute(skip_permission_checks=True)
    page.refresh_from_db()
    assert not page.live


def test_the_guard_leaves_originals_alone(make_practice, admin_user):
    page = make_practice(language="en", publish=False)
    PublishPageRevisionAction(page.get_latest_revision(), user=admin_user).execute()
    page = PracticePage.objects.get(pk=page.pk)
    assert page.live
    assert page.translation_status == PracticePage.TranslationStatus.ORIGINAL


# -- approving a translation in the editorial review ---------------------------------------

NOT_APPROVED = "Not approved: %(reason)s The review stays open."


@pytest.fixture
def translation_in_review(make_practice, start_translation, fill_translation, django_user_model):
    """An incomplete French translation submitted to the editorial review; a reviewer."""
    ensure_group_permissions()
    original = make_practice(language="en", summary="A fund.")
    translation = start_translation(original, "fr")
    fill_translation(translation, skip=1)
    page = translation.get_target_instance().specific
    reviewer = submit_for_review(page, django_user_model)
    return translation, PracticePage.objects.get(pk=page.pk), reviewer


def submit_for_review(page, django_user_model):
    """An editor submits `page` to the editorial review; its reviewer, who reads Spanish."""
    editor = django_user_model.objects.create_user("editor", password="x")
    Workflow.objects.get(name=WORKFLOW_NAME).start(page, user=editor)
    reviewer = django_user_model.objects.create_user("reviewer", password="x")
    reviewer.groups.add(Group.objects.get(name=REVIEWERS))
    profile = UserProfile.get_for_user(reviewer)
    profile.preferred_language = "es"
    profile.save()
    return reviewer


def workflow_action_url(page, action="approve"):
    state = Page.objects.get(pk=page.pk).specific.current_workflow_task_state
    return reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, state.pk])


def assert_still_in_review(page):
    page = PracticePage.objects.get(pk=page.pk)
    assert not page.live and page.first_published_at is None
    workflow_state = page.current_workflow_state
    assert workflow_state is not None and workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert workflow_state.current_task_state.status == TaskState.STATUS_IN_PROGRESS
    assert not PageLogEntry.objects.filter(
        page_id=page.pk, action__in=["wagtail.workflow.approve", "wagtail.publish"]
    ).exists()


def refusal_in(language, missing, total):
    with django_translation.override(language):
        return gettext(NOT_APPROVED) % {"reason": incomplete_message(missing, total)}


def test_approving_an_incomplete_translation_keeps_the_review_open(translation_in_review, client):
    _translation, page, reviewer = translation_in_review
    client.force_login(reviewer)

    response = client.post(workflow_action_url(page), {"comment": ""})

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[page.pk])
    with django_translation.override("es"):
        assert gettext(NOT_APPROVED) != NOT_APPROVED, "the message is translated"
    expected = refusal_in("es", 1, 3)
    assert [str(m) for m in get_messages(response.wsgi_request)] == [expected]
    assert_still_in_review(page)


def test_approving_with_a_comment_keeps_the_comment_in_the_dialog(translation_in_review, client):
    _translation, page, reviewer = translation_in_review
    client.force_login(reviewer)

    response = client.post(
        workflow_action_url(page),
        {"comment": "Bien traducido."},
        headers={"x-requested-with": "XMLHttpRequest"},
    )

    assert response.status_code == HTTPStatus.OK
    payload = response.json()
    assert payload["step"] == "action", "the dialog is shown again, not closed"
    assert escape(refusal_in("es", 1, 3)) in payload["html"]
    assert "Bien traducido." in payload["html"]
    assert_still_in_review(page)


def test_request_changes_on_an_incomplete_translation_still_works(translation_in_review, client):
    _translation, page, reviewer = translation_in_review
    client.force_login(reviewer)
    response = client.post(workflow_action_url(page, "reject"), {"comment": "Falta un pasaje."})
    assert response.status_code == HTTPStatus.FOUND
    state = PracticePage.objects.get(pk=page.pk).current_workflow_state
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES


def test_approving_a_complete_translation_publishes_it(
    translation_in_review, fill_translation, client
):
    translation, page, reviewer = translation_in_review
    fill_translation(translation)
    translation.save_target(publish=False)  # the translated draft, as wagtail-localize writes it
    client.force_login(reviewer)

    response = client.post(workflow_action_url(page), {"comment": ""})

    assert response.status_code == HTTPStatus.FOUND
    page = PracticePage.objects.get(pk=page.pk)
    assert page.live and page.summary == marked("A fund.", "fr")
    assert page.translation_status == PracticePage.TranslationStatus.REVIEWED
    assert page.current_workflow_state is None


def test_publishing_the_finished_translation_closes_the_review(
    translation_in_review, fill_translation, publish_translation
):
    translation, page, _reviewer = translation_in_review
    fill_translation(translation)
    published = publish_translation(translation)
    assert published.live and published.summary == marked("A fund.", "fr")
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_CANCELLED


# -- scheduled publishing (manage.py publish_scheduled) ------------------------------------


WITHHELD = "Scheduled publication withheld: %(reason)s"


def schedule(page, when):
    """What "Publish" with a go-live date in the future does: the revision waits for it."""
    page.go_live_at = when
    revision = page.save_revision()
    revision.publish()
    revision.refresh_from_db()
    assert revision.approved_go_live_at == when
    return revision


def schedule_complete_translation(original, language, start_translation, fill_translation):
    """A complete translation of `original`, its draft written by the translation editor,
    scheduled for tomorrow: (translation, page, revision, tomorrow)."""
    tomorrow = timezone.now() + timedelta(days=1)
    translation = start_translation(original, language)
    fill_translation(translation)
    translation.save_target(publish=False)
    page = translation.get_target_instance().specific
    return translation, page, schedule(page, tomorrow), tomorrow


def run_publish_scheduled(at, *args):
    out, err = StringIO(), StringIO()
    with mock.patch("django.utils.timezone.now", return_value=at):
        call_command("publish_scheduled", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def scheduled_translation(make_practice, start_translation, fill_translation):
    """A complete French translation scheduled for tomorrow; then the original changes."""
    original = make_practice(language="en", summary="A fund.")
    translation, page, revision, tomorrow = schedule_complete_translation(
        original, "fr", start_translation, fill_translation
    )

    # Before the day comes, the original gets a new summary and the translations are synced.
    original = PracticePage.objects.get(pk=original.pk)
    original.summary = "A regional fund."
    original.save_revision().publish()
    translation.source.update_from_db()
    assert translation.get_progress() == (3, 2)
    return page, revision, tomorrow


def test_scheduled_publishing_withholds_an_incomplete_translation(
    scheduled_translation, make_practice
):
    page, revision, tomorrow = scheduled_translation
    other = make_practice(language="es", publish=False)
    other_revision = schedule(other, tomorrow)

    _out, err = run_publish_scheduled(tomorrow + timedelta(minutes=5))

    page = PracticePage.objects.get(pk=page.pk)
    assert not page.live and page.first_published_at is None, "no mixed-language page"
    revision.refresh_from_db()
    assert revision.approved_go_live_at is None, "unscheduled, not retried at every run"
    entry = PageLogEntry.objects.get(page_id=page.pk, action=WITHHELD_ACTION)
    assert entry.revision_id == revision.pk
    assert entry.message == translated("en", WITHHELD, reason=incomplete_message(1, 3))
    assert incomplete_message(1, 3) in err
    # The run went on with the other scheduled entries.
    other = PracticePage.objects.get(pk=other.pk)
    assert other.live and other.live_revision_id == other_revision.pk


def test_scheduled_publishing_dry_run_names_the_translation_and_changes_nothing(
    scheduled_translation,
):
    page, revision, tomorrow = scheduled_translation
    _out, err = run_publish_scheduled(tomorrow + timedelta(minutes=5), "--dryrun")
    assert incomplete_message(1, 3) in err
    revision.refresh_from_db()
    assert revision.approved_go_live_at == tomorrow
    assert not PageLogEntry.objects.filter(page_id=page.pk, action=WITHHELD_ACTION).exists()


def test_scheduled_publishing_publishes_a_complete_translation(
    make_practice, start_translation, fill_translation
):
    original = make_practice(language="en", summary="A fund.")
    _translation, page, _revision, tomorrow = schedule_complete_translation(
        original, "ar", start_translation, fill_translation
    )

    run_publish_scheduled(tomorrow + timedelta(minutes=5))

    page = PracticePage.objects.get(pk=page.pk)
    assert page.live and page.summary == marked("A fund.", "ar")
    assert page.translation_status == PracticePage.TranslationStatus.REVIEWED


def test_a_translation_is_withheld_in_the_page_history_in_the_admin_language(
    scheduled_translation, admin_client, admin_user
):
    page, _revision, tomorrow = scheduled_translation
    run_publish_scheduled(tomorrow + timedelta(minutes=5))
    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "ar"
    profile.save()

    response = admin_client.get(reverse("wagtailadmin_pages:history", args=[page.pk]))

    assert response.status_code == HTTPStatus.OK
    with django_translation.override("ar"):
        message = gettext(WITHHELD)
        assert message != WITHHELD, "the history entry is translated"
        expected = message % {"reason": incomplete_message(1, 3)}
    assert escape(expected) in response.content.decode()
