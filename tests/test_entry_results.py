"""What a reader of an entry sees of its provenance, results and participation: the badges,
the beneficiaries reached, the sustainability, the last check, the rights markers and the
classification's partner countries, action plan actions and SDG targets, in four languages."""

import datetime
import re

import pytest
from django.utils.html import escape

from practices.facets import country_name
from practices.models.taxonomy import ActionPlanAction
from tests.conftest import LANGUAGES, shared_site_tree_fixtures, translated

shared_tree, vocabularies, site_tree, _no_transactional_test = shared_site_tree_fixtures("module")


def badge(language, group, value):
    """A badge as the reader sees it: "Status: Ongoing", in the reader's language."""
    return escape(
        translated(
            language,
            "%(group)s: %(value)s",
            group=translated(language, group),
            value=translated(language, value),
        )
    )


@pytest.fixture
def documented(make_practice):
    return make_practice(
        title="Rehabilitation fund",
        provenance="documented",
        status="sustained",
        evidence="externally-evaluated",
        participation="survivor-led",
        rights_markers=["direct-funding-survivor-organisations", "disaggregated-data"],
        beneficiaries_total=950,
        beneficiaries_women=300,
        beneficiaries_men=350,
        beneficiaries_persons_with_disabilities=400,
        beneficiaries_survivors=210,
        beneficiaries_year=2022,
        beneficiaries_note="Counted from the fund's registers.",
        outcomes="<p>Outcomes of the fund in text.</p>",
        sustainability="<p>The ministry's budget pays the teams since 2021.</p>",
        survivor_participation="<p>The survivor network ran the board.</p>",
        last_verified=datetime.date(2025, 3, 1),
        year=2018,
        year_end=2022,
        countries=["SN"],
        partner_countries=["NO"],
        action_plan=["oap-35"],
        sdg_target=["3.8"],
    )


def entry_html(client, translate, page, language):
    if language != "en":
        page = translate(page, language, title=f"Rehabilitation fund ({language})")
    return client.get(page.url).content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_entry_shows_its_badges_in_words(client, translate, documented, language):
    html = entry_html(client, translate, documented, language)
    documented_label = escape(translated(language, "Documented from public sources"))
    assert re.search(
        r'<strong class="badge badge--provenance badge--documented">' + re.escape(documented_label),
        html,
    )
    header = html[: html.index('class="facts"')]  # the badges stand under the title
    assert badge(language, "Status", "Sustained after the first funding ended") in header
    assert badge(language, "Evidence", "Externally evaluated") in header
    assert badge(language, "Survivor participation", "Survivor-led") in header
    assert "badge--illustrative" not in html and "notice--illustrative" not in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_entry_shows_its_results(client, translate, documented, language):
    html = entry_html(client, translate, documented, language)
    results = html[html.index('<h2 id="results-heading"') :]
    results = results[: results.index("</section>")]
    caption = re.search(r"<caption[^>]*>(.*?)</caption>", results, re.S).group(1)
    assert escape(translated(language, "Beneficiaries reached")) in caption
    assert escape(translated(language, "(counted in %(year)s)", year=2022)) in caption
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th><td class="num"><bdi>(\d+)</bdi>', results)
    assert rows == [
        (escape(translated(language, label)), number)
        for label, number in (
            ("Total", "950"),
            ("Women", "300"),
            ("Men", "350"),
            ("Persons with disabilities", "400"),
            ("Survivors", "210"),
        )
    ]  # the groups not given are left out, not shown as zero
    assert "Counted from the fund&#x27;s registers." in results
    assert "Outcomes of the fund in text." in results
    assert "The ministry's budget pays the teams since 2021." in results
    headings = re.findall(r"<h[23][^>]*>([^<]+)</h[23]>", results)
    assert len(set(headings)) == len(headings) == 3  # "Results" is not "Outcomes" again
    assert html.count("pays the teams since 2021") == 1  # not again as a text section
    assert '<time datetime="2025-03-01">' in results


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_entry_shows_its_participation_and_rights(client, translate, documented, language):
    html = entry_html(client, translate, documented, language)
    part = html[html.index('id="participation-heading"') :]
    part = part[: part.index("</section>")]
    assert (
        escape(
            translated(
                language,
                "A survivors' organisation or an organisation of persons with disabilities led it.",
            )
        )
        in part
    )
    assert "The survivor network ran the board." in part
    markers = re.findall(r"<li>([^<]+)</li>", part[part.index('class="rights-markers"') :])
    assert markers == [
        escape(translated(language, label))
        for label in (
            "Direct funding to organisations of survivors or of persons with disabilities",
            "Data disaggregated by sex, age and disability",
        )
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_classification_names_partner_countries_action_plans_and_sdg_targets(
    client, translate, documented, language
):
    from django.utils import translation

    html = entry_html(client, translate, documented, language)
    part = html[html.index('id="classification-heading"') :]
    with translation.override(language):
        norway, senegal = country_name("NO"), country_name("SN")
    assert f'?partner_country=NO">{escape(norway)}</a>' in part
    assert f'?country=SN">{escape(senegal)}</a>' in part
    assert escape(translated(language, "Partner country")) in part
    action = re.search(r'\?action_plan=oap-35">([^<]+)</a>', part).group(1)
    # By its plan and number, not "OAP 35"; no source confirms it: indicative.
    assert action == escape(ActionPlanAction.objects.get(slug="oap-35").get_label(language))
    assert "35" in action and "OAP" not in action
    assert escape(translated(language, "%(label)s (indicative)", label="").strip()) in action
    assert re.search(r'\?sdg_target=3\.8">3\.8 ', part)


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_illustrative_entry_is_unmistakable_and_says_so_once(
    client, make_practice, translate, language
):
    page = make_practice(title="Mobile teams", provenance="illustrative", region=["africa"])
    html = entry_html(client, translate, page, language)
    label = escape(translated(language, "Illustrative sample, not a real practice"))
    block = html[html.index('class="provenance provenance--illustrative notice') :]
    block = block[: block.index("</div>")]
    assert f'<strong class="badge badge--provenance badge--illustrative">{label}</strong>' in block
    notice = translated(  # as {% translate %} writes it: not escaped
        language,
        "Illustrative sample: this entry was invented to show what an entry of the "
        "knowledge base looks like. The organisations, people, figures and events in it "
        "are fictional.",
    )
    assert notice in block and html.count(notice) == 1
    assert html.index(block) < html.index('class="facts"')  # before anything else is read


def test_a_contributed_entry_says_who_gave_it_and_nothing_empty_is_shown(client, make_practice):
    html = client.get(make_practice(provenance="contributed").url).content.decode()
    contributed = '<strong class="badge badge--provenance badge--contributed">'
    assert f"{contributed}Contributed and reviewed</strong>" in html
    assert "the editors reviewed it" in html
    # Nothing given: no badges list, no results, no participation part.
    assert 'class="badges"' not in html
    assert 'id="results-heading"' not in html and 'id="participation-heading"' not in html
