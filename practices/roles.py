"""Groups, their permissions and the editorial workflow assignment.

The groups, the workflow and its task are created by migration. What depends on pages (each
translator group's language tree, the workflow on each practices index) can only be attached
once the pages exist: `ensure_group_permissions()` does it, idempotently, after every
migration and whenever a home page or practices index is created (`connect_role_setup`,
called by the app's `ready()`).
"""

from django.apps import apps as global_apps
from django.conf import settings
from django.db.models.signals import post_migrate, post_save

from .models.workflow import REVIEWERS, TASK_NAME, WORKFLOW_NAME

EDITORS = "Editors"
TRANSLATOR_GROUP = "Translators ({language})"


def translator_group_name(language):
    return TRANSLATOR_GROUP.format(language=language)


def _permission(apps, app_label, model, codename, name):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )
    return permission


def ensure_groups(apps=global_apps):
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

    # Editors keep the authority list of organisations (Organisations), merges included.
    organisations = [
        _permission(
            apps,
            "practices",
            "organisation",
            f"{action}_organisation",
            f"Can {action} organisation",
        )
        for action in ("view", "add", "change", "delete")
    ]

    # Editors keep the links of the country pages (Country profiles).
    country_profiles = [
        _permission(
            apps,
            "practices",
            "countryprofile",
            f"{action}_countryprofile",
            f"Can {action} country profile",
        )
        for action in ("view", "add", "change", "delete")
    ]

    # Editors start translations (wagtail-localize's "Translate"; its migration grants it to
    # a group named "Editors" that exists then, this to one created later).
    submit_translation = _permission(
        apps, "wagtail_localize", "translation", "submit_translation", "Can submit translations"
    )

    editors, _ = Group.objects.get_or_create(name=EDITORS)
    editors.permissions.add(
        access_admin,
        view_submission,
        change_submission,
        submit_translation,
        *tag_labels,
        *organisations,
        *country_profiles,
    )
    reviewers, _ = Group.objects.get_or_create(name=REVIEWERS)
    reviewers.permissions.add(access_admin, view_submission)
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        group, _ = Group.objects.get_or_create(name=translator_group_name(code))
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


def ensure_page_permissions(apps=global_apps):
    """Each translator group edits its language's tree; the workflow covers every index.

    Reviewers get Wagtail's "lock" permission on each practices index: the least page
    permission that opens the page explorer to them (Wagtail's page permission policy counts
    add, change, publish, lock, unlock and bulk_delete as "explorable"), so they can decide
    from the page listing as from the dashboard. It grants no editing or publishing: a
    reviewer edits and decides only on an entry whose current task is theirs.
    """
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
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        group = Group.objects.filter(name=translator_group_name(code)).first()
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


def ensure_group_permissions(apps=global_apps):
    """Everything roles need; safe to call at any time and any number of times."""
    ensure_groups(apps)
    ensure_page_permissions(apps)


def _after_migrate(sender, app_config=None, **kwargs):
    if app_config is not None and app_config.label == "practices":
        ensure_group_permissions()


def _structure_page_created(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        ensure_page_permissions()


def connect_role_setup():
    """Roles follow the site: after every migration, and when a home page or a practices
    index is created (a new language's tree gets its translators and the workflow)."""
    post_migrate.connect(_after_migrate, dispatch_uid="alz-roles-migrate")
    for model in (
        global_apps.get_model("home", "HomePage"),
        global_apps.get_model("practices", "PracticeIndexPage"),
    ):
        post_save.connect(
            _structure_page_created,
            sender=model,
            dispatch_uid=f"alz-roles-{model._meta.model_name}",
        )
