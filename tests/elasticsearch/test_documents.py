"""Building the document of a language version from a page (no cluster needed)."""

from django.utils.html import escape

from practices.models import Submission
from practices.search.es_indexing import document_of, queue


def test_original_document(indexed_entry):
    original, _french = indexed_entry
    document = document_of(original).to_dict(include_meta=True)
    source = document["_source"]
    assert document["_id"] == original.pk
    assert source["translation_key"] == str(original.translation_key)
    assert source["lang"] == "en" and source["language"] == ["en"]
    assert source["is_original"] is True and source["live"] is True
    assert source["available_languages"] == ["en", "fr"]
    assert source["is_fallback"] is True
    assert source["url"] == original.url
    assert source["cooperation_model"] == ["regional-funds"]
    assert "q3" in source["guiding_question"]  # answered questions are part of it
    assert source["region"] == ["africa"]
    assert sorted(source["country"]) == ["KE", "SN"]
    assert source["year"] == ["2019"] and source["start_year"] == 2019
    assert source["tag"] == ["peer-support"]
    texts = source["text"]
    assert set(texts) == {"en"}  # text only in the version's language
    en = texts["en"]
    assert en["title"] == "Regional fund for rehabilitation"
    assert en["answers"] == ["Pooled money."]
    assert "Background" in en["details"]
    assert "Details of the fund." in en["details"]
    assert "Four hundred people fitted." in en["details"]
    assert "Survivors Network" in en["names"]
    assert "Regional funds" in " ".join(en["labels"])
    assert "Senegal" in en["labels"] and "Peer support" in en["labels"]
    # Funding: the funders' slugs, the rows' types and statuses; the funders' countries are
    # partner countries, a recipient in a country of the practice (SN) is not.
    assert source["funder"] == ["usaid", "west-african-fund"]
    assert source["funding_type"] == ["grant", "loan"]
    assert source["funding_status"] == ["disbursed", "pledged"]
    assert source["partner_country"] == ["US", "GH"]
    # The row in a currency without a rate (GHS) is left out of the total.
    assert source["funding_total_usd"] == 250000
    for name in (
        "Leahy War Victims Fund",
        "USAID",
        "Ministry of Health of Senegal",
        "Agence des États-Unis pour le développement international",
    ):  # names, ranked above labels and body (ranking.py)
        assert name in en["names"] and name not in en["labels"]


def test_translation_document_has_the_same_classification_and_its_own_language(indexed_entry):
    original, french = indexed_entry
    source = document_of(french).to_dict()
    assert source["lang"] == "fr"
    assert source["language"] == ["en"]  # the original language
    assert source["is_original"] is False
    assert source["is_fallback"] is False
    assert source["translation_key"] == str(original.translation_key)
    assert source["cooperation_model"] == ["regional-funds"]
    assert sorted(source["country"]) == ["KE", "SN"]
    assert set(source["text"]) == {"fr"}
    labels = " ".join(source["text"]["fr"]["labels"])
    assert "Sénégal" in labels
    assert "Regional funds" not in labels  # labels in French, not English
    assert source["title"] == "Fonds régional de réadaptation"


def test_every_version_carries_the_entry_s_languages_and_first_publication(indexed_entry):
    original, french = indexed_entry
    assert french.first_published_at > original.first_published_at
    for page in (original, french):
        source = document_of(page).to_dict()
        assert source["available_in"] == ["en", "fr"]
        # The entry is as new as its first version: the translation does not renew it.
        assert source["entry_published_at"] == original.first_published_at
    assert document_of(french).to_dict()["first_published_at"] == french.first_published_at


def test_no_contact_data_in_documents(indexed_entry):
    original, french = indexed_entry
    Submission.objects.create(
        page=original,
        language="en",
        channel=Submission.Channel.choices[0][0],
        contact_name="Jane Private",
        contact_email="jane.private@example.org",
        contact_organisation="Hidden Org",
    )
    for page in (original, french):
        flat = repr(document_of(page).to_dict())
        assert "jane.private@example.org" not in flat
        assert "Jane Private" not in flat
        assert "Hidden Org" not in flat


def test_unpublished_translation_is_not_an_available_language(make_practice, translate):
    original = make_practice(language="es", title="Fondo regional")
    translate(original, "ar", publish=False, title="الصندوق الإقليمي")
    assert document_of(original).to_dict()["available_languages"] == ["es"]
    assert document_of(original).to_dict()["available_in"] == ["es"]


def test_while_the_original_is_unpublished_the_oldest_published_version_is_the_fallback(
    indexed_entry, translate
):
    original, french = indexed_entry
    spanish = translate(original, "es", title="Fondo regional")
    original.unpublish()
    assert document_of(french).to_dict()["is_fallback"] is True
    assert document_of(spanish).to_dict()["is_fallback"] is False
    assert document_of(french).to_dict()["available_languages"] == ["es", "fr"]


def test_fallback_snippet_is_escaped(offline_engine):
    class Hit:
        class meta:  # noqa: N801
            pass

    source = {"summary": "<script>alert(1)</script> & more", "lang": "en"}
    assert offline_engine._snippet(Hit(), source) == escape(source["summary"])


def test_queue_counts_attempts(db):
    queue(41, None, "refused")
    queue(41, None, "refused again")
    from practices.search.models import PendingSearchUpdate

    (row,) = PendingSearchUpdate.objects.all()
    assert row.page_id == 41 and row.attempts == 2 and row.last_error == "refused again"


def test_a_tag_s_translated_label_is_searchable_in_its_language(indexed_entry):
    from practices.models import TagLabel

    original, french = indexed_entry
    label = TagLabel.objects.get(tag__slug="peer-support")
    label.label_fr = "Pairs aidants"
    label.save()
    assert "Pairs aidants" in document_of(french).to_dict()["text"]["fr"]["labels"]
    assert "Pairs aidants" not in document_of(original).to_dict()["text"]["en"]["labels"]
