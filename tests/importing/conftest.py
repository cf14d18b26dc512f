"""Fixtures for the import tests: records in the import format and a way to run the command."""

import copy
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.conftest import shared_site_tree_fixtures

# The site skeleton is built once for the package (no test here needs a live server).
shared_tree, vocabularies, site_tree, _no_transactional_test = shared_site_tree_fixtures("package")

VALID_RECORD = {
    "title": "Regional fund for rehabilitation",
    "summary": "Three neighbouring States pooled resources for rehabilitation services.",
    "language": "en",
    "provenance": "contributed",
    "answers": {
        "q3": "<p>The fund pooled <strong>contributions</strong> from three States.</p>",
        "q1": "Multi-year pledges.\n\nA second paragraph.",
    },
    "body": "<p>Further details.</p>",
    "organisation": "Fictional Regional Rehabilitation Network",
    "year": 2018,
    "year_end": 2022,
    "cooperation_model": ["regional-funds"],
    "guiding_question": ["q6"],
    "va_component": ["physical-rehabilitation"],
    "region": ["africa"],
    "country": ["SN", "GM"],
    "actor_type": ["regional-organisation"],
    "funding_mechanism": ["regional-fund"],
    "sdg": ["sdg-3"],
    "crpd_article": ["crpd-26"],
    "tags": ["prosthetics", "pooled funding"],
    "funding": [
        {
            "source": "Member States",
            "recipient": "Fictional Regional Rehabilitation Network",
            "amount": 1250000.5,
            "currency": "XOF",
            "year_start": 2018,
            "year_end": 2020,
            "mechanism": "regional-fund",
        }
    ],
    # -- version 2 of the import format --
    "status": "sustained",
    "evidence": "externally-evaluated",
    "participation": "co-decided",
    "rights_marker": ["disaggregated-data", "direct-funding-survivor-organisations"],
    "partner_country": ["FR"],
    "action_plan": ["oap-34"],
    "sdg_target": ["3.8", "10.2"],
    "beneficiaries": {
        "total": 1200,
        "women": 300,
        "men": 500,
        "girls": 150,
        "boys": 200,
        "persons_with_disabilities": 1200,
        "survivors": 400,
        "year": 2021,
        "note": "Persons fitted with a prosthesis or an orthosis.",
    },
    "sustainability": "The health ministries took over the running costs in 2023.",
    "last_verified": "2025-06-30",
    "outcomes": "More people received prostheses.",
    "lessons_learned": "<ul><li>Pool early.</li></ul>",
    "survivor_participation": "Survivors sat on the board.",
    "accountability": "Annual audited accounts.",
    "sources": [{"title": "Annual report", "url": "https://example.org/report"}],
    "contact": {
        "name": "Ana Contributor",
        "email": "ana.contributor@example.org",
        "organisation": "Contributor Org",
    },
    "translations": {
        "fr": {
            "title": "Fonds régional pour la réadaptation",
            "summary": "Trois États voisins ont mis en commun des ressources.",
            "answers": {
                "q3": "Le fonds a réuni des contributions.",
                "q1": "Des promesses pluriannuelles.",
            },
            "body": "Plus de détails.",
            "outcomes": "Davantage de prothèses.",
            "sustainability": "Les ministères de la santé ont repris les coûts en 2023.",
            "beneficiaries": {"note": "Personnes appareillées d'une prothèse ou d'une orthèse."},
        },
        "ar": {
            "title": "صندوق إقليمي لإعادة التأهيل",
            "summary": "جمعت ثلاث دول متجاورة مواردها لخدمات إعادة التأهيل.",
            "answers": {"q3": "جمع الصندوق مساهمات ثلاث دول."},
        },
    },
}


#: The fields added in version 2 of the import format (CONTRACT.md).
VERSION_2_FIELDS = (
    "status",
    "evidence",
    "participation",
    "rights_marker",
    "partner_country",
    "action_plan",
    "sdg_target",
    "beneficiaries",
    "sustainability",
    "last_verified",
)


def version_1_record():
    """VALID_RECORD as version 1 of the import format wrote it: no provenance, none of the
    fields added in version 2."""
    record = copy.deepcopy(VALID_RECORD)
    for name in ("provenance", *VERSION_2_FIELDS):
        record.pop(name)
    for translation in record["translations"].values():
        translation.pop("sustainability", None)
        translation.pop("beneficiaries", None)
    return record


@pytest.fixture
def record():
    """A fresh, valid record with every field (a deep copy each time)."""
    return copy.deepcopy(VALID_RECORD)


@pytest.fixture
def write_file(tmp_path):
    """write_file(records, jsonl=False) -> path of a JSON array (or JSON Lines) file."""

    def write(records, jsonl=False, name=None):
        path = tmp_path / (name or ("records.jsonl" if jsonl else "records.json"))
        if jsonl:
            text = "\n".join(json.dumps(item, ensure_ascii=False) for item in records) + "\n"
        else:
            text = json.dumps(records, ensure_ascii=False)
        path.write_text(text, encoding="utf-8")
        return path

    return write


def _run_import(path, *flags):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_practices", str(path), *flags, stdout=out, stderr=err)
    except CommandError as error:
        err.write(str(error))
        return False, out.getvalue(), err.getvalue()
    return True, out.getvalue(), err.getvalue()


@pytest.fixture
def run_import(information_pages):
    """run_import(path, *flags) -> (exit_ok, stdout, stderr).

    The site is complete beforehand (the import creates what is missing of it, the
    information pages included), so that counts of pages before and after an import see
    only what the import wrote.
    """
    return _run_import


@pytest.fixture
def run_import_on_empty_database(db):
    """run_import, on a database without vocabularies or pages: the package's shared site
    skeleton, if built, is deleted inside the test's own transaction (and so comes back
    after it)."""
    from wagtail.models import Page

    from practices.models import VOCABULARIES

    Page.objects.filter(depth__gt=2).delete()
    for model in VOCABULARIES.values():
        model.objects.all().delete()
    return _run_import


#: Title of the record whose contact cannot be stored (see `contact_fails_late`).
FAILS_LATE = "Fails late"


@pytest.fixture
def contact_fails_late(monkeypatch):
    """Storing the contact of the record titled FAILS_LATE fails, after its pages exist."""
    from django.core.exceptions import ValidationError

    from practices.importing.importer import Importer

    original_store = Importer._store_contact

    def failing_store(self, page, data):
        if data["title"] == FAILS_LATE:
            raise ValidationError("contact could not be stored")
        return original_store(self, page, data)

    monkeypatch.setattr(Importer, "_store_contact", failing_store)
