"""The end of the form: check your answers, change a part, resume a draft, clear messages."""

import re
from http import HTTPStatus

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.utils import translation

from practices.models import CRPDArticle, Submission
from practices.submit.forms import ClassificationForm
from tests.conftest import LANGUAGES

from . import files
from .conftest import (
    STEP_DATA,
    check_url,
    fill_form,
    form_fields,
    post_step,
    send,
    step_url,
    stored,
)


def page_text(response):
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text(" ").split())


def part(response, number):
    """The text of one part of the check page."""
    soup = BeautifulSoup(response.content, "html.parser")
    return " ".join(soup.select_one(f"#part-{number}").get_text(" ").split())


def private_link(mailoutbox):
    return re.search(r"http://testserver(/\S+/submit/link/\S+/)", mailoutbox[-1].body).group(1)


# -- check your answers ----------------------------------------------------------------


def test_last_step_leads_to_the_check_page_not_to_sending(client, submit_tree, mailoutbox):
    submission = fill_form(client, stop_before=5)
    response = post_step(client, step_url(submission, 5), STEP_DATA[5])
    assert response["Location"] == check_url(submission)
    # A page from before the check step, still open in a tab, sends "submit": it continues.
    response = post_step(client, step_url(submission, 5), STEP_DATA[5], action="submit")
    assert response["Location"] == check_url(submission)
    submission.refresh_from_db()
    assert submission.status == Submission.Status.DRAFT and submission.page is None
    assert mailoutbox == []


def test_check_page_shows_every_answer(client, submit_tree):
    overrides = {
        3: {
            **STEP_DATA[3],
            "va_components": ["physical-rehabilitation"],
            "crpd_articles": ["crpd-26"],
        },
        4: {
            **STEP_DATA[4],
            "funding-0-recipient": "Rehabilitation centres",
            "funding-0-year_start": "2019",
            "funding-0-mechanism": "regional-fund",
        },
    }
    submission = fill_form(client, overrides=overrides, stop_before=4)
    post_step(
        client,
        step_url(submission, 4),
        overrides[4],
        files=[files.upload("annual-report.pdf", files.PDF)],
    )
    post_step(client, step_url(submission, 5), STEP_DATA[5])
    response = client.get(check_url(submission))
    assert response.status_code == HTTPStatus.OK

    about = part(response, 1)
    for value in ("Regional fund for rehabilitation", "pooled money for prosthetics", "2019"):
        assert value in about
    assert "Long-term funding came from a pooled budget line." in part(response, 2)
    classification = part(response, 3)
    for value in (
        "Improving regional cooperation",
        "Physical rehabilitation, prosthetics and assistive devices",
        "Colombia",
        "Peru",
        "Art. 26 – Habilitation and rehabilitation",
        "prosthetics",
        "pooled fund",
    ):
        assert value in classification, value
    results = part(response, 4)
    for value in (
        "Waiting lists fell.",
        "Regional fund",
        "Rehabilitation centres",
        "120,000",
        "USD",
        "Regional cooperation fund",
        "Annual report",
        "https://example.org/report.pdf",
        "annual-report.pdf",
    ):
        assert value in results, value
    contact = part(response, 5)
    for value in ("Ana Contributor", "Survivor network", "ana@example.org", "Agreed"):
        assert value in contact
    # One link per part, back to its step and from there back here.
    links = BeautifulSoup(response.content, "html.parser").select(".answers-head a")
    assert [link["href"] for link in links] == [
        f"{step_url(submission, number)}?from=check" for number in range(1, 6)
    ]
    assert [" ".join(link.get_text(" ").split()) for link in links][2] == "Change Classification"


