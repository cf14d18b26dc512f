"""Organisations: the authority list of funders and recipients that editors maintain.

Funding rows point at organisations instead of repeating their names, so that a funder
named "USAID" in one entry and "U.S. Agency for International Development" in another is
one funder. The importer and the form find organisations by name or acronym, in any
language, ignoring case and accents (`Organisation.objects.find`). They never create a
duplicate silently: a name nobody knows becomes a new organisation that is not confirmed,
and an editor confirms it or merges it into the one it duplicates (`merge_into`), which
moves every funding row.
"""

import re

from django.core.validators import RegexValidator
from django.db import models, transaction
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from kb.languages import LANGUAGE_CODES

from ..search.analysis import fold
from ..slugs import first_free
from .taxonomy import ActorType, active_language

#: "Full name (ACRONYM)": a name that gives its acronym (one word with two capitals or
#: more: "(JICA)", "(ALB-AID)"; not "(proyecto triangular)").
_NAME_WITH_ACRONYM = re.compile(r"^\s*(?P<name>.+?)\s*\((?P<acronym>[^\s()]{2,20})\)\s*$")
#: What spellings of one name differ by, besides case and accents.
_IGNORED = re.compile(r"[\s.]+")


def match_key(text):
    """What two spellings of a name share: folded case and accents, without spaces or dots
    ("U.S. Agency" and "us agency" match)."""
    return _IGNORED.sub("", fold(text or ""))


def split_acronym(text):
    """(name, acronym) of "Full name (ACRONYM)"; (text, "") otherwise."""
    found = _NAME_WITH_ACRONYM.match(text or "")
    if found and sum(letter.isupper() for letter in found["acronym"]) >= 2:
        return found["name"], found["acronym"].strip()
    return (text or "").strip(), ""


#: "Name (qualifier)": a name with a programme, fund or reference after it ("USAID (Leahy
#: War Victims Fund)", "European Union (Council Decision (CFSP) 2017/1428)").
_QUALIFIED = re.compile(r"^\s*(?P<name>[^()]+?)\s*\(.*\)\s*$")


def _wanted_keys(text):
    """The match keys a text can stand for, best first: itself; its name and acronym when
    it is "Full name (ACRONYM)"; the name before a qualifier in brackets."""
    name, acronym = split_acronym(text)
    qualified = _QUALIFIED.match(text or "")
    values = (text, name, acronym, qualified["name"] if qualified else "")
    return [key for key in dict.fromkeys(match_key(v) for v in values) if key]


class OrganisationIndex:
    """Every organisation by match key, read once: for writers that look up many names
    (an import). `forget_new()` drops the organisations proposed since `keep_new()`, when
    the transaction that created them was rolled back."""

    def __init__(self, organisations=None):
        self.by_key = {}
        self.new = []
        for organisation in Organisation.objects.all() if organisations is None else organisations:
            self._add(organisation)

    def _add(self, organisation):
        for key in organisation.match_keys():
            self.by_key.setdefault(key, organisation)

    def find(self, text):
        for key in _wanted_keys(text):
            if key in self.by_key:
                return self.by_key[key]
        return None

    def find_or_propose(self, text):
        """The organisation `text` names; a new, unconfirmed one when none does.
        Returns (organisation, created)."""
        found = self.find(text)
        if found is not None:
            return found, False
        name, acronym = split_acronym(text)
        organisation = Organisation.objects.create(
            name_en=name[:255], acronym=acronym[:50], confirmed=False, slug=_free_slug(name)
        )
        self._add(organisation)
        self.new.append(organisation)
        return organisation, True

    def named(self, text):
        """The organisation a funder's or recipient's name gives, as `find_or_propose`
        (an unknown name is proposed, unconfirmed, for an editor to confirm or merge);
        (None, False) when there is no name. What the importer and the form both use."""
        if not text or not text.strip():
            return None, False
        return self.find_or_propose(text)

    def keep_new(self):
        self.new = []

    def forget_new(self):
        forgotten = {organisation.pk for organisation in self.new}
        self.by_key = {k: o for k, o in self.by_key.items() if o.pk not in forgotten}
        self.new = []


