"""Nothing unpublished and no contact data in any output that leaves Alianzas: every
output is fetched as its reader fetches it and searched for the contributor's details and
for a draft's and a withdrawn entry's titles (issue: open data, "done when")."""

from http import HTTPStatus

import pytest
from django.utils import timezone

from practices.models import AlertDelivery, PracticeFunding, Submission, Subscription
from tests.conftest import build_practice, shared_site_tree_fixtures, translate_practice

shared_tree, vocabularies, site_tree, _no_transactional_test = shared_site_tree_fixtures("module")

pytestmark = pytest.mark.django_db

SECRETS = (
    "Jane Private",
    "jane.private@example.org",
    "Hidden Contact Org",
    "subscriber.private@example.org",
)
UNPUBLISHED = ("Draft about prosthetics", "Withdrawn about prosthetics", "Draft donor")


@pytest.fixture(scope="module")
def entries(shared_tree, django_db_blocker):
    with django_db_blocker.unblock():
        shown = build_practice(
            title="Published about prosthetics", countries=["SN"],
            funding=[PracticeFunding(source="Public donor", amount=10, currency="USD",
                                     year_start=2020)],
        )  # fmt: skip
        translate_practice(shown, "fr", title="Publié sur les prothèses")
        Submission.objects.create(
            page=shown, language="en", channel=Submission.Channel.choices[0][0],
            contact_name=SECRETS[0], contact_email=SECRETS[1], contact_organisation=SECRETS[2],
        )  # fmt: skip
        follower = Subscription.objects.create(
            email=SECRETS[3], language="en", query="country=SN", confirmed_at=timezone.now()
        )
        AlertDelivery.objects.create(
            subscription=follower, entry_key=shown.translation_key, page_id=shown.pk
        )
        build_practice(
            title=UNPUBLISHED[0], publish=False,
            funding=[PracticeFunding(source=UNPUBLISHED[2], amount=5, currency="USD")],
        )  # fmt: skip
        withdrawn = build_practice(title=UNPUBLISHED[1])
        withdrawn.unpublish()
        return shown


def outputs(shown):
    key = shown.translation_key
    yield from (
        "/api/v1/practices/",
        "/api/v1/practices/?lang=fr",
        f"/api/v1/practices/{key}/",
        f"/api/v1/practices/{key}/?lang=fr",
        "/api/v1/practices/export.csv",
        "/api/v1/practices/export.jsonl?lang=fr",
        "/api/v1/funding/",
        "/api/v1/insights/",
        "/en/practices/feed/",
        "/fr/practices/feed/",
        "/sitemap.xml",
        "/oai/?verb=ListRecords&metadataPrefix=oai_dc",
        "/oai/?verb=ListIdentifiers&metadataPrefix=oai_dc",
        f"/e/{key}/cite.bib",
        f"/e/{key}/cite.ris",
        f"/e/{key}/cite.json?lang=fr",
        shown.url,
        "/en/practices/",
        "/en/insights/",
        "/en/insights/funding-by_funder.csv",
        "/en/countries/SN/",
        "/en/alerts/follow/?country=SN",
    )


def test_no_output_carries_contact_data_or_unpublished_entries(client, entries):
    checked = 0
    for url in outputs(entries):
        response = client.get(url)
        assert response.status_code == HTTPStatus.OK, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode()
        for secret in (*SECRETS, *UNPUBLISHED):
            assert secret not in text, (url, secret)
        checked += 1
    assert "Published about prosthetics" in client.get("/api/v1/practices/").content.decode()
    assert checked == len(list(outputs(entries)))


def test_the_spreadsheet_export_is_clean_too(client, entries):
    import io

    from openpyxl import load_workbook

    response = client.get("/api/v1/practices/export.xlsx")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    cells = [str(cell) for sheet in book for row in sheet.iter_rows(values_only=True)
             for cell in row if cell is not None]  # fmt: skip
    assert any("Published about prosthetics" in cell for cell in cells)
    for secret in (*SECRETS, *UNPUBLISHED):
        assert not any(secret in cell for cell in cells), secret
