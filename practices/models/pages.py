"""The knowledge base pages: the practices index and the practice entries."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.http import Http404
from django.urls import reverse
from django.utils.encoding import uri_to_iri
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from ..blocks import RICH_TEXT_FEATURES, AnswersStreamBlock, BodyStreamBlock
from ..currency import RATE_SOURCE, row_usd
from ..facets import FACET_LABELS, VOCABULARY_FIELDS
from ..fields import ChoiceListField
from ..funding import (
    FundingChannel,
    FundingStatus,
    FundingType,
    VictimAssistanceShare,
    funding_totals,
)
from ..licences import DEFAULT_LICENCE, Licence, licence_info
from ..open_data.citation import CITATION_FORMAT_NAMES, csl_item, formatted_reference
from ..open_data.structured_data import entry_json_ld, entry_link_preview, json_ld_script
from ..results import (
    BENEFICIARY_GROUPS,
    PARTICIPATION_EXPLANATIONS,
    EvidenceLevel,
    ParticipationLevel,
    PracticeStatus,
    Provenance,
    RightsMarker,
    active_years,
)
from .organisations import Organisation
from .taxonomy import (
    ActionPlanAction,
    ActorType,
    CooperationModel,
    CRPDArticle,
    FundingMechanism,
    GuidingQuestion,
    Region,
    SdgTarget,
    SustainableDevelopmentGoal,
    VictimAssistanceComponent,
    active_language,
    tag_label,
)

#: Plain fields that belong to the language-neutral classification.
#: The beneficiary count fields, in display order (`beneficiaries_total`...).
BENEFICIARY_FIELDS = tuple(f"beneficiaries_{group}" for group, _label in BENEFICIARY_GROUPS)
CLASSIFICATION_PLAIN_FIELDS = (
    "countries",
    "partner_countries",
    "year",
    "year_end",
    "provenance",
    "licence",
    "status",
    "evidence",
    "participation",
    "rights_markers",
    *BENEFICIARY_FIELDS,
    "beneficiaries_year",
    "last_verified",
)
YEAR_VALIDATORS = [MinValueValidator(1990), MaxValueValidator(2100)]
#: The text sections the entry page shows in its results, and with its participation.
RESULTS_SECTIONS = ("outcomes", "sustainability")
PARTICIPATION_SECTIONS = ("survivor_participation",)


class PracticeIndexPage(Page):
    """The listing of practices in one language: `/<lang>/practices/`."""

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["practices.PracticePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("practices index")

    # -- translation: entries not yet translated into this index's language -------------
    def route(self, request, path_components):
        """Serve an entry that exists only in other languages under this language's prefix."""
        try:
            return super().route(request, path_components)
        except Http404:
            from ..translation.fallback import route_to_other_language

            live_entries = PracticePage.objects.live()
            result = route_to_other_language(self, request, path_components, live_entries)
            if result is None:
                raise
            return result

    # -- end translation ------------------------------------------------------------------

    def get_context(self, request, *args, **kwargs):
        from ..search.listing import practice_index_context

        context = super().get_context(request, *args, **kwargs)
        context.update(practice_index_context(self, request))
        return context


class PracticePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "practices.PracticePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class PracticePageForm(WagtailAdminPageForm):
    """Requires the classification that every entry must have (where the form edits it).

    Only changes of content count as changes: a reviewer who opens an entry and decides
    without typing anything does not become its author (see practices.editor_format).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from ..editor_format import ignore_block_keys

        for field in self.fields.values():
            ignore_block_keys(field)

    def clean(self):
        cleaned_data = super().clean()
        if "cooperation_models" in self.fields and not cleaned_data.get("cooperation_models"):
            self.add_error("cooperation_models", _("Choose at least one cooperation model."))
        if "guiding_questions" in self.fields:
            answered = set()
            answers = cleaned_data.get("answers")
            if answers:
                answered = {child.value["question"] for child in answers}
            if not cleaned_data.get("guiding_questions") and not answered:
                self.add_error(
                    "guiding_questions",
                    _("Choose at least one guiding question, or answer one."),
                )
        year, year_end = cleaned_data.get("year"), cleaned_data.get("year_end")
        if year and year_end and year_end < year:
            self.add_error("year_end", _("The end year cannot be before the start year."))
        return cleaned_data


class PracticePage(Page):
    """A case study: how a victim-assistance activity was funded, answered by guiding question.

    The classification (vocabulary terms, countries, years) is language-neutral: the
    original version holds it and every translation is kept identical to it on save.
    """

    Provenance = Provenance

    summary = models.TextField(_("summary"), help_text=_("Two or three sentences, plain text."))
    answers = StreamField(
        AnswersStreamBlock(),
        blank=True,
        verbose_name=_("answers to the guiding questions"),
        help_text=_("One answer per guiding question the example addresses."),
    )
    body = StreamField(BodyStreamBlock(), blank=True, verbose_name=_("further details"))
    organisation = models.CharField(_("organisation"), max_length=255, blank=True)
    partners = models.TextField(_("partners"), blank=True)
    year = models.PositiveSmallIntegerField(
        _("start year"), null=True, blank=True, validators=YEAR_VALIDATORS, db_index=True
    )
    year_end = models.PositiveSmallIntegerField(
        _("end year"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    #: The entry's text sections (rich text), in reading order: the one list of them that
    #: the form, the importer, the search documents and the page template go through.
    TEXT_SECTIONS = (
        "outcomes",
        "sustainability",
        "lessons_learned",
        "survivor_participation",
        "accountability",
    )
    outcomes = RichTextField(_("outcomes"), blank=True, features=RICH_TEXT_FEATURES)
    sustainability = RichTextField(
        _("sustainability"),
        blank=True,
        features=RICH_TEXT_FEATURES,
        help_text=_("What continued after the first funding ended, and how it is paid for."),
    )
    lessons_learned = RichTextField(_("lessons learned"), blank=True, features=RICH_TEXT_FEATURES)
    survivor_participation = RichTextField(
        _("survivor participation"),
        blank=True,
        features=RICH_TEXT_FEATURES,
        help_text=_("How survivors and their organisations took part."),
    )
    accountability = RichTextField(
        _("accountability"),
        blank=True,
        features=RICH_TEXT_FEATURES,
        help_text=_("How the funds were accounted for."),
    )
    provenance = models.CharField(
        _("provenance"),
        max_length=20,
        choices=Provenance.choices,
        default=Provenance.CONTRIBUTED,
        help_text=_(
            "Documented: from cited public sources. Contributed: submitted and reviewed. "
            "Illustrative: a sample, not a real practice; it names no real country."
        ),
    )
    # -- results, evidence and participation (language-neutral, like the classification) --
    status = models.CharField(
        _("status"), max_length=20, choices=PracticeStatus.choices, blank=True, default=""
    )
    evidence = models.CharField(
        _("evidence"),
        max_length=30,
        choices=EvidenceLevel.choices,
        blank=True,
        default="",
        help_text=_("How the results are known."),
    )
    participation = models.CharField(
        _("participation level"),
        max_length=20,
        choices=ParticipationLevel.choices,
        blank=True,
        default="",
        help_text=_("The highest level at which survivors and their organisations took part."),
    )
    rights_markers = ChoiceListField(_("rights markers"), value_choices=RightsMarker.choices)
    beneficiaries_total = models.PositiveIntegerField(
        _("beneficiaries reached"), null=True, blank=True
    )
    beneficiaries_women = models.PositiveIntegerField(_("women"), null=True, blank=True)
    beneficiaries_men = models.PositiveIntegerField(_("men"), null=True, blank=True)
    beneficiaries_girls = models.PositiveIntegerField(_("girls"), null=True, blank=True)
    beneficiaries_boys = models.PositiveIntegerField(_("boys"), null=True, blank=True)
    beneficiaries_persons_with_disabilities = models.PositiveIntegerField(
        _("persons with disabilities"), null=True, blank=True
    )
    beneficiaries_survivors = models.PositiveIntegerField(_("survivors"), null=True, blank=True)
    beneficiaries_year = models.PositiveSmallIntegerField(
        _("year counted"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    beneficiaries_note = models.TextField(
        _("note on the beneficiaries"),
        blank=True,
        help_text=_("Who was counted and how; the source of the figures."),
    )
    last_verified = models.DateField(
        _("last verified"),
        null=True,
        blank=True,
        help_text=_("When an editor last checked the entry against its sources."),
    )
    licence = models.CharField(
        _("licence"),
        max_length=20,
        choices=Licence.choices,
        default=DEFAULT_LICENCE,
        help_text=_("The open licence readers may reuse the entry under."),
    )

    # Both are required; the admin form and the importer enforce it (an answer counts).
    cooperation_models = ParentalManyToManyField(
        CooperationModel, blank=True, related_name="practices", verbose_name=_("cooperation models")
    )
    guiding_questions = ParentalManyToManyField(
        GuidingQuestion, blank=True, related_name="practices", verbose_name=_("guiding questions")
    )
    va_components = ParentalManyToManyField(
        VictimAssistanceComponent,
        blank=True,
        related_name="practices",
        verbose_name=_("victim-assistance components"),
    )
    regions = ParentalManyToManyField(
        Region, blank=True, related_name="practices", verbose_name=_("regions")
    )
    actor_types = ParentalManyToManyField(
        ActorType, blank=True, related_name="practices", verbose_name=_("actor types")
    )
    funding_mechanisms = ParentalManyToManyField(
        FundingMechanism,
        blank=True,
        related_name="practices",
        verbose_name=_("funding mechanisms"),
    )
    sdgs = ParentalManyToManyField(
        SustainableDevelopmentGoal,
        blank=True,
        related_name="practices",
        verbose_name=_("Sustainable Development Goals"),
    )
    crpd_articles = ParentalManyToManyField(
        CRPDArticle, blank=True, related_name="practices", verbose_name=_("CRPD articles")
    )
    action_plan_actions = ParentalManyToManyField(
        ActionPlanAction,
        blank=True,
        related_name="practices",
        verbose_name=_("action plan actions"),
    )
    sdg_targets = ParentalManyToManyField(
        SdgTarget, blank=True, related_name="practices", verbose_name=_("SDG targets")
    )
    countries = CountryField(_("countries"), multiple=True, blank=True)
    partner_countries = CountryField(
        _("partner countries"),
        multiple=True,
        blank=True,
        help_text=_(
            "Countries that fund or partner, beyond those the funding rows' organisations "
            "already name."
        ),
    )
    tags = ClusterTaggableManager(through=PracticePageTag, blank=True, verbose_name=_("tags"))

    # -- translation: whether readers see an original, a reviewed or a machine translation --
    class TranslationStatus(models.TextChoices):
        ORIGINAL = "original", _("Original")
        REVIEWED = "reviewed", _("Translation reviewed by a translator")
        MACHINE = "machine", _("Machine translation, not yet reviewed")

    translation_status = models.CharField(
        _("translation status"),
        max_length=10,
        choices=TranslationStatus.choices,
        default=TranslationStatus.ORIGINAL,
        editable=False,
        help_text=_("Set when the version is published, from its translation data."),
    )
    # Every publication of a revision (Page.publish, Revision.publish, Wagtail's editor and
    # admin API, workflows, scheduled publishing) refuses incomplete translations and sets
    # translation_status: see practices.translation.publication_guard.guard_revision_publishing.

    # -- end translation ------------------------------------------------------------------

    base_form_class = PracticePageForm
    parent_page_types = ["practices.PracticeIndexPage"]
    subpage_types = []

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("answers"),
        index.SearchField("body"),
        index.SearchField("organisation"),
        index.FilterField("year"),
    ]

    # Classification is never translated: translators see it but cannot override it.
    override_translatable_fields = [
        SynchronizedField(name, overridable=False)
        for name in (*VOCABULARY_FIELDS.values(), *CLASSIFICATION_PLAIN_FIELDS, "tags")
    ]

    # The editor's tabs follow a case study: context, answers, funding, results,
    # participation, sources; then the classification and Wagtail's promote tab.
    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("organisation"),
                FieldPanel("partners"),
                FieldRowPanel([FieldPanel("year"), FieldPanel("year_end")]),
                FieldPanel("status"),
            ],
            heading=_("Who and when"),
        ),
        FieldPanel("body"),
    ]
    answers_panels = [FieldPanel("answers")]
    funding_panels = [
        InlinePanel("funding", label=_("Funding"), heading=_("Funding")),
        FieldPanel("accountability"),
    ]
    results_panels = [
        FieldPanel("outcomes"),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("beneficiaries_total"), FieldPanel("beneficiaries_year")]
                ),
                FieldRowPanel(
                    [
                        FieldPanel("beneficiaries_women"),
                        FieldPanel("beneficiaries_men"),
                        FieldPanel("beneficiaries_girls"),
                        FieldPanel("beneficiaries_boys"),
                    ]
                ),
                FieldRowPanel(
                    [
                        FieldPanel("beneficiaries_persons_with_disabilities"),
                        FieldPanel("beneficiaries_survivors"),
                    ]
                ),
                FieldPanel("beneficiaries_note"),
            ],
            heading=_("Beneficiaries reached"),
        ),
        FieldPanel("sustainability"),
        FieldPanel("evidence"),
        FieldPanel("lessons_learned"),
    ]
    participation_panels = [
        FieldPanel("participation", widget=forms.RadioSelect),
        FieldPanel("survivor_participation"),
        FieldPanel("rights_markers"),
    ]
    sources_panels = [
        FieldPanel("provenance"),
        FieldPanel("last_verified"),
        InlinePanel("sources", label=_("Source"), heading=_("Sources")),
        InlinePanel("attachments", label=_("Attachment"), heading=_("Attachments")),
    ]
    classification_panels = [
        *[
            FieldPanel(field, widget=forms.CheckboxSelectMultiple)
            for field in ("cooperation_models", "guiding_questions", "va_components", "regions")
        ],
        FieldPanel("countries"),
        FieldPanel("partner_countries"),
        *[
            FieldPanel(field, widget=forms.CheckboxSelectMultiple)
            for field in (
                "actor_types",
                "funding_mechanisms",
                "sdgs",
                "sdg_targets",
                "crpd_articles",
                "action_plan_actions",
            )
        ],
        FieldPanel("tags"),
        FieldPanel("licence"),
    ]

    class Meta:
        verbose_name = _("practice")
        verbose_name_plural = _("practices")

    def permissions_for_user(self, user):
        """Wagtail's, and translators and editors publish synced translations."""
        from practices.translation.permissions import EntryPermissionTester

        return EntryPermissionTester(user, self)

    # -- language-neutral classification -------------------------------------------------

    def get_original(self):
        """The first version of this entry ever created: it owns the classification."""
        if not self.translation_key:
            return self
        return (
            PracticePage.objects.filter(translation_key=self.translation_key).order_by("pk").first()
            or self
        )

    @cached_property
    def original(self):
        if not self.translation_key:
            return self
        first = (
            PracticePage.objects.filter(translation_key=self.translation_key)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
        if first is None or first == self.pk:
            return self  # no second query, and the page's locale is read once
        return PracticePage.objects.select_related("locale").get(pk=first)

    @property
    def original_language(self):
        return self.original.locale.language_code

    @property
    def is_original(self):
        return self.original.pk == self.pk

    def copy_classification_from(self, other):
        for field in VOCABULARY_FIELDS.values():
            setattr(self, field, list(getattr(other, field).all()))
        for field in CLASSIFICATION_PLAIN_FIELDS:
            setattr(self, field, getattr(other, field))
        self.tags.set([tag.name for tag in other.tags.all()], clear=True)

    def _include_answered_questions(self):
        answered = {child.value["question"] for child in self.answers}
        if not answered:
            return
        current = set(self.guiding_questions.all())
        missing = set(GuidingQuestion.objects.filter(slug__in=answered)) - current
        if missing:
            self.guiding_questions = list(current | missing)

    def clean(self):
        super().clean()
        errors = {}
        if self.year and self.year_end and self.year_end < self.year:
            errors["year_end"] = _("The end year cannot be before the start year.")
        if self.provenance == Provenance.ILLUSTRATIVE:
            for name in ("countries", "partner_countries"):
                if getattr(self, name):
                    errors[name] = _(
                        "An illustrative entry names no real country: give its region instead."
                    )
        groups = [
            getattr(self, f"beneficiaries_{group}") for group in ("women", "men", "girls", "boys")
        ]
        if (
            self.beneficiaries_total is not None
            and sum(n or 0 for n in groups) > self.beneficiaries_total
        ):
            errors["beneficiaries_total"] = _(
                "Women, men, girls and boys add up to more than the total reached."
            )
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        full_save = update_fields is None
        original = self.get_original()
        is_original = original.pk == self.pk
        if full_save:
            if is_original:
                self._include_answered_questions()
            else:
                self.copy_classification_from(original)
        result = super().save(*args, **kwargs)
        if full_save and is_original:
            self._propagate_classification()
        return result

    def _propagate_classification(self):
        translations = PracticePage.objects.filter(translation_key=self.translation_key).exclude(
            pk=self.pk
        )
        for translation in translations:
            translation.copy_classification_from(self)
            translation.save(
                clean=False,
                update_fields=[
                    *VOCABULARY_FIELDS.values(),
                    *CLASSIFICATION_PLAIN_FIELDS,
                    "tagged_items",
                ],
            )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.public_context())
        # The address to cite, readable: /ar/practices/مثال/ rather than its %-encoding.
        # Isolated left to right, so that an Arabic slug does not reorder it in the sentence.
        context["citation_url"] = format_html(
            '<bdi dir="ltr">{}</bdi>', uri_to_iri(request.build_absolute_uri(self.get_url(request)))
        )
        context["citation"] = self.citation_context(request)
        versions = context["live_versions"]
        context["sources"] = list(self.sources.all())  # shown, and in the JSON-LD
        context["json_ld"] = json_ld_script(entry_json_ld(self, request, context))
        context["link_preview"] = entry_link_preview(self, request, versions)
        return context

    def citation_context(self, request):
        """ "Cite this example": the reference of this version, formatted in the reader's
        language, and the addresses of its downloads (practices.open_data.citation). None
        for what the downloads do not cite: an illustrative sample while
        settings.SHOW_ILLUSTRATIVE is off (search leaves it out)."""
        hidden = self.provenance == Provenance.ILLUSTRATIVE and not settings.SHOW_ILLUSTRATIVE
        if not self.translation_key or hidden:
            return None
        item = csl_item(self, request)
        entry_id = str(self.translation_key)
        query = f"?lang={self.locale.language_code}"
        return {
            "reference": formatted_reference(item, active_language()),
            "downloads": [
                {
                    "name": name,
                    "extension": extension,
                    "url": reverse(f"citation_{extension}", kwargs={"entry_id": entry_id}) + query,
                }
                for extension, name in CITATION_FORMAT_NAMES.items()
            ],
        }

    def fallback_urls(self, request=None):
        """Language code -> where a reader of that language reads this entry: the address
        under that language's practices index, served in another language with a notice
        while no translation is published (practices.translation.fallback)."""
        parent = self.get_parent()
        indexes = PracticeIndexPage.objects.filter(translation_key=parent.translation_key).live()
        return {
            index.locale.language_code: f"{index.get_url(request)}{self.slug}/"
            for index in indexes.select_related("locale")
        }

    def public_context(self):
        """What the page shows beyond its fields, labelled in the active language."""
        from ..blocks import guiding_question_choices_from
        from ..facets import FACET_LABELS, LANGUAGE_LABELS, country_name, language_name_local

        questions = {q.slug: q for q in GuidingQuestion.objects.all()}
        with guiding_question_choices_from(questions.values()):  # not one query per answer
            answers = [
                {"question": questions.get(child.value["question"]), "block": child}
                for child in self.answers
                if child.value["question"] in questions
            ]
        answers.sort(key=lambda item: item["question"].number)
        # Outcomes and sustainability are read in the results, survivor participation
        # with the participation level and the rights markers; the rest stand alone.
        sections = {
            name: (self._meta.get_field(name).verbose_name.capitalize(), getattr(self, name))
            for name in self.TEXT_SECTIONS
            if getattr(self, name)
        }
        results_sections = {
            name: sections.pop(name) for name in RESULTS_SECTIONS if name in sections
        }
        participation_sections = {
            name: sections.pop(name) for name in PARTICIPATION_SECTIONS if name in sections
        }
        text_sections = list(sections.values())
        funding = list(self.funding.select_related("mechanism", "funder", "recipient_organisation"))
        places = [country.code for country in self.countries]
        # As the `partner_country` facet has them: the entry's own and its funding rows'.
        partners = funding_facets(
            funding, places, [country.code for country in self.partner_countries]
        )["partner_country"]
        classification = []
        cooperation_models = []
        for key, field in VOCABULARY_FIELDS.items():
            terms = list(getattr(self, field).all())
            if key == "cooperation_model":
                cooperation_models = terms
            if terms:
                # An action by its plan and number ("Oslo Action Plan, action 33"): the
                # short "OAP 33" means nothing to most readers.
                label = "get_label" if key == "action_plan" else "get_short_label"
                items = [{"value": term.slug, "label": getattr(term, label)()} for term in terms]
                classification.append({"key": key, "label": FACET_LABELS[key], "items": items})
            if key == "region":
                for country_key, codes in (("country", places), ("partner_country", partners)):
                    if codes:
                        items = [{"value": code, "label": country_name(code)} for code in codes]
                        classification.append(
                            {"key": country_key, "label": FACET_LABELS[country_key], "items": items}
                        )
        if self.year:
            classification.append(
                {
                    "key": "year",
                    "label": FACET_LABELS["year"],
                    "items": [{"value": self.year, "label": self.year}],
                }
            )
        tags = [
            {"value": tag.slug, "label": tag_label(tag)}
            for tag in self.tags.all().select_related("labels")
        ]
        if tags:
            classification.append({"key": "tag", "label": FACET_LABELS["tag"], "items": tags})
        versions = list(
            self.get_translations(inclusive=True)
            .live()
            .select_related("locale")
            .order_by("locale__language_code")
        )
        for version in versions:
            version.name_local = language_name_local(version.locale.language_code)
            if version.pk == self.pk:
                self.locale = version.locale  # read with the versions: not read again
        licence = licence_info(self.licence)
        language = self.locale.language_code
        for row in funding:
            row.funder_name = row.funder_name_in(language)
            row.recipient_name = row.recipient_name_in(language)
        totals = funding_totals(funding)
        return {
            "cooperation_models": cooperation_models,
            "funding": funding,
            "funding_totals": totals,
            "funding_not_converted": any(total.not_converted for total in totals),
            "funding_rate_source": RATE_SOURCE,
            "funding_has_editor_figures": any(row.amount_usd is not None for row in funding),
            "live_versions": versions,
            "licence": licence,
            "licence_url": licence.url(active_language()),
            "answers": answers,
            "text_sections": text_sections,
            "results_sections": results_sections,
            "participation_sections": participation_sections,
            "beneficiaries": self.beneficiaries(),
            "badges": self.badges(),
            "participation_explanation": PARTICIPATION_EXPLANATIONS.get(self.participation, ""),
            "rights_markers": [
                RightsMarker(value).label
                for value in self.rights_markers or []
                if value in RightsMarker.values
            ],
            "classification": classification,
            "language_versions": versions if len(versions) > 1 else [],
            "original_language_name": LANGUAGE_LABELS.get(
                self.original_language, self.original_language
            ),
        }

    def classification(self):
        """Facet key -> list of slugs (or codes, years) for this entry, as in the API."""
        values = {
            key: [term.slug for term in getattr(self, field).all()]
            for key, field in VOCABULARY_FIELDS.items()
        }
        values["country"] = [country.code for country in self.countries]
        values["year"] = [self.year] if self.year else []
        values["language"] = [self.original_language]
        values["tag"] = [tag.slug for tag in self.tags.all()]
        values.update(self.funding_classification())
        values.update(self.results_classification())
        return values

    def funding_classification(self):
        """The facet values of the funding rows (see `funding_facets`), with the partner
        countries the entry names itself."""
        return funding_facets(
            self.funding.all(),
            [country.code for country in self.countries],
            [country.code for country in self.partner_countries],
        )

    def results_classification(self):
        """The facet values of the entry's provenance, results and participation."""
        return results_facets(self)

    def badges(self):
        """The status, evidence and participation level given, as badges: (facet key,
        facet label, value label), in the active language. Provenance has its own place."""
        return [
            (key, FACET_LABELS[key], getattr(self, f"get_{key}_display")())
            for key in ("status", "evidence", "participation")
            if getattr(self, key)
        ]

    def beneficiaries(self):
        """The beneficiary counts given, as (label, number) in display order."""
        return [
            (label, getattr(self, f"beneficiaries_{group}"))
            for group, label in BENEFICIARY_GROUPS
            if getattr(self, f"beneficiaries_{group}") is not None
        ]

    def funding_total_usd(self):
        """CONTRACT.md's `funding_total_usd`: see `funding_total_usd`."""
        return funding_total_usd(self.funding.all())


