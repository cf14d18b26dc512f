"""Every Wagtail admin registration of the practices app: translations, vocabularies,
submissions, workflow decisions and private documents."""

from datetime import datetime

import django_filters
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.action_menu import WorkflowMenuItem
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.models import PageLogEntry
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .alerts import admin as alerts_admin
from .models import VOCABULARIES, CountryProfile, Organisation, Submission, TagLabel
from .organisations_admin import organisation_urls
from .translation import admin as translation_admin
from .translation.fallback import serve_with_fallback
from .translation.publishing import WITHHELD_ACTION

# ================================ content translation =====================================
# Registered first, as when practices.translation.admin registered its own hooks: where a
# hook has several functions of the same order, this one comes first.

hooks.register("register_admin_urls", translation_admin.translation_urls, order=-1)
hooks.register("register_reports_menu_item", translation_admin.entry_translations_menu_item)
# No mixed-language pages: the admin's ways to publish.
hooks.register(
    "before_edit_page",
    translation_admin.refuse_incomplete_publish_in_translation_editor,
    order=-1,
)
hooks.register("before_publish_page", translation_admin.refuse_incomplete_publish)
hooks.register("before_bulk_action", translation_admin.refuse_incomplete_bulk_publish)


@hooks.register("register_admin_viewset")
def register_entry_page_viewset():
    return translation_admin.EntryPageViewSet()


@hooks.register("register_log_actions")
def register_withheld_publication(actions):
    """Scheduled publication withheld (manage.py publish_scheduled)."""
    actions.register_action(WITHHELD_ACTION)(translation_admin.WithheldPublicationFormatter)


# Readers: entries shown in another language.
hooks.register("on_serve_page", serve_with_fallback, order=10)


# =============================== vocabulary labels in the four languages ==================


def vocabulary_viewset(vocabulary):
    return type(
        f"{vocabulary.__name__}ViewSet",
        (SnippetViewSet,),
        {
            "model": vocabulary,
            "icon": "tag",
            "list_display": ["slug", "label_en", "label_fr", "label_es", "label_ar"],
            "list_export": ["slug", "label_en", "label_fr", "label_es", "label_ar"],
            "search_fields": ["slug", "label_en", "label_fr", "label_es", "label_ar"],
            "search_backend_name": None,
            "ordering": ["sort_order", "slug"],
            "sort_order_field": "sort_order",
            "copy_view_enabled": False,
        },
    )


class TagLabelPermissionPolicy(ModelPermissionPolicy):
    """Labels are edited, never added or deleted here: each tag gets its row when it is
    created (practices.signals) and loses it with the tag."""

    def user_has_permission(self, user, action):
        return action not in ("add", "delete") and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        allowed = [action for action in actions if action not in ("add", "delete")]
        return bool(allowed) and super().user_has_any_permission(user, allowed)


class TagLabelViewSet(SnippetViewSet):
    """Free tags, with their labels in the four languages (tags are created with entries)."""

    model = TagLabel
    icon = "tag"
    add_to_admin_menu = False
    list_display = ["tag", "label_en", "label_fr", "label_es", "label_ar"]
    search_fields = ["tag__name", "label_en", "label_fr", "label_es", "label_ar"]
    search_backend_name = None
    ordering = ["tag__name"]
    copy_view_enabled = False
    inspect_view_enabled = False


class VocabularyViewSetGroup(SnippetViewSetGroup):
    menu_label = gettext_lazy("Vocabularies")
    menu_icon = "tag"
    menu_order = 250
    items = [
        *(vocabulary_viewset(vocabulary) for vocabulary in VOCABULARIES.values()),
        TagLabelViewSet,
    ]


register_permission_policy(TagLabel, TagLabelPermissionPolicy(TagLabel))
register_snippet(VocabularyViewSetGroup)


# ============================ organisations: the authority list ===========================


class MergeColumn(Column):
    """A link to merge the organisation into the one it duplicates."""

    def get_value(self, instance):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("practices_organisation_merge", args=[instance.pk]),
            gettext("Merge…"),
        )


class ConfirmedColumn(Column):
    def get_value(self, instance):
        if instance.confirmed:
            return gettext("Confirmed")
        return format_html("<strong>{}</strong>", gettext("To confirm or merge"))


class OrganisationFilterSet(WagtailFilterSet):
    confirmed = django_filters.BooleanFilter(label=_("Confirmed"))

    class Meta:
        model = Organisation
        fields = ["confirmed", "country"]


