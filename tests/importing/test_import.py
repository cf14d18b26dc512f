"""Import of practice entries: validation, writing, translations, idempotence, privacy."""

import datetime
import json
from http import HTTPStatus

import pytest
from wagtail.models import Page, Revision

from practices.editor_format import comparable_html
from practices.importing import parse_records
from practices.models import PracticeFunding, PracticePage, Submission
from practices.models.pages import CLASSIFICATION_PLAIN_FIELDS
from tests.importing.conftest import VALID_RECORD, VERSION_2_FIELDS, version_1_record

VALID_SUMMARY = VALID_RECORD["summary"]


def originals():
    return [page for page in PracticePage.objects.all() if page.is_original]


def test_valid_record_is_imported_and_published(write_file, run_import, record):
    ok, out, err = run_import(write_file([record]), "--publish")

    assert ok, err
    assert "Created: 1" in out
    page = PracticePage.objects.get(locale__language_code="en")
    assert page.live
    assert page.slug == "regional-fund-for-rehabilitation"
    assert page.url == "/en/practices/regional-fund-for-rehabilitation/"
    assert page.provenance == "contributed"
    assert page.organisation == "Fictional Regional Rehabilitation Network"
    assert (page.year, page.year_end) == (2018, 2022)
    classification = page.classification()
    assert classification["cooperation_model"] == ["regional-funds"]
    # Answered questions are added to the explicitly classified ones.
    assert sorted(classification["guiding_question"]) == ["q1", "q3", "q6"]
    assert sorted(classification["country"]) == ["GM", "SN"]
    assert classification["va_component"] == ["physical-rehabilitation"]
    assert classification["crpd_article"] == ["crpd-26"]
    assert sorted(classification["tag"]) == ["pooled-funding", "prosthetics"]
    # Answers in question order, as "answer" blocks keyed by the question's slug.
    answers = [(child.block_type, child.value["question"]) for child in page.answers]
    assert answers == [("answer", "q1"), ("answer", "q3")]
    assert (
        comparable_html(page.answers[0].value["answer"].source)
        == "<p>Multi-year pledges.</p><p>A second paragraph.</p>"
    )
    assert [child.block_type for child in page.body] == ["paragraph"]
    assert "<li>Pool early.</li>" in comparable_html(page.lessons_learned)
    assert comparable_html(page.outcomes) == "<p>More people received prostheses.</p>"
    funding = page.funding.get()
    assert funding.currency == "XOF"
    assert str(funding.amount) == "1250000.50"
    assert funding.mechanism.slug == "regional-fund"
    assert list(page.sources.values_list("url", flat=True)) == ["https://example.org/report"]
    # Version 2: results, evidence and participation.
    assert (page.status, page.evidence, page.participation) == (
        "sustained",
        "externally-evaluated",
        "co-decided",
    )
    # Stored in the order of their list, whatever the file's order.
    assert page.rights_markers == ["direct-funding-survivor-organisations", "disaggregated-data"]
    assert [country.code for country in page.partner_countries] == ["FR"]
    assert classification["action_plan"] == ["oap-34"]
    assert sorted(classification["sdg_target"]) == ["10.2", "3.8"]
    assert classification["status"] == ["sustained"]
    assert classification["active_year"] == [2018, 2019, 2020, 2021, 2022]
    assert "FR" in classification["partner_country"]
    assert [
        (group, getattr(page, f"beneficiaries_{group}"))
        for group in ("total", "women", "men", "girls", "boys")
    ] == [("total", 1200), ("women", 300), ("men", 500), ("girls", 150), ("boys", 200)]
    assert page.beneficiaries_persons_with_disabilities == 1200
    assert page.beneficiaries_survivors == 400
    assert page.beneficiaries_year == 2021
    assert page.beneficiaries_note == "Persons fitted with a prosthesis or an orthosis."
    assert comparable_html(page.sustainability) == (
        "<p>The health ministries took over the running costs in 2023.</p>"
    )
    assert page.last_verified == datetime.date(2025, 6, 30)
    # A revision that is the live one: editable in the admin.
    assert page.live_revision_id is not None
    assert page.latest_revision_id == page.live_revision_id
    assert not page.has_unpublished_changes


