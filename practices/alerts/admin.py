"""The admin's view of followed searches: counts for every editor; the addresses only for
administrators (superusers), since an address is personal data (practices.privacy)."""

from datetime import timedelta

from django.db.models import Count
from django.urls import path, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ..facets import LANGUAGE_LABELS
from ..models import AlertDelivery, Subscription
from .matching import describe

ADDRESSES_SHOWN = 500


class FollowedSearchesView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "practices/alerts/admin.html"
    page_title = gettext_lazy("Followed searches")
    header_icon = "mail"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = {}
        for confirmed in (1, 0):
            chosen = Subscription.objects.filter(confirmed_at__isnull=not confirmed)
            for row in chosen.values("language", "frequency").annotate(n=Count("pk")):
                counts[row["language"], row["frequency"], confirmed] = row["n"]
        rows = []
        for code, label in LANGUAGE_LABELS.items():
            cells = [
                counts.get((code, frequency, confirmed), 0)
                for frequency in Subscription.Frequency.values
                for confirmed in (1, 0)
            ]
            rows.append({"language": label, "cells": cells, "total": sum(cells)})
        since = timezone.now() - timedelta(days=30)
        recent = AlertDelivery.objects.filter(created_at__gte=since)
        by_status = dict(recent.values_list("status").annotate(n=Count("pk")))
        context.update(
            rows=rows,
            frequencies=Subscription.Frequency.choices,
            addresses=Subscription.objects.values("email").distinct().count(),
            statuses=[
                (label, by_status.get(value, 0)) for value, label in AlertDelivery.Status.choices
            ],
            show_addresses=self.request.user.is_superuser,
        )
        if context["show_addresses"]:
            context["subscriptions"] = [
                {"item": item, "search": describe(item.query, item.language)}
                for item in Subscription.objects.order_by("email", "pk")[:ADDRESSES_SHOWN]
            ]
        return context


def admin_urls():
    return [
        path(
            "practices/followed-searches/",
            FollowedSearchesView.as_view(),
            name="practices_followed_searches",
        )
    ]


def menu_item():
    return MenuItem(
        gettext_lazy("Followed searches"),
        reverse_lazy("practices_followed_searches"),
        icon_name="mail",
        order=8995,
    )