class OrganisationViewSet(SnippetViewSet):
    """Funders, recipients and partners. Those first named by an import or a submission
    are not confirmed: an editor confirms them, or merges them into the one they
    duplicate."""

    model = Organisation
    icon = "group"
    menu_label = _("Organisations")
    menu_order = 260
    add_to_admin_menu = True
    list_display = [
        "name_en",
        "acronym",
        "country",
        ConfirmedColumn("confirmed", label=_("Status")),
        MergeColumn("merge", label=_("Merge")),
    ]
    list_export = ["slug", "name_en", "name_fr", "name_es", "name_ar", "acronym", "country"]
    filterset_class = OrganisationFilterSet
    search_fields = ["name_en", "name_fr", "name_es", "name_ar", "acronym", "slug"]
    search_backend_name = None
    ordering = ["confirmed", "name_en"]
    copy_view_enabled = False


register_snippet(OrganisationViewSet)
hooks.register("register_admin_urls", organisation_urls)

# Followed searches: counts for editors, addresses for administrators only.
hooks.register("register_admin_urls", alerts_admin.admin_urls)
hooks.register("register_reports_menu_item", alerts_admin.menu_item)


class CountryProfileViewSet(SnippetViewSet):
    """The links of a country page that editors add: national focal point institution,
    Article 7 reports, Landmine Monitor profile."""

    model = CountryProfile
    icon = "site"
    menu_label = _("Country profiles")
    menu_order = 270
    add_to_admin_menu = True
    list_display = ["country", "focal_point_name", "article7_url", "monitor_url"]
    list_export = ["country", "focal_point_name", "focal_point_url", "article7_url", "monitor_url"]
    search_fields = ["country", "focal_point_name"]
    search_backend_name = None
    ordering = ["country"]
    copy_view_enabled = False


register_snippet(CountryProfileViewSet)


# =========================================================================================
# Submissions (contributions through the public form). Contact details appear ONLY here,
# to Editors and Reviewers (model permission practices.view_submission).
# =========================================================================================


class EntryColumn(Column):
    def get_value(self, instance):
        page = instance.page
        if page is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("wagtailadmin_pages:edit", args=[page.pk]), page.title
        )


class MailFailedColumn(Column):
    """A mark only on the rows whose mail failed; the other rows stay empty."""

    def get_value(self, instance):
        if not instance.mail_failed:
            return ""
        return format_html("<strong>{}</strong>", gettext("Not sent"))


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


EVENTS = {
    "submitted": pgettext_lazy("submission event", "Submitted"),
    "resubmitted": _("Resubmitted"),
    "changes_requested": _("Changes requested"),
    "approved": _("Approved"),
    "rejected": _("Rejected"),
    "published": _("Published"),
    "draft": _("Draft saved"),
    "imported": _("Imported"),
}


def _when(moment):
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def status_events(submission):
    """(moment, event, who, comment) from the submission's transitions and Wagtail's log.

    The transitions (submitted, changes requested, resubmitted, approved, rejected) are kept on
    the submission as the workflow moves; publication is read from Wagtail's page log.
    """
    users = {
        user.pk: user
        for user in get_user_model().objects.filter(
            pk__in=[item.get("by") for item in submission.status_history if item.get("by")]
        )
    }
    contributor = submission.contact_name or gettext("the contributor")
    events = []
    for item in submission.status_history:
        event = item["to"]
        if event == "submitted" and item.get("from") == "changes_requested":
            event = "resubmitted"
        by = users.get(item.get("by"))
        who = (by.get_full_name() or by.get_username()) if by else contributor
        if by is None and event in ("approved", "changes_requested", "rejected"):
            who = "—"
        moment = datetime.fromisoformat(item["at"])
        events.append((moment, event, who, item.get("comment") or ""))
    if submission.page_id:
        for entry in PageLogEntry.objects.filter(
            page_id=submission.page_id, action="wagtail.publish"
        ).select_related("user"):
            who = entry.user.get_full_name() or entry.user.get_username() if entry.user else "—"
            events.append((entry.timestamp, "published", who, ""))
    events.sort(key=lambda event: event[0])
    # An approval publishes at once; Wagtail logs the publication a moment before the workflow
    # reports the approval: show cause before effect.
    for index in range(len(events) - 1):
        first, second = events[index], events[index + 1]
        if (first[1], second[1]) == ("published", "approved") and (
            second[0] - first[0]
        ).total_seconds() < 5:
            events[index], events[index + 1] = second, first
    return events