def test_without_publish_entries_are_drafts_with_a_revision(write_file, run_import, record):
    ok, _out, err = run_import(write_file([record]))

    assert ok, err
    page = PracticePage.objects.get(locale__language_code="en")
    assert not page.live
    assert page.latest_revision is not None
    draft = page.get_latest_revision_as_object()
    assert draft.summary == record["summary"]
    assert [term.slug for term in page.cooperation_models.all()] == ["regional-funds"]
    assert not PracticePage.objects.live().exists()


INVALID_CASES = [
    ("language", lambda r: r.update(language="de"), "language: 'de' is not one of"),
    ("missing title", lambda r: r.pop("title"), "'title' is a required property"),
    ("unknown field", lambda r: r.update(colour="red"), "Additional properties"),
    (
        "unknown cooperation model",
        lambda r: r.update(cooperation_model=["nonsense"]),
        "cooperation_model: unknown value(s) 'nonsense'",
    ),
    (
        "no cooperation model",
        lambda r: r.update(cooperation_model=[]),
        "at least one cooperation model is required",
    ),
    (
        "no guiding question",
        lambda r: (r.pop("answers"), r.update(guiding_question=[]), r.pop("translations")),
        "at least one guiding question is required",
    ),
    ("answers key", lambda r: r["answers"].update(q9="x"), "unknown guiding question(s) 'q9'"),
    ("country", lambda r: r.update(country=["XX"]), "'XX' is not an ISO 3166-1 alpha-2"),
    ("country case", lambda r: r.update(country=["sn"]), "does not match"),
    (
        "currency",
        lambda r: r["funding"][0].update(currency="ABC"),
        "funding.1.currency: 'ABC' is not an ISO 4217 code",
    ),
    ("years", lambda r: r.update(year=2020, year_end=2019), "year_end: 2019 is before year 2020"),
    (
        "funding years",
        lambda r: r["funding"][0].update(year_start=2021, year_end=2019),
        "funding.1.year_end: 2019 is before year_start 2021",
    ),
    (
        "mechanism",
        lambda r: r["funding"][0].update(mechanism="piggy-bank"),
        "funding.1.mechanism: unknown value 'piggy-bank'",
    ),
    (
        "translation in the record's language",
        lambda r: r["translations"].update(en={"title": "x", "summary": "y"}),
        "translations must be in other languages",
    ),
    (
        "translation language",
        lambda r: r["translations"].update(de={"title": "x", "summary": "y"}),
        "translations",
    ),
    (
        "translation answers",
        lambda r: r["translations"]["fr"]["answers"].update(q5="x"),
        "translations.fr.answers: question(s) q5",
    ),
    (
        "source url",
        lambda r: r["sources"][0].update(url="javascript:alert(1)"),
        "not an http(s) URL",
    ),
    ("email", lambda r: r["contact"].update(email="not-an-email"), "contact.email"),
    ("year range", lambda r: r.update(year=1850), "1850 is less than the minimum"),
    ("amount", lambda r: r["funding"][0].update(amount=-5), "less than the minimum"),
    # -- version 2 of the import format --
    (
        "provenance",
        lambda r: r.update(provenance="invented"),
        "provenance: unknown value 'invented'; use one of documented, contributed, illustrative",
    ),
    (
        "illustrative with a country",
        lambda r: r.update(provenance="illustrative"),
        "country: An illustrative entry names no real country: give its region instead.",
    ),
    (
        "illustrative with a partner country",
        lambda r: r.update(provenance="illustrative", country=[]),
        "partner_country: An illustrative entry names no real country",
    ),
    (
        "synthetic with a country",
        lambda r: r.update(provenance="synthetic"),
        "country: An illustrative entry names no real country",
    ),
    (
        "partner country",
        lambda r: r.update(partner_country=["QQ"]),
        "partner_country: 'QQ' is not an ISO 3166-1 alpha-2 country code",
    ),
    ("partner country case", lambda r: r.update(partner_country=["fr"]), "does not match"),
    (
        "status",
        lambda r: r.update(status="finished"),
        "status: unknown value 'finished'; use one of planned, ongoing, completed",
    ),
    ("status type", lambda r: r.update(status=["ongoing"]), "status: ['ongoing'] is not of type"),
    (
        "evidence",
        lambda r: r.update(evidence="peer-reviewed"),
        "evidence: unknown value 'peer-reviewed'",
    ),
    (
        "participation",
        lambda r: r.update(participation="led"),
        "participation: unknown value 'led'; use one of informed, consulted, involved",
    ),
    (
        "rights marker",
        lambda r: r.update(rights_marker=["disaggregated-data", "inclusive"]),
        "rights_marker: unknown value(s) 'inclusive'; use any of",
    ),
    (
        "rights marker as a string",
        lambda r: r.update(rights_marker="disaggregated-data"),
        "rights_marker: 'disaggregated-data' is not of type 'array'",
    ),
    (
        "action plan",
        lambda r: r.update(action_plan=["oap-99"]),
        "action_plan: unknown value(s) 'oap-99'",
    ),
    (
        "sdg target",
        lambda r: r.update(sdg_target=["3.8", "3.99"]),
        "sdg_target: unknown value(s) '3.99'",
    ),
    (
        "beneficiaries count",
        lambda r: r["beneficiaries"].update(women=-1),
        "beneficiaries.women: -1 is less than the minimum of 0",
    ),
    (
        "beneficiaries count type",
        lambda r: r["beneficiaries"].update(total="many"),
        "beneficiaries.total: 'many' is not of type 'integer'",
    ),
    (
        "beneficiaries unknown group",
        lambda r: r["beneficiaries"].update(elders=3),
        "Additional properties are not allowed ('elders' was unexpected)",
    ),
    (
        "beneficiaries year",
        lambda r: r["beneficiaries"].update(year=1900),
        "beneficiaries.year: 1900 is less than the minimum",
    ),
    (
        "beneficiaries above the total",
        lambda r: r["beneficiaries"].update(total=1000),
        "beneficiaries: Women, men, girls and boys add up to more than the total reached.",
    ),
    (
        "beneficiaries counts in a translation",
        lambda r: r["translations"]["fr"]["beneficiaries"].update(total=3),
        "translations.fr.beneficiaries: Additional properties are not allowed",
    ),
    (
        "last verified format",
        lambda r: r.update(last_verified="30/06/2025"),
        "last_verified: '30/06/2025' does not match",
    ),
    (
        "last verified date",
        lambda r: r.update(last_verified="2025-02-30"),
        "last_verified: '2025-02-30' is not a date (YYYY-MM-DD)",
    ),
    (
        "last verified in the future",
        lambda r: r.update(last_verified="2999-01-01"),
        "last_verified: 2999-01-01 is in the future",
    ),
    (
        "sustainability type",
        lambda r: r.update(sustainability=5),
        "sustainability: 5 is not of type 'string'",
    ),
    (
        "answer with only unsafe HTML",
        lambda r: r["answers"].update(q1="<script>alert(1)</script>"),
        "answers.q1: empty once unsafe HTML is removed",
    ),
]


