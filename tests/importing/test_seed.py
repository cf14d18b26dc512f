"""The demo content and `seed_demo`: coverage, idempotence, demo users only in development."""

import io
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings

from home.models import InformationPage
from practices.management.commands.seed_demo import DEMO_FILE, DEMO_USERS
from practices.models import PracticePage

LANGUAGES = ("ar", "en", "fr", "es")
REFERENCE = Path(settings.BASE_DIR).parent / "shared" / "reference" / "vocabularies.json"


def seed(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("seed_demo", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def live_originals():
    return [
        page for page in PracticePage.objects.live().select_related("locale") if page.is_original
    ]


@pytest.mark.django_db
def test_seed_demo_covers_the_required_content_and_is_idempotent():
    out, err = seed("--no-users")
    assert "Created: 39" in out
    assert "Invalid: 0" in out and "Invalid" not in err
    # The setup path (make run) publishes the information pages in the four languages.
    information = InformationPage.objects.live()
    assert sorted(information.values_list("locale__language_code", "slug")) == sorted(
        (language, kind)
        for language in LANGUAGES
        for kind in ("about", "contact", "privacy", "licence")
    )
    originals = live_originals()
    pages = PracticePage.objects.count()

    assert len(originals) == 39
    classifications = [page.classification() for page in originals]
    covered = {key: set() for key in ("cooperation_model", "guiding_question", "region", "country")}
    for values in classifications:
        for key in covered:
            covered[key].update(values[key])
    assert len(covered["cooperation_model"]) == 7
    assert covered["guiding_question"] == {f"q{n}" for n in range(1, 7)}
    assert covered["region"] == {
        "africa",
        "americas",
        "asia-pacific",
        "europe-central-asia",
        "middle-east-north-africa",
        "global",
    }
    assert len(covered["country"]) >= 15
    # Every question is answered somewhere, not only classified.
    answered = {child.value["question"] for page in originals for child in page.answers}
    assert answered == {f"q{n}" for n in range(1, 7)}
    languages = Counter(page.locale.language_code for page in originals)
    assert all(languages[code] >= 4 for code in LANGUAGES), languages
    in_four = [
        page
        for page in originals
        if set(
            page.get_translations(inclusive=True)
            .live()
            .values_list("locale__language_code", flat=True)
        )
        == set(LANGUAGES)
    ]
    assert len(in_four) >= 10
    for page in in_four:
        for version in page.get_translations().specific():
            assert version.classification() | {"language": None} == page.classification() | {
                "language": None
            }
            assert version.answers, f"{version.title} has no translated answers"
    provenance = Counter(page.provenance for page in originals)
    assert provenance == {"documented": 24, "illustrative": 15}
    for page in originals:
        assert "not confirmed" not in page.title.lower()
        if page.provenance == "documented":
            assert page.sources.exists(), page.title
        else:
            _assert_is_a_complete_sample(page)
    assert all(page.revisions.exists() for page in originals)

    # A second run creates nothing and says so.
    out, _err = seed("--no-users")
    assert "Created: 0" in out
    assert "Skipped (already present, left unchanged): 39" in out
    assert PracticePage.objects.count() == pages


#: What every illustrative sample shows, filled: the fields of results and participation.
SAMPLE_VALUES = ("status", "evidence", "participation", "rights_markers", "last_verified")
SAMPLE_COUNTS = ("beneficiaries_total", "beneficiaries_year")
SAMPLE_TEXTS = (
    "outcomes",
    "sustainability",
    "lessons_learned",
    "survivor_participation",
    "accountability",
    "beneficiaries_note",
)


def _assert_is_a_complete_sample(page):
    """An illustrative entry names no real country and shows every new field filled, in
    each of its versions (text in the version's language, values the original's)."""
    values = page.classification()
    assert values["country"] == values["partner_country"] == [], page.title
    assert values["action_plan"] and values["sdg_target"], page.title
    for version in page.get_translations(inclusive=True).specific():
        for name in (*SAMPLE_VALUES, *SAMPLE_COUNTS):
            assert getattr(version, name), (version.title, name)
            assert getattr(version, name) == getattr(page, name), (version.title, name)
        for name in SAMPLE_TEXTS:
            assert getattr(version, name).strip(), (version.title, name)
            if version.pk != page.pk:
                assert getattr(version, name) != getattr(page, name), (version.title, name)
        assert not version.countries and not version.partner_countries


def test_demo_file_marks_illustrative_samples_visibly():
    records = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    markers = {
        "en": "Illustrative sample",
        "fr": "Exemple illustratif",
        "es": "Ejemplo ilustrativo",
        "ar": "مثال توضيحي",
    }
    illustrative = [record for record in records if record.get("provenance") == "illustrative"]
    assert len(illustrative) >= 15
    for record in illustrative:
        assert record["title"].startswith(markers[record["language"]]), record["title"]
        for code, translation in record.get("translations", {}).items():
            assert translation["title"].startswith(markers[code]), translation["title"]


def _texts(data):
    """Every string of a record (or a translation), its keys' values only."""
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [text for value in data.values() for text in _texts(value)]
    if isinstance(data, list):
        return [text for value in data for text in _texts(value)]
    return []


def test_illustrative_samples_name_no_real_country():
    """No country code, and no country's name in any text of any version (the names in the
    version's language): an invented programme is never attributed to a real State."""
    from django.utils import translation
    from django_countries import countries

    records = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    illustrative = [record for record in records if record["provenance"] == "illustrative"]
    assert len(illustrative) == 15
    for record in illustrative:
        assert "country" not in record and "partner_country" not in record, record["title"]
        versions = {record["language"]: record, **record.get("translations", {})}
        for code, version in versions.items():
            with translation.override(code):
                names = [str(name) for _code, name in countries]
            text = " ".join(
                _texts({key: value for key, value in version.items() if key != "translations"})
            )
            named = [name for name in names if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text)]
            assert not named, (record["title"], code, named)


def test_no_entry_only_says_an_example_was_not_confirmed():
    records = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    for record in records:
        titles = [record["title"], *(t["title"] for t in record.get("translations", {}).values())]
        assert not any("not confirmed" in title.lower() for title in titles), titles
        assert "unconfirmed" not in record.get("tags", [])
    assert {record["provenance"] for record in records} == {"documented", "illustrative"}


def _digits(text):
    """Text with the thousands separators of the four languages removed: "5 700" -> "5700"."""
    return re.sub(r"(?<=\d)[,.\s\u202f\u00a0](?=\d{3}(?!\d))", "", text)


def test_documented_results_are_stated_by_the_entry_itself():
    """A documented entry's figures are those its summary or outcomes (its sources, as the
    entry restates them) give: a count of beneficiaries appears there, and the evidence
    of a count is at most self-reported unless a source says more."""
    records = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    documented = [record for record in records if record["provenance"] == "documented"]
    with_results = [record for record in documented if "beneficiaries" in record]
    assert with_results  # at least one documented entry carries its sourced figures
    for record in with_results:
        stated = _digits(" ".join([record["summary"], record.get("outcomes", "")]))
        for group, count in record["beneficiaries"].items():
            if group not in ("note", "year"):
                assert str(count) in stated, (record["title"], group, count)
        assert record["beneficiaries"].get("note"), record["title"]
    for record in documented:
        assert "last_verified" not in record or record.get("sources"), record["title"]


@pytest.mark.skipif(
    not REFERENCE.exists(), reason="the shared reference file is not beside the project"
)
def test_every_documented_example_is_in_the_demo_with_its_sources():
    """Every example the reference confirms; the one it marks unconfirmed is no example."""
    reference = json.loads(REFERENCE.read_text(encoding="utf-8"))
    records = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    public = [record for record in records if record.get("provenance") == "documented"]
    examples = [
        (model["slug"], example)
        for model in reference["cooperation_model"]
        for example in model.get("examples", [])
        if not example.get("source_status", "").startswith("unconfirmed")
    ]
    assert len(public) == len(examples) == 24
    for model, example in examples:
        urls = set(example["sources"])
        matches = [
            record
            for record in public
            if urls <= {source["url"] for source in record.get("sources", [])}
            and model in record["cooperation_model"]
        ]
        assert matches, f"{example['title_en']}: no documented entry with all its sources"


@pytest.fixture
def small_demo(tmp_path):
    path = tmp_path / "demo.json"
    record = {
        "title": "Illustrative sample: a tiny entry",
        "summary": "A summary.",
        "language": "en",
        "provenance": "illustrative",
        "cooperation_model": ["regional-funds"],
        "answers": {"q1": "An answer."},
    }
    path.write_text(json.dumps([record]), encoding="utf-8")
    return str(path)


@pytest.mark.django_db
def test_demo_users_are_not_created_without_debug(small_demo):
    assert not settings.DEBUG
    _out, err = seed("--file", small_demo)
    assert "Demo users were NOT created" in err
    assert not get_user_model().objects.exists()
    assert PracticePage.objects.live().count() == 1


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_demo_users_are_created_with_debug(small_demo):
    out, _err = seed("--file", small_demo)
    users = {user.username: user for user in get_user_model().objects.all()}
    assert set(users) == set(DEMO_USERS)
    assert users["admin"].is_superuser
    assert users["admin"].check_password("alianzas-admin")
    assert [group.name for group in users["editor"].groups.all()] == ["Editors"]
    assert [group.name for group in users["reviewer"].groups.all()] == ["Reviewers"]
    for code in LANGUAGES:
        user = users[f"translator-{code}"]
        assert [group.name for group in user.groups.all()] == [f"Translators ({code})"]
        assert user.check_password(f"alianzas-translator-{code}")
        assert not user.is_superuser
    assert "alianzas-editor" in out
    # Second run: nothing duplicated, passwords left as they are.
    users["editor"].set_password("changed-by-the-user")
    users["editor"].save()
    seed("--file", small_demo)
    assert get_user_model().objects.count() == len(DEMO_USERS)
    assert get_user_model().objects.get(username="editor").check_password("changed-by-the-user")


@pytest.mark.django_db
def test_force_users_overrides_debug(small_demo):
    seed("--file", small_demo, "--force-users")
    assert get_user_model().objects.filter(username="admin", is_superuser=True).exists()


@pytest.mark.django_db
def test_invalid_demo_file_loads_nothing(tmp_path):
    from django.core.management.base import CommandError

    path = tmp_path / "bad.json"
    good = {
        "title": "Good",
        "summary": "s",
        "language": "en",
        "cooperation_model": ["regional-funds"],
        "guiding_question": ["q1"],
    }
    path.write_text(json.dumps([good, {"title": "Bad"}]), encoding="utf-8")
    with pytest.raises(CommandError, match="invalid demo record"):
        seed("--file", str(path), "--no-users")
    assert not PracticePage.objects.exists()


@pytest.mark.django_db
def test_demo_funders_come_from_the_authority_list(client):
    """The demo's real funders and recipients are confirmed organisations of the authority
    list (practices/data/demo_organisations.json), each with its source; the illustrative
    entries' invented names propose none; the Norway row is a share of a wider budget."""
    from practices.models import Organisation, PracticeFunding

    out, _err = seed("--no-users")
    assert "Demo organisations created: 16" in out
    # The names the list does not hold wait for an editor (confirm, or merge): compound
    # funders and recipients described rather than named in the sources.
    proposed = sorted(
        Organisation.objects.filter(confirmed=False).values_list("name_en", flat=True)
    )
    assert proposed == [
        "ALB-AID",
        "Austria and the US Department of State, through ITF",
        "Colombia y CMAC (proyecto triangular)",
        "Health and disability services",
        "Mine action (several countries)",
        "Perú (acción integral contra las minas)",
        "Sénégal (production de prothèses)",
        "The Nippon Foundation, other organisations and individual donors",
        "United States Congress",
    ]
    records = json.loads(DEMO_FILE.with_name("demo_organisations.json").read_text("utf-8"))
    assert all(record["source"].startswith("https://") for record in records["organisations"])

    usaid_row = PracticeFunding.objects.get(
        source="USAID (Leahy War Victims Fund)", page__locale__language_code="fr"
    )
    assert usaid_row.funder.slug == "usaid"
    assert usaid_row.recipient_organisation.slug == "handicap-international"
    norway = PracticeFunding.objects.get(amount=281500000)
    assert norway.funder.slug == "government-of-norway" and norway.va_share == "partial"
    assert "not a victim-assistance figure" in norway.note
    assert not PracticeFunding.objects.filter(
        page__provenance="illustrative", funder__isnull=False
    ).exists()

    # Funders are found by name or acronym, and the donor State is a partner country, not a
    # place of the practice.
    for language in LANGUAGES:
        data = client.get("/api/v1/practices/", {"q": "Leahy", "lang": language}).json()
        assert data["count"] == 1
        assert data["results"][0]["partner_country"] == ["US"]
        assert data["results"][0]["country"] == ["SN"]
    funders = client.get("/api/v1/practices/", {"funder": "usaid"}).json()
    assert funders["count"] == 1