class SubmissionInspectView(InspectView):
    """The submission as editors read it: its history in words and links to the entry."""

    def get_status_history_display_value(self):
        events = status_events(self.object)
        if not events:
            return "—"
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (EVENTS.get(event, event), _when(moment), who, comment)
                for moment, event, who, comment in events
            ),
        )
        return format_html(
            '<table class="listing"><thead><tr><th scope="col">{}</th><th scope="col">{}</th>'
            '<th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>{}</tbody></table>',
            gettext("Event"),
            gettext("Date"),
            gettext("By"),
            gettext("Comment"),
            rows,
        )

    def get_mail_failed_display_value(self):
        return gettext("Not sent") if self.object.mail_failed else "—"

    def get_page_display_value(self):
        page = self.object.page
        if page is None:
            return "—"
        links = [
            format_html(
                '<a href="{}">{}</a>',
                reverse("wagtailadmin_pages:edit", args=[page.pk]),
                gettext("Edit “%(title)s”") % {"title": page.title},
            )
        ]
        url = page.get_url() if page.live else None
        if url:
            links.append(format_html('<a href="{}">{}</a>', url, gettext("View it on the site")))
        return format_html_join(" · ", "{}", ((link,) for link in links))


class SubmissionViewSet(ModelViewSet):
    model = Submission
    index_view_class = SubmissionIndexView
    inspect_view_class = SubmissionInspectView
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
        MailFailedColumn("mail_failed", label=_("Mail failed")),
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


# ================================ workflow action labels ==================================
wagtail_message = gettext  # Wagtail's own message, in Wagtail's catalogue (not extracted here)


@hooks.register("construct_page_action_menu")
def undouble_approve_labels(menu_items, request, context):
    """Wagtail appends "and Publish" to approve actions of the last task; ours already say it.

    The task's own labels ("Approve and publish", "Approve with comment") are the ones shown on
    the dashboard too, so the edit view shows them unchanged.
    """
    prefix, _sep, suffix = (wagtail_message("%(label)s and Publish") % {"label": "\x00"}).partition(
        "\x00"
    )
    for item in menu_items:
        if isinstance(item, WorkflowMenuItem) and item.name == "approve":
            label = str(item.label)
            if suffix and label.endswith(suffix) and label.startswith(prefix):
                item.label = label[len(prefix) : len(label) - len(suffix)]


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

    Nobody decides on their own edit (practices.models.workflow). Rather than refusing with
    "no permission" after the edit is saved, the edit is saved as a draft and the reviewer
    is told why another reviewer must decide.
    """
    from django.contrib import messages

    from .models import EditorialReviewTask, PracticePage

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

    Wagtail would go to the page listing; the dashboard shows what is left to review.
    """
    from django.shortcuts import redirect
    from wagtail.admin.utils import get_valid_next_url_from_request

    if _is_workflow_decision(request) and not get_valid_next_url_from_request(request):
        return redirect("wagtailadmin_home")
    return None


# -- deciding from the page listing ------------------------------------------------------


@hooks.register("register_page_listing_more_buttons")
def workflow_actions_in_the_listing(page, user, next_url=None):
    """A row's "More actions" offers the decisions the user can take on the page's task.

    The same entries and links as the dashboard's "Awaiting your review" menu: Wagtail's
    workflow-action script (loaded by templates/wagtailadmin/pages/explorable_index.html)
    opens the comment dialog or posts the decision, then comes back to the listing. Without
    scripts, the link opens the entry's edit view, where the same decisions are in the footer.
    """
    from wagtail.admin.widgets import Button

    task_state = page.current_workflow_task_state
    if task_state is None:
        return
    task = task_state.task.specific
    actions = task.get_actions(page, user)
    if not actions:
        return
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    for order, (name, label, modal) in enumerate(actions):
        attrs = {
            "data-workflow-action-url": reverse(
                "wagtailadmin_pages:workflow_action", args=[page.pk, name, task_state.pk]
            )
        }
        if modal:
            attrs["data-launch-modal"] = ""
        yield Button(
            label, url=edit_url, icon_name="tasks", attrs=attrs, priority=order - len(actions)
        )


@hooks.register("construct_page_listing_buttons")
def keep_decisions_in_the_page(buttons, page, user, context=None):
    """The menu with decisions stays in the page while closed, as on the dashboard.

    Otherwise Wagtail's dropdown takes its entries out of the document until opened, and the
    workflow-action script, which looks for them when the page loads, would not find them.
    """
    from wagtail.admin.widgets import ButtonWithDropdownFromHook

    for button in buttons:
        if isinstance(button, ButtonWithDropdownFromHook) and any(
            "data-workflow-action-url" in item.attrs for item in button.dropdown_buttons
        ):
            button.attrs["data-w-dropdown-keep-mounted-value"] = "true"
