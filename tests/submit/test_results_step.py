"""Results, participation and rights in the form: the participation level at guiding
question 5 and the rights markers at question 4; the status, evidence level, beneficiaries
reached and sustainability with the results of step 4. Each is typed in its step, read back on
the check page with a link to change it, and lands on the entry sent for review."""

import datetime
import re
from http import HTTPStatus

from bs4 import BeautifulSoup

from practices.models import PracticePage
from practices.results import (
    PARTICIPATION_EXPLANATIONS,
    EvidenceLevel,
    ParticipationLevel,
    PracticeStatus,
    RightsMarker,
)
from practices.submit.services import form_data_from_page

from .conftest import (
    STEP_DATA,
    act,
    check_url,
    fill_form,
    post_step,
    resend,
    send,
    step_url,
)

QUESTIONS = {
    **STEP_DATA[2],
    "rights_markers": ["direct-funding-survivor-organisations", "disaggregated-data"],
    "participation": "co-decided",
}
RESULTS = {
    **STEP_DATA[4],
    "status": "sustained",
    "evidence": "externally-evaluated",
    "beneficiaries_total": "5000",
    "beneficiaries_women": "1200",
    "beneficiaries_men": "2300",
    "beneficiaries_girls": "400",
    "beneficiaries_boys": "600",
    "beneficiaries_persons_with_disabilities": "3100",
    "beneficiaries_survivors": "850",
    "beneficiaries_year": "2022",
    "beneficiaries_note": "People fitted with a device, from the centre's register.",
    "sustainability": "The Ministry of Health took over the running costs in 2023.",
}


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def squeeze(text):
    return re.sub(r"\s+", " ", text).strip()


def part_text(response, number):
    return squeeze(soup_of(response).select_one(f"#part-{number}").get_text(" "))


def answer_rows(response, number):
    """{label: the answer's element} of one part of the check page."""
    rows = soup_of(response).select(f"#part-{number} .answer-list > div")
    return {squeeze(row.dt.get_text(" ")): row.select_one(":scope > dd") for row in rows}


def test_questions_4_and_5_ask_for_rights_markers_and_the_participation_level(client, submit_tree):
    submission = fill_form(client, stop_before=2)
    soup = soup_of(client.get(step_url(submission, 2)))
    questions = {
        squeeze(fieldset.legend.get_text(" "))[:2]: fieldset
        for fieldset in soup.select("fieldset.question")
    }
    markers = questions["4."].select_one("fieldset#id_rights_markers")
    participation = questions["5."].select_one("fieldset#id_participation")
    assert markers is not None and participation is not None
    assert squeeze(markers.legend.get_text()) == "Which of these apply to the example?"
    assert squeeze(participation.legend.get_text()) == (
        "How far did survivors and their organisations take part?"
    )
    boxes = markers.select('input[type="checkbox"]')
    assert [box["value"] for box in boxes] == list(RightsMarker.values)
    for box in boxes:
        assert "id_rights_markers_help" in box["aria-describedby"].split()
        assert markers.select_one(f'label[for="{box["id"]}"]').get_text(strip=True)

    # Each level with its one-line explanation, read with its button.
    buttons = participation.select('input[type="radio"]')
    assert [button["value"] for button in buttons] == ["", *ParticipationLevel.values]
    assert buttons[0].has_attr("checked")  # nothing chosen yet: "Not given"
    for button in buttons[1:]:
        level = ParticipationLevel(button["value"])
        label = participation.select_one(f'label[for="{button["id"]}"]')
        assert label.get_text(strip=True) == level.label
        described = button["aria-describedby"].split()
        assert "id_participation_help" in described
        hint = participation.select_one(f"#{described[-1]}")
        assert hint.get_text(strip=True) == str(PARTICIPATION_EXPLANATIONS[level])
        assert hint not in label.descendants  # described once, not in the name as well


