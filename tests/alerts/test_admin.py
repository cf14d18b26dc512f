"""The admin's page of followed searches: counts for editors, addresses for administrators."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from practices.roles import EDITORS, ensure_group_permissions

from .conftest import subscribe

pytestmark = pytest.mark.django_db

URL = "/admin/practices/followed-searches/"


def signed_in(django_user_model, username, superuser=False, group=None):
    user = django_user_model.objects.create_user(
        username=username, email=f"{username}@example.org", password="pw",
        is_superuser=superuser, is_staff=superuser,
    )  # fmt: skip
    if group:
        user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def followers(site_tree):
    subscribe("ana.follower@example.org", query="country=SN")
    subscribe("ben.follower@example.org", language="fr", query="q=wheelchairs", frequency="weekly")
    Client().post(
        "/en/alerts/follow/",
        {"email": "unconfirmed.follower@example.org", "frequency": "immediate", "query": ""},
    )


def test_editors_see_counts_not_addresses(followers, django_user_model):
    ensure_group_permissions()
    editor = signed_in(django_user_model, "editor", group=EDITORS)

    response = editor.get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert "3 e-mail addresses follow one search or more." in html
    assert "Only administrators see the addresses" in html
    assert "follower@example.org" not in html
    counts = html.split('id="followed-search-counts"')[1].split("</table>")[0]
    # English: 1 immediate confirmed, 1 immediate unconfirmed; French: 1 weekly confirmed.
    assert "<td>1</td><td>1</td><td>0</td><td>0</td><td>2</td>" in counts
    assert "<td>0</td><td>0</td><td>1</td><td>0</td><td>1</td>" in counts
    assert "Followed searches" in editor.get("/admin/").content.decode()


def test_administrators_see_the_addresses(followers, django_user_model):
    admin = signed_in(django_user_model, "admin", superuser=True)

    html = admin.get(URL).content.decode()

    for email in ("ana", "ben", "unconfirmed"):
        assert f"{email}.follower@example.org" in html
    assert "Senegal" in html and "wheelchairs" in html


def test_readers_cannot_open_it(followers):
    assert Client().get(URL).status_code == 302
