"""/oai/ against the protocol's rules, read as XML: the envelope, arguments, dates and
resumption tokens (sickle harvests it from a live server in test_oai.py)."""

import datetime
from http import HTTPStatus

import pytest
from django.test import override_settings
from django.utils import timezone
from lxml import etree

from practices.models import PracticePage
from tests.conftest import shared_site_tree_fixtures

shared_tree, vocabularies, site_tree, _no_transactional_test = shared_site_tree_fixtures("module")

NS = {"oai": "http://www.openarchives.org/OAI/2.0/", "dc": "http://purl.org/dc/elements/1.1/"}


def oai(client, method="get", **params):
    response = getattr(client, method)("/oai/", params)
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    root = etree.fromstring(response.content)
    assert root.tag == "{http://www.openarchives.org/OAI/2.0/}OAI-PMH"
    assert root[0].tag.endswith("responseDate") and root[0].text.endswith("Z")
    assert root[1].tag.endswith("request") and root[1].text == "http://testserver/oai/"
    return root


def error(root):
    found = root.findall("oai:error", NS)
    return found[0].get("code") if found else None


def identifiers(root):
    return [node.text.rsplit(":", 1)[1] for node in root.iterfind(".//oai:identifier", NS)]


def test_the_request_is_echoed_and_post_answers_as_get(client, make_practice):
    page = make_practice(title="Peer support grants")
    key = str(page.translation_key)
    params = {
        "verb": "GetRecord",
        "identifier": f"oai:testserver:{key}",
        "metadataPrefix": "oai_dc",
    }
    by_get = oai(client, **params)
    by_post = oai(client, method="post", **params)
    for root in (by_get, by_post):
        assert dict(root[1].attrib) == params
        assert root.findtext(".//dc:title", namespaces=NS) == "Peer support grants"
        assert identifiers(root) == [key]
    # Arguments are not echoed in an answer to a bad verb or arguments.
    root = oai(client, verb="Identify", extra="x")
    assert error(root) == "badArgument" and not root[1].attrib


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("", "badVerb"),
        ("verb=Identify&verb=Identify", "badVerb"),
        ("verb=identify", "badVerb"),
        ("verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc", "badArgument"),
        ("verb=ListRecords&metadataPrefix=oai_dc&from=yesterday", "badArgument"),
        (
            "verb=ListRecords&metadataPrefix=oai_dc&from=2020-01-01&until=2021-01-01T00:00:00Z",
            "badArgument",
        ),
        ("verb=ListRecords&metadataPrefix=oai_dc&from=2021-01-01&until=2020-01-01", "badArgument"),
        ("verb=ListIdentifiers&resumptionToken=x&metadataPrefix=oai_dc", "badArgument"),
        ("verb=GetRecord&identifier=oai:testserver:x", "badArgument"),
        ("verb=GetRecord&identifier=oai:testserver:x&metadataPrefix=oai_dc", "idDoesNotExist"),
        ("verb=ListMetadataFormats&identifier=oai:elsewhere:x", "idDoesNotExist"),
        ("verb=ListRecords&metadataPrefix=mods", "cannotDisseminateFormat"),
        ("verb=ListSets&resumptionToken=x", "badResumptionToken"),
        ("verb=ListRecords&resumptionToken=x", "badResumptionToken"),
        ("verb=ListRecords&metadataPrefix=oai_dc&set=region:europe", "noRecordsMatch"),
    ],
)
def test_the_protocols_errors(client, query, code, site_tree):
    response = client.get(f"/oai/?{query}")
    assert response.status_code == HTTPStatus.OK
    assert error(etree.fromstring(response.content)) == code


def test_resumption_tokens_page_the_list_with_size_and_cursor(client, make_practice):
    keys = sorted(str(make_practice().translation_key) for _ in range(5))
    seen, cursors, token = [], [], None
    with override_settings(OAI_PAGE_SIZE=2):
        while True:
            if token:
                root = oai(client, verb="ListIdentifiers", resumptionToken=token)
            else:
                root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
            assert error(root) is None
            seen += identifiers(root)
            resumption = root.find(".//oai:resumptionToken", NS)
            assert resumption.get("completeListSize") == "5"
            cursors.append(resumption.get("cursor"))
            token = resumption.text
            if not token:
                break
    assert seen == keys
    assert cursors == ["0", "2", "4"]
    # A token of this list, altered, is refused.
    with override_settings(OAI_PAGE_SIZE=2):
        first = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    token = first.find(".//oai:resumptionToken", NS).text
    root = oai(client, verb="ListIdentifiers", resumptionToken=token[:-2] + "xx")
    assert error(root) == "badResumptionToken"


def test_from_and_until_select_by_datestamp_in_days_or_seconds(client, make_practice):
    old, new = make_practice(), make_practice()
    then = timezone.now() - datetime.timedelta(days=10)
    PracticePage.objects.filter(pk=old.pk).update(last_published_at=then)
    stamp = then.astimezone(datetime.UTC)
    day = stamp.date().isoformat()
    seconds = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    old_key, new_key = str(old.translation_key), str(new.translation_key)

    listed = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", until=day)
    assert identifiers(listed) == [old_key]
    listed = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", until=seconds)
    assert identifiers(listed) == [old_key]
    assert listed.findtext(".//oai:datestamp", namespaces=NS) == seconds
    after = (stamp + datetime.timedelta(days=1)).date().isoformat()
    listed = oai(client, verb="ListRecords", metadataPrefix="oai_dc", **{"from": after})
    assert identifiers(listed) == [new_key]
    listed = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": seconds})
    assert sorted(identifiers(listed)) == sorted([old_key, new_key])
    identify = oai(client, verb="Identify")
    assert identify.findtext(".//oai:earliestDatestamp", namespaces=NS) <= seconds


def test_illustrative_entries_leave_the_lists_when_they_are_not_shown(client, make_practice):
    documented = make_practice(title="Documented practice", provenance="documented")
    sample = make_practice(title="Illustrative sample", provenance="illustrative")
    root = oai(client, verb="ListRecords", metadataPrefix="oai_dc")
    assert sorted(identifiers(root)) == sorted(
        [str(documented.translation_key), str(sample.translation_key)]
    )
    with override_settings(SHOW_ILLUSTRATIVE=False):
        root = oai(client, verb="ListRecords", metadataPrefix="oai_dc")
        assert identifiers(root) == [str(documented.translation_key)]
        assert b"Illustrative sample" not in etree.tostring(root)
        missing = oai(
            client,
            verb="GetRecord",
            identifier=f"oai:testserver:{sample.translation_key}",
            metadataPrefix="oai_dc",
        )
        assert error(missing) == "idDoesNotExist"


def test_a_set_is_named_in_english_for_each_cooperation_model(client, site_tree):
    from practices.models import CooperationModel

    root = oai(client, verb="ListSets")
    sets = {
        node.findtext("oai:setSpec", namespaces=NS): node.findtext("oai:setName", namespaces=NS)
        for node in root.iterfind(".//oai:set", NS)
    }
    assert sets == {
        f"cooperation_model:{model.slug}": model.label_en
        for model in CooperationModel.objects.all()
    }
