"""E-mails that work: links to where the site is served, one notification per event, the
contributor's language, plain text and HTML both valid."""

import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from http import HTTPStatus
from pathlib import Path

import pytest
from django.core import mail

from practices.models import PracticeIndexPage, PracticePage
from practices.models.workflow import DECLINE
from practices.submit.notifications import send_now
from practices.submit.services import editorial_workflow

from .conftest import act, fill_form, resend

REPO = Path(__file__).resolve().parents[2]
VNU_JAR = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CONTRIBUTOR = ["ana@example.org"]
URL = re.compile(r"https?://[^\s\"<>]+")


def settings_in_a_new_process(env):
    code = "from django.conf import settings; print(settings.WAGTAILADMIN_BASE_URL)"
    environment = {key: value for key, value in os.environ.items() if "BASE_URL" not in key}
    environment.update(env, DJANGO_SETTINGS_MODULE="kb.settings.dev")
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_make_run_on_another_port_puts_that_port_in_the_links():
    dry_run = subprocess.run(
        ["make", "-n", "run", "PORT=8001"], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert "BASE_URL=http://127.0.0.1:8001 " in dry_run.stdout, dry_run.stdout
    assert "runserver 127.0.0.1:8001" in dry_run.stdout
    assert settings_in_a_new_process({"BASE_URL": "http://127.0.0.1:8001"}) == (
        "http://127.0.0.1:8001"
    )
    assert settings_in_a_new_process({"WAGTAILADMIN_BASE_URL": "https://kb.example.org/"}) == (
        "https://kb.example.org"
    )
    assert settings_in_a_new_process({}) == "http://127.0.0.1:8000"


def test_every_link_in_the_mails_points_to_the_served_site(
    client, submit_tree, reviewer, settings, mailoutbox
):
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8001"
    submission = fill_form(client, "fr")
    act(reviewer, submission.page, "approve")
    links = [link for message in mailoutbox for link in URL.findall(message.body)]
    assert len(links) >= 4  # received, reviewers, approved (private link and public entry)
    assert all(link.startswith("http://127.0.0.1:8001/") for link in links), links


def test_the_published_mail_links_to_the_public_entry(client, submit_tree, reviewer, mailoutbox):
    submission = fill_form(client, "es")
    act(reviewer, submission.page, "approve")
    published = [m for m in mailoutbox if m.to == CONTRIBUTOR][-1]
    assert submission.reference in published.subject
    line = published.body.split("Léalo en el sitio:")[1].split()[0]
    assert line.startswith("http://testserver/es/")
    html = published.alternatives[0][0]
    assert f'href="{line}"' in html
    page = client.get(line.removeprefix("http://testserver"))
    assert page.status_code == HTTPStatus.OK
    assert "Regional fund for rehabilitation" in page.content.decode()


def reviewer_mails(outbox, user):
    return [message for message in outbox if user.email in message.to]


def test_each_reviewer_gets_one_mail_per_submission(
    client, submit_tree, reviewer, second_reviewer, editor, mailoutbox, django_user_model
):
    django_user_model.objects.create_superuser("admin", "admin@example.org", "pw")
    submission = fill_form(client, "ar")
    for person in (reviewer, second_reviewer):
        mails = reviewer_mails(mailoutbox, person)
        assert len(mails) == 1, [m.subject for m in mails]
        assert submission.reference in mails[0].subject
        assert f"http://testserver/admin/pages/{submission.page_id}/edit/" in mails[0].body
    assert reviewer_mails(mailoutbox, editor) == []
    assert [m for m in mailoutbox if "admin@example.org" in m.to] == []

    act(reviewer, submission.page, "reject", "Add the sources, please.")
    mailoutbox.clear()
    resend(client, submission)
    assert len(reviewer_mails(mailoutbox, reviewer)) == 1
    assert len(reviewer_mails(mailoutbox, second_reviewer)) == 1


def test_each_reviewer_is_told_in_the_language_they_chose_for_the_admin(
    client, submit_tree, reviewer, second_reviewer, make_user, mailoutbox
):
    from wagtail.users.models import UserProfile

    def choose(user, language):
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = language
        profile.save()

    choose(second_reviewer, "fr")
    # A language the site does not offer: the site's default language.
    unknown = make_user("reviewer3", "Reviewers")
    choose(unknown, "de")

    submission = fill_form(client, "es")  # the contributor's language plays no part

    (english,) = reviewer_mails(mailoutbox, reviewer)
    (french,) = reviewer_mails(mailoutbox, second_reviewer)
    (default,) = reviewer_mails(mailoutbox, unknown)
    assert english.to == [reviewer.email] and french.to == [second_reviewer.email]
    assert english.subject == f"New example to review: {submission.reference} (es)"
    assert "A new example is waiting for review." in english.body
    assert french.subject.startswith("Nouvel exemple à examiner")
    assert french.subject.endswith(f": {submission.reference} (es)")
    assert "Un nouvel exemple attend d" in french.body
    assert 'lang="fr"' in french.alternatives[0][0]
    assert default.subject == english.subject


def test_wagtail_still_announces_what_the_form_did_not_send(submit_tree, reviewer, editor):
    """An editor's own entry submitted for review: Wagtail's mail is then the only one."""
    index = PracticeIndexPage.objects.get(locale__language_code="en")
    page = PracticePage(
        title="An editor's entry", slug="editors-entry", summary="In short.", live=False
    )
    index.add_child(instance=page)
    page.save_revision(user=editor)
    mail.outbox = []
    editorial_workflow().start(page, user=editor)
    assert len(reviewer_mails(mail.outbox, reviewer)) == 1
    assert reviewer_mails(mail.outbox, editor) == []


# ----------------------------------------------------------------------- language, validity
class StrictHTML(HTMLParser):
    """Fails on unbalanced or misnested elements; records the root's attributes and text."""

    VOID = {"br", "meta", "hr", "img", "link", "input", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.root, self.doctype, self.text = [], [], None, None, []

    def handle_decl(self, decl):
        self.doctype = decl

    def handle_starttag(self, tag, attrs):
        if tag == "html":
            self.root = dict(attrs)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:]} ")
        else:
            self.stack.pop()

    def handle_data(self, data):
        if "title" not in self.stack:
            self.text.append(data)


