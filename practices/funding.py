"""The closed values of a funding row (CONTRACT.md, "Facet keys, added in version 2"):
its type, status, share for victim assistance and channel. Their slugs are stable
identifiers, used by the API, the import format and the facets."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FundingType(models.TextChoices):
    GRANT = "grant", _("Grant")
    LOAN = "loan", _("Loan")
    IN_KIND = "in-kind", _("In kind")
    BUDGET_ALLOCATION = "budget-allocation", _("Budget allocation")
    TECHNICAL_COOPERATION = "technical-cooperation", _("Technical cooperation")
    OTHER = "other", _("Other")


class FundingStatus(models.TextChoices):
    PLEDGED = "pledged", _("Pledged")
    COMMITTED = "committed", _("Committed")
    DISBURSED = "disbursed", _("Disbursed")


class VictimAssistanceShare(models.TextChoices):
    DEDICATED = "dedicated", _("Dedicated to victim assistance")
    PARTIAL = "partial", _("Partly for victim assistance")
    UNKNOWN = "unknown", _("Share not known")


class FundingChannel(models.TextChoices):
    DIRECT = "direct", _("Direct")
    INTERMEDIARY = "intermediary", _("Through an intermediary")
