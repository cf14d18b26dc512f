"""The facets of an entry's results, participation and provenance (CONTRACT.md, version 2),
through the public API as a reader's program asks for them, on every engine."""

import datetime
import json
from http import HTTPStatus

import pytest
from django.test import override_settings

from practices.results import active_years
from practices.search.memory import get_snapshot

pytestmark = pytest.mark.django_db


def test_active_years_run_from_start_to_end_and_to_this_year_while_ongoing():
    today = datetime.date(2026, 12, 4)
    assert active_years(2018, 2022, "completed", today) == [2018, 2019, 2020, 2021, 2022]
    assert active_years(2019, None, "ongoing", today) == list(range(2019, 2027))
    # An ongoing practice is active this year even if its planned end has passed.
    assert active_years(2019, 2021, "ongoing", today)[-1] == 2026
    assert active_years(2017, 2019, "", today) == [2017, 2018, 2019]
    assert active_years(2015, None, "", today) == [2015]
    assert active_years(None, 2020, "ongoing", today) == []


@pytest.fixture
def entries(make_practice):
    return {
        "running": make_practice(title="Running 2018 to 2022", year=2018, year_end=2022,
                                 status="completed", participation="co-decided"),
        "ongoing": make_practice(title="Ongoing since 2019", year=2019, status="ongoing",
                                 participation="survivor-led",
                                 rights_markers=["disaggregated-data", "accessible-services"]),
        "ended": make_practice(title="Ended in 2019", year=2016, year_end=2019,
                               status="discontinued", evidence="audited"),
        "sample": make_practice(title="Sample fund", provenance="illustrative", year=2020,
                                region=["africa"]),
    }  # fmt: skip


def titles(client, **params):
    response = client.get("/api/v1/practices/", params)
    assert response.status_code == HTTPStatus.OK, response.content
    data = json.loads(response.content)
    return {result["title"] for result in data["results"]}, data


def test_active_year_finds_what_ran_that_year(client, entries, engine_search):
    found = engine_search(active_year=["2020"])
    assert {result.title for result in found.results} == {
        "Running 2018 to 2022",
        "Ongoing since 2019",
        "Sample fund",
    }
    found, data = titles(client, active_year="2020")
    assert "Ended in 2019" not in found and "Running 2018 to 2022" in found
    counts = {item["value"]: item["count"] for item in data["facets"]["active_year"]}
    assert counts[2019] == 3 and counts[2016] == 1  # disjunctive: its own filter is left out
    values = [item["value"] for item in data["facets"]["active_year"]]
    assert values == sorted(values, reverse=True)  # newest first, like `year`


def test_participation_status_and_rights_filter_and_count(client, entries):
    found, data = titles(client, participation=["co-decided", "survivor-led"])
    assert found == {"Running 2018 to 2022", "Ongoing since 2019"}
    participation = {item["value"]: item["count"] for item in data["facets"]["participation"]}
    # A closed list: every level in order, zero counts included.
    assert list(participation) == [
        "informed",
        "consulted",
        "involved",
        "co-decided",
        "survivor-led",
    ]
    assert participation["survivor-led"] == 1 and participation["informed"] == 0
    status = {item["value"]: item["count"] for item in data["facets"]["status"]}
    assert status == {"planned": 0, "ongoing": 1, "completed": 1, "sustained": 0,
                      "discontinued": 0}  # fmt: skip
    found, _data = titles(client, rights_marker="disaggregated-data")
    assert found == {"Ongoing since 2019"}
    result = _data["results"][0]
    assert result["participation"] == "survivor-led" and result["status"] == "ongoing"
    assert result["rights_marker"] == ["disaggregated-data", "accessible-services"]
    assert result["evidence"] is None


def test_labels_are_translated(client, entries):
    response = client.get("/api/v1/practices/", {"lang": "fr"})
    facets = json.loads(response.content)["facets"]
    labels = {item["value"]: item["label"] for item in facets["provenance"]}
    assert labels["illustrative"] != "Illustrative sample, not a real practice"
    assert [item["value"] for item in facets["provenance"]] == [
        "documented",
        "contributed",
        "illustrative",
    ]


def test_unknown_values_are_refused(client, entries):
    for key, value in (("status", "finished"), ("participation", "led"), ("active_year", "20")):
        response = client.get("/api/v1/practices/", {key: value})
        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert key in json.loads(response.content)["errors"]


def test_provenance_facet_and_badge_values(client, entries):
    found, data = titles(client, provenance="illustrative")
    assert found == {"Sample fund"}
    assert data["results"][0]["provenance"] == "illustrative"
    counts = {item["value"]: item["count"] for item in data["facets"]["provenance"]}
    assert counts == {"documented": 0, "contributed": 3, "illustrative": 1}


def test_with_show_illustrative_off_no_sample_appears(client, entries):
    from django.core.management import call_command

    with override_settings(SHOW_ILLUSTRATIVE=False):
        call_command("rebuild_search_index", verbosity=0)
        get_snapshot()
        found, data = titles(client)
        assert "Sample fund" not in found and len(found) == 3
        counts = {item["value"]: item["count"] for item in data["facets"]["provenance"]}
        assert counts["illustrative"] == 0
        found, _data = titles(client, provenance="illustrative")
        assert not found
        page = client.get("/en/practices/", {"q": "sample"}).content.decode()
        assert "Sample fund" not in page
        # Publishing the sample again does not bring it back.
        entries["sample"].save_revision().publish()
        found, _data = titles(client)
        assert "Sample fund" not in found
    call_command("rebuild_search_index", verbosity=0)
    found, _data = titles(client)
    assert "Sample fund" in found


def test_a_new_year_counts_for_ongoing_entries_once_publish_scheduled_runs(
    client, entries, monkeypatch
):
    """Cron's publish_scheduled reindexes the ongoing entries on a new year, and only them."""
    from django.core.management import call_command

    from practices import results
    from practices.search import active_years

    next_year = results.today().year + 1
    monkeypatch.setattr(results, "today", lambda: datetime.date(next_year, 1, 1))
    found, _ = titles(client, active_year=str(next_year))
    assert found == set()  # the documents were counted last year
    assert len(active_years.stale_entries()) == 1

    call_command("publish_scheduled")

    found, data = titles(client, active_year=str(next_year))
    assert found == {"Ongoing since 2019"}
    assert active_years.stale_entries() == set()
    # The completed entry was not reindexed, and still counts the years it ran.
    found, _ = titles(client, active_year="2022")
    assert "Running 2018 to 2022" in found


def test_refresh_active_years_command_reports_what_it_reindexed(entries, monkeypatch):
    from io import StringIO

    from django.core.management import call_command

    from practices import results

    out = StringIO()
    call_command("refresh_active_years", stdout=out)
    assert out.getvalue().startswith("0 ")  # nothing is stale this year
    next_year = results.today().year + 1
    monkeypatch.setattr(results, "today", lambda: datetime.date(next_year, 1, 1))
    out = StringIO()
    call_command("refresh_active_years", stdout=out)
    assert out.getvalue().startswith("1 ")