def test_the_contributor_s_answers_are_on_the_check_page_and_on_the_entry(client, submit_tree):
    submission = fill_form(client, overrides={2: QUESTIONS, 4: RESULTS}, stop_before="send")
    response = client.get(check_url(submission))
    assert response.status_code == HTTPStatus.OK

    questions = answer_rows(response, 2)
    assert [squeeze(li.get_text()) for li in questions["Rights markers"].select("li")] == [
        RightsMarker.DIRECT_FUNDING.label,
        RightsMarker.DISAGGREGATED_DATA.label,
    ]
    participation = questions["Participation of survivors and their organisations"]
    assert squeeze(participation.bdi.get_text()) == "Co-decided"

    results = answer_rows(response, 4)
    assert squeeze(results["Status of the practice"].bdi.get_text()) == (
        "Sustained after the first funding ended"
    )
    assert squeeze(results["How are the results known"].bdi.get_text()) == ("Externally evaluated")
    figures = {
        squeeze(pair.dt.get_text()): squeeze(pair.dd.get_text())
        for pair in results["Beneficiaries reached"].select(".answer-pairs > div")
    }
    assert figures == {
        "Total": "5,000",
        "Women": "1,200",
        "Men": "2,300",
        "Girls": "400",
        "Boys": "600",
        "Persons with disabilities": "3,100",
        "Survivors": "850",
        "Year counted": "2022",
        "Note on the figures": "People fitted with a device, from the centre's register.",
    }
    assert (
        squeeze(results["Sustainability after the funding"].bdi.get_text())
        == (RESULTS["sustainability"])
    )

    assert send(client, submission).status_code == HTTPStatus.FOUND
    submission.refresh_from_db()
    page = submission.page.specific
    assert page.rights_markers == [
        RightsMarker.DIRECT_FUNDING,
        RightsMarker.DISAGGREGATED_DATA,
    ]
    assert page.participation == ParticipationLevel.CO_DECIDED
    assert page.status == PracticeStatus.SUSTAINED
    assert page.evidence == EvidenceLevel.EXTERNALLY_EVALUATED
    assert (
        page.beneficiaries_total,
        page.beneficiaries_women,
        page.beneficiaries_men,
        page.beneficiaries_girls,
        page.beneficiaries_boys,
        page.beneficiaries_persons_with_disabilities,
        page.beneficiaries_survivors,
        page.beneficiaries_year,
    ) == (5000, 1200, 2300, 400, 600, 3100, 850, 2022)
    assert page.beneficiaries_note == RESULTS["beneficiaries_note"]
    assert "took over the running costs" in page.sustainability
    # And in the facets the search reads.
    facets = page.results_classification()
    assert facets["participation"] == ["co-decided"]
    assert facets["rights_marker"] == [
        "direct-funding-survivor-organisations",
        "disaggregated-data",
    ]
    assert (facets["status"], facets["evidence"]) == (["sustained"], ["externally-evaluated"])


def test_nothing_given_is_shown_as_not_given_and_stays_empty(client, submit_tree):
    submission = fill_form(client, stop_before="send")
    response = client.get(check_url(submission))
    questions = answer_rows(response, 2)
    for label in ("Rights markers", "Participation of survivors and their organisations"):
        assert squeeze(questions[label].get_text(" ")).startswith("Not given"), label
    results = answer_rows(response, 4)
    for label in ("Status of the practice", "Beneficiaries reached"):
        assert squeeze(results[label].get_text(" ")).startswith("Not given"), label
    send(client, submission)
    submission.refresh_from_db()
    page = submission.page.specific
    assert (page.status, page.evidence, page.participation, page.rights_markers) == (
        "",
        "",
        "",
        [],
    )
    assert page.beneficiaries_total is None and page.beneficiaries_year is None