@pytest.mark.parametrize("language", LANGUAGES)
def test_check_page_labels_are_in_the_page_language(client, submit_tree, language):
    overrides = {3: {**STEP_DATA[3], "crpd_articles": ["crpd-26"], "countries": ["SN"]}}
    submission = fill_form(client, language, overrides=overrides, stop_before="send")
    classification = part(client.get(check_url(submission)), 3)
    expected = {
        "ar": ("السنغال", "المادة 26 – "),
        "en": ("Senegal", "Art. 26 – Habilitation and rehabilitation"),
        "fr": ("Sénégal", "Art. 26 – Adaptation et réadaptation"),
        "es": ("Senegal", "Art. 26 – Habilitación y rehabilitación"),
    }[language]
    for value in expected:
        assert value in classification, (value, classification)
    with translation.override(language):
        article = CRPDArticle.objects.get(article=26).get_label()
    assert article in classification


def test_change_link_returns_to_the_check_page(client, submit_tree):
    submission = fill_form(client, stop_before="send")
    url = f"{step_url(submission, 3)}?from=check"
    html = client.get(url).content.decode()
    assert f'action="{url}"' in html
    assert "Save and go back to check your answers" in html
    assert 'value="back"' not in html  # no "Previous step" while changing one part

    # Adding a row keeps the way back; an invalid change stays on the step with its errors.
    submission_4 = f"{step_url(submission, 4)}?from=check"
    response = post_step(client, submission_4, stored(submission, 4), action="add_funding")
    assert response["Location"] == f"{submission_4}#funding"
    response = post_step(client, url, {**STEP_DATA[3], "cooperation_models": []})
    assert response.status_code == HTTPStatus.OK
    assert f'action="{url}"' in response.content.decode()

    response = post_step(client, url, {**STEP_DATA[3], "countries": ["SN"]})
    assert response["Location"] == check_url(submission)
    assert "Senegal" in part(client.get(check_url(submission)), 3)
    assert send(client, submission).status_code == HTTPStatus.FOUND
    submission.refresh_from_db()
    assert [country.code for country in submission.page.specific.countries] == ["SN"]


def test_an_invalid_part_is_shown_and_blocks_sending(client, submit_tree):
    submission = fill_form(client, stop_before="send")
    data = dict(submission.form_data)
    data["4"] = {**data["4"], "funding-0-currency": ["dollars"]}
    Submission.objects.filter(pk=submission.pk).update(form_data=data)
    response = client.get(check_url(submission))
    assert "Some answers in this part need correcting." in part(response, 4)
    assert "Use a three-letter ISO 4217 code" in part(response, 4)
    response = send(client, submission)
    assert response.status_code == HTTPStatus.OK
    assert '<a href="#part-4">Correct the part “Funding, results and sources”.</a>' in (
        response.content.decode()
    )
    submission.refresh_from_db()
    assert submission.status == Submission.Status.DRAFT


