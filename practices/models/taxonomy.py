"""Controlled vocabularies: one language-neutral row per term, labels in four languages.

Terms are deliberately not translatable Wagtail objects: a single row per slug means an
entry's classification points at the same terms in every language version, so it cannot
drift to another locale's copy of a term.
"""

from django.core.validators import RegexValidator
from django.db import models
from django.utils import translation
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.search import index

from kb.languages import LANGUAGE_CODES


def active_language():
    code = (get_language() or "en").split("-")[0]
    return code if code in LANGUAGE_CODES else "en"


class VocabularyTerm(index.Indexed, models.Model):
    """A term of a closed vocabulary. Slugs are stable identifiers; labels are translated."""

    #: The facet key of CONTRACT.md this vocabulary provides.
    facet_key = ""

    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        help_text=_("Never change it: URLs, the API and imports rely on it."),
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    label_en = models.CharField(_("label (English)"), max_length=500)
    label_fr = models.CharField(_("label (French)"), max_length=500)
    label_es = models.CharField(_("label (Spanish)"), max_length=500)
    label_ar = models.CharField(_("label (Arabic)"), max_length=500)
    short_label_en = models.CharField(_("short label (English)"), max_length=120, blank=True)
    short_label_fr = models.CharField(_("short label (French)"), max_length=120, blank=True)
    short_label_es = models.CharField(_("short label (Spanish)"), max_length=120, blank=True)
    short_label_ar = models.CharField(_("short label (Arabic)"), max_length=120, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_es = models.TextField(_("description (Spanish)"), blank=True)
    description_ar = models.TextField(_("description (Arabic)"), blank=True)
    sources = models.JSONField(
        _("sources"), default=list, blank=True, help_text=_("Links that document the term.")
    )

    panels = [
        MultiFieldPanel([FieldPanel("slug"), FieldPanel("sort_order")], heading=_("Identity")),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("label_en"), FieldPanel("short_label_en")]),
                FieldRowPanel([FieldPanel("label_fr"), FieldPanel("short_label_fr")]),
                FieldRowPanel([FieldPanel("label_es"), FieldPanel("short_label_es")]),
                FieldRowPanel([FieldPanel("label_ar"), FieldPanel("short_label_ar")]),
            ],
            heading=_("Labels"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("description_en"),
                FieldPanel("description_fr"),
                FieldPanel("description_es"),
                FieldPanel("description_ar"),
            ],
            heading=_("Descriptions"),
        ),
    ]

    search_fields = [
        index.SearchField("label_en"),
        index.SearchField("label_fr"),
        index.SearchField("label_es"),
        index.SearchField("label_ar"),
        index.AutocompleteField("label_en"),
        index.FilterField("slug"),
    ]

    class Meta:
        abstract = True
        ordering = ["sort_order", "slug"]

    def __str__(self):
        return self.get_label()

    def get_label(self, language=None):
        return getattr(self, f"label_{language or active_language()}") or self.label_en

    def get_short_label(self, language=None):
        language = language or active_language()
        return getattr(self, f"short_label_{language}") or self.get_label(language)

    def get_description(self, language=None):
        return getattr(self, f"description_{language or active_language()}") or self.description_en

    label = property(get_label)
    short_label = property(get_short_label)
    description = property(get_description)


class CooperationModel(VocabularyTerm):
    facet_key = "cooperation_model"
    letter = models.CharField(_("letter"), max_length=1, blank=True)

    class Meta(VocabularyTerm.Meta):
        verbose_name = _("cooperation model")
        verbose_name_plural = _("cooperation models")


class GuidingQuestion(VocabularyTerm):
    facet_key = "guiding_question"
    number = models.PositiveSmallIntegerField(_("number"), unique=True)

    class Meta(VocabularyTerm.Meta):
        verbose_name = _("guiding question")
        verbose_name_plural = _("guiding questions")


class VictimAssistanceComponent(VocabularyTerm):
    facet_key = "va_component"

    class Meta(VocabularyTerm.Meta):
        verbose_name = _("victim-assistance component")
        verbose_name_plural = _("victim-assistance components")


class Region(VocabularyTerm):
    facet_key = "region"

    class Meta(VocabularyTerm.Meta):
        verbose_name = _("region")
        verbose_name_plural = _("regions")


class ActorType(VocabularyTerm):
    facet_key = "actor_type"

    class Meta(VocabularyTerm.Meta):
        verbose_name = _("actor type")
        verbose_name_plural = _("actor types")


class FundingMechanism(VocabularyTerm):
    facet_key = "funding_mechanism"

    class Meta(VocabularyTerm.Meta):
        verbose_name = _("funding mechanism")
        verbose_name_plural = _("funding mechanisms")


class SustainableDevelopmentGoal(VocabularyTerm):
    facet_key = "sdg"
    goal = models.PositiveSmallIntegerField(_("goal number"), unique=True)

    class Meta(VocabularyTerm.Meta):
        verbose_name = _("Sustainable Development Goal")
        verbose_name_plural = _("Sustainable Development Goals")


class CRPDArticle(VocabularyTerm):
    facet_key = "crpd_article"
    article = models.PositiveSmallIntegerField(_("article number"), unique=True)

    class Meta(VocabularyTerm.Meta):
        verbose_name = _("CRPD article")
        verbose_name_plural = _("CRPD articles")


