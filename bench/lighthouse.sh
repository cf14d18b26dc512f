#!/usr/bin/env bash
# Lighthouse 12.2.3 (node_modules, see package.json) on home, listing and a practice page in
# English and Arabic, against a running server. Prints the four category scores per page
# and keeps the JSON reports.
#   bench/lighthouse.sh [BASE_URL]            (default http://localhost:8205)
#   PRACTICE_PATH=/en/practices/<slug>/ bench/lighthouse.sh   (else the listing's first entry)
#   LIGHTHOUSE_PRESET=desktop bench/lighthouse.sh             (default: Lighthouse's mobile)
#   SEARCH_FILTERS='cooperation_model=regional-funds&region=africa' bench/lighthouse.sh
#     (the search page with these filters is measured too, in both languages; the default)
# Needs bin/install-browser-deps. Reports go to $REPORT_DIR (default bench/lighthouse-reports).
set -euo pipefail
cd "$(dirname "$0")/.."
BASE=${1:-http://localhost:8205}
BASE=${BASE%/}
REPORT_DIR=${REPORT_DIR:-bench/lighthouse-reports}
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
LIGHTHOUSE=node_modules/.bin/lighthouse
FLAGS="--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync"
PRESET_ARGS=()
if [ "${LIGHTHOUSE_PRESET:-}" = "desktop" ]; then PRESET_ARGS=(--preset=desktop); fi

[ -x "$LIGHTHOUSE" ] || { echo "lighthouse missing: run bin/install-browser-deps" >&2; exit 1; }
[ -x "$CHROME_PATH" ] || { echo "$CHROME_PATH missing: run bin/install-browser-deps" >&2; exit 1; }
curl -fsS -o /dev/null "$BASE/en/" || { echo "no server answers at $BASE/en/" >&2; exit 1; }

arabic_version() {  # the Arabic version of an entry, from the page's hreflang alternates
  curl -fsS "$BASE$1" | grep -o '<link rel="alternate" hreflang="ar" href="[^"]*"' \
    | sed 's/.*href="//; s/"$//; s#^[a-z]*://[^/]*##' || true
}
if [ -n "${PRACTICE_PATH:-}" ]; then
  practice_en=$PRACTICE_PATH
else  # the first entry of the English listing that also exists in Arabic
  practice_en=
  for candidate in $(curl -fsS "$BASE/en/practices/" | grep -o 'href="/en/practices/[a-z0-9-]*/"' \
      | cut -d'"' -f2); do
    [ -z "$practice_en" ] && practice_en=$candidate
    if [ -n "$(arabic_version "$candidate")" ]; then practice_en=$candidate; break; fi
  done
fi
[ -n "$practice_en" ] || { echo "no practice found on $BASE/en/practices/" >&2; exit 1; }
practice_ar=$(arabic_version "$practice_en")

mkdir -p "$REPORT_DIR"
printf '%-48s %11s %13s %14s %5s %s\n' page performance accessibility best-practices seo bytes
filters=${SEARCH_FILTERS-cooperation_model=regional-funds&region=africa}
for path in /en/ /en/practices/ ${filters:+"/en/practices/?$filters"} "$practice_en" \
    /ar/ /ar/practices/ ${filters:+"/ar/practices/?$filters"} ${practice_ar:+"$practice_ar"}; do
  name=$(echo "${path%%\?*}" | tr '/' '_' | sed 's/^_//; s/_$//')
  case $path in *\?*) name="$name-filtered" ;; esac
  report="$REPORT_DIR/${name:-root}.json"
  "$LIGHTHOUSE" "$BASE$path" --quiet --chrome-flags="$FLAGS" "${PRESET_ARGS[@]}" \
    --only-categories=performance,accessibility,best-practices,seo \
    --output=json --output-path="$report" >/dev/null 2>"$report.log" \
    || { echo "lighthouse failed on $path (see $report.log)" >&2; continue; }
  node -e '
    const r = require(require("path").resolve(process.argv[1]));
    const s = (k) => r.categories[k].score === null ? "n/a" : r.categories[k].score.toFixed(2);
    const failed = Object.values(r.categories).flatMap((c) => c.auditRefs
      .filter((a) => a.weight > 0 && r.audits[a.id].score !== null && r.audits[a.id].score < 1)
      .map((a) => `${a.id}=${r.audits[a.id].score}`));
    console.log(process.argv[2].padEnd(48), s("performance").padStart(11),
      s("accessibility").padStart(13), s("best-practices").padStart(14), s("seo").padStart(5),
      `${r.audits["total-byte-weight"].numericValue} B`,
      failed.length ? "  below 1: " + failed.join(", ") : "");
  ' "$report" "$path"
done
echo "JSON reports: $REPORT_DIR/ (Lighthouse $("$LIGHTHOUSE" --version), $("$CHROME_PATH" --version 2>/dev/null))"
