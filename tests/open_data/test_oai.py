"""/oai/ harvested as a harvester does: sickle over HTTP from a live server, in small pages."""

from urllib.parse import urlsplit

import pytest
import requests
from django.test import override_settings
from sickle import Sickle, oaiexceptions
from sickle.iterator import OAIResponseIterator

from practices.models import PracticePage
from tests.conftest import submitted_with_contact

# The live server needs the data committed; serialized_rollback puts back what the
# migrations created, for the tests that run next.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PAGE_SIZE = 2


@pytest.fixture
def entries(make_practice, translate):
    mobile = make_practice(
        title="Mobile clinics",
        summary="Clinics that travel to the villages.",
        cooperation_model=["regional-funds", "south-south-cooperation"],
        guiding_question=["q1"],
        countries=["CO"],
        licence="CC-BY-SA-4.0",
    )
    translate(mobile, "fr", title="Cliniques mobiles", summary="Des cliniques qui voyagent.")
    submitted_with_contact(mobile)
    others = [
        make_practice(title=f"Other practice {number}", cooperation_model=["regional-funds"])
        for number in range(3)
    ]
    spanish = make_practice(
        language="es", title="Fondo de formación", cooperation_model=["south-south-cooperation"]
    )
    withdrawn = make_practice(title="Withdrawn practice", cooperation_model=["regional-funds"])
    withdrawn.unpublish()
    draft = make_practice(title="Unpublished draft practice", publish=False)
    sample = make_practice(title="Illustrative sample", provenance="illustrative")
    return {
        "mobile": mobile,
        "others": others,
        "spanish": spanish,
        "withdrawn": withdrawn,
        "draft": draft,
        "sample": sample,
    }


def api_ids(live_server, **params):
    ids, page = [], 1
    while True:
        answer = requests.get(
            f"{live_server.url}/api/v1/practices/",
            params={**params, "page": page, "page_size": 2},
            timeout=10,
        ).json()
        ids += [result["id"] for result in answer["results"]]
        if page * answer["page_size"] >= answer["count"]:
            return ids
        page += 1


def local_id(identifier, live_server):
    host = urlsplit(live_server.url).hostname
    prefix = f"oai:{host}:"
    assert identifier.startswith(prefix), identifier
    return identifier.removeprefix(prefix)


def ask(sickle, **params):
    """One request, its OAI-PMH error raised as sickle's exception."""
    return OAIResponseIterator(sickle, params)


def harvester(live_server, **options):
    return Sickle(f"{live_server.url}/oai/", max_retries=0, timeout=10, **options)


