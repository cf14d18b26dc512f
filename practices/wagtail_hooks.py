"""Wagtail admin hooks of the practices app: translations, vocabularies and submissions."""

# Translations (entry translations overview, publication guard, vocabulary snippets) are
# registered by practices.translation.admin, imported below.
# =========================================================================================
# Submissions (contributions through the public form). Contact details appear ONLY here,
# to Editors and Reviewers (model permission practices.view_submission).
# =========================================================================================
import django_filters
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet

from .models import Submission
from .translation import admin as translation_admin  # noqa: F401  (registers its hooks)


class EntryColumn(Column):
    def get_value(self, instance):
        page = instance.page
        if page is None:
            return "—"
        return format_html('<a href="/admin/pages/{}/edit/">{}</a>', page.pk, page.title)


class SubmissionFilterSet(WagtailFilterSet):
    language = django_filters.ChoiceFilter(
        label=_("Language"), choices=lambda: settings.WAGTAIL_CONTENT_LANGUAGES
    )
    created_at = django_filters.DateFromToRangeFilter(
        label=_("Created"), widget=DateRangePickerWidget
    )
    submitted_at = django_filters.DateFromToRangeFilter(
        label=_("Submitted"), widget=DateRangePickerWidget
    )

    class Meta:
        model = Submission
        fields = ["status", "language", "channel", "mail_failed", "created_at", "submitted_at"]


class SubmissionIndexView(IndexView):
    """The listing, never exported: contact details stay inside the admin."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.is_export = False


class SubmissionViewSet(ModelViewSet):
    model = Submission
    index_view_class = SubmissionIndexView
    menu_label = _("Submissions")
    icon = "mail"
    add_to_admin_menu = True
    menu_order = 250
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = SubmissionFilterSet
    list_display = [
        "reference",
        EntryColumn("page", label=_("Entry")),
        "language",
        "status",
        "contact_name",
        "contact_email",
        DateColumn("created_at", label=_("Created")),
        DateColumn("submitted_at", label=_("Submitted")),
        BooleanColumn("mail_failed", label=_("Mail failed")),
    ]
    ordering = ["-created_at"]
    form_fields = ["contact_name", "contact_organisation", "contact_email"]
    inspect_view_fields = [
        "reference",
        "page",
        "language",
        "channel",
        "status",
        "contact_name",
        "contact_organisation",
        "contact_email",
        "consent_publication",
        "consent_contact",
        "created_at",
        "submitted_at",
        "reviewer_comment",
        "status_history",
        "mail_failed",
        "pending_mail",
    ]


submission_viewset = SubmissionViewSet("submissions")


@hooks.register("register_admin_viewset")
def register_submission_viewset():
    return submission_viewset


# ======================================= end of submissions ==============================


# ================================ private documents ======================================
@hooks.register("before_serve_document", order=-1)
def refuse_private_documents_to_other_roles(document, request):
    """A signed-in user outside a collection's groups gets 403, not Wagtail's login page.

    The attachments of entries under review are for Editors and Reviewers: a translator who
    follows a link to one is refused plainly (an anonymous visitor still gets the login).
    """
    if not request.user.is_authenticated:
        return None
    for restriction in document.collection.get_view_restrictions():
        if not restriction.accept_request(request):
            raise PermissionDenied
    return None


# -- deciding from the page editor ---------------------------------------------------------


def _is_workflow_decision(request):
    return request.method == "POST" and bool(request.POST.get("action-workflow-action"))


@hooks.register("before_edit_page")
def own_edit_is_saved_not_decided(request, page):
    """A reviewer who changed the entry and then decides: the change is kept, the decision is not.

    Nobody decides on their own edit (practices.workflows). Rather than refusing with
    "no permission" after the edit is saved, the edit is saved as a draft and the reviewer
    is told why another reviewer must decide.
    """
    from django.contrib import messages

    from .models import PracticePage
    from .workflows import EditorialReviewTask

    if not isinstance(page.specific, PracticePage):
        return None
    task = page.current_workflow_task
    if task is None or not isinstance(task.specific, EditorialReviewTask):
        return None
    if request.method == "GET":
        reviewer = task.specific.groups.filter(pk__in=request.user.groups.all()).exists()
        if reviewer and task.specific.user_is_author(page, request.user):
            messages.info(
                request,
                _(
                    "You edited this entry, so another reviewer decides on it: nobody "
                    "approves or returns an entry they edited themselves."
                ),
            )
        return None
    if not _is_workflow_decision(request):
        return None
    fresh = PracticePage.objects.get(pk=page.pk).get_latest_revision_as_object()
    form_class = fresh.get_edit_handler().get_form_class()
    form = form_class(
        request.POST,
        request.FILES,
        instance=fresh,
        parent_page=fresh.get_parent(),
        for_user=request.user,
    )
    if not form.is_valid() or not form.has_changed():
        return None
    data = request.POST.copy()
    data.pop("action-workflow-action", None)
    request.POST = data  # Wagtail then saves the edit as a draft
    messages.warning(
        request,
        _(
            "You changed this entry, so your changes were saved as a draft and nothing was "
            "decided: nobody approves or returns an entry they edited themselves. Another "
            "reviewer will decide on it."
        ),
    )
    return None


@hooks.register("after_edit_page")
def after_a_decision_go_to_the_dashboard(request, page):
    """After deciding from the editor, the dashboard (with what is left to review).

    Wagtail would go to the page listing, which reviewers cannot browse.
    """
    from django.shortcuts import redirect
    from wagtail.admin.utils import get_valid_next_url_from_request

    if _is_workflow_decision(request) and not get_valid_next_url_from_request(request):
        return redirect("wagtailadmin_home")
    return None
