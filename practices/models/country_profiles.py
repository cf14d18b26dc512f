"""Country profiles: the links that editors add to a country page (/<lang>/countries/<ISO>/).

Only public, institutional links: the national focal point institution, the Article 7
reports and the Landmine Monitor profile. A country page shows a link only when an editor
has set it; nothing is filled in by the code.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel


class CountryProfile(models.Model):
    country = CountryField(_("country"), unique=True)
    focal_point_name = models.CharField(
        _("national focal point institution"),
        max_length=255,
        blank=True,
        help_text=_("The institution, never a person: its name as it is written on its own site."),
    )
    focal_point_url = models.URLField(
        _("address of the national focal point institution"), max_length=500, blank=True
    )
    article7_url = models.URLField(
        _("Article 7 reports"),
        max_length=500,
        blank=True,
        help_text=_("The country's transparency reports under Article 7 of the Convention."),
    )
    monitor_url = models.URLField(_("Landmine Monitor profile"), max_length=500, blank=True)

    panels = [
        FieldPanel("country"),
        MultiFieldPanel(
            [FieldPanel("focal_point_name"), FieldPanel("focal_point_url")],
            heading=_("National focal point"),
        ),
        FieldPanel("article7_url"),
        FieldPanel("monitor_url"),
    ]

    class Meta:
        verbose_name = _("country profile")
        verbose_name_plural = _("country profiles")
        ordering = ["country"]

    def __str__(self):
        return str(self.country.name) or self.country.code

    @property
    def has_links(self):
        return bool(self.focal_point_url or self.article7_url or self.monitor_url)