@override_settings(OAI_PAGE_SIZE=PAGE_SIZE)
def test_sickle_harvests_every_record_as_the_api_lists_them_and_reads_the_errors(
    live_server, entries
):
    sickle = harvester(live_server)

    identify = sickle.Identify()
    assert identify.protocolVersion == "2.0"
    assert identify.deletedRecord == "transient"
    assert identify.granularity == "YYYY-MM-DDThh:mm:ssZ"
    assert identify.baseURL == f"{live_server.url}/oai/"
    formats = [fmt.metadataPrefix for fmt in sickle.ListMetadataFormats()]
    assert formats == ["oai_dc"]
    sets = {item.setSpec: item.setName for item in sickle.ListSets()}
    assert sets["cooperation_model:regional-funds"]
    assert "cooperation_model:south-south-cooperation" in sets

    # Every record, in pages of two, through the resumption tokens.
    records = list(sickle.ListRecords(metadataPrefix="oai_dc", ignore_deleted=False))
    live = [record for record in records if not record.deleted]
    deleted = [record for record in records if record.deleted]
    live_ids = [local_id(record.header.identifier, live_server) for record in live]
    assert len(live_ids) == len(set(live_ids))
    assert set(live_ids) == set(api_ids(live_server))
    assert len(live_ids) == 6  # with the illustrative sample, shown in the tests' settings
    withdrawn = str(entries["withdrawn"].translation_key)
    assert [local_id(record.header.identifier, live_server) for record in deleted] == [withdrawn]
    assert "<metadata" not in deleted[0].raw  # a deleted record is its header
    draft = str(entries["draft"].translation_key)
    assert draft not in {local_id(record.header.identifier, live_server) for record in records}

    # One record per entry, every published language version in it.
    mobile = str(entries["mobile"].translation_key)
    record = next(item for item in live if item.header.identifier.endswith(mobile))
    assert record.metadata["title"] == ["Mobile clinics", "Cliniques mobiles"]
    assert record.metadata["description"] == [
        "Clinics that travel to the villages.",
        "Des cliniques qui voyagent.",
    ]
    assert record.metadata["language"] == ["en", "fr"]
    assert record.metadata["identifier"] == [f"{live_server.url}/e/{mobile}/"]
    assert "https://creativecommons.org/licenses/by-sa/4.0/" in record.metadata["rights"]
    assert "Colombia" in record.metadata["coverage"]
    assert "Colombie" in record.metadata["coverage"]
    assert record.metadata["type"] == ["Text"]
    assert record.metadata["date"][0] == entries["mobile"].first_published_at.date().isoformat()
    assert sorted(record.header.setSpecs) == [
        "cooperation_model:regional-funds",
        "cooperation_model:south-south-cooperation",
    ]
    regional = PracticePage.objects.get(pk=entries["mobile"].pk).cooperation_models.get(
        slug="regional-funds"
    )
    assert regional.label_en in record.metadata["subject"]
    assert regional.label_fr in record.metadata["subject"]
    xml = record.raw
    assert 'xml:lang="fr">Cliniques mobiles<' in xml

    # The stable link is the entry's address.
    assert requests.get(record.metadata["identifier"][0], timeout=10).url.endswith(
        entries["mobile"].url
    )

    # Per set: the entries of that cooperation model (and its deleted one).
    for slug in ("regional-funds", "south-south-cooperation"):
        headers = list(
            sickle.ListIdentifiers(
                metadataPrefix="oai_dc", set=f"cooperation_model:{slug}", ignore_deleted=True
            )
        )
        got = {local_id(header.identifier, live_server) for header in headers}
        assert got == set(api_ids(live_server, cooperation_model=slug)), slug
    headers = list(
        sickle.ListIdentifiers(
            metadataPrefix="oai_dc", set="cooperation_model:regional-funds", ignore_deleted=False
        )
    )
    assert withdrawn in {local_id(header.identifier, live_server) for header in headers}

    # GetRecord, over POST as well as GET.
    for method in ("GET", "POST"):
        one = harvester(live_server, http_method=method).GetRecord(
            identifier=record.header.identifier, metadataPrefix="oai_dc"
        )
        assert one.metadata["title"] == ["Mobile clinics", "Cliniques mobiles"]
        assert one.metadata["identifier"] == [f"{live_server.url}/e/{mobile}/"]
        assert "https://creativecommons.org/licenses/by-sa/4.0/" in one.metadata["rights"]
    gone = sickle.GetRecord(
        identifier=f"oai:{urlsplit(live_server.url).hostname}:{withdrawn}", metadataPrefix="oai_dc"
    )
    assert gone.deleted

    # Nothing private and nothing unpublished, in any answer.
    bodies = [record.raw for record in records]
    for verb in ("Identify", "ListSets", "ListMetadataFormats"):
        bodies.append(requests.get(f"{live_server.url}/oai/?verb={verb}", timeout=10).text)
    for body in bodies:
        for private in (
            "Private Contact Person",
            "private.contact@example.org",
            "Private Contact Organisation",
            "Unpublished draft practice",
            "Withdrawn practice",
        ):
            assert private not in body

    # The protocol's errors, as the harvester raises them.
    host = urlsplit(live_server.url).hostname
    with pytest.raises(oaiexceptions.BadVerb):
        ask(sickle, verb="ListEverything")
    with pytest.raises(oaiexceptions.BadArgument):
        ask(sickle, verb="ListRecords")
    with pytest.raises(oaiexceptions.BadArgument):
        ask(sickle, verb="Identify", metadataPrefix="oai_dc")
    with pytest.raises(oaiexceptions.BadResumptionToken):
        ask(sickle, verb="ListRecords", resumptionToken="forged")
    with pytest.raises(oaiexceptions.IdDoesNotExist):
        sickle.GetRecord(
            identifier=f"oai:{host}:{entries['draft'].translation_key}", metadataPrefix="oai_dc"
        )
    with pytest.raises(oaiexceptions.CannotDisseminateFormat):
        sickle.GetRecord(
            identifier=f"oai:{host}:{entries['mobile'].translation_key}", metadataPrefix="marc21"
        )
    with pytest.raises(oaiexceptions.NoRecordsMatch):
        list(sickle.ListIdentifiers(metadataPrefix="oai_dc", **{"from": "2999-01-01"}))
    with pytest.raises(oaiexceptions.NoRecordsMatch):
        list(sickle.ListIdentifiers(metadataPrefix="oai_dc", set="cooperation_model:nothing"))
