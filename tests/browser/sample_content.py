"""A small, realistic site for the browser checks and the Lighthouse benchmark.

Plain functions (not fixtures) so that the benchmark can build the same content in a local
database: ``python manage.py shell -c "from tests.browser.sample_content import build; build()"``.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from wagtail.models import Locale

from home.site_structure import ensure_site_structure
from practices.models import (
    VOCABULARIES,
    VOCABULARY_FIELDS,
    FundingMechanism,
    Organisation,
    PracticeFunding,
    PracticeIndexPage,
    PracticePage,
    PracticeSource,
)
from practices.vocabularies import load_vocabularies

LANGUAGES = ("ar", "en", "fr", "es")

#: The full entry, in the four languages: (title, summary, answer text).
FULL_ENTRY_TEXT = {
    "en": (
        "A regional fund for rehabilitation services",
        "Three neighbouring States pooled contributions into a regional fund that pays for "
        "prosthetic and orthotic services close to where survivors live.",
        "Contributions are agreed for five years and indexed on national budgets, so that "
        "services do not stop when one donor withdraws.",
    ),
    "fr": (
        "Un fonds régional pour les services de réadaptation",
        "Trois États voisins ont mis en commun leurs contributions dans un fonds régional qui "
        "finance des services d'orthopédie au plus près des survivants.",
        "Les contributions sont convenues pour cinq ans et indexées sur les budgets nationaux.",
    ),
    "es": (
        "Un fondo regional para los servicios de rehabilitación",
        "Tres Estados vecinos reunieron sus contribuciones en un fondo regional que paga "
        "servicios de prótesis y órtesis cerca de donde viven los sobrevivientes.",
        "Las contribuciones se acuerdan por cinco años y se indexan en los presupuestos "
        "nacionales.",
    ),
    "ar": (
        "صندوق إقليمي لخدمات إعادة التأهيل",
        "جمعت ثلاث دول متجاورة مساهماتها في صندوق إقليمي يموّل خدمات الأطراف الاصطناعية "
        "والأجهزة التقويمية قرب أماكن عيش الناجين.",
        "يُتفق على المساهمات لمدة خمس سنوات وتُربط بالميزانيات الوطنية.",
    ),
}


@dataclass
class SampleSite:
    home: object
    full_entry: dict = field(default_factory=dict)  # language -> PracticePage
    entries: list = field(default_factory=list)  # every page created, all languages

    def practice_path(self, language):
        return self.full_entry[language].url


def _index(language):
    return PracticeIndexPage.objects.get(locale__language_code=language)


def _classify(page, classification):
    for key, slugs in classification.items():
        model = VOCABULARIES[key]
        setattr(page, VOCABULARY_FIELDS[key], list(model.objects.filter(slug__in=slugs)))


def _answer(question, text):
    return ("answer", {"question": question, "answer": f"<p>{text}</p>"})


def add_practice(language, title, summary, slug, classification=None, **fields):
    """Create and publish one entry in `language`, the original of its translation group."""
    page = PracticePage(title=title, slug=slug, summary=summary, **fields)
    _classify(
        page,
        classification or {"cooperation_model": ["regional-funds"], "guiding_question": ["q1"]},
    )
    _index(language).add_child(instance=page)
    page.save_revision().publish()
    return PracticePage.objects.get(pk=page.pk)


def add_translation(page, language, **fields):
    copy = page.copy_for_translation(Locale.objects.get(language_code=language))
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save()
    copy.save_revision().publish()
    return PracticePage.objects.get(pk=copy.pk)


def _full_entry_fields(language):
    title, summary, answer = FULL_ENTRY_TEXT[language]
    return {
        "title": title,
        "summary": summary,
        "answers": [_answer("q1", answer), _answer("q3", answer)],
        "body": [("heading", title), ("paragraph", f"<p>{summary}</p>"), ("quote", answer)],
        "outcomes": f"<p>{answer}</p>",
        "lessons_learned": f"<ul><li>{summary}</li><li>{answer}</li></ul>",
        "survivor_participation": f"<p>{summary}</p>",
        "sustainability": f"<p>{answer}</p>",
        "beneficiaries_note": answer,
    }


@transaction.atomic
def build(extra_entries=6):
    """The site skeleton, one complete entry in four languages and `extra_entries` more."""
    load_vocabularies()
    home = ensure_site_structure()
    site = SampleSite(home=home)

    en = _full_entry_fields("en")
    original = add_practice(
        "en",
        en.pop("title"),
        en.pop("summary"),
        "regional-fund-rehabilitation",
        classification={
            "cooperation_model": ["regional-funds", "regional-cooperation"],
            "guiding_question": ["q1", "q3"],
            "va_component": ["physical-rehabilitation"],
            "region": ["africa"],
            "actor_type": ["regional-organisation", "survivor-network-opd"],
            "funding_mechanism": ["regional-fund"],
            "sdg": ["sdg-3"],
            "sdg_target": ["3.8", "10.2"],
            "crpd_article": ["crpd-26"],
            "action_plan": ["oap-35", "oap-36"],
        },
        organisation="Regional Rehabilitation Fund",
        partners="Ministry of Health\nNational survivor network",
        year=2016,
        year_end=2021,
        countries=["SN", "ML", "BF"],
        partner_countries=["NO", "JP"],
        # Every field a reader can see is filled, so that the browser checks read them all.
        provenance="contributed",
        status="sustained",
        evidence="externally-evaluated",
        participation="co-decided",
        rights_markers=[
            "direct-funding-survivor-organisations",
            "open-to-all-persons-with-disabilities",
            "disaggregated-data",
            "accessible-services",
            "age-gender-sensitive",
        ],
        beneficiaries_total=1840,
        beneficiaries_women=520,
        beneficiaries_men=610,
        beneficiaries_girls=300,
        beneficiaries_boys=350,
        beneficiaries_persons_with_disabilities=1200,
        beneficiaries_survivors=640,
        beneficiaries_year=2021,
        last_verified=datetime.date(2025, 6, 30),
        funding=[
            PracticeFunding(
                source="Member States",
                recipient="Regional Rehabilitation Fund",
                amount=1250000,
                currency="EUR",
                year_start=2016,
                year_end=2021,
                mechanism=FundingMechanism.objects.get(slug="regional-fund"),
                funding_type="budget-allocation",
                status="committed",
                va_share="dedicated",
            ),
            # What the funding table shows besides: an organisation of the list, a pledge
            # in a currency without an exchange rate (counted apart), a source link, a note.
            PracticeFunding(
                source="Partner agency",
                funder=Organisation.objects.get_or_create(
                    slug="sample-partner-agency",
                    defaults={"name_en": "Sample Partner Agency", "acronym": "SPA"},
                )[0],
                recipient="Regional Rehabilitation Fund",
                amount=300000,
                currency="GHS",
                year_start=2019,
                funding_type="grant",
                status="pledged",
                channel="intermediary",
                url="https://example.org/pledge",
                note="Pledged at the donors' conference.",
            ),
        ],
        sources=[
            PracticeSource(title="Annual report of the fund", url="https://example.org/report")
        ],
        **en,
    )
    site.full_entry["en"] = PracticePage.objects.get(pk=original.pk)
    for language in ("ar", "fr", "es"):
        site.full_entry[language] = add_translation(
            original, language, slug=original.slug, **_full_entry_fields(language)
        )
    site.entries.extend(site.full_entry.values())

    models = list(VOCABULARIES["cooperation_model"].objects.values_list("slug", flat=True))
    for number in range(extra_entries):
        language = LANGUAGES[number % len(LANGUAGES)]
        title, summary, _answer_text = FULL_ENTRY_TEXT[language]
        site.entries.append(
            add_practice(
                language,
                f"{title} ({number + 2})",
                summary,
                f"sample-practice-{number + 2}",
                classification={
                    "cooperation_model": [models[number % len(models)]],
                    "guiding_question": [f"q{number % 6 + 1}"],
                },
                organisation="Survivor network",
                year=2010 + number,
                # The three provenances side by side on the search page (an illustrative
                # sample names no country, and these name none).
                provenance=("illustrative", "documented", "contributed")[number % 3],
                status=("ongoing", "", "completed")[number % 3],
                participation=("survivor-led", "", "")[number % 3],
            )
        )
    return site
