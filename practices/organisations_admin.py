"""The organisations' merge view: an editor merges a duplicate into the organisation it
duplicates, and every funding row follows (Organisation.merge_into)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext, gettext_lazy
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .models import Organisation


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label=gettext_lazy("Merge into"),
        help_text=gettext_lazy(
            "The organisation this one duplicates. Its funding rows move there, and this "
            "organisation is deleted."
        ),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = Organisation.objects.exclude(pk=organisation.pk)
        self.fields["target"].label_from_instance = lambda other: other.display_name()


class MergeView(WagtailAdminTemplateMixin, FormView):
    template_name = "practices/organisations/merge.html"
    form_class = MergeForm
    header_icon = "group"

    def dispatch(self, request, pk):
        user = request.user
        if not (
            user.has_perm("practices.change_organisation")
            and user.has_perm("practices.delete_organisation")
        ):
            raise PermissionDenied
        self.organisation = get_object_or_404(Organisation, pk=pk)
        return super().dispatch(request, pk)

    def get_page_title(self):
        return gettext("Merge %(name)s") % {"name": self.organisation.display_name()}

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "organisation": self.organisation}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["organisation"] = self.organisation
        context["rows"] = self.organisation.funded.count() + self.organisation.received.count()
        return context

    def form_valid(self, form):
        target = form.cleaned_data["target"]
        name = self.organisation.display_name()
        moved = self.organisation.merge_into(target)
        messages.success(
            self.request,
            gettext("%(name)s was merged into %(target)s; %(count)s funding rows moved.")
            % {"name": name, "target": target.display_name(), "count": moved},
        )
        return redirect("wagtailsnippets_practices_organisation:edit", target.pk)


def organisation_urls():
    return [
        path(
            "organisations/<int:pk>/merge/",
            MergeView.as_view(),
            name="practices_organisation_merge",
        )
    ]
