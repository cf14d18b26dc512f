"""What came of a practice, who took part and how sure we are (CONTRACT.md, "Facet keys,
added in version 2"): the closed values of an entry's provenance, status, evidence level,
participation level and rights markers, and the years it was active. Their slugs are stable
identifiers, used by the API, the import format and the facets; the labels are translated.
"""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class Provenance(models.TextChoices):
    DOCUMENTED = "documented", _("Documented from public sources")
    CONTRIBUTED = "contributed", _("Contributed and reviewed")
    ILLUSTRATIVE = "illustrative", _("Illustrative sample, not a real practice")


#: The importer's earlier provenance values, and what they mean now.
LEGACY_PROVENANCE = {
    "public-sources": Provenance.DOCUMENTED,
    "synthetic": Provenance.ILLUSTRATIVE,
    "": Provenance.CONTRIBUTED,
}


class PracticeStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")
    SUSTAINED = "sustained", _("Sustained after the first funding ended")
    DISCONTINUED = "discontinued", _("Discontinued")


class EvidenceLevel(models.TextChoices):
    SELF_REPORTED = "self-reported", _("Self-reported")
    MONITORED = "monitored", _("Monitored")
    EXTERNALLY_EVALUATED = "externally-evaluated", _("Externally evaluated")
    AUDITED = "audited", _("Audited")


class ParticipationLevel(models.TextChoices):
    INFORMED = "informed", _("Informed")
    CONSULTED = "consulted", _("Consulted")
    INVOLVED = "involved", _("Involved")
    CO_DECIDED = "co-decided", _("Co-decided")
    SURVIVOR_LED = "survivor-led", _("Survivor-led")


#: One line on each participation level, for the form and the admin.
PARTICIPATION_EXPLANATIONS = {
    ParticipationLevel.INFORMED: _("Survivors were told about the decisions taken."),
    ParticipationLevel.CONSULTED: _(
        "Survivors were asked for their views before decisions were taken."
    ),
    ParticipationLevel.INVOLVED: _("Survivors worked on the design or the delivery."),
    ParticipationLevel.CO_DECIDED: _(
        "Survivors or their organisations shared the decisions, for example on a board."
    ),
    ParticipationLevel.SURVIVOR_LED: _(
        "A survivors' organisation or an organisation of persons with disabilities led it."
    ),
}


class RightsMarker(models.TextChoices):
    DIRECT_FUNDING = (
        "direct-funding-survivor-organisations",
        _("Direct funding to organisations of survivors or of persons with disabilities"),
    )
    OPEN_TO_ALL = (
        "open-to-all-persons-with-disabilities",
        _("Open to all persons with disabilities"),
    )
    DISAGGREGATED_DATA = "disaggregated-data", _("Data disaggregated by sex, age and disability")
    ACCESSIBLE_SERVICES = "accessible-services", _("Accessible services")
    AGE_GENDER_SENSITIVE = "age-gender-sensitive", _("Age- and gender-sensitive")


#: The beneficiary counts of an entry: field suffix and label, in display order.
BENEFICIARY_GROUPS = (
    ("total", _("Total")),
    ("women", _("Women")),
    ("men", _("Men")),
    ("girls", _("Girls")),
    ("boys", _("Boys")),
    ("persons_with_disabilities", _("Persons with disabilities")),
    ("survivors", _("Survivors")),
)


def today():
    """The date an ongoing practice is counted to: one place, so that tests can move it."""
    return datetime.date.today()


def active_years(year, year_end, status, on=None):
    """CONTRACT.md's `active_year`: every year from the start to the end, and to the current
    year while the practice is ongoing; the start year alone when no end is known."""
    if not year:
        return []
    last = year_end or year
    if status == PracticeStatus.ONGOING:
        last = (on or today()).year
    return list(range(year, max(last, year) + 1))