@pytest.mark.parametrize(
    ("change", "message"), [case[1:] for case in INVALID_CASES], ids=[c[0] for c in INVALID_CASES]
)
def test_invalid_record_is_reported_with_position_and_reason(
    write_file, run_import, record, change, message, site_tree
):
    first = json.loads(json.dumps(record))
    first.update(title="A valid first entry", translations={})
    first.pop("contact")
    bad = record
    change(bad)
    pages_before = Page.objects.count()

    ok, out, err = run_import(write_file([first, bad]), "--publish")

    assert not ok
    assert "Invalid: 1" in out
    assert "record 2" in err
    assert message in err
    # The valid record is written, nothing of the invalid one.
    assert [page.title for page in PracticePage.objects.all()] == ["A valid first entry"]
    assert Page.objects.count() == pages_before + 1
    assert not Submission.objects.exists()
    assert not PracticeFunding.objects.exclude(page__title="A valid first entry").exists()


def test_record_failing_while_written_leaves_nothing_behind(
    write_file, run_import, record, contact_fails_late
):
    """A failure after the page was created rolls the whole record back (its savepoint)."""
    second = json.loads(json.dumps(record))
    second.update(title="Fails late")

    ok, _out, err = run_import(write_file([record, second]), "--publish")

    assert not ok
    assert "record 2 ('Fails late'): contact could not be stored" in err
    assert not PracticePage.objects.filter(title="Fails late").exists()
    assert not PracticePage.objects.filter(slug="fails-late").exists()
    # The first record and its translations are kept.
    assert PracticePage.objects.filter(translation_key__isnull=False).count() == 3
    assert Submission.objects.count() == 1


