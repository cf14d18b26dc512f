"""Admin for content translation: the per-entry overview and the publication guard.

Nothing here registers itself: ``practices/wagtail_hooks.py`` registers every view, hook and
log action of this module.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect
from django.urls import path, reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.pages.workflow import WorkflowActionView
from wagtail.admin.viewsets.pages import PageViewSet, base_page_viewset
from wagtail.log_actions import LogFormatter
from wagtail_localize.views.update_translations import UpdateTranslationsView

from practices.models import PracticePage

from .fallback import language_label
from .publishing import (
    IncompleteTranslationError,
    UnpublishableTranslationError,
    check_complete,
    check_publishable,
    withheld_reason_message,
)
from .status import entry_states, mark_editable, original_entries

# -- overview of entries and their languages ----------------------------------------------


class EntryTranslationsView(WagtailAdminTemplateMixin, TemplateView):
    """Each entry, and per language: exists, progress, out of date, readers' requests.

    Like every URL registered through ``register_admin_urls``, it requires admin access.
    """

    template_name = "practices/translation/overview.html"
    page_title = gettext_lazy("Translations of entries")
    header_icon = "site"
    per_page = 20

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        entries = original_entries().select_related("locale").order_by("title", "pk")
        query = self.request.GET.get("q", "").strip()
        if query:
            entries = entries.filter(title__icontains=query)
        page_obj = Paginator(entries, self.per_page).get_page(self.request.GET.get("p"))
        context.update(
            {
                "page_obj": page_obj,
                "entries": mark_editable(entry_states(page_obj.object_list), self.request.user),
                "query": query,
                "can_submit": self.request.user.has_perm("wagtail_localize.submit_translation"),
                "next_url": self.request.get_full_path(),
            }
        )
        return context


class SyncTranslationsView(UpdateTranslationsView):
    """wagtail-localize's sync, publishing only the translations that are complete.

    The original view publishes inside one transaction and would fail as a whole on the
    first incomplete translation; here incomplete ones are left unpublished, with a message.
    """

    @transaction.atomic
    def form_valid(self, form):
        publish = form.cleaned_data.get("publish_translations")
        form.cleaned_data["publish_translations"] = False
        response = super().form_valid(form)
        if not publish:
            return response
        for translation in self.object.translations.filter(enabled=True).select_related(
            "source", "target_locale"
        ):
            total, done = translation.get_progress()
            if done < total:
                messages.warning(
                    self.request,
                    ngettext(
                        "Not published in %(language)s: %(missing)d of %(total)d passages "
                        "still waits for a translator.",
                        "Not published in %(language)s: %(missing)d of %(total)d passages "
                        "still wait for a translator.",
                        total - done,
                    )
                    % {
                        "language": language_label(translation.target_locale.language_code),
                        "missing": total - done,
                        "total": total,
                    },
                )
                continue
            try:
                translation.save_target(user=self.request.user, publish=True)
            except ValidationError:
                messages.error(
                    self.request,
                    _("The %(language)s translation could not be published; open it to see why.")
                    % {"language": language_label(translation.target_locale.language_code)},
                )
        return response


def translation_urls():
    return [
        path(
            "practices/translations/",
            EntryTranslationsView.as_view(),
            name="practices_entry_translations",
        ),
        # Same address as wagtail-localize's update view, listed first so that it wins.
        path(
            "localize/update/<int:translation_source_id>/",
            SyncTranslationsView.as_view(),
            name="practices_sync_translations",
        ),
    ]


def entry_translations_menu_item():
    return MenuItem(
        gettext_lazy("Translations of entries"),
        reverse_lazy("practices_entry_translations"),
        icon_name="site",
        order=8990,
    )


# -- no mixed-language pages: the admin's ways to publish --------------------------------


def _refuse(request, error, redirect_to):
    messages.error(request, error.messages[0])
    return redirect(redirect_to)


def refuse_incomplete_publish_in_translation_editor(request, page):
    """wagtail-localize's editor posts action=publish to the page's edit URL."""
    if request.method != "POST" or request.POST.get("action") != "publish":
        return None
    if not isinstance(page.specific, PracticePage):
        return None
    try:
        check_complete(page)
    except IncompleteTranslationError as error:
        return _refuse(request, error, request.path)
    return None


def refuse_incomplete_publish(request, page):
    if not isinstance(page.specific, PracticePage):
        return None
    try:
        check_complete(page)
    except IncompleteTranslationError as error:
        return _refuse(request, error, reverse("wagtailadmin_pages:edit", args=[page.pk]))
    return None


def refuse_incomplete_bulk_publish(request, action_type, objects, action_class_instance):
    if action_type != "publish":
        return None
    for page in objects:
        if not isinstance(getattr(page, "specific", None), PracticePage):
            continue
        try:
            # What bulk publishing publishes: the latest revision, as it is.
            check_publishable(page.specific.get_latest_revision_as_object())
        except UnpublishableTranslationError as error:
            messages.error(request, f"{page.get_admin_display_title()}: {error.messages[0]}")
            return redirect(action_class_instance.next_url or reverse("wagtailadmin_home"))
    return None


# -- no mixed-language pages: approving a translation in review --------------------------


class EntryWorkflowActionView(WorkflowActionView):
    """Wagtail's workflow action (approve, request changes, reject) on an entry.

    Approving finishes the review and publishes (``practices.submit.publishing``). For a
    translation that is still incomplete, or whose draft does not hold the translated text,
    publishing raises IncompleteTranslationError or StaleTranslationDraftError; Wagtail's
    task actions are atomic, so the approval is undone with it and the review stays open. The
    reviewer is told why instead of getting a server error; in the "Approve with comment"
    dialog, the comment stays in the form.
    """

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except UnpublishableTranslationError as error:
            return self.approval_refused(error)

    def approval_refused(self, error):
        message = _("Not approved: %(reason)s The review stays open.") % {
            "reason": error.messages[0]
        }
        is_ajax = self.request.headers.get("x-requested-with") == "XMLHttpRequest"
        if is_ajax and self.form_class and self.action_modal:
            form = self.form_class(self.request.POST)
            form.is_valid()
            form.add_error(None, message)
            return self.render_modal_form(self.request, form)
        messages.error(self.request, message)
        if is_ajax:
            return self.render_modal_json(
                self.request, {"step": "success", "redirect": self.redirect_url}
            )
        return redirect(self.redirect_url)


class EntryPageViewSet(PageViewSet):
    """Wagtail's page views for entries, with the workflow action above; nothing else differs."""

    model = PracticePage
    parent_models = []  # the explorer lists entries as before
    workflow_action_view_class = EntryWorkflowActionView

    def get_view_by_name(self, name):
        if name == "workflow_action":
            return self.workflow_action_view
        return base_page_viewset.get_view_by_name(name)


# -- no mixed-language pages: scheduled publication (manage.py publish_scheduled) ---------


class WithheldPublicationFormatter(LogFormatter):
    label = gettext_lazy("Withhold scheduled publication")

    def format_message(self, log_entry):
        reason = withheld_reason_message(log_entry.data or {})
        return _("Scheduled publication withheld: %(reason)s") % {"reason": reason}