def parse(html):
    parser = StrictHTML()
    parser.feed(html)
    parser.close()
    assert parser.doctype and parser.doctype.lower() == "doctype html", parser.doctype
    assert not parser.errors and not parser.stack, (parser.errors, parser.stack, html)
    return parser


def all_contributor_mails(client, reviewer, language, mailoutbox):
    submission = fill_form(client, language)
    send_now(submission, "draft")
    act(reviewer, submission.page, "reject", "Add the sources, please.")
    resend(client, submission)
    act(reviewer, submission.page, "approve")
    declined = fill_form(client, language)
    act(reviewer, declined.page, DECLINE, "Outside the scope.")
    return [m for m in mailoutbox if m.to == CONTRIBUTOR]


ENGLISH = ("Hello,", "Reference:", "Open your private link", "Your example", "review")
SAID = {
    "fr": ("Bonjour", "Référence"),
    "ar": ("مرحب", "المرجع"),
}


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_every_contributor_mail_is_in_their_language_and_valid(
    client, submit_tree, reviewer, language, mailoutbox, tmp_path
):
    mails = all_contributor_mails(client, reviewer, language, mailoutbox)
    assert len(mails) == 7  # draft, received x2, changes, approved; received, rejected
    files = []
    for number, message in enumerate(mails):
        (html, kind) = message.alternatives[0]
        assert kind == "text/html"
        document = parse(html)
        assert document.root["lang"] == language
        assert document.root["dir"] == ("rtl" if language == "ar" else "ltr")
        shown = " ".join(" ".join(document.text).split())
        for text in (message.subject, message.body, shown):
            assert not any(english in text for english in ENGLISH), text
        assert any(word in message.body for word in SAID[language]), message.body
        assert any(word in shown for word in SAID[language]), shown
        assert "{%" not in message.body + html and "{{" not in message.body + html
        files.append(tmp_path / f"mail-{number}.html")
        files[-1].write_text(html, encoding="utf-8")
    if VNU_JAR.exists() and os.environ.get("REQUIRE_BROWSER") == "1":
        from tests.browser.checks import check_html

        assert check_html(["java", "-jar", str(VNU_JAR)], files) == {}


def test_the_reviewers_mail_is_valid_html(client, submit_tree, reviewer, mailoutbox):
    submission = fill_form(client, "fr")
    (message,) = reviewer_mails(mailoutbox, reviewer)
    document = parse(message.alternatives[0][0])
    assert document.root["lang"] == "en"
    assert submission.reference in " ".join(document.text)


def test_a_subject_keeps_its_no_break_spaces_on_one_line():
    from kb.mail import subject_line

    assert subject_line("\n  Nouvel exemple\tpour votre recherche\u00a0: Titre \n") == (
        "Nouvel exemple pour votre recherche\u00a0: Titre"
    )
