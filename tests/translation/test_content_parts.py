"""Parts of an entry beyond its text: tags with labels in four languages, translatable source
and attachment titles, funding sources and recipients."""

from decimal import Decimal
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile
from taggit.models import Tag
from wagtail.documents import get_document_model
from wagtail_localize.models import StringSegment, TranslationSource

from practices.models import PracticeAttachment, PracticeFunding, PracticeSource, TagLabel
from practices.roles import EDITORS, ensure_group_permissions
from practices.search.memory import reset


@pytest.fixture
def editor(site_tree):
    ensure_group_permissions()
    user = User.objects.create_user("edith", "edith@example.org", "pw")
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


def test_every_new_tag_is_ready_for_its_translations(make_practice):
    page = make_practice()
    page.tags.add("peer support")
    page.save()
    tag = Tag.objects.get(name="peer support")
    assert TagLabel.objects.get(tag=tag).get_label("fr") == "peer support"  # until translated


def test_an_editor_translates_a_tag_and_readers_see_it_in_their_language(
    client, make_practice, editor
):
    page = make_practice(title="Peer support fund")
    page.tags.add("peer support")
    page.save_revision().publish()
    label = TagLabel.objects.get(tag__name="peer support")

    client.force_login(editor)
    edit_url = f"/admin/snippets/practices/taglabel/edit/{label.pk}/"
    response = client.get(edit_url)
    assert response.status_code == HTTPStatus.OK
    response = client.post(
        edit_url,
        {
            "label_en": "Peer support",
            "label_fr": "Soutien par les pairs",
            "label_es": "Apoyo entre pares",
            "label_ar": "دعم الأقران",
        },
    )
    assert response.status_code == HTTPStatus.FOUND, response.content[:2000]
    # Editors cannot make a label for a tag that does not exist, nor delete one.
    assert client.get("/admin/snippets/practices/taglabel/add/").status_code != HTTPStatus.OK
    client.logout()

    reset()
    facets = client.get("/api/v1/practices/?lang=fr").json()["facets"]["tag"]
    assert facets == [{"value": "peer-support", "label": "Soutien par les pairs", "count": 1}]
    facets = client.get("/api/v1/practices/?lang=ar").json()["facets"]["tag"]
    assert facets[0]["label"] == "دعم الأقران"
    html = client.get("/es/practices/?tag=peer-support").content.decode()
    assert "Apoyo entre pares" in html
    french_reader = client.get(page.url.replace("/en/", "/fr/", 1)).content.decode()
    assert "Soutien par les pairs" in french_reader


def test_source_and_attachment_titles_are_segments_to_translate(make_practice):
    Document = get_document_model()
    document = Document(title="Evaluation report 2021")
    document.file.save("evaluation.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    document.save()
    page = make_practice(
        sources=[PracticeSource(title="Annual report of the fund", url="https://example.org/r")],
        attachments=[PracticeAttachment(document=document)],
    )
    source, _created = TranslationSource.get_or_create_from_instance(page)
    strings = set(
        StringSegment.objects.filter(source=source).values_list("string__data", flat=True)
    )
    assert "Annual report of the fund" in strings
    assert "Evaluation report 2021" in strings  # the attachment's own title
    assert "https://example.org/r" not in strings  # the address stays the original's
    row = page.sources.get()
    assert row.locale_id == page.locale_id


def funding_row(**fields):
    values = {
        "source": "Regional Victim Assistance Fund",
        "recipient": "National Survivors Network",
        "amount": Decimal("250000"),
        "currency": "USD",
        "year_start": 2019,
        "year_end": 2021,
    }
    return PracticeFunding(**{**values, **fields})


def test_funding_source_and_recipient_are_segments_to_translate(make_practice):
    page = make_practice(funding=[funding_row()])
    source, _created = TranslationSource.get_or_create_from_instance(page)
    strings = set(
        StringSegment.objects.filter(source=source).values_list("string__data", flat=True)
    )
    assert "Regional Victim Assistance Fund" in strings
    assert "National Survivors Network" in strings
    assert "USD" not in strings  # a currency code is the original's, like the amount
    assert page.funding.get().locale_id == page.locale_id


def test_a_translated_funding_table_reads_in_the_translation_s_language(
    client, make_practice, start_translation, fill_translation, publish_translation
):
    page = make_practice(title="Regional fund", funding=[funding_row()])
    translation = start_translation(page, "fr")
    texts = {
        "Regional Victim Assistance Fund": "Fonds régional d’assistance aux victimes",
        "National Survivors Network": "Réseau national des survivants",
    }
    fill_translation(translation, text=lambda segment: texts.get(segment.string.data, "Texte"))
    french = publish_translation(translation)

    row = french.funding.get()
    assert (row.source, row.recipient) == (
        "Fonds régional d’assistance aux victimes",
        "Réseau national des survivants",
    )
    assert (row.amount, row.currency, row.year_start) == (Decimal("250000"), "USD", 2019)
    assert row.translation_key == page.funding.get().translation_key
    html = client.get(french.url).content.decode()
    assert "Fonds régional d’assistance aux victimes" in html
    assert "Réseau national des survivants" in html
    assert "Regional Victim Assistance Fund" not in html
    english = client.get(page.url).content.decode()
    assert "Regional Victim Assistance Fund" in english


def test_results_texts_are_segments_and_their_values_are_not(make_practice):
    page = make_practice(
        sustainability="<p>The ministry now pays the technicians.</p>",
        beneficiaries_note="Counted by the centre in 2022.",
        beneficiaries_total=321,
        status="sustained",
        participation="survivor-led",
        rights_markers=["accessible-services"],
    )
    source, _created = TranslationSource.get_or_create_from_instance(page)
    strings = set(
        StringSegment.objects.filter(source=source).values_list("string__data", flat=True)
    )
    assert "The ministry now pays the technicians." in strings
    assert "Counted by the centre in 2022." in strings
    # Structured values are the original's in every language, never a text to translate.
    assert not {"sustained", "survivor-led", "accessible-services", "321"} & strings