PracticePage.edit_handler = TabbedInterface(
    [
        ObjectList(PracticePage.content_panels, heading=_("Context")),
        ObjectList(PracticePage.answers_panels, heading=_("Answers")),
        ObjectList(PracticePage.funding_panels, heading=_("Funding")),
        ObjectList(PracticePage.results_panels, heading=_("Results")),
        ObjectList(PracticePage.participation_panels, heading=_("Participation")),
        ObjectList(PracticePage.sources_panels, heading=_("Sources")),
        ObjectList(PracticePage.classification_panels, heading=_("Classification")),
        ObjectList(PracticePage.promote_panels, heading=_("Promote")),
    ]
)


def _unique(values):
    """The values without repeats, in their first order."""
    return list(dict.fromkeys(values))


def funding_facets(rows, places, named_partners=()):
    """The facet values of funding rows (CONTRACT.md, version 2): the funders' organisation
    slugs, the rows' types and statuses, and the partner countries: the funders' countries,
    the recipients' where the practice does not take place (`places`: its country codes; a
    ministry of the country of the practice is not a partner country), then those the entry
    names itself (`named_partners`). Prefetch the rows' organisations to read many pages."""
    rows = list(rows)
    places = set(places)
    funders = [row.funder for row in rows if row.funder_id]
    recipients = [row.recipient_organisation for row in rows if row.recipient_organisation_id]
    partner_countries = [str(funder.country) for funder in funders if funder.country]
    partner_countries += [
        str(recipient.country)
        for recipient in recipients
        if recipient.country and str(recipient.country) not in places
    ]
    return {
        "funder": _unique(funder.slug for funder in funders),
        "funding_type": _unique(row.funding_type for row in rows if row.funding_type),
        "funding_status": _unique(row.status for row in rows if row.status),
        "partner_country": _unique([*partner_countries, *named_partners]),
    }


