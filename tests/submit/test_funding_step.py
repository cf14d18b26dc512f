"""The funding rows of the form: type, status, share, channel, US dollar figure and its
basis, source of the figure, IATI identifier; funders and recipients linked to the
authority list of organisations when the example is sent."""

import re
from decimal import Decimal
from http import HTTPStatus

import pytest
from bs4 import BeautifulSoup
from django.utils import translation

from practices.funding import FundingChannel, FundingStatus, FundingType, VictimAssistanceShare
from practices.models import Organisation, PracticeFunding

from .conftest import STEP_DATA, check_url, fill_form, post_step, send, step_url

FUNDING = {
    **STEP_DATA[4],
    "funding-0-source": "USAID",
    "funding-0-recipient": "Red de Sobrevivientes del Cauca",
    "funding-0-amount": "100000",
    "funding-0-currency": "eur",
    "funding-0-year_start": "2019",
    "funding-0-funding_type": "grant",
    "funding-0-status": "disbursed",
    "funding-0-va_share": "partial",
    "funding-0-channel": "intermediary",
    "funding-0-amount_usd": "108000.50",
    "funding-0-url": "https://example.org/figures.pdf",
    "funding-0-iati_identifier": "US-GOV-1-72051419",
    "funding-0-note": "At the 2019 average rate of the European Central Bank.",
}


def squeeze(text):
    """Runs of spaces and line breaks as one space; no-break spaces kept as they are."""
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def funding_part(response):
    return " ".join(soup_of(response).select_one("#part-4").get_text(" ").split())


def test_the_check_page_shows_the_funding_row_in_the_reader_s_language(client, submit_tree, usaid):
    submission = fill_form(client, overrides={4: FUNDING}, stop_before="send")

    response = client.get(check_url(submission))
    english = funding_part(response)
    for text in (
        "Type of funding Grant",
        "Status Disbursed",
        "Share for victim assistance Partly for victim assistance",
        "Channel Through an intermediary",
        "Amount in US dollars 108,000.50",
        "Source of the figure (URL) https://example.org/figures.pdf",
        "IATI activity identifier US-GOV-1-72051419",
        "Note At the 2019 average rate of the European Central Bank.",
    ):
        assert text in english, (text, english)
    values = [dd.get_text(strip=True) for dd in soup_of(response).select(".answer-rows dd")]
    assert not {"grant", "disbursed", "partial", "intermediary"} & set(values), values

    response = client.get(check_url(submission, "fr"))
    assert response.status_code == HTTPStatus.OK
    french = funding_part(response)
    with translation.override("fr"):
        labels = [
            str(FundingType.GRANT.label),
            str(FundingStatus.DISBURSED.label),
            str(VictimAssistanceShare.PARTIAL.label),
            str(FundingChannel.INTERMEDIARY.label),
        ]
    with translation.override("en"):
        english_labels = [
            str(FundingType.GRANT.label),
            str(FundingStatus.DISBURSED.label),
            str(VictimAssistanceShare.PARTIAL.label),
            str(FundingChannel.INTERMEDIARY.label),
        ]
    for label, english_label in zip(labels, english_labels, strict=True):
        assert label != english_label and label in french, (label, french)
    for text in ("Type de financement", "Statut", "Part pour l'assistance aux victimes"):
        assert text in french, (text, french)
    assert "Type of funding" not in french


def test_sending_sets_the_row_and_links_known_and_proposed_organisations(
    client, submit_tree, usaid
):
    submission = fill_form(client, overrides={4: FUNDING})
    row = PracticeFunding.objects.get(page=submission.page)
    assert row.source == "USAID" and row.recipient == "Red de Sobrevivientes del Cauca"
    assert (row.amount, row.currency, row.amount_usd) == (
        Decimal("100000"),
        "EUR",
        Decimal("108000.50"),
    )
    assert row.funding_type == FundingType.GRANT
    assert row.status == FundingStatus.DISBURSED
    assert row.va_share == VictimAssistanceShare.PARTIAL
    assert row.channel == FundingChannel.INTERMEDIARY
    assert row.url == "https://example.org/figures.pdf"
    assert row.iati_identifier == "US-GOV-1-72051419"
    assert row.note == "At the 2019 average rate of the European Central Bank."
    # The acronym names a known organisation: linked, nothing new.
    assert row.funder == usaid
    # An unknown recipient is proposed once, unconfirmed, for the editors.
    proposed = row.recipient_organisation
    assert proposed is not None and not proposed.confirmed
    assert proposed.name_en == "Red de Sobrevivientes del Cauca"
    assert Organisation.objects.filter(confirmed=False).count() == 1
    assert Organisation.objects.count() == 2


def test_a_row_left_with_its_defaults_stays_empty_and_a_plain_row_is_unknown_share(
    client, submit_tree
):
    data = {**STEP_DATA[4], "funding-1-va_share": "unknown", "funding-1-status": ""}
    submission = fill_form(client, overrides={4: data})
    row = PracticeFunding.objects.get(page=submission.page)
    assert row.va_share == VictimAssistanceShare.UNKNOWN
    assert (row.status, row.funding_type, row.channel, row.amount_usd) == ("", "", "", None)


