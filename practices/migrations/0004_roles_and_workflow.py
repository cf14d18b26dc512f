"""Groups, their permissions and the editorial workflow: a copy of practices.roles frozen
here, so that later changes to that module never change what this migration does. After
every migration, practices.roles brings them up to date (its post_migrate handler)."""

from django.db import migrations

EDITORS = "Editors"
REVIEWERS = "Reviewers"
TRANSLATORS = "Translators ({language})"
WORKFLOW_NAME = "Editorial review"
TASK_NAME = "Review by the Reviewers group"
LANGUAGES = [("ar", "Arabic"), ("en", "English"), ("fr", "French"), ("es", "Spanish")]


def _permission(apps, app_label, model, codename, name):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )
    return permission


def create_groups(apps):
    """Groups, model permissions, the "Editorial review" workflow and its task."""
    Group = apps.get_model("auth", "Group")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    ReviewTask = apps.get_model("practices", "EditorialReviewTask")

    access_admin = _permission(
        apps, "wagtailadmin", "admin", "access_admin", "Can access Wagtail admin"
    )
    view_submission = _permission(
        apps, "practices", "submission", "view_submission", "Can view submission"
    )
    change_submission = _permission(
        apps, "practices", "submission", "change_submission", "Can change submission"
    )

    # Editors translate the labels of free tags (Snippets > Vocabularies > Tags).
    tag_labels = [
        _permission(apps, "practices", "taglabel", f"{action}_taglabel", f"Can {action} tag")
        for action in ("view", "change")
    ]

    # Editors start translations (wagtail-localize's "Translate"; its migration grants it to
    # a group named "Editors" that exists then, this to one created later).
    submit_translation = _permission(
        apps, "wagtail_localize", "translation", "submit_translation", "Can submit translations"
    )

    editors, _ = Group.objects.get_or_create(name=EDITORS)
    editors.permissions.add(
        access_admin, view_submission, change_submission, submit_translation, *tag_labels
    )
    reviewers, _ = Group.objects.get_or_create(name=REVIEWERS)
    reviewers.permissions.add(access_admin, view_submission)
    for code, _name in LANGUAGES:
        group, _ = Group.objects.get_or_create(name=TRANSLATORS.format(language=code))
        group.permissions.add(access_admin)

    task = ReviewTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        content_type, _ = ContentType.objects.get_or_create(
            app_label="practices", model="editorialreviewtask"
        )
        task = ReviewTask.objects.create(name=TASK_NAME, active=True, content_type=content_type)
    task.groups.add(reviewers)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(
        workflow=workflow, task_id=task.pk, defaults={"sort_order": 0}
    )
    return workflow


def attach_page_permissions(apps):
    """Translator groups edit their language's tree; reviewers lock (explore) the
    practices indexes; the workflow covers every index."""
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    HomePage = apps.get_model("home", "HomePage")
    PracticeIndexPage = apps.get_model("practices", "PracticeIndexPage")

    page_permissions = [
        _permission(apps, "wagtailcore", "page", f"{action}_page", f"Can {action} page")
        for action in ("add", "change")
    ]
    for code, _name in LANGUAGES:
        group = Group.objects.filter(name=TRANSLATORS.format(language=code)).first()
        root = HomePage.objects.filter(locale__language_code=code).order_by("path").first()
        if root is None:
            root = (
                PracticeIndexPage.objects.filter(locale__language_code=code)
                .order_by("path")
                .first()
            )
        if group is None or root is None:
            continue
        for permission in page_permissions:
            GroupPagePermission.objects.get_or_create(
                group=group, page_id=root.pk, permission=permission
            )

    reviewers = Group.objects.filter(name=REVIEWERS).first()
    if reviewers is not None:
        lock = _permission(apps, "wagtailcore", "page", "lock_page", "Can lock page")
        for index in PracticeIndexPage.objects.all():
            GroupPagePermission.objects.get_or_create(
                group=reviewers, page_id=index.pk, permission=lock
            )

    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first()
    if workflow is not None:
        for index in PracticeIndexPage.objects.all():
            WorkflowPage.objects.get_or_create(page_id=index.pk, defaults={"workflow": workflow})


def create_roles(apps, schema_editor):
    create_groups(apps)
    attach_page_permissions(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0003_submission_workflow"),
        ("home", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