def test_dry_run_writes_nothing(write_file, run_import, record, site_tree):
    bad = json.loads(json.dumps(record))
    bad.update(title="Another", country=["XX"])
    counts = (Page.objects.count(), Revision.objects.count(), Submission.objects.count())

    ok, out, err = run_import(write_file([record, bad]), "--dry-run", "--publish")

    assert not ok
    assert "Dry run: nothing was written." in out
    assert "Would be created: 1" in out
    assert "record 2 ('Another')" in err
    assert (Page.objects.count(), Revision.objects.count(), Submission.objects.count()) == counts
    assert not PracticePage.objects.exists()


def test_dry_run_on_an_empty_database_creates_nothing(
    write_file, run_import_on_empty_database, record
):
    from practices.models import CooperationModel

    ok, out, err = run_import_on_empty_database(write_file([record]), "--dry-run")

    assert ok, err
    assert "Would be created: 1" in out
    assert not CooperationModel.objects.exists()
    assert Page.objects.count() == Page.objects.filter(depth__lte=2).count()


def test_dry_run_reports_updates(write_file, run_import, record):
    path = write_file([record])
    run_import(path, "--publish")

    ok, out, _err = run_import(path, "--dry-run")

    assert ok
    assert "Would be updated: 1" in out


def test_translations_are_created_with_the_original_classification(write_file, run_import, record):
    ok, out, err = run_import(write_file([record]), "--publish")

    assert ok, err
    assert "Translations created: 2" in out
    original = PracticePage.objects.get(locale__language_code="en")
    french = PracticePage.objects.get(locale__language_code="fr")
    arabic = PracticePage.objects.get(locale__language_code="ar")
    assert french.translation_key == arabic.translation_key == original.translation_key
    assert french.live and arabic.live
    assert french.title == "Fonds régional pour la réadaptation"
    assert french.slug == "fonds-régional-pour-la-réadaptation"
    assert arabic.slug == "صندوق-إقليمي-لإعادة-التأهيل"
    assert french.summary.startswith("Trois États")
    assert [child.value["question"] for child in french.answers] == ["q1", "q3"]
    assert (
        comparable_html(french.answers[1].value["answer"].source)
        == "<p>Le fonds a réuni des contributions.</p>"
    )
    assert comparable_html(french.outcomes) == "<p>Davantage de prothèses.</p>"
    assert comparable_html(french.sustainability) == (
        "<p>Les ministères de la santé ont repris les coûts en 2023.</p>"
    )
    assert french.beneficiaries_note == "Personnes appareillées d'une prothèse ou d'une orthèse."
    # Text the translation does not give is not left in English.
    assert arabic.outcomes == ""
    assert arabic.sustainability == ""
    assert arabic.beneficiaries_note == ""
    assert [child.value["question"] for child in arabic.answers] == ["q3"]
    for translation in (french, arabic):
        assert translation.classification() | {"language": None} == original.classification() | {
            "language": None
        }
        assert translation.original_language == "en"
        assert translation.provenance == original.provenance
        # Results, evidence and participation are language-neutral, as the classification.
        for name in CLASSIFICATION_PLAIN_FIELDS:
            assert getattr(translation, name) == getattr(original, name), name
        assert translation.revisions.exists()


def test_reimport_with_new_classification_updates_every_translation(write_file, run_import, record):
    run_import(write_file([record]), "--publish")
    record["cooperation_model"] = ["south-south-cooperation", "exchange-of-experience"]
    record["country"] = ["CO"]

    ok, _out, err = run_import(write_file([record], name="second.json"), "--publish")

    assert ok, err
    for page in PracticePage.objects.all():
        values = page.classification()
        assert sorted(values["cooperation_model"]) == [
            "exchange-of-experience",
            "south-south-cooperation",
        ]
        assert values["country"] == ["CO"]