def results_facets(page):
    """The facet values of an entry's provenance, status, evidence, participation, rights
    markers and active years (CONTRACT.md, version 2): lists, like every facet."""
    return {
        "provenance": [page.provenance] if page.provenance else [],
        "status": [page.status] if page.status else [],
        "evidence": [page.evidence] if page.evidence else [],
        "participation": [page.participation] if page.participation else [],
        "rights_marker": list(page.rights_markers or []),
        "active_year": active_years(page.year, page.year_end, page.status),
    }


def funding_total_usd(rows):
    """The sum of the rows' USD equivalents, over the rows that have one; None when none
    has one. Rows in a currency without a rate are left out, never guessed."""
    amounts = [amount for row in rows if (amount := row.usd_equivalent) is not None]
    return sum(amounts) if amounts else None


class PracticeFunding(TranslatableMixin, Orderable):
    """Who funded what: one row per funding flow. Translatable: translators translate the
    source and the recipient (wagtail-localize makes them segments of the entry); amounts,
    currency, years and mechanism are the original's."""

    page = ParentalKey(PracticePage, on_delete=models.CASCADE, related_name="funding")
    source = models.CharField(_("source of funds"), max_length=255)
    recipient = models.CharField(_("recipient"), max_length=255, blank=True)
    amount = models.DecimalField(
        _("amount"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    currency = models.CharField(
        _("currency"),
        max_length=3,
        blank=True,
        validators=[
            RegexValidator(r"^[A-Z]{3}$", _("Use a three-letter ISO 4217 code, e.g. USD."))
        ],
    )
    year_start = models.PositiveSmallIntegerField(
        _("from"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    year_end = models.PositiveSmallIntegerField(
        _("to"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    mechanism = models.ForeignKey(
        FundingMechanism,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mechanism"),
    )

    funder = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="funded",
        verbose_name=_("funder"),
        help_text=_("The organisation in the authority list that gave the funds."),
    )
    recipient_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="received",
        verbose_name=_("recipient organisation"),
    )
    funding_type = models.CharField(
        _("type"), max_length=30, choices=FundingType.choices, blank=True
    )
    status = models.CharField(_("status"), max_length=20, choices=FundingStatus.choices, blank=True)
    va_share = models.CharField(
        _("share for victim assistance"),
        max_length=20,
        choices=VictimAssistanceShare.choices,
        default=VictimAssistanceShare.UNKNOWN,
        help_text=_(
            "Dedicated: the whole amount is for victim assistance. Partial: victim assistance "
            "is a share of a wider budget (mine action, health, disability)."
        ),
    )
    channel = models.CharField(
        _("channel"), max_length=20, choices=FundingChannel.choices, blank=True
    )
    amount_usd = models.DecimalField(
        _("amount in US dollars"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_(
            "Leave empty to use the average exchange rate of the first year. When you give "
            "it, say its basis in the note."
        ),
    )
    url = models.URLField(_("source of the figure (URL)"), max_length=1000, blank=True)
    iati_identifier = models.CharField(_("IATI activity identifier"), max_length=150, blank=True)
    note = models.TextField(_("note"), blank=True)

    panels = [
        FieldRowPanel([FieldPanel("source"), FieldPanel("funder")]),
        FieldRowPanel([FieldPanel("recipient"), FieldPanel("recipient_organisation")]),
        FieldRowPanel([FieldPanel("amount"), FieldPanel("currency"), FieldPanel("amount_usd")]),
        FieldRowPanel([FieldPanel("year_start"), FieldPanel("year_end")]),
        FieldRowPanel([FieldPanel("funding_type"), FieldPanel("status")]),
        FieldRowPanel([FieldPanel("va_share"), FieldPanel("channel")]),
        FieldPanel("mechanism"),
        FieldRowPanel([FieldPanel("url"), FieldPanel("iati_identifier")]),
        FieldPanel("note"),
    ]

    # Codes, amounts and links are the original's, not text to translate.
    override_translatable_fields = [
        SynchronizedField(name, overridable=False)
        for name in (
            "currency",
            "funder",
            "recipient_organisation",
            "funding_type",
            "status",
            "va_share",
            "channel",
            "amount_usd",
            "url",
            "iati_identifier",
        )
    ]

    def clean(self):
        """What the admin's funding panel (and any ModelForm) checks beyond each field."""
        super().clean()
        errors = {}
        if self.amount_usd is not None and not (self.note or "").strip():
            errors["note"] = _("Say where the amount in US dollars comes from.")
        if self.amount is not None and not self.currency:
            errors["currency"] = _("Give the currency of the amount.")
        if self.year_start and self.year_end and self.year_end < self.year_start:
            errors["year_end"] = _("The end year cannot be before the start year.")
        if errors:
            raise ValidationError(errors)

    def funder_name_in(self, language):
        """The funder's name in `language` with its acronym; the row's own text when the
        row names no organisation of the list."""
        return self.funder.display_name(language) if self.funder_id else self.source

    def recipient_name_in(self, language):
        if self.recipient_organisation_id:
            return self.recipient_organisation.display_name(language)
        return self.recipient

    @property
    def usd_equivalent(self):
        """The amount in US dollars: the editor's figure, else at the average rate of the
        first year (practices.currency); None without an amount or a rate."""
        return row_usd(self.amount_usd, self.amount, self.currency, self.year_start)

    class Meta(TranslatableMixin.Meta):
        ordering = ["sort_order"]
        verbose_name = _("funding")
        verbose_name_plural = _("funding")


class PracticeSource(TranslatableMixin, Orderable):
    """A published source. Translatable: translators translate its title (wagtail-localize
    makes it a segment of the entry); the address is the original's."""

    page = ParentalKey(PracticePage, on_delete=models.CASCADE, related_name="sources")
    title = models.CharField(_("title"), max_length=500)
    url = models.URLField(_("address (URL)"), max_length=1000)

    panels = [FieldPanel("title"), FieldPanel("url")]

    class Meta(TranslatableMixin.Meta):
        ordering = ["sort_order"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")


class PracticeAttachment(TranslatableMixin, Orderable):
    """A document attached to the entry, with a title of its own that translators translate
    (the document's title is shared by every language version)."""

    page = ParentalKey(PracticePage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("document"),
    )
    title = models.CharField(
        _("title"),
        max_length=255,
        blank=True,
        help_text=_("Shown to readers; the document's title when left empty."),
    )

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(TranslatableMixin.Meta):
        ordering = ["sort_order"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def save(self, *args, **kwargs):
        if not self.title and self.document_id:
            self.title = self.document.title[:255]
        super().save(*args, **kwargs)

    @property
    def display_title(self):
        return self.title or self.document.title
