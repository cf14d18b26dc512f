"""The facets of the public contract (the registry every layer reads) and how to label their
values."""

from dataclasses import dataclass

from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from kb import languages

from .funding import FundingStatus, FundingType
from .results import EvidenceLevel, ParticipationLevel, PracticeStatus, Provenance, RightsMarker


@dataclass(frozen=True)
class Facet:
    """A facet of the public search: one key of CONTRACT.md and what every layer needs of it.

    The API and its OpenAPI document, the search page, the search documents of both engines
    (each facet is a keyword field of the same name in Elasticsearch) and the page model's
    classification all read this registry.
    """

    key: str
    label: str
    #: What its values are: the OpenAPI document gives it in English (as the rest of that
    #: document), the exports' About sheet in the export's language.
    description: str
    #: The PracticePage many-to-many field of a vocabulary facet; empty for the others.
    field: str = ""
    #: Values from a closed list (a vocabulary, the languages): every value is listed, in
    #: list order; an open facet lists the values present, by count.
    closed: bool = False
    #: The TextChoices of a closed facet whose values are fixed in code (a funding row's
    #: type and status): its values, in order, and their labels.
    choices: type | None = None
    #: Whether a vocabulary facet's term labels are searchable text of the entries it
    #: classifies. Not the guiding questions': their text is the same for every entry that
    #: answers them, so `cooperación` would find every answer to question 5.
    searched: bool = True


#: Every facet of CONTRACT.md, in display order. `language` is the entry's original
#: language; `available_in` the languages in which the entry has a published version.
FACETS = (
    Facet("cooperation_model", _("Cooperation model"), _("Cooperation model slugs."),
          field="cooperation_models", closed=True),
    Facet("guiding_question", _("Guiding question"), _("Guiding question slugs (q1 to q6)."),
          field="guiding_questions", closed=True, searched=False),
    Facet("va_component", _("Victim-assistance component"),
          _("Victim-assistance component slugs."), field="va_components", closed=True),
    Facet("region", _("Region"), _("Region slugs."), field="regions", closed=True),
    Facet("country", _("Country"), _("ISO 3166-1 alpha-2 country codes.")),
    Facet("actor_type", _("Actor type"), _("Actor type slugs."), field="actor_types", closed=True),
    Facet("funding_mechanism", _("Funding mechanism"), _("Funding mechanism slugs."),
          field="funding_mechanisms", closed=True),
    Facet("funder", _("Funder"),
          _("Organisation slugs of the funders in the entries' funding rows.")),
    Facet("funding_type", _("Type of funding"), _("Funding type slugs of the funding rows."),
          closed=True, choices=FundingType),
    Facet("funding_status", _("Funding status"), _("Funding status slugs of the funding rows."),
          closed=True, choices=FundingStatus),
    Facet("partner_country", _("Partner country"),
          _("ISO 3166-1 alpha-2 codes of the countries that fund or partner.")),
    Facet("status", _("Status"), _("Status of the practices."), closed=True,
          choices=PracticeStatus),
    Facet("evidence", _("Evidence"), _("How the practices' results are known."), closed=True,
          choices=EvidenceLevel),
    Facet("participation", _("Survivor participation"),
          _("How survivors and their organisations took part."), closed=True,
          choices=ParticipationLevel),
    Facet("rights_marker", _("Rights marker"), _("Rights-based features of the practices."),
          closed=True, choices=RightsMarker),
    Facet("sdg", _("Sustainable Development Goal"),
          _("Sustainable Development Goal slugs (sdg-1 to sdg-17)."), field="sdgs", closed=True),
    Facet("sdg_target", _("SDG target"), _("SDG target codes, e.g. 3.8."), field="sdg_targets",
          closed=True),
    Facet("crpd_article", _("CRPD article"), _("CRPD article slugs (crpd-N)."),
          field="crpd_articles", closed=True),
    Facet("action_plan", _("Action plan"),
          _("Actions of the Oslo Action Plan (oap-N) and of the Siem Reap-Angkor Action Plan "
          "(srap-N)."), field="action_plan_actions", closed=True),
    Facet("year", _("Year"), _("Years the practices started.")),
    Facet("active_year", _("Active in"),
          _("Years in which the practices were active: from the start to the end year, and "
          "to the current year while ongoing.")),
    Facet("language", _("Original language"), _("Original languages of the entries."),
          closed=True),
    Facet("available_in", _("Available in"),
          _("Languages in which the entries have a published version."), closed=True),
    Facet("provenance", _("Provenance"),
          _("documented (from cited public sources), contributed (submitted and reviewed) or "
          "illustrative (a sample, not a real practice)."), closed=True, choices=Provenance),
    Facet("tag", _("Tag"), _("Tag slugs.")),
)  # fmt: skip

FACET_KEYS = tuple(facet.key for facet in FACETS)
FACET_LABELS = {facet.key: facet.label for facet in FACETS}
FACET_DESCRIPTIONS = {facet.key: facet.description for facet in FACETS}
#: Vocabulary facet key -> the PracticePage many-to-many field that holds it.
VOCABULARY_FIELDS = {facet.key: facet.field for facet in FACETS if facet.field}
#: The vocabulary facets whose term labels are searchable text of their entries.
SEARCHED_VOCABULARIES = tuple(facet.key for facet in FACETS if facet.field and facet.searched)
CLOSED_FACETS = tuple(facet.key for facet in FACETS if facet.closed)
#: Closed facet key -> the TextChoices of its values, for the facets fixed in code.
CHOICE_FACETS = {facet.key: facet.choices for facet in FACETS if facet.choices}
#: The facets whose values are ISO 3166-1 alpha-2 country codes.
COUNTRY_FACETS = ("country", "partner_country")
#: The facets of which an entry has one value at most: a slug or null in each result.
SINGLE_VALUE_FACETS = ("provenance", "status", "evidence", "participation")
#: The facets whose values are years (open, listed newest first).
YEAR_FACETS = ("year", "active_year")

LANGUAGE_LABELS = languages.LANGUAGE_LABELS


def language_name_local(code):
    return get_language_info(code)["name_local"]


_COUNTRY_NAMES = {}


def country_name(code):
    """The country's name in the active language (names are read once per language)."""
    key = (get_language(), code)
    name = _COUNTRY_NAMES.get(key)
    if name is None:
        name = _COUNTRY_NAMES[key] = str(countries.name(code)) or code
    return name
