"""Page weight as the browser downloads it, and no request to another host."""

from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

#: A full first page of results (20) and a second page.
SAMPLE_EXTRA_ENTRIES = 24
BUDGET = 60 * 1024
EXCLUDED_TYPES = {"image", "media"}


def load_and_measure(context, url):
    """Load `url` in a fresh tab; return [(url, resource type, bytes on the wire, encoding)]."""
    page = context.new_page()
    finished, failed = [], []
    page.on("requestfinished", lambda request: finished.append(request))
    page.on("requestfailed", lambda request: failed.append(request))
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    rows = []
    for request in finished:
        sizes = request.sizes()
        response = request.response()
        headers = response.headers if response else {}
        rows.append(
            (
                request.url,
                request.resource_type,
                sizes["responseBodySize"] + sizes["responseHeadersSize"],
                headers.get("content-encoding", ""),
                headers.get("content-type", ""),
            )
        )
    page.close()
    return rows, [request.url for request in failed]


def counted(rows):
    return [
        row
        for row in rows
        if row[1] not in EXCLUDED_TYPES and not row[4].startswith(("image/", "video/", "audio/"))
    ]


def report(rows):
    return "\n".join(
        f"  {size:>7} B {kind:<10} {enc or '-':<5} {url}" for url, kind, size, enc, _ in rows
    )


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("kind", ["listing", "search-with-filters", "practice"])
def test_page_weight_and_hosts(context, site_url, sample_site, kind, language):
    path = {
        "listing": f"/{language}/practices/",
        # Text, a cooperation model and a region: facets open, chips, the optional script.
        "search-with-filters": f"/{language}/practices/?q=fund&cooperation_model=regional-funds"
        "&region=africa",
        "practice": sample_site.practice_path(language),
    }[kind]
    url = site_url(path)
    rows, failed = load_and_measure(context, url)
    server = urlsplit(url).netloc
    foreign = [r[0] for r in rows if urlsplit(r[0]).netloc != server] + [
        u for u in failed if urlsplit(u).netloc != server
    ]
    assert not foreign, f"requests to other hosts from {path}: {foreign}"
    assert not failed, f"failed requests from {path}: {failed}"

    rows = counted(rows)
    by_type = {row[1] for row in rows}
    assert {"document", "stylesheet"} <= by_type, report(rows)
    uncompressed = [
        row
        for row in rows
        if row[1] in {"document", "stylesheet", "script"} and row[3] not in {"gzip", "br"}
    ]
    assert not uncompressed, "served without compression:\n" + report(uncompressed)
    total = sum(row[2] for row in rows)
    print(f"{path}: {total} B transferred\n{report(rows)}")  # shown with pytest -rP
    assert total <= BUDGET, f"{path} transfers {total} B > {BUDGET} B:\n{report(rows)}"


def test_weight_measure_counts_the_bytes(context, site_url, sample_site):
    """The measure is the bytes on the wire: the gzipped listing is smaller than its HTML."""
    url = site_url("/en/practices/")
    rows, _failed = load_and_measure(context, url)
    document = next(row for row in rows if row[1] == "document")
    html = context.request.get(url, headers={"Accept-Encoding": "identity"}).body()
    assert html.count(b'class="result"') == 20
    assert 0 < document[2] < len(html)
