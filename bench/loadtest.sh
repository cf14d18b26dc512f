#!/usr/bin/env bash
# Load test as deployed: gunicorn (4 workers, the options of docs/deployment.md) on
# PostgreSQL with the demo content, 50 readers for 60 s on bench/locustfile.py's mix of
# practice, home and search pages. Prints requests/s, p50, p99 and errors.
#
# The client is wrk (bench/mix.lua; `apt-get install wrk`) when installed, else locust
# (bench/locustfile.py; requirements-dev.txt), which also splits the numbers per kind of
# page. TOOL=locust forces locust. wrk needs far less CPU: on a small machine the client
# competes with the server, so the two tools do not give the same numbers.
#
#   createdb -h 127.0.0.1 -U postgres alz_load     # once; the script migrates and seeds it
#   bench/loadtest.sh                 # the page cache on (the default)
#   PAGE_CACHE=0 bench/loadtest.sh    # off: every page rendered
#
# Environment: LOAD_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/alz_load),
# USERS (50), DURATION (60s), WORKERS (4), PORT (8231), VENV (.venv), TOOL (wrk or locust),
# KEEPALIVE=1 (wrk keeps connections open; by default one per request, as behind nginx),
# MAX_REQUESTS (20000, as deployed: requests before gunicorn recycles a worker; 0 = never).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
PY=$VENV/bin/python
USERS=${USERS:-50}
DURATION=${DURATION:-60s}
WORKERS=${WORKERS:-4}
PORT=${PORT:-8231}
TOOL=${TOOL:-$(command -v wrk >/dev/null && echo wrk || echo locust)}
WORK=$(mktemp -d /tmp/alianzas-load.XXXXXX)
server=
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait; rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

export DJANGO_SETTINGS_MODULE=kb.settings.production
export DATABASE_URL=${LOAD_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/alz_load}
export SECRET_KEY="load-test-$RANDOM-$RANDOM-not-for-production"
export TLS=0 ALLOWED_HOSTS="127.0.0.1,localhost" CONN_MAX_AGE=60 LOG_LEVEL=WARNING
export PAGE_CACHE=${PAGE_CACHE:-1}

"$PY" manage.py migrate --noinput -v0
"$PY" manage.py shell -v0 -c "
from practices.models import PracticePage
from django.core.management import call_command
if not PracticePage.objects.live().exists():
    call_command('seed_demo', verbosity=0)
with open('$WORK/urls.txt', 'w') as out:
    for page in PracticePage.objects.live().order_by('pk'):
        out.write(page.url + '\n')
# Every run starts with an empty page cache (if the code has one: runs of older releases).
try:
    from kb import pagecache
    pagecache.bump_version()
except ImportError:
    pass
"
"$PY" manage.py collectstatic --noinput -v0
echo "==> $(wc -l < "$WORK/urls.txt") practice pages; PAGE_CACHE=$PAGE_CACHE; $WORKERS workers"

"$VENV/bin/gunicorn" kb.wsgi:application --bind "127.0.0.1:$PORT" \
  --workers "$WORKERS" --threads 2 --timeout 30 --max-requests "${MAX_REQUESTS:-20000}" --max-requests-jitter 2000 \
  --error-logfile "$WORK/gunicorn.log" --log-level info &
server=$!
for _ in $(seq 60); do
  curl -sf -o /dev/null "http://127.0.0.1:$PORT/en/" && break
  sleep 1
done
# Each worker renders every kind of page once before the clock starts.
for url in /en/ /fr/ /ar/ /es/ /en/practices/ /en/practices/?q=fund "$(head -1 "$WORK/urls.txt")"; do
  for _ in $(seq "$WORKERS"); do curl -s -o /dev/null "http://127.0.0.1:$PORT$url"; done
done

echo "==> $TOOL, $USERS clients, $DURATION; load before: $(uptime)"
if [ "$TOOL" = wrk ]; then
  URLS_FILE="$WORK/urls.txt" wrk --threads 2 --connections "$USERS" --duration "$DURATION" \
    --timeout 30s --script bench/mix.lua "http://127.0.0.1:$PORT"
else
  URLS_FILE="$WORK/urls.txt" "$VENV/bin/locust" -f bench/locustfile.py --headless \
    --users "$USERS" --spawn-rate "$USERS" --run-time "$DURATION" \
    --host "http://127.0.0.1:$PORT" --csv "$WORK/stats" --only-summary --loglevel WARNING \
    >"$WORK/locust.log" 2>&1 || true
  "$PY" - "$WORK/stats_stats.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
print(f"{'':16} {'requests':>9} {'errors':>7} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7}")
for row in rows:
    print(f"{row['Name'] or 'all':16} {row['Request Count']:>9} {row['Failure Count']:>7} "
          f"{float(row['Requests/s']):8.1f} {row['50%']:>7} {row['99%']:>7}")
PY
fi
echo "==> load after: $(uptime)"
echo "==> gunicorn workers recycled (--max-requests): $(grep -c "Autorestarting" "$WORK/gunicorn.log" || true)"
if grep -q "Traceback\|Error" "$WORK/gunicorn.log"; then
  echo "==> gunicorn errors:"; grep -m 20 "Error\|Traceback" "$WORK/gunicorn.log"
fi
