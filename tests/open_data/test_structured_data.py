"""What an entry page tells search engines and link previews, read back as they read it:
extruct finds the JSON-LD and OpenGraph data, PyLD expands the JSON-LD (with no network)."""

import json
from http import HTTPStatus

import extruct
import pytest
from lxml import html as lxml_html
from pyld import jsonld

from practices.models import Organisation, PracticeFunding, PracticePage, PracticeSource
from tests.conftest import practice_index, shared_site_tree_fixtures, translated

shared_tree, vocabularies, site_tree, _no_transactional_test = shared_site_tree_fixtures("module")

SCHEMA = ("http://schema.org/", "https://schema.org/")


def page_data(client, url):
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK, response.status_code
    text = response.content.decode()
    data = extruct.extract(
        text, base_url=f"http://testserver{url}", syntaxes=["json-ld", "opengraph"], uniform=True
    )
    return text, data


def json_ld(data):
    (item,) = data["json-ld"]
    return item


def opengraph(data):
    (item,) = data["opengraph"]
    return item


def refuse_network(url, options=None):
    raise AssertionError(f"The JSON-LD made the processor fetch {url}")


@pytest.fixture
def entry(make_practice, translate):
    fund = Organisation.objects.create(slug="andean-fund", name_en="Andean Solidarity Fund")
    original = make_practice(
        funding=[PracticeFunding(funder=fund, amount=5000, currency="USD", year_start=2021)],
        sources=[PracticeSource(title="Annual report 2021", url="https://example.org/r.pdf")],
        title="Regional fund for rehabilitation",
        summary="Pooled money for limb fitting.",
        organisation="Fundación Andina",
        cooperation_model=["regional-funds", "south-south-cooperation"],
        countries=["CO", "PE"],
    )
    french = translate(original, "fr", title="Fonds régional de réadaptation", slug="fonds")
    return original, french


def test_extruct_finds_the_entrys_json_ld_and_opengraph(client, entry):
    original, french = entry
    _text, data = page_data(client, original.url)
    item = json_ld(data)
    assert item["@type"] == "Article"
    assert item["name"] == "Regional fund for rehabilitation"
    assert item["inLanguage"] == "en"
    assert item["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert item["identifier"] == f"http://testserver/e/{original.translation_key}/"
    assert item["url"] == f"http://testserver{original.url}"
    assert item["datePublished"].startswith(str(original.first_published_at.year))
    assert {term["termCode"] for term in item["about"]} == {
        "regional-funds",
        "south-south-cooperation",
    }
    assert all(term["@type"] == "DefinedTerm" for term in item["about"])
    assert all(term["inDefinedTermSet"]["@type"] == "DefinedTermSet" for term in item["about"])
    assert [place["name"] for place in item["spatialCoverage"]] == ["Colombia", "Peru"]
    assert item["funder"] == [{"@type": "Organization", "name": "Andean Solidarity Fund"}]
    assert item["isBasedOn"] == [
        {"@type": "CreativeWork", "name": "Annual report 2021", "url": "https://example.org/r.pdf"}
    ]
    assert item["workTranslation"] == [
        {"@type": "Article", "url": f"http://testserver{french.url}", "inLanguage": "fr"}
    ]
    og = opengraph(data)
    assert og["og:title"] == "Regional fund for rehabilitation"
    assert og["og:url"] == f"http://testserver{original.url}"
    assert og["@type"] == "article"  # extruct gives og:type as @type
    assert og["og:locale"] == "en_GB"
    assert og["og:locale:alternate"] == "fr_FR"


def test_the_french_version_describes_itself_in_french(client, entry):
    original, french = entry
    text, data = page_data(client, french.url)
    item = json_ld(data)
    assert item["inLanguage"] == "fr"
    assert item["name"] == "Fonds régional de réadaptation"
    assert item["translationOfWork"]["url"] == f"http://testserver{original.url}"
    assert item["identifier"] == f"http://testserver/e/{original.translation_key}/"
    assert opengraph(data)["og:title"] == "Fonds régional de réadaptation"
    assert '<meta name="twitter:title" content="Fonds régional de réadaptation">' in text


def test_pyld_expands_the_json_ld_without_the_network(client, entry):
    original, _french = entry
    _text, data = page_data(client, original.url)
    expanded = jsonld.expand(json_ld(data), {"documentLoader": refuse_network})
    (node,) = expanded
    names = [node.get(f"{base}name") for base in SCHEMA if node.get(f"{base}name")]
    assert names == [[{"@value": "Regional fund for rehabilitation"}]]


def test_a_closing_script_tag_in_the_title_does_not_break_out(client, make_practice):
    title = 'Fund </script><img src=x id="injected"> & more'
    page = make_practice(title=title)
    text, data = page_data(client, page.url)
    tree = lxml_html.fromstring(text)
    (script,) = tree.xpath('//script[@type="application/ld+json"]')
    assert json.loads(script.text)["name"] == title
    assert not tree.xpath('//*[@id="injected"]')
    assert json_ld(data)["name"] == title


def test_an_illustrative_entrys_json_ld_names_no_country(client, make_practice, settings):
    settings.SHOW_ILLUSTRATIVE = True
    page = make_practice(provenance=PracticePage.Provenance.ILLUSTRATIVE, region=["americas"])
    _text, data = page_data(client, page.url)
    item = json_ld(data)
    assert "spatialCoverage" not in item
    assert "Colombia" not in json.dumps(item)


def test_home_and_search_pages_have_website_opengraph(client, site_tree):
    home_title = translated("fr", "Funding assistance to mine victims: good practices")
    for path, title in (("/fr/", home_title), ("/en/practices/", practice_index("en").title)):
        _text, data = page_data(client, path)
        og = opengraph(data)
        assert og["@type"] == "website"
        assert og["og:title"] == title
        assert og["og:url"] == f"http://testserver{path}"
        assert og["og:site_name"] == "Alianzas"
        assert og["og:description"]


def test_an_entry_describes_itself_to_search_engines_by_its_summary(client, make_practice):
    page = make_practice(title="Mobile repair", summary="Mobile teams repair prostheses.")
    html = client.get(page.url).content.decode()
    assert '<meta name="description" content="Mobile teams repair prostheses.">' in html