def test_each_answer_links_to_its_own_field(client, submit_tree):
    submission = fill_form(client, overrides={2: QUESTIONS, 4: RESULTS}, stop_before="send")
    response = client.get(check_url(submission))
    for number, label, anchor in (
        (2, "Rights markers", "id_rights_markers"),
        (2, "Participation of survivors and their organisations", "id_participation"),
        (4, "Status of the practice", "id_status"),
        (4, "How are the results known", "id_evidence"),
        (4, "Beneficiaries reached", "id_beneficiaries_total"),
        (4, "Sustainability after the funding", "id_sustainability"),
    ):
        link = answer_rows(response, number)[label].select_one(".change a")
        assert squeeze(link.get_text(" ")) == f"Change {label}"
        assert link["href"] == f"{step_url(submission, number)}?from=check#{anchor}"
        step = soup_of(client.get(link["href"].split("#")[0]))
        assert step.select_one(f"#{anchor}") is not None, anchor

    # Changing one answer there leads back to the check page, which shows the new one.
    response = post_step(
        client,
        f"{step_url(submission, 2)}?from=check",
        {**QUESTIONS, "participation": "survivor-led"},
    )
    assert response["Location"] == check_url(submission)
    rows = answer_rows(client.get(check_url(submission)), 2)
    participation = rows["Participation of survivors and their organisations"]
    assert squeeze(participation.bdi.get_text()) == "Survivor-led"


def test_wrong_figures_have_their_own_messages_and_nothing_is_lost(client, submit_tree):
    submission = fill_form(client, stop_before=4)
    next_year = datetime.date.today().year + 1
    data = {
        **RESULTS,
        "beneficiaries_total": "1000",
        "beneficiaries_women": "600",
        "beneficiaries_men": "500",
        "beneficiaries_girls": "-3",
        "beneficiaries_persons_with_disabilities": "900",
        "beneficiaries_survivors": "1001",
        "beneficiaries_year": str(next_year),
    }
    response = post_step(client, step_url(submission, 4), data)
    assert response.status_code == HTTPStatus.OK
    soup = soup_of(response)
    summary = [
        (link["href"], squeeze(link.get_text(" "))) for link in soup.select(".error-summary a")
    ]
    this_year = next_year - 1
    assert summary == [
        (
            "#id_beneficiaries_total",
            "Total: Women, men, girls and boys add up to more than the total reached.",
        ),
        ("#id_beneficiaries_girls", "Girls: A number of people cannot be negative."),
        ("#id_beneficiaries_survivors", "Survivors: This number is more than the total reached."),
        ("#id_beneficiaries_year", f"Year counted: Give a year from 1990 to {this_year}."),
    ]
    for anchor, _message in summary:
        field = soup.select_one(anchor)
        assert field["aria-invalid"] == "true"
        assert f"{anchor[1:]}_error" in field["aria-describedby"].split()
    # Every value typed is shown again, the wrong ones too.
    assert soup.select_one("#id_beneficiaries_girls")["value"] == "-3"
    assert soup.select_one("#id_beneficiaries_year")["value"] == str(next_year)
    assert (
        soup.select_one("#id_beneficiaries_note").get_text().strip()
        == (RESULTS["beneficiaries_note"])
    )
    assert soup.select_one('input[name="status"][checked]')["value"] == "sustained"
    assert soup.select_one('input[name="evidence"][checked]')["value"] == "externally-evaluated"
    # And kept with the draft: the step opened again shows them.
    again = soup_of(client.get(step_url(submission, 4)))
    assert again.select_one("#id_beneficiaries_survivors")["value"] == "1001"
    assert again.select_one("#id_sustainability").get_text().strip() == RESULTS["sustainability"]

    # Corrected, the step continues.
    data.update(
        beneficiaries_girls="0",
        beneficiaries_survivors="1000",
        beneficiaries_women="400",
        beneficiaries_boys="100",
        beneficiaries_year=str(this_year),
    )
    response = post_step(client, step_url(submission, 4), data)
    assert response.status_code == HTTPStatus.FOUND


def test_a_year_before_1990_and_a_word_for_a_number_are_refused(client, submit_tree):
    submission = fill_form(client, stop_before=4)
    data = {**STEP_DATA[4], "beneficiaries_year": "1985", "beneficiaries_men": "many"}
    response = post_step(client, step_url(submission, 4), data)
    assert response.status_code == HTTPStatus.OK
    summary = [squeeze(a.get_text(" ")) for a in soup_of(response).select(".error-summary a")]
    assert f"Year counted: Give a year from 1990 to {datetime.date.today().year}." in summary
    assert "Men: Enter a whole number, e.g. 1250." in summary