def test_a_known_funder_is_not_proposed_again_when_the_corrected_example_is_sent(
    client, submit_tree, usaid
):
    """A proposed organisation is found by its name the next time: never a duplicate."""
    fill_form(client, overrides={4: FUNDING})
    fill_form(client, overrides={4: FUNDING})
    assert Organisation.objects.filter(name_en="Red de Sobrevivientes del Cauca").count() == 1


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (
            "en",
            "Give the basis of the amount in US dollars in the note: the exchange rate used, "
            "or the report that gives it.",
        ),
        (
            "fr",
            "Indiquez dans la note la base du montant en dollars des États-Unis\u00a0: le taux "
            "de change utilisé, ou le rapport qui le donne.",
        ),
    ],
)
def test_a_us_dollar_figure_without_its_basis_is_refused_and_nothing_is_lost(
    client, submit_tree, language, message
):
    submission = fill_form(client, language, stop_before=4)
    data = {**FUNDING, "funding-0-note": "  "}
    response = post_step(client, step_url(submission, 4, language), data)
    assert response.status_code == HTTPStatus.OK
    soup = soup_of(response)
    summary = [squeeze(a.get_text(" ")) for a in soup.select(".error-summary a")]
    assert len(summary) == 1 and summary[0].endswith(message), summary
    link = soup.select_one(".error-summary a")["href"]
    assert link == "#id_funding-0-note" and soup.select_one(link) is not None
    note = soup.select_one("#id_funding-0-note")
    assert note["aria-invalid"] == "true"
    assert "id_funding-0-note_error" in note["aria-describedby"].split()
    assert message in soup.select_one("#id_funding-0-note_error").get_text()
    # Every typed value is shown again.
    assert soup.select_one("#id_funding-0-amount_usd")["value"] == "108000.50"
    assert soup.select_one("#id_funding-0-source")["value"] == "USAID"
    assert soup.select_one("#id_funding-0-url")["value"] == "https://example.org/figures.pdf"
    assert soup.select_one("#id_funding-0-iati_identifier")["value"] == "US-GOV-1-72051419"
    assert soup.select_one("#id_funding-0-funding_type option[selected]")["value"] == "grant"
    for name, value in (("status", "disbursed"), ("va_share", "partial")):
        checked = soup.select(f'input[name="funding-0-{name}"][checked]')
        assert [box["value"] for box in checked] == [value]
    # And kept with the draft: the step opened again shows them.
    again = soup_of(client.get(step_url(submission, 4, language)))
    assert again.select_one("#id_funding-0-amount_usd")["value"] == "108000.50"
    checked = again.select('input[name="funding-0-channel"][checked]')
    assert [box["value"] for box in checked] == ["intermediary"]


def test_wrong_values_have_their_own_messages(client, submit_tree):
    submission = fill_form(client, stop_before=4)
    data = {
        **STEP_DATA[4],
        "funding-0-amount": "-1",
        "funding-0-amount_usd": "-2",
        "funding-0-note": "Basis",
        "funding-0-currency": "XYZ",
        "funding-0-url": "not a web address",
    }
    response = post_step(client, step_url(submission, 4), data)
    assert response.status_code == HTTPStatus.OK
    summary = [squeeze(a.get_text(" ")) for a in soup_of(response).select(".error-summary a")]
    assert summary == [
        "Amount, row 1: An amount cannot be negative.",
        "Currency, row 1: Use a three-letter ISO 4217 code, e.g. USD.",
        "Amount in US dollars, row 1: An amount cannot be negative.",
        "Source of the figure (URL), row 1: "
        "Enter a web address, e.g. https://example.org/annual-report.pdf.",
    ]


def test_radio_groups_are_fieldsets_with_a_legend_and_labelled_buttons(client, submit_tree):
    submission = fill_form(client, stop_before=4)
    soup = soup_of(client.get(step_url(submission, 4)))
    for name, legend in (
        ("status", "Status"),
        ("va_share", "Share for victim assistance"),
        ("channel", "Channel"),
    ):
        group = soup.select_one(f"fieldset#id_funding-0-{name}")
        assert group.legend.get_text(strip=True) == legend
        help_id = f"id_funding-0-{name}_help"
        assert group.select_one(f"#{help_id}") is not None
        buttons = group.select('input[type="radio"]')
        assert len(buttons) >= 3
        for button in buttons:
            assert group.select_one(f'label[for="{button["id"]}"]').get_text(strip=True)
            assert help_id in button["aria-describedby"].split()
    # An empty row starts on "not given" and on a share not known.
    assert soup.select_one('input[name="funding-0-status"][checked]')["value"] == ""
    assert soup.select_one('input[name="funding-0-va_share"][checked]')["value"] == "unknown"
    for name in ("funding_type", "amount_usd", "url", "iati_identifier", "note"):
        assert soup.select_one(f'label[for="id_funding-0-{name}"]') is not None, name
    for name in ("amount_usd", "url", "iati_identifier", "note"):
        field = soup.select_one(f"#id_funding-0-{name}")
        assert f"id_funding-0-{name}_help" in field["aria-describedby"].split(), name


def test_a_sent_example_reopened_for_changes_keeps_the_new_fields(client, submit_tree, usaid):
    from practices.submit.services import form_data_from_page

    submission = fill_form(client, overrides={4: FUNDING})
    data = form_data_from_page(submission.page.specific)["4"]
    for name in ("funding_type", "status", "va_share", "channel", "url", "note"):
        assert data[f"funding-0-{name}"] == [FUNDING[f"funding-0-{name}"]], name
    assert data["funding-0-amount_usd"] == ["108000.50"]
    # The text areas show the text as typed, not the stored paragraphs' markup.
    assert data["outcomes"] == ["Waiting lists fell.\n\nMore fittings."]
    assert data["lessons_learned"] == ["Start small."]


def test_the_check_page_lists_every_filled_row_once(client, submit_tree):
    submission = fill_form(client, overrides={4: FUNDING}, stop_before="send")
    response = client.get(check_url(submission))
    funding_rows = soup_of(response).select("#part-4 .answer-rows")[0]
    assert len(funding_rows.find_all("li", recursive=False)) == 1
    assert send(client, submission).status_code == HTTPStatus.FOUND