def test_sending_is_guarded_like_every_step(client, submit_tree, settings):
    submission = fill_form(client, stop_before="send")
    page = client.get(check_url(submission))
    fields = form_fields(page.content.decode())
    response = client.post(check_url(submission), {**fields, "website": "x", "action": "submit"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    settings.SUBMISSION_MIN_FILL_SECONDS = 120
    response = send(client, submission)
    assert response.status_code == HTTPStatus.OK
    assert "sent too quickly" in response.content.decode()
    assert Client().get(check_url(submission)).status_code == HTTPStatus.NOT_FOUND
    submission.refresh_from_db()
    assert submission.status == Submission.Status.DRAFT


def test_a_sent_example_is_not_checked_again(client, submit_tree):
    submission = fill_form(client)
    response = client.get(check_url(submission))
    assert response["Location"] == f"/en/submit/{submission.reference}/"


# -- drafts: the private link and the contact address ----------------------------------


@pytest.mark.parametrize(("where", "path"), [(3, "step/3/"), ("check", "check/")])
def test_private_link_resumes_where_the_contributor_stopped(
    client, submit_tree, mailoutbox, where, path
):
    submission = fill_form(client, stop_before="send" if where == "check" else 3)
    url = check_url(submission) if where == "check" else step_url(submission, 3)
    client.get(url)
    response = post_step(client, url, {"draft_email": "ana@example.org"}, action="save_draft")
    assert response.status_code == HTTPStatus.FOUND
    saved = client.get(response["Location"]).content.decode()
    assert f'href="/en/submit/{submission.reference}/{path}"' in saved  # "Continue now"

    other_device = Client()
    response = other_device.get(private_link(mailoutbox))
    assert response["Location"] == f"/en/submit/{submission.reference}/{path}"
    page = other_device.get(response["Location"])
    text = page_text(page)
    assert "Your example: Regional fund for rehabilitation" in text
    assert "Welcome back. You continue where you stopped" in text
    # The welcome is said once; the title stays.
    text = page_text(other_device.get(response["Location"]))
    assert "Welcome back" not in text
    assert "Your example: Regional fund for rehabilitation" in text


def test_the_step_opened_last_is_where_the_link_leads(client, submit_tree, mailoutbox):
    submission = fill_form(client, stop_before=3)
    post_step(
        client, step_url(submission, 2), {"draft_email": "ana@example.org"}, action="save_draft"
    )
    client.get(step_url(submission, 4))  # carried on after the mail, then stopped
    response = Client().get(private_link(mailoutbox))
    assert response["Location"] == step_url(submission, 4)


def test_draft_address_becomes_the_contact_address(client, submit_tree, mailoutbox):
    submission = fill_form(client, stop_before=2)
    post_step(
        client, step_url(submission, 2), {"draft_email": "ana@example.org"}, action="save_draft"
    )
    html = client.get(step_url(submission, 5)).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one("#id_contact_email")["value"] == "ana@example.org"
    assert soup.select_one("#id_draft_email")["value"] == "ana@example.org"
    assert "There is a problem" not in html  # a step not filled yet shows no errors

    # Step 5 visited and left without an address: the draft address fills it too.
    post_step(client, step_url(submission, 5), {"contact_name": "Ana"}, action="back")
    soup = BeautifulSoup(client.get(step_url(submission, 5)).content, "html.parser")
    assert soup.select_one("#id_contact_email")["value"] == "ana@example.org"
    # An address the contributor typed on step 5 is never replaced.
    post_step(
        client,
        step_url(submission, 5),
        {"contact_email": "office@example.org", "draft_email": "ana@example.org"},
        action="save_draft",
    )
    soup = BeautifulSoup(client.get(step_url(submission, 5)).content, "html.parser")
    assert soup.select_one("#id_contact_email")["value"] == "office@example.org"


def test_contact_address_fills_the_draft_address(client, submit_tree):
    submission = fill_form(client, stop_before="send")
    soup = BeautifulSoup(client.get(check_url(submission)).content, "html.parser")
    assert soup.select_one("#id_draft_email")["value"] == "ana@example.org"


# -- step 3 ----------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_crpd_articles_are_numbered_in_every_language(submit_tree, language):
    with translation.override(language):
        form = ClassificationForm()
        labels = [label for _value, label in form.fields["crpd_articles"].choices]
        numbers = [int(re.search(r"\d+", label).group()) for label in labels]
        article_26 = CRPDArticle.objects.get(article=26).get_label()
    assert numbers == sorted(numbers) and 26 in numbers
    prefix = {"ar": "المادة", "en": "Art.", "fr": "Art.", "es": "Art."}[language]
    assert f"{prefix} 26 – {article_26}" in labels


def test_countries_picker_works_without_javascript(client, submit_tree):
    """The native control is in the page, with the strings the script needs beside it."""
    submission = fill_form(client, stop_before=4)
    html = client.get(step_url(submission, 3)).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    select = soup.select_one("select#id_countries[multiple][name=countries]")
    assert select is not None
    assert [option["value"] for option in select.select("option[selected]")] == ["CO", "PE"]
    picker = select.find_parent(attrs={"data-country-picker": True})
    assert picker["data-remove"] == "Remove {name}"
    assert picker["data-found"] == "Countries found: {count}"
    assert soup.select_one("label[for=id_countries]").get_text(strip=True) == "Countries"
    assert re.search(r'<script src="[^"]*js/countries\.js" defer></script>', html)
    # Only step 3 loads the script.
    assert "countries.js" not in client.get(step_url(submission, 2)).content.decode()


def test_checkbox_and_its_label_are_siblings_in_one_line_box(client, submit_tree):
    submission = fill_form(client, stop_before=4)
    soup = BeautifulSoup(client.get(step_url(submission, 3)).content, "html.parser")
    items = soup.select(".field-choices li")
    assert items
    for item in items:
        assert "check" in item["class"]
        box, label = item.find_all(["input", "label"])
        assert box["type"] == "checkbox" and label["for"] == box["id"]


# -- messages --------------------------------------------------------------------------

#: Wrong values for every kind of check of every step.
MISTAKES = {
    1: {"title": "", "summary": "x" * 1600, "year": "1800", "year_end": "abc"},
    2: {"q_q2": "on"},
    3: {"countries": ["ZZ"], "cooperation_models": ["nope"]},
    4: {
        "funding-TOTAL_FORMS": "2",
        "funding-INITIAL_FORMS": "0",
        "funding-0-amount": "-5",
        "funding-0-currency": "dollars",
        "funding-0-year_start": "3000",
        "funding-1-source": "x",
        "funding-1-amount": "1.234",
        "sources-TOTAL_FORMS": "1",
        "sources-INITIAL_FORMS": "0",
        "sources-0-url": "not a url",
    },
    5: {"contact_email": "ana@"},
}
DOUBLED = re.compile(r"[.:;!?؟،]\s*[.:;،]")


def squeeze(text):
    """Runs of spaces and line breaks as one space; no-break spaces kept as they are."""
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


@pytest.mark.parametrize("language", LANGUAGES)
def test_error_messages_have_no_doubled_punctuation(client, submit_tree, language):
    submission = fill_form(client, language, stop_before=2)
    messages = []
    for number, data in MISTAKES.items():
        response = post_step(client, step_url(submission, number, language), data)
        assert response.status_code == HTTPStatus.OK, number
        soup = BeautifulSoup(response.content, "html.parser")
        summary = [squeeze(li.get_text(" ")) for li in soup.select(".error-summary li")]
        inline = [squeeze(p.get_text(" ")) for p in soup.select("form .error-message")]
        assert summary and inline, number
        messages += summary + inline
    doubled = [message for message in messages if DOUBLED.search(message)]
    assert not doubled, doubled
    # One message for one mistake: a wrong currency is not also "too long".
    currency = [message for message in messages if "ISO 4217" in message]
    assert len(currency) == 2  # in the summary and beside the field
    if language == "fr":
        assert [message for message in messages if re.search(r"[^\u00a0]:", message)] == []
    if language == "en":
        assert "Source of funds, row 2" not in " ".join(messages)  # row 2 has its source
        assert "Amount, row 2: Ensure that there are no more than 2 decimal places." in messages
        assert "Your agreement to publication is needed." in messages


def test_form_pages_have_no_inline_script_or_style(client, submit_tree):
    """Ready for a strict Content-Security-Policy: scripts and styles are static files."""
    submission = fill_form(client, stop_before="send")
    urls = [step_url(submission, number) for number in range(1, 6)] + [check_url(submission)]
    for url in urls:
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        assert soup.select("[style]") == [], url
        assert soup.select("style") == [], url
        assert [script for script in soup.select("script") if not script.get("src")] == [], url
        inline_handlers = [
            (tag.name, name)
            for tag in soup.find_all(True)
            for name in tag.attrs
            if name.startswith("on")
        ]
        assert inline_handlers == [], url
