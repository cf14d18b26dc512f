#!/usr/bin/env bash
# Serve a small sample site as production does (gunicorn, DEBUG off, WhiteNoise-compressed
# static files, gzipped pages) from a throwaway SQLite database, for bench/lighthouse.sh.
#   bench/serve-sample-site.sh [PORT]      (default 8205; Ctrl-C stops it)
#   CONTENT=demo bench/serve-sample-site.sh 8206   (the demo content of `manage.py seed_demo`)
#   SAMPLE_DATABASE_URL=sqlite:////tmp/lh.sqlite3 ...  (another throwaway database; reused)
# The default content is tests/browser/sample_content.py: one entry in four languages and six
# more; CONTENT=demo loads practices/data/demo_practices.json instead (no demo users).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${1:-8205}
PY=${VENV:-.venv}/bin/python
WORK=$(mktemp -d /tmp/alianzas-sample.XXXXXX)
server=
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait; rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

export DJANGO_SETTINGS_MODULE=kb.settings.production
export DATABASE_URL="${SAMPLE_DATABASE_URL:-sqlite:///$WORK/db.sqlite3}"
export SECRET_KEY="sample-site-$RANDOM-$RANDOM-not-for-production"
export INSECURE_COOKIES=1 ALLOWED_HOSTS="localhost,127.0.0.1"
export MEDIA_ROOT="$WORK/media"

"$PY" manage.py migrate --noinput -v0
if [ "${CONTENT:-sample}" = "demo" ]; then
  "$PY" manage.py seed_demo -v0
else
  "$PY" manage.py shell -c "from tests.browser.sample_content import build; build()"
fi
"$PY" manage.py collectstatic --noinput -v0
echo "==> ${CONTENT:-sample} site on http://localhost:$PORT/en/ (database $DATABASE_URL)"
"$(dirname "$PY")/gunicorn" kb.wsgi:application --bind "127.0.0.1:$PORT" --workers 2 \
  --access-logfile - --error-logfile - &
server=$!
wait "$server"
