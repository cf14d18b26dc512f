"""The authority list of organisations: finding one by any of its names, never a silent
duplicate, and merging (practices.models.organisations)."""

from decimal import Decimal

import pytest

from practices.models import Organisation, PracticeFunding


@pytest.mark.parametrize(
    "text",
    [
        "USAID",
        "usaid",
        " U.S.A.I.D. ",
        "united states agency for international development",
        "Agence des Etats-Unis pour le developpement international",  # no accents
        "Agencia de los Estados Unidos para el Desarrollo Internacional (USAID)",
    ],
)
def test_any_name_or_the_acronym_finds_the_organisation(usaid, text):
    assert Organisation.objects.find(text) == usaid


def test_an_unknown_name_is_proposed_once_and_then_found(usaid):
    first, created = Organisation.objects.find_or_propose("Fondation Mines Solidarité (FMS)")
    assert created and not first.confirmed
    assert (first.name_en, first.acronym) == ("Fondation Mines Solidarité", "FMS")
    again, created_again = Organisation.objects.find_or_propose("fms")
    assert again == first and not created_again
    assert Organisation.objects.count() == 2


@pytest.mark.parametrize(
    "text,parts",
    [
        (
            "Agencia de Cooperación Internacional del Japón (JICA)",
            ("Agencia de Cooperación Internacional del Japón", "JICA"),
        ),
        ("Colombia y CMAC (proyecto triangular)", ("Colombia y CMAC (proyecto triangular)", "")),
        ("Government of Norway", ("Government of Norway", "")),
        ("Fund (pilot)", ("Fund (pilot)", "")),
    ],
)
def test_only_an_acronym_in_brackets_is_taken_for_one(text, parts):
    from practices.models.organisations import split_acronym

    assert split_acronym(text) == parts


def test_the_full_name_with_its_acronym_then_either_alone_link_one_organisation(db):
    names = ["U.S. Agency for International Development (USAID)", "USAID", "usaid"]
    found = {Organisation.objects.find_or_propose(name)[0].pk for name in names}
    assert len(found) == 1
    (organisation,) = Organisation.objects.all()
    assert organisation.acronym == "USAID"
    assert organisation.name_en == "U.S. Agency for International Development"
    assert Organisation.objects.find("U.S. Agency for International Development") == organisation


def test_merging_moves_every_row_and_keeps_the_names(usaid, make_practice):
    duplicate = Organisation.objects.create(
        slug="us-aid",
        name_en="US Aid",
        name_ar="الوكالة الأمريكية للتنمية الدولية",
        confirmed=False,
    )
    page = make_practice(language="en")
    funded = PracticeFunding.objects.create(page=page, source="US Aid", funder=duplicate)
    received = PracticeFunding.objects.create(
        page=page, source="Other", recipient_organisation=duplicate
    )
    assert duplicate.merge_into(usaid) == 2
    funded.refresh_from_db()
    received.refresh_from_db()
    assert funded.funder == usaid and received.recipient_organisation == usaid
    assert not Organisation.objects.filter(pk=duplicate.pk).exists()
    usaid.refresh_from_db()
    assert usaid.name_ar == "الوكالة الأمريكية للتنمية الدولية"  # the name it lacked
    assert usaid.name_en == "United States Agency for International Development"  # kept


def test_a_row_s_usd_equivalent(usaid, make_practice):
    page = make_practice(language="en")
    row = PracticeFunding(page=page, source="USAID", amount=Decimal("1000"), currency="EUR")
    assert row.usd_equivalent is None  # no year, no rate
    row.year_start = 2019
    assert row.usd_equivalent == Decimal("1119.47")
    row.amount_usd = Decimal("1200")  # the editor's figure wins
    assert row.usd_equivalent == Decimal("1200")


def test_an_editor_merges_a_proposed_duplicate_from_the_admin_list(
    client, django_user_model, usaid, make_practice
):
    """The path an editor takes: Organisations in the menu, the "Merge…" link of the row to
    confirm, the target chosen, the message, the rows moved."""
    import re
    from html import unescape

    from django.contrib.auth.models import Group

    editor = django_user_model.objects.create_user("editor", "editor@example.org", "pw")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    proposed, _ = Organisation.objects.find_or_propose("US Aid Agency")
    page = make_practice(language="en")
    row = PracticeFunding.objects.create(page=page, source="US Aid Agency", funder=proposed)

    dashboard = client.get("/admin/").content.decode()
    listing_url = "/admin/snippets/practices/organisation/"
    assert listing_url in dashboard  # in the menu
    listing = client.get(listing_url).content.decode()
    assert "To confirm or merge" in listing
    merge_urls = re.findall(r'href="(/admin/organisations/(\d+)/merge/)"', listing)
    (merge_url,) = [url for url, pk in merge_urls if int(pk) == proposed.pk]

    form = client.get(merge_url).content.decode()
    assert "named in 1 funding row" in form
    assert usaid.display_name() in unescape(form)
    response = client.post(merge_url, {"target": usaid.pk}, follow=True)
    shown = unescape(response.content.decode())
    assert "was merged into United States Agency for International Development (USAID)" in shown
    row.refresh_from_db()
    assert row.funder == usaid
    assert not Organisation.objects.filter(pk=proposed.pk).exists()


def test_merging_without_choosing_keeps_everything_and_says_why(client, admin_user, usaid):
    client.force_login(admin_user)
    proposed, _ = Organisation.objects.find_or_propose("US Aid Agency")
    url = f"/admin/organisations/{proposed.pk}/merge/"
    response = client.post(url, {"target": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert Organisation.objects.filter(pk=proposed.pk).exists()


def test_a_reviewer_cannot_merge(client, django_user_model, usaid):
    from django.contrib.auth.models import Group

    reviewer = django_user_model.objects.create_user("reviewer", "r@example.org", "pw")
    reviewer.groups.add(Group.objects.get(name="Reviewers"))
    client.force_login(reviewer)
    proposed, _ = Organisation.objects.find_or_propose("US Aid Agency")
    response = client.post(f"/admin/organisations/{proposed.pk}/merge/", {"target": usaid.pk})
    assert response.status_code in (302, 403)
    assert Organisation.objects.filter(pk=proposed.pk).exists()