class ActionPlanAction(VocabularyTerm):
    """An action of the Convention's action plans: `oap-N` (Oslo Action Plan 2020-2024) or
    `srap-N` (Siem Reap-Angkor Action Plan 2025-2029). A link that no cited source confirms
    is shown as indicative."""

    facet_key = "action_plan"
    slug = models.SlugField(
        _("slug"),
        max_length=20,
        unique=True,
        validators=[
            RegexValidator(
                r"^(oap|srap)-[1-9][0-9]*$",
                _("Write oap-N (Oslo Action Plan) or srap-N (Siem Reap-Angkor Action Plan)."),
            )
        ],
        help_text=_("Never change it: URLs, the API and imports rely on it."),
    )
    confirmed = models.BooleanField(
        _("confirmed by a source"),
        default=False,
        help_text=_("Leave unticked while no cited source confirms it: it shows as indicative."),
    )

    panels = VocabularyTerm.panels + [FieldPanel("confirmed"), FieldPanel("sources")]

    class Meta(VocabularyTerm.Meta):
        verbose_name = _("action plan action")
        verbose_name_plural = _("action plan actions")

    def _marked(self, label, language):
        """An unconfirmed link says so: "Oslo Action Plan, action 35 (indicative)"."""
        if self.confirmed:
            return label
        with translation.override(language or active_language()):
            return gettext("%(label)s (indicative)") % {"label": label}

    def get_label(self, language=None):
        return self._marked(super().get_label(language), language)

    def get_short_label(self, language=None):
        language = language or active_language()
        short = getattr(self, f"short_label_{language}")
        return self._marked(short, language) if short else self.get_label(language)

    label = property(get_label)
    short_label = property(get_short_label)


class SdgTarget(VocabularyTerm):
    """A target of the Sustainable Development Goals, by its code (`3.8`, `10.2`)."""

    facet_key = "sdg_target"
    slug = models.CharField(
        _("code"),
        max_length=10,
        unique=True,
        validators=[
            RegexValidator(r"^[1-9][0-9]?\.[0-9a-z]{1,2}$", _("Write the target's code: 3.8."))
        ],
        help_text=_("Never change it: URLs, the API and imports rely on it."),
    )
    confirmed = models.BooleanField(
        _("official text confirmed"),
        default=False,
        help_text=_("Ticked when the label was checked against the official text."),
    )

    panels = VocabularyTerm.panels + [FieldPanel("confirmed"), FieldPanel("sources")]

    class Meta(VocabularyTerm.Meta):
        verbose_name = _("SDG target")
        verbose_name_plural = _("SDG targets")


#: Facet key -> vocabulary model, in the order of CONTRACT.md.
VOCABULARIES = {
    model.facet_key: model
    for model in (
        CooperationModel,
        GuidingQuestion,
        VictimAssistanceComponent,
        Region,
        ActorType,
        FundingMechanism,
        SustainableDevelopmentGoal,
        CRPDArticle,
        ActionPlanAction,
        SdgTarget,
    )
}


class TagLabel(models.Model):
    """The labels of a free tag in the four languages, which editors translate in the admin.

    Tags stay django-taggit's (one row per name, shared by every language version of an
    entry, like the rest of the classification); this row only says how to show one.
    An empty label shows the tag's name.
    """

    tag = models.OneToOneField(
        "taggit.Tag",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="labels",
        verbose_name=_("tag"),
    )
    label_en = models.CharField(_("label (English)"), max_length=100, blank=True)
    label_fr = models.CharField(_("label (French)"), max_length=100, blank=True)
    label_es = models.CharField(_("label (Spanish)"), max_length=100, blank=True)
    label_ar = models.CharField(_("label (Arabic)"), max_length=100, blank=True)

    panels = [
        FieldPanel("tag", read_only=True),
        FieldPanel("label_en"),
        FieldPanel("label_fr"),
        FieldPanel("label_es"),
        FieldPanel("label_ar"),
    ]

    class Meta:
        ordering = ["tag__name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self):
        return self.tag.name

    def get_label(self, language=None):
        return getattr(self, f"label_{language or active_language()}") or self.tag.name

    def labels(self):
        return {code: self.get_label(code) for code in LANGUAGE_CODES}


def tag_label(tag, language=None, query=True):
    """How to show `tag` (a taggit Tag) to a reader of `language` (default: the active one).

    With `query=False`, only labels already fetched (prefetch_related("tags__labels")) are
    used, and a tag without them shows its name: for code that must not query (search
    documents built in a background thread).
    """
    if not query and not Tag.labels.related.is_cached(tag):
        return tag.name
    try:
        labels = tag.labels
    except TagLabel.DoesNotExist:
        return tag.name
    return labels.get_label(language)


def tag_labels(slugs):
    """Tag slug -> {language: label} for these slugs (the tag's name where none is given)."""
    result = {}
    for tag in Tag.objects.filter(slug__in=list(slugs)).select_related("labels"):
        result[tag.slug] = {code: tag_label(tag, code) for code in LANGUAGE_CODES}
    return result
