"""Funding rows in the import format, version 2: organisations matched by name or acronym,
never a silent duplicate, and the new fields of a row (CONTRACT.md, "Import format, added
in version 2")."""

import copy
from decimal import Decimal

import pytest

from practices.models import Organisation, PracticeFunding, PracticePage

from .conftest import FAILS_LATE


def _entry(record, title, *funders, **row):
    entry = copy.deepcopy(record)
    entry.update(title=title, translations={})
    entry.pop("provenance", None)  # a contributed entry: real organisations
    entry["funding"] = [
        {"source": funder, "amount": 1000, "currency": "EUR", "year_start": 2019, **row}
        for funder in funders
    ]
    return entry


@pytest.fixture
def usaid(db):
    """USAID as the authority list knows it: full name and acronym."""
    return Organisation.objects.create(
        slug="usaid", name_en="U.S. Agency for International Development", acronym="USAID"
    )


def test_three_spellings_of_one_funder_link_one_organisation(write_file, run_import, record, usaid):
    records = [
        _entry(record, "First", "USAID"),
        _entry(record, "Second", "U.S. Agency for International Development"),
        _entry(record, "Third", "usaid"),
    ]
    ok, out, err = run_import(write_file(records), "--publish")
    assert ok, err
    assert "Organisations new to the list" not in out  # all three known
    funders = set(PracticeFunding.objects.values_list("funder", flat=True))
    assert funders == {usaid.pk}
    assert Organisation.objects.filter(acronym__iexact="usaid").count() == 1


def test_an_illustrative_entry_proposes_no_organisation(write_file, run_import, record, usaid):
    invented = _entry(record, "Invented", "Fonds imaginaire", "USAID")
    # Invented: it names a region, no real country.
    invented.update(provenance="illustrative", country=[], partner_country=[])
    ok, out, err = run_import(write_file([invented]), "--publish")
    assert ok, err
    assert "Organisations new to the list" not in out
    assert list(Organisation.objects.values_list("slug", flat=True)) == ["usaid"]
    rows = PracticeFunding.objects.order_by("sort_order")
    assert [(row.source, row.funder) for row in rows] == [
        ("Fonds imaginaire", None),
        ("USAID", None),
    ]


def test_a_qualified_name_links_the_organisation_it_names(write_file, run_import, record, usaid):
    ok, out, err = run_import(
        write_file([_entry(record, "Leahy", "USAID (Leahy War Victims Fund)")]), "--publish"
    )
    assert ok, err
    row = PracticeFunding.objects.get()
    assert row.funder == usaid and row.source == "USAID (Leahy War Victims Fund)"


def test_a_name_with_its_acronym_teaches_both(write_file, run_import, record):
    records = [
        _entry(record, "First", "Fondation Mines Solidarité (FMS)"),
        _entry(record, "Second", "FMS"),
        _entry(record, "Third", "fondation mines solidarite"),
    ]
    ok, out, err = run_import(write_file(records), "--publish")
    assert ok, err
    (organisation,) = Organisation.objects.filter(acronym="FMS")
    assert organisation.name_en == "Fondation Mines Solidarité"
    assert not organisation.confirmed  # waits for an editor
    assert "Fondation Mines Solidarité (FMS)" in out
    assert set(PracticeFunding.objects.values_list("funder", flat=True)) == {organisation.pk}


def test_the_new_fields_of_a_row_and_its_translations(write_file, run_import, record, usaid):
    record.pop("provenance")  # a contributed entry (an illustrative one links no organisation)
    record["funding"] = [
        {
            "source": "USAID",
            "recipient": "Fictional Regional Rehabilitation Network",
            "amount": 500000,
            "currency": "USD",
            "year_start": 2019,
            "type": "grant",
            "status": "disbursed",
            "va_share": "dedicated",
            "channel": "intermediary",
            "amount_usd": 480000,
            "note": "Net of the intermediary's fee, as the annual report states.",
            "url": "https://example.org/report",
            "iati_identifier": "US-GOV-1-12345",
        }
    ]
    ok, _out, err = run_import(write_file([record]), "--publish")
    assert ok, err
    rows = PracticeFunding.objects.select_related("page__locale", "funder")
    assert {row.page.locale.language_code for row in rows} == {"en", "fr", "ar"}
    for row in rows:  # every language version: the same structured values
        assert row.funder == usaid
        assert row.recipient_organisation.name_en == "Fictional Regional Rehabilitation Network"
        assert (row.funding_type, row.status, row.va_share, row.channel) == (
            "grant",
            "disbursed",
            "dedicated",
            "intermediary",
        )
        assert row.amount_usd == Decimal("480000") and row.usd_equivalent == Decimal("480000")
        assert row.url == "https://example.org/report"
        assert row.iati_identifier == "US-GOV-1-12345"


def test_a_row_without_new_fields_gets_its_usd_equivalent(write_file, run_import, record):
    ok, _out, err = run_import(write_file([_entry(record, "Euro row", "Member States")]))
    assert ok, err
    (row,) = PracticeFunding.objects.all()
    assert row.va_share == "unknown" and row.funding_type == "" and row.amount_usd is None
    assert row.usd_equivalent == Decimal("1119.47")  # EUR 1,000 at the 2019 average


@pytest.mark.parametrize(
    "row,message",
    [
        ({"amount_usd": 100}, "funding.1.note: give the basis of amount_usd"),
        ({"type": "donation"}, "funding.0.type: 'donation' is not one of"),
        ({"status": "spent"}, "funding.0.status: 'spent' is not one of"),
        ({"va_share": "most"}, "funding.0.va_share: 'most' is not one of"),
        ({"url": "not a link"}, "funding.1.url: 'not a link' is not a web address"),
    ],
)
def test_bad_funding_fields_are_reported(write_file, run_import, record, row, message):
    ok, _out, err = run_import(write_file([_entry(record, "Bad", "USAID", **row)]))
    assert not ok
    assert message in err
    assert not PracticePage.objects.exists()
    assert not Organisation.objects.exists()


def test_a_record_rolled_back_leaves_no_organisation_behind(
    write_file, run_import, record, contact_fails_late
):
    records = [_entry(record, FAILS_LATE, "Unknown Donor Agency")]
    ok, out, err = run_import(write_file(records), "--publish")
    assert not ok
    assert not Organisation.objects.filter(name_en="Unknown Donor Agency").exists()
    assert "Unknown Donor Agency" not in out


def test_a_dry_run_proposes_no_organisation(write_file, run_import, record):
    records = [_entry(record, "Dry", "Unknown Donor Agency")]
    ok, _out, err = run_import(write_file(records), "--dry-run")
    assert ok, err
    assert not Organisation.objects.exists()