def test_reimport_with_new_results_updates_every_translation(write_file, run_import, record):
    run_import(write_file([record]), "--publish")
    record.update(
        status="discontinued",
        evidence="audited",
        participation="survivor-led",
        rights_marker=["accessible-services"],
        partner_country=["DE", "NO"],
        action_plan=["oap-35"],
        sdg_target=["8.5"],
        beneficiaries={"total": 80, "survivors": 20, "year": 2022},
        last_verified="2025-07-01",
    )

    ok, _out, err = run_import(write_file([record], name="second.json"), "--publish")

    assert ok, err
    pages = list(PracticePage.objects.all())
    assert len(pages) == 3
    for page in pages:
        assert (page.status, page.evidence, page.participation) == (
            "discontinued",
            "audited",
            "survivor-led",
        )
        assert page.rights_markers == ["accessible-services"]
        assert [country.code for country in page.partner_countries] == ["DE", "NO"]
        assert (page.beneficiaries_total, page.beneficiaries_survivors) == (80, 20)
        # Counts the file no longer gives are emptied, as the rest of the record.
        assert page.beneficiaries_women is None
        assert page.beneficiaries_year == 2022
        assert page.last_verified == datetime.date(2025, 7, 1)
        values = page.classification()
        assert values["action_plan"] == ["oap-35"]
        assert values["sdg_target"] == ["8.5"]
        assert values["active_year"] == [2018, 2019, 2020, 2021, 2022]
    # The note is text: the original has none now, the French translation keeps its own.
    original = PracticePage.objects.get(locale__language_code="en")
    assert original.beneficiaries_note == ""
    french = PracticePage.objects.get(locale__language_code="fr")
    assert french.beneficiaries_note == "Personnes appareillées d'une prothèse ou d'une orthèse."


def test_a_version_1_record_is_valid_and_means_the_same(write_file, run_import):
    record = version_1_record()
    assert not set(record) & {"provenance", *VERSION_2_FIELDS}

    ok, out, err = run_import(write_file([record]), "--publish")

    assert ok, err
    assert "Created: 1" in out
    for page in PracticePage.objects.all():
        # A record that says nothing of its provenance was contributed.
        assert page.provenance == "contributed"
        assert (page.status, page.evidence, page.participation) == ("", "", "")
        assert page.rights_markers == []
        assert list(page.partner_countries) == []
        assert page.beneficiaries() == []
        assert (page.beneficiaries_year, page.beneficiaries_note) == (None, "")
        assert (page.sustainability, page.last_verified) == ("", None)
        values = page.classification()
        assert values["action_plan"] == values["sdg_target"] == []
        assert sorted(values["country"]) == ["GM", "SN"]
        assert (page.year, page.year_end) == (2018, 2022)


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("documented", "documented"),
        ("public-sources", "documented"),
        ("contributed", "contributed"),
        ("illustrative", "illustrative"),
        ("synthetic", "illustrative"),
    ],
)
def test_provenance_and_its_earlier_values(write_file, run_import, record, given, stored):
    record.update(provenance=given, country=[], partner_country=[], translations={})

    ok, _out, err = run_import(write_file([record]), "--publish")

    assert ok, err
    page = PracticePage.objects.get()
    assert page.provenance == stored
    assert page.classification()["provenance"] == [stored]


def test_an_illustrative_entry_with_a_region_and_no_country_is_imported(
    write_file, run_import, record
):
    record.update(provenance="illustrative", country=[], partner_country=[])

    ok, _out, err = run_import(write_file([record]), "--publish")

    assert ok, err
    for page in PracticePage.objects.all():
        assert page.provenance == "illustrative"
        assert page.classification()["region"] == ["africa"]
        assert page.classification()["country"] == []


