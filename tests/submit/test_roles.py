"""Groups and workflow created by migration; page-level rights attached once pages exist."""

from django.contrib.auth.models import Group
from wagtail.models import GroupPagePermission, Page, Workflow, WorkflowPage

from practices.models import EditorialReviewTask, PracticeIndexPage
from practices.roles import ensure_group_permissions

GROUPS = {
    "Editors",
    "Reviewers",
    "Translators (ar)",
    "Translators (en)",
    "Translators (fr)",
    "Translators (es)",
}


def test_migration_created_groups_workflow_and_task(db):
    # What the migrations created, without the package's shared site skeleton (deleted
    # inside this test's transaction, it comes back after it).
    Page.objects.filter(depth__gt=1).delete()
    assert GROUPS <= set(Group.objects.values_list("name", flat=True))
    workflow = Workflow.objects.get(name="Editorial review")
    (task,) = [task.specific for task in workflow.tasks]
    assert isinstance(task, EditorialReviewTask)
    assert list(task.groups.values_list("name", flat=True)) == ["Reviewers"]
    reviewers = Group.objects.get(name="Reviewers")
    codenames = set(reviewers.permissions.values_list("codename", flat=True))
    assert {"access_admin", "view_submission"} <= codenames
    assert "change_submission" not in codenames
    # Page rights come with the pages (below): none before a practices index exists.
    assert not GroupPagePermission.objects.filter(group=reviewers).exists()
    editors = Group.objects.get(name="Editors")
    assert {"view_submission", "change_submission", "access_admin"} <= set(
        editors.permissions.values_list("codename", flat=True)
    )


def test_page_rights_follow_the_site_structure_and_are_idempotent(site_tree):
    # attached by the signal when the pages were created
    for language in ("ar", "en", "fr", "es"):
        group = Group.objects.get(name=f"Translators ({language})")
        rights = GroupPagePermission.objects.filter(group=group)
        assert {r.page.locale.language_code for r in rights} == {language}
        assert {r.permission.codename for r in rights} == {"add_page", "change_page"}
    indexes = set(PracticeIndexPage.objects.values_list("pk", flat=True))
    # Reviewers: "lock" on each practices index, which opens the page explorer and no more.
    reviewer_rights = GroupPagePermission.objects.filter(group__name="Reviewers")
    assert {r.permission.codename for r in reviewer_rights} == {"lock_page"}
    assert set(reviewer_rights.values_list("page_id", flat=True)) == indexes
    ours = WorkflowPage.objects.filter(workflow__name="Editorial review")
    assert set(ours.values_list("page_id", flat=True)) == indexes
    before = (GroupPagePermission.objects.count(), WorkflowPage.objects.count())
    ensure_group_permissions()
    ensure_group_permissions()
    assert (GroupPagePermission.objects.count(), WorkflowPage.objects.count()) == before
    assert Workflow.objects.filter(name="Editorial review").count() == 1
    assert EditorialReviewTask.objects.count() == 1