class OrganisationQuerySet(models.QuerySet):
    def find(self, text):
        """The organisation `text` names (a name in any language, or the acronym, or
        "Full name (ACRONYM)"), or None."""
        return OrganisationIndex(self.all()).find(text)

    def find_or_propose(self, text):
        """The organisation `text` names; a new, unconfirmed one when none does.
        Returns (organisation, created)."""
        return OrganisationIndex(self.all()).find_or_propose(text)


def _free_slug(name):
    base = slugify(name)[:90] or "organisation"
    taken = Organisation.objects.filter(slug__startswith=base).values_list("slug", flat=True)
    return first_free(base, set(taken))


class Organisation(models.Model):
    """A funder, recipient or partner, named in four languages."""

    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        help_text=_("Never change it: URLs, the API and imports rely on it."),
    )
    name_en = models.CharField(_("name (English)"), max_length=255)
    name_fr = models.CharField(_("name (French)"), max_length=255, blank=True)
    name_es = models.CharField(_("name (Spanish)"), max_length=255, blank=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=255, blank=True)
    acronym = models.CharField(_("acronym"), max_length=50, blank=True)
    actor_type = models.ForeignKey(
        ActorType,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor type"),
    )
    country = CountryField(_("country"), blank=True)
    iati_identifier = models.CharField(
        _("IATI organisation identifier"),
        max_length=100,
        blank=True,
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9]+-[A-Za-z0-9.\-_/:]+$",
                _("Use the identifier of the IATI Organisation Registry, e.g. US-GOV-1."),
            )
        ],
    )
    website = models.URLField(_("website"), max_length=500, blank=True)
    confirmed = models.BooleanField(
        _("confirmed"),
        default=True,
        help_text=_(
            "Organisations first named by an import or a submission wait for an editor to "
            "confirm them or merge them into the organisation they duplicate."
        ),
    )

    objects = OrganisationQuerySet.as_manager()

    #: What a merge gives the organisation kept where it has none.
    MERGED_FIELDS = (
        *(f"name_{code}" for code in LANGUAGE_CODES),
        "acronym",
        "actor_type",
        "country",
        "iati_identifier",
        "website",
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name_en"),
                FieldPanel("name_fr"),
                FieldPanel("name_es"),
                FieldPanel("name_ar"),
                FieldRowPanel([FieldPanel("acronym"), FieldPanel("slug")]),
            ],
            heading=_("Names"),
        ),
        FieldRowPanel([FieldPanel("actor_type"), FieldPanel("country")]),
        FieldRowPanel([FieldPanel("iati_identifier"), FieldPanel("website")]),
        FieldPanel("confirmed"),
    ]

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.get_name()

    def get_name(self, language=None):
        return getattr(self, f"name_{language or active_language()}", "") or self.name_en

    @property
    def name(self):
        return self.get_name()

    def display_name(self, language=None):
        """The name with its acronym: "United States Agency for International Development
        (USAID)"."""
        name = self.get_name(language)
        if self.acronym and match_key(self.acronym) != match_key(name):
            return f"{name} ({self.acronym})"
        return name

    def names(self):
        """Every name and the acronym: what searching for the organisation matches."""
        values = [getattr(self, f"name_{code}") for code in LANGUAGE_CODES]
        return [value for value in dict.fromkeys([*values, self.acronym]) if value]

    def match_keys(self):
        return {match_key(value) for value in self.names()} - {""}

    @transaction.atomic
    def merge_into(self, other):
        """Move every funding row of this organisation to `other`, give `other` the names
        it lacks, and delete this one. Returns the number of rows moved."""
        if other.pk == self.pk:
            raise ValueError("An organisation cannot be merged into itself.")
        # The reverse relations of PracticeFunding's two keys (funded, received).
        moved = self.funded.all().update(funder=other)
        moved += self.received.all().update(recipient_organisation=other)
        for field in self.MERGED_FIELDS:
            if not getattr(other, field) and getattr(self, field):
                setattr(other, field, getattr(self, field))
        # Saved whether or not a field changed: saving an organisation reindexes the
        # entries that name it (practices.search.signals), those of the moved rows now too.
        other.save()
        self.delete()
        return moved
