"""manage.py backup and restore: a round trip gives back the same site, on both databases."""

import hashlib
from http import HTTPStatus
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from practices.models import PracticePage, Submission
from practices.search import memory
from tests.submit import files
from tests.submit.conftest import (  # noqa: F401 (fixtures of the contribution tests)
    STEP_DATA,
    fast_forms,
    fill_form,
    post_step,
    run_on_commit,
    send,
    step_url,
    submit_tree,
)

# Outside tests/submit: those tests share one site skeleton in a transaction left open,
# and a transactional test cannot run inside it.

# serialized_rollback: start from what the migrations created (content types, root page,
# groups), not from the empty database an earlier transactional test leaves.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def api_output(client):
    """What partners read: the search API in every language, with its facets."""
    output = {}
    for language in ("ar", "en", "fr", "es"):
        listing = client.get("/api/v1/practices/", {"lang": language, "page_size": 100})
        assert listing.status_code == HTTPStatus.OK
        output[language] = listing.json()
    return output


def submissions():
    rows = []
    for submission in Submission.objects.order_by("pk"):
        row = {
            field.name: str(getattr(submission, field.attname))
            for field in Submission._meta.concrete_fields
        }
        row["files"] = [
            (kept.name, kept.kind, kept.sha256, kept.file.name, kept.document_id)
            for kept in submission.files.all()
        ]
        rows.append(row)
    return rows


def media_hashes(root):
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(Path(root).rglob("*"))
        if path.is_file()
    }


def state(media_root):
    memory.reset()  # a restored site's processes are restarted: their search data is rebuilt
    return {
        "api": api_output(Client()),
        "submissions": submissions(),
        "media": media_hashes(media_root),
    }


@pytest.mark.usefixtures("submit_tree")
def test_backup_and_restore_round_trip(client, make_practice, translate, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    entry = make_practice(language="en", title="Pooled fund for prosthetics")
    translate(entry, "ar", title="صندوق مشترك للأطراف الاصطناعية")
    make_practice(language="fr", title="Fonds régional de réadaptation")
    sent = fill_form(client, stop_before=5)
    post_step(
        client,
        step_url(sent, 4),
        STEP_DATA[4],
        files=[files.upload("rapport annuel.pdf", files.PDF), files.upload("a.png", files.PNG)],
    )
    post_step(client, step_url(sent, 5), STEP_DATA[5])
    send(client, sent)
    fill_form(Client(), "es", stop_before=3)  # a draft, with no file
    before = state(settings.MEDIA_ROOT)
    assert before["api"]["en"]["count"] == 2
    assert len(before["submissions"]) == 2 and len(before["media"]) >= 4

    archive = tmp_path / "site.tar.gz"
    call_command("backup", str(archive))

    # Things change after the backup: an entry deleted, a submission gone, files lost or added.
    PracticePage.objects.get(pk=entry.pk).delete()
    make_practice(language="en", title="Added after the backup")
    Submission.objects.filter(language="es").delete()
    for path in list(Path(settings.MEDIA_ROOT).rglob("*.pdf"))[:1]:
        path.unlink()
    (Path(settings.MEDIA_ROOT) / "stray.txt").write_text("not in the backup")
    assert state(settings.MEDIA_ROOT) != before

    call_command("restore", str(archive), "--noinput")
    after = state(settings.MEDIA_ROOT)
    assert after["submissions"] == before["submissions"]
    assert after["media"] == before["media"]
    assert after["api"] == before["api"]
    # The restored site keeps working: a new contribution gets the next free ids.
    later = fill_form(Client(), "fr", stop_before=2)
    assert later.pk > max(int(row["id"]) for row in before["submissions"])


def test_a_damaged_archive_is_refused_before_anything_changes(make_practice, settings, tmp_path):
    import io
    import tarfile

    settings.MEDIA_ROOT = str(tmp_path / "media")
    make_practice(language="en", title="Kept")
    archive = tmp_path / "site.tar.gz"
    call_command("backup", str(archive))
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.startswith("database"):
                data = data[:-10] + b"0123456789"
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    make_practice(language="en", title="Added later")
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(damaged), "--noinput")
    assert PracticePage.objects.filter(title="Added later").exists()
