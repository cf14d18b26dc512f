"""Country names are the UN's, in the four languages, everywhere; lists follow the collation."""

import json
from http import HTTPStatus

import pytest
from django.utils import translation
from django_countries import countries

from practices.countries import un_country_names
from practices.facets import country_name
from practices.management.commands.seed_demo import DEMO_FILE
from practices.submit.forms import STEPS

#: UNTERM short names, written out here so that the data file is checked, not trusted.
UN_NAMES = {
    "KR": ("Republic of Korea", "République de Corée", "República de Corea", "جمهورية كوريا"),
    "LA": (
        "Lao People's Democratic Republic",
        "République démocratique populaire lao",
        "República Democrática Popular Lao",
        "جمهورية لاو الديمقراطية الشعبية",
    ),
    "VN": ("Viet Nam", "Viet Nam", "Viet Nam", "فييت نام"),
    "MM": ("Myanmar", "Myanmar", "Myanmar", "ميانمار"),
    "CD": (
        "Democratic Republic of the Congo",
        "République démocratique du Congo",
        "República Democrática del Congo",
        "جمهورية الكونغو الديمقراطية",
    ),
}


def names_in(code):
    result = []
    for language in ("en", "fr", "es", "ar"):
        with translation.override(language):
            result.append(country_name(code))
    return tuple(result)


@pytest.mark.parametrize("code", sorted(UN_NAMES))
def test_country_labels_are_the_un_short_names(code):
    assert names_in(code) == UN_NAMES[code]


def demo_country_codes():
    records = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    codes = set()
    for record in records:
        codes.update(record.get("country", []))
        codes.update(record.get("partner_country", []))
    return sorted(codes)


def test_every_country_of_the_demo_content_has_its_un_name_in_four_languages():
    codes = demo_country_codes()
    assert len(codes) > 20
    data = un_country_names()
    missing = [code for code in codes if code not in data]
    assert not missing, f"no UN name for {missing}"
    wrong = []
    for code in codes:
        for language, label in zip(("en", "fr", "es", "ar"), names_in(code), strict=True):
            if label != data[code][language]:
                wrong.append((code, language, label))
    assert not wrong


def test_choices_are_sorted_by_the_readers_collation():
    with translation.override("fr"):
        names = [country.name for country in countries]
    # Code point order would put every accented initial after "Zimbabwe".
    assert names.index("Djibouti") < names.index("Égypte") < names.index("Érythrée")
    assert names.index("Érythrée") < names.index("Espagne") < names.index("Zimbabwe")
    with translation.override("ar"):
        names = [country.name for country in countries]
    # Alef with hamza (أ, إ) sorts with alef (ا), not by code point after آ and before ب.
    assert names.index("إثيوبيا") < names.index("الأردن") < names.index("بوروندي")


def test_the_contribution_form_offers_the_un_names():
    form_class = next(
        step.form_class for step in STEPS if "countries" in step.form_class.base_fields
    )
    with translation.override("es"):
        choices = dict(form_class().fields["countries"].choices)
    assert choices["KR"] == "República de Corea"
    assert choices["LA"] == "República Democrática Popular Lao"


def test_pages_and_api_label_countries_with_the_un_names(client, make_practice):
    page = make_practice(language="en", countries=["KR", "LA"])
    response = client.get("/api/v1/practices/?lang=fr")
    assert response.status_code == HTTPStatus.OK
    labels = {item["value"]: item["label"] for item in response.json()["facets"]["country"]}
    assert labels == {"KR": "République de Corée", "LA": "République démocratique populaire lao"}
    html = client.get(page.url.replace("/en/", "/es/", 1), follow=True).content.decode()
    assert "República de Corea" in html
    html = client.get(page.url).content.decode()
    assert "Republic of Korea" in html and "South Korea" not in html