def test_an_illustrative_entry_naming_a_country_is_reported_in_a_dry_run(
    write_file, run_import, record
):
    sample = json.loads(json.dumps(record))
    sample.update(title="Invented sample", provenance="illustrative", country=[])
    sample["partner_country"] = ["TD"]

    ok, out, err = run_import(write_file([record, sample]), "--dry-run")

    assert not ok
    assert "Would be created: 1" in out
    assert (
        "record 2 ('Invented sample'): partner_country: An illustrative entry names no real "
        "country: give its region instead." in err
    )
    assert "country: An illustrative" not in err.replace("partner_country: An", "")
    assert not PracticePage.objects.exists()


def test_importing_twice_updates_instead_of_duplicating(write_file, run_import, record):
    path = write_file([record])
    run_import(path, "--publish")
    pages = PracticePage.objects.count()
    page = PracticePage.objects.get(locale__language_code="en")
    revisions = page.revisions.count()

    record["summary"] = "A corrected summary."
    record["translations"]["fr"]["title"] = "Titre corrigé"
    ok, out, err = run_import(write_file([record], name="again.json"), "--publish")

    assert ok, err
    assert "Created: 0" in out
    assert "Updated: 1" in out
    assert PracticePage.objects.count() == pages == 3
    assert Submission.objects.count() == 1
    page.refresh_from_db()
    assert page.summary == "A corrected summary."
    assert page.revisions.count() == revisions + 1
    assert PracticeFunding.objects.filter(page=page).count() == 1
    french = PracticePage.objects.get(locale__language_code="fr")
    assert french.title == "Titre corrigé"
    assert "Translations created: 0, updated: 2" in out


def test_reimport_without_publish_leaves_the_live_version(write_file, run_import, record):
    run_import(write_file([record]), "--publish")
    record["summary"] = "A draft change."

    ok, out, err = run_import(write_file([record], name="draft.json"))

    assert ok, err
    assert "Updated: 1" in out
    page = PracticePage.objects.get(locale__language_code="en")
    assert page.live
    assert page.summary == VALID_SUMMARY
    assert page.has_unpublished_changes
    assert page.get_latest_revision_as_object().summary == "A draft change."


def test_explicit_slug_identifies_the_entry(write_file, run_import, record):
    record["slug"] = "my-entry"
    run_import(write_file([record]), "--publish")
    record["title"] = "A new title for the same entry"

    ok, out, _err = run_import(write_file([record], name="renamed.json"), "--publish")

    assert ok
    assert "Updated: 1" in out
    page = PracticePage.objects.get(locale__language_code="en")
    assert (page.slug, page.title) == ("my-entry", "A new title for the same entry")


def test_contact_is_private_and_absent_from_the_public_page(client, write_file, run_import, record):
    ok, _out, err = run_import(write_file([record]), "--publish")

    assert ok, err
    page = PracticePage.objects.get(locale__language_code="en")
    submission = Submission.objects.get()
    assert submission.page_id == page.pk
    assert submission.channel == Submission.Channel.IMPORT
    assert submission.status == Submission.Status.IMPORTED
    assert submission.contact_email == "ana.contributor@example.org"
    assert (submission.consent_publication, submission.consent_contact) == (False, False)
    for version in PracticePage.objects.all():
        response = client.get(version.url)
        assert response.status_code == HTTPStatus.OK
        html = response.content.decode()
        assert version.title in html
        assert "ana.contributor@example.org" not in html
        assert "Ana Contributor" not in html
        assert "Contributor Org" not in html


def test_consents_are_taken_when_given(write_file, run_import, record):
    record["contact"].update(consent_publication=True, consent_contact=True)
    run_import(write_file([record]), "--publish")
    submission = Submission.objects.get()
    assert (submission.consent_publication, submission.consent_contact) == (True, True)


