"""A contributor gives the participation level, the rights markers and the results in a real
browser, in the four languages (Arabic right to left): found by what the page says, a wrong
figure corrected without losing anything, every answer read back on the check page. axe-core
and the Nu Html Checker find nothing on any page shown."""

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from practices.models import CooperationModel, GuidingQuestion
from practices.results import PARTICIPATION_EXPLANATIONS, ParticipationLevel
from tests.browser.checks import check_html, describe_violations, run_axe
from tests.browser.conftest import LANGUAGES
from tests.browser.contributions import Contributor, post_step
from tests.submit.conftest import STEP_DATA

# The live server writes the example: a transactional database, as in test_contributor.py.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CONSENTS = (
    "I agree that the example (not my contact details) is published under the "
    "Creative Commons Attribution 4.0 licence after review.",
    "I agree that the editors use my contact details to discuss this example with me; "
    "they are never published.",
)


class Scans:
    def __init__(self, tmp_path, language):
        self.tmp_path, self.language = tmp_path, language
        self.axe, self.files = [], []

    def __call__(self, person, name):
        page = person.page
        assert page.locator("html").get_attribute("lang") == self.language
        assert page.locator("html").get_attribute("dir") == (
            "rtl" if self.language == "ar" else "ltr"
        )
        file = self.tmp_path / f"{self.language}-{len(self.files):02d}-{name}.html"
        file.write_text(page.content())
        self.files.append(file)
        violations = run_axe(page)
        if violations:
            self.axe.append(f"{name} {page.url}:\n{describe_violations(violations)}")
        fits, widths = person.no_horizontal_overflow()
        assert fits, (name, widths)


@pytest.mark.parametrize("language", LANGUAGES)
def test_participation_rights_and_results_from_the_questions_to_the_check_page(
    context, site_url, contribution_site, vnu_command, tmp_path, language
):
    # Step 1 as in the other journeys (posted by the browser's own session).
    response = post_step(context, site_url(f"/{language}/submit/"), STEP_DATA[1])
    reference = re.search(rf"/{language}/submit/([^/]+)/step/2/", response.url).group(1)
    person = Contributor(context.new_page(), site_url, language)
    t = person.t
    scan = Scans(tmp_path, language)
    page = person.page

    # Step 2: a question answered; the rights markers at question 4, the level at question 5.
    page.goto(site_url(f"/{language}/submit/{reference}/step/2/"))
    person.expect_step(2)
    scan(person, "questions")
    markers = person.group(t("Which of these apply to the example?"))
    person.tick(t("Accessible services"), markers)
    person.tick(t("Data disaggregated by sex, age and disability"), markers)
    levels = person.group(t("How far did survivors and their organisations take part?"))
    for level in ParticipationLevel:
        button = levels.get_by_role("radio", name=t(level.label), exact=True)
        # The one-line explanation is read with the button.
        expect(button).to_have_accessible_description(
            re.compile(re.escape(t(str(PARTICIPATION_EXPLANATIONS[level]))))
        )
    person.press(levels.get_by_role("radio", name=t("Survivor-led"), exact=True))
    with translation.override(language):
        question = GuidingQuestion.objects.get(slug="q1").get_label()
        model = CooperationModel.objects.get(slug="regional-cooperation").get_label()
    person.tick(question)
    page.get_by_label(t("Your answer to question %(number)s", number=1)).fill(
        STEP_DATA[2]["answer_q1"]
    )
    person.next()

    # Step 3 as before.
    person.expect_step(3)
    person.tick(model)
    person.next()

    # Step 4: the results, with a number of girls typed wrong.
    person.expect_step(4)
    status = person.group(t("Status of the practice"))
    person.press(status.get_by_role("radio", name=t("Ongoing"), exact=True))
    evidence = person.group(t("How are the results known?"))
    person.press(evidence.get_by_role("radio", name=t("Monitored"), exact=True))
    reached = person.group(t("Beneficiaries reached"))
    for label, value in (("Total", "900"), ("Women", "300"), ("Girls", "-2"), ("Survivors", "75")):
        person.fill(label, value, reached, exact=True)
    person.fill("Year counted", "2023", reached)
    person.fill("Sustainability after the funding", "The district pays the teams since 2024.")
    person.next()
    summary = page.locator(".error-summary[role=alert]")
    expect(summary.get_by_role("link")).to_have_text(
        [
            t(
                "%(label)s: %(message)s",
                label=t("Girls"),
                message=t("A number of people cannot be negative."),
            )
        ]
    )
    scan(person, "results-with-error")
    # The link leads to the field; nothing typed is lost.
    person.press(summary.get_by_role("link"))
    expect(page).to_have_url(re.compile("#id_beneficiaries_girls$"))
    expect(person.field("Girls", reached, exact=True)).to_be_in_viewport()
    expect(person.field("Survivors", reached, exact=True)).to_have_value("75")
    expect(status.get_by_role("radio", name=t("Ongoing"), exact=True)).to_be_checked()
    person.fill("Girls", "200", reached, exact=True)
    person.next()

    # Step 5, then the check page.
    person.expect_step(5)
    for name, value in STEP_DATA[5].items():
        if not name.startswith("consent_"):
            page.locator(f"#id_{name}").fill(value)
    for consent in CONSENTS:
        person.press(person.field(consent))
    person.press_button(t("Save and check your answers"))
    main = person.expect_check_page()
    for seen in (
        t("Accessible services"),
        t("Data disaggregated by sex, age and disability"),
        t("Survivor-led"),
        t("Ongoing"),
        t("Monitored"),
        t("Girls"),
        "The district pays the teams since 2024.",
    ):
        expect(main).to_contain_text(seen)
    expect(
        main.get_by_role("link", name=f"{t('Change')} {t('Beneficiaries reached')}", exact=True)
    ).to_have_attribute("href", re.compile(r"step/4/\?from=check#id_beneficiaries_total$"))
    scan(person, "check")
    assert not person.failures, person.failures

    assert not scan.axe, "axe-core violations:\n" + "\n".join(scan.axe)
    errors = check_html(vnu_command, scan.files)
    assert not errors, "Nu Html Checker errors:\n" + "\n".join(
        f"{name}:\n  " + "\n  ".join(messages) for name, messages in sorted(errors.items())
    )