def test_an_unknown_level_or_marker_is_refused_on_the_questions_step(client, submit_tree):
    submission = fill_form(client, stop_before=2)
    data = {**QUESTIONS, "participation": "owner", "rights_markers": ["free-lunch"]}
    response = post_step(client, step_url(submission, 2), data)
    assert response.status_code == HTTPStatus.OK
    soup = soup_of(response)
    hrefs = [a["href"] for a in soup.select(".error-summary a")]
    assert hrefs == ["#id_rights_markers_0", "#id_participation_0"]
    assert soup.select_one(hrefs[0]) is not None and soup.select_one(hrefs[1]) is not None
    # The written answer is kept.
    assert soup.select_one("#id_answer_q1").get_text().strip() == STEP_DATA[2]["answer_q1"]


def test_a_sent_example_reopened_for_changes_keeps_the_new_answers(client, submit_tree):
    submission = fill_form(client, overrides={2: QUESTIONS, 4: RESULTS})
    data = form_data_from_page(submission.page.specific)
    assert data["2"]["rights_markers"] == QUESTIONS["rights_markers"]
    assert data["2"]["participation"] == ["co-decided"]
    for name, value in RESULTS.items():
        if name.startswith(("beneficiaries_", "status", "evidence", "sustainability")):
            assert data["4"][name] == [value], name


def test_the_answers_survive_a_request_for_changes_with_the_editors_corrections(
    client, submit_tree, editor, reviewer
):
    submission = fill_form(client, overrides={2: QUESTIONS, 4: RESULTS})
    page = submission.page.specific
    draft = page.get_latest_revision_as_object()
    draft.participation = ParticipationLevel.INVOLVED
    draft.beneficiaries_survivors = 900
    draft.save_revision(user=editor)
    act(reviewer, page, "reject", "Give the source of the figures.")

    # The contributor opens the step again: the editor's corrections, and their own answers.
    soup = soup_of(client.get(step_url(submission, 2)))
    assert soup.select_one('input[name="participation"][checked]')["value"] == "involved"
    ticked = soup.select('input[name="rights_markers"][checked]')
    assert [box["value"] for box in ticked] == QUESTIONS["rights_markers"]
    soup = soup_of(client.get(step_url(submission, 4)))
    assert soup.select_one("#id_beneficiaries_survivors")["value"] == "900"
    assert soup.select_one('input[name="status"][checked]')["value"] == "sustained"

    assert resend(client, submission).status_code == HTTPStatus.FOUND
    page = PracticePage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert page.participation == ParticipationLevel.INVOLVED
    assert page.beneficiaries_survivors == 900
    assert page.beneficiaries_total == 5000
    assert page.rights_markers == QUESTIONS["rights_markers"]
    assert page.evidence == EvidenceLevel.EXTERNALLY_EVALUATED


def test_a_wrong_figure_left_in_the_draft_is_shown_on_the_check_page(client, submit_tree):
    submission = fill_form(client, overrides={4: RESULTS}, stop_before="send")
    data = {**RESULTS, "beneficiaries_girls": "-1"}
    assert post_step(client, step_url(submission, 4), data).status_code == HTTPStatus.OK
    response = client.get(check_url(submission))
    reached = answer_rows(response, 4)["Beneficiaries reached"]
    assert squeeze(reached.select_one(".error-message").get_text()) == (
        "Girls: A number of people cannot be negative."
    )
    link = reached.select_one(".change a")["href"]
    assert link == f"{step_url(submission, 4)}?from=check#id_beneficiaries_total"
    # Nothing can be sent until it is corrected.
    assert send(client, submission).status_code == HTTPStatus.OK
    submission.refresh_from_db()
    assert submission.page is None
