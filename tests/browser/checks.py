"""Checks shared by the browser tests: axe-core, the Nu Html Checker, readable reports."""

import json
import subprocess
from urllib.parse import urlsplit

from tests.browser.conftest import AXE_SCRIPT

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def run_axe(page, tags=WCAG_TAGS):
    """Load axe-core from node_modules (no network) and return its violations.

    Evaluated through the DevTools protocol, not added as an inline <script> element, which
    the site's Content-Security-Policy (rightly) refuses.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    results = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        tags,
    )
    return results["violations"]


def describe_violations(violations):
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:10]:
            lines.append(f"    at {' '.join(map(str, node['target']))}: {node['html'][:160]}")
    return "\n".join(lines)


def check_html(vnu_command, files):
    """Run the checker once on `files`; return {file name: [error messages]}."""
    result = subprocess.run(
        [*vnu_command, "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout.strip() or result.stderr.strip()
    errors = {}
    for message in json.loads(output)["messages"]:
        name = urlsplit(message.get("url", "")).path.rsplit("/", 1)[-1]
        errors.setdefault(name, []).append(
            f"line {message.get('lastLine', '?')}: {message['message']}"
            f" [{message.get('extract', '').strip()[:120]}]"
        )
    return errors
