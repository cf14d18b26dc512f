"""Security headers: a Content-Security-Policy on every HTML page, TLS settings for deployment."""

import os
import re
import subprocess
import sys
import tempfile
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]


def directives(header):
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def crawl(client, starts, limit=80):
    """Every page reachable from `starts` on the site (admin and files aside), with its response."""
    seen, queue, pages = set(), list(starts), {}
    while queue and len(pages) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        pages[path] = response
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for href in re.findall(r'href="([^"#]+)', response.content.decode()):
            target = urlsplit(urljoin(path, href))
            if target.netloc not in ("", "testserver") or target.path.startswith(
                ("/admin/", "/documents/", "/static/", "/media/")
            ):
                continue
            queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return pages


def test_every_public_html_page_has_the_strict_policy(client, make_practice, translate):
    entry = make_practice(language="en", title="Pooled fund for prosthetics")
    translate(entry, "ar", title="صندوق مشترك للأطراف الاصطناعية")
    starts = ["/en/", "/ar/", "/fr/", "/es/", "/en/submit/", "/en/no-such-page/", entry.url]
    pages = crawl(client, starts)
    html = {path: r for path, r in pages.items() if "text/html" in r.get("Content-Type", "")}
    assert len(html) > 15 and entry.url in html and "/en/no-such-page/" in html
    for path, response in html.items():
        header = response.get("Content-Security-Policy")
        assert header, f"{path} has no Content-Security-Policy"
        policy = directives(header)
        assert policy["script-src"] == ["'self'"], path
        assert policy["style-src"] == ["'self'"], path
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
        assert "unsafe-inline" not in header and "unsafe-eval" not in header, path
        body = response.content.decode()
        # A JSON-LD block is data that no browser runs (the entry's structured data); any
        # other script without src would be code the policy refuses.
        inline = r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/ld\+json\")[^>]*>"
        assert not re.search(inline, body), f"inline script: {path}"
        assert "<style" not in body and " style=" not in body, f"inline style: {path}"


def test_the_admin_gets_only_what_wagtail_needs(client, db):
    response = client.get("/admin/login/")
    assert response.status_code == HTTPStatus.OK
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["script-src-attr"] == ["'none'"]
    assert policy["img-src"] == ["'self'"] and policy["connect-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'self'"]


DEPLOYMENT = {
    "DJANGO_SETTINGS_MODULE": "kb.settings.production",
    "SECRET_KEY": "k" * 20 + "-a-long-and-random-enough-secret-for-the-check-" + "z" * 20,
    "ALLOWED_HOSTS": "alianzas.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://alianzas.example.org",
    "TRUSTED_PROXIES": "unix",
}


def run_with(environment, *args):
    env = {**os.environ, **environment}
    # Nothing of the test session's own environment (the browser tests allow Django's
    # synchronous calls beside Playwright's event loop) reaches the deployment.
    for name in ("TEST_DATABASE_URL", "INSECURE_COOKIES", "TLS", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(name, None)
    # Never the working database: a file of its own that nothing reads.
    env["DATABASE_URL"] = "sqlite:///" + os.path.join(tempfile.mkdtemp(), "unused.sqlite3")
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )


@pytest.mark.slow
def test_check_deploy_is_clean_with_the_documented_settings():
    result = run_with(DEPLOYMENT, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.slow
def test_production_redirects_to_https_and_sends_hsts():
    # The settings' own middleware stack with a page that needs no database, so that the
    # check never touches a working database file.
    script = (
        "from django.http import HttpResponse;"
        "from django.test import RequestFactory;"
        "from django.utils.module_loading import import_string;"
        "from django.conf import settings;"
        "handler = lambda request: HttpResponse('ok');"
        "chain = handler;"
        "names = [n for n in settings.MIDDLEWARE if n.startswith('django.middleware.security')];"
        "chain = import_string(names[0])(chain);"
        "f = RequestFactory(HTTP_HOST='alianzas.example.org');"
        "plain = chain(f.get('/robots.txt'));"
        "tls = chain(f.get('/robots.txt', HTTP_X_FORWARDED_PROTO='https'));"
        "print(plain.status_code, plain['Location']);"
        "print(tls.get('Strict-Transport-Security'))"
    )
    result = run_with(DEPLOYMENT, "shell", "-c", script)
    assert result.returncode == 0, result.stderr[-2000:]
    redirect, hsts = result.stdout.strip().splitlines()[-2:]
    assert redirect == "301 https://alianzas.example.org/robots.txt"
    assert hsts == "max-age=31536000; includeSubDomains; preload"