def test_html_is_sanitised(client, write_file, run_import, record):
    record["answers"]["q3"] = (
        '<p onclick="steal()">Safe <script>alert("x")</script>'
        '<img src="x" onerror="alert(1)"><a href="javascript:alert(2)">bad link</a> '
        '<a href="https://example.org/ok" onmouseover="x()">good link</a></p>'
    )
    record["body"] = '<iframe src="https://evil.example"></iframe><h3>Heading</h3><p>Text</p>'
    record["outcomes"] = "<style>body{}</style><em>Fine</em>"

    ok, _out, err = run_import(write_file([record]), "--publish")

    assert ok, err
    page = PracticePage.objects.get(locale__language_code="en")
    stored = " ".join(
        [page.answers[1].value["answer"].source, page.body[0].value.source, page.outcomes]
    )
    for forbidden in (
        "<script",
        "onerror",
        "onclick",
        "onmouseover",
        "javascript:",
        "<img",
        "<iframe",
        "<style",
    ):
        assert forbidden not in stored
    assert '<a href="https://example.org/ok">good link</a>' in stored
    assert "<h3>Heading</h3>" in comparable_html(stored)
    # stored as the page editor stores it: <em> is written <i>, each block has a key
    assert comparable_html(page.outcomes) == "<p><i>Fine</i></p>"
    html = client.get(page.url).content.decode()
    assert "alert(" not in html
    assert "good link" in html


def test_json_lines_with_line_numbers(write_file, run_import, record, tmp_path):
    second = json.loads(json.dumps(record))
    second.update(title="Second entry", translations={})
    second.pop("contact")
    path = tmp_path / "records.jsonl"
    path.write_text(
        json.dumps(record)
        + "\n\n"
        + "{not json\n"
        + json.dumps(second)
        + "\n"
        + json.dumps({"title": "x"})
        + "\n",
        encoding="utf-8",
    )

    ok, out, err = run_import(path, "--publish")

    assert not ok
    assert "Created: 2" in out
    assert "Invalid: 2" in out
    assert "record 3: not valid JSON" in err
    assert "record 5 ('x'):" in err and "'summary' is a required property" in err
    assert sorted(p.title for p in originals()) == [
        "Regional fund for rehabilitation",
        "Second entry",
    ]


def test_parse_records_positions():
    array = parse_records('[{"a": 1}, 5, {"b": 2}]')
    assert [(position, error) for position, _record, error in array] == [
        (1, None),
        (2, "not a JSON object"),
        (3, None),
    ]
    lines = parse_records('{"a": 1}\n\n{"b": 2}\n')
    assert [position for position, _record, _error in lines] == [1, 3]


def test_unreadable_file_is_a_clear_error(run_import, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("[{", encoding="utf-8")
    ok, _out, err = run_import(path)
    assert not ok
    assert "Not valid JSON" in err


def test_arabic_original_gets_a_unicode_slug(write_file, run_import, record):
    record.update(language="ar", title="شبكة الناجين في المنطقة", translations={})

    ok, _out, err = run_import(write_file([record]), "--publish")

    assert ok, err
    page = PracticePage.objects.get()
    assert page.locale.language_code == "ar"
    assert page.slug == "شبكة-الناجين-في-المنطقة"


def test_slug_of_another_entrys_translation_is_a_conflict(write_file, run_import, record):
    run_import(write_file([record]), "--publish")
    french_record = {
        "title": "Fonds régional pour la réadaptation",
        "summary": "Une autre entrée.",
        "language": "fr",
        "cooperation_model": ["regional-funds"],
        "guiding_question": ["q1"],
    }

    ok, _out, err = run_import(write_file([french_record], name="fr.json"), "--publish")

    assert not ok
    assert "belongs to the 'fr' translation of another entry" in err
    assert PracticePage.objects.count() == 3


def test_imported_entries_are_searchable_in_every_language_at_once(write_file, run_import, record):
    from practices.search.models import SearchDocument
    from practices.search.query import SearchQuery
    from practices.search.service import search_practices

    ok, _out, err = run_import(write_file([record]), "--publish")

    assert ok, err
    # One search document per live language version, written once the batch is done.
    live = PracticePage.objects.live()
    assert SearchDocument.objects.count() == live.count() == 3
    french = search_practices(SearchQuery(q="réadaptation", lang="fr"))
    assert [result.title for result in french.results] == ["Fonds régional pour la réadaptation"]
    spanish = search_practices(SearchQuery(lang="es"))  # no Spanish version: the original
    assert spanish.count == 1 and spanish.results[0].lang == "en"
