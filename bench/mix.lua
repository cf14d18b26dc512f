-- wrk script for bench/loadtest.sh: the same mix as bench/locustfile.py. Half practice
-- pages (every live language version in turn, from URLS_FILE), a fifth home pages, the rest
-- search pages. Prints requests/s, p50, p99 and errors (socket errors and non-2xx/3xx).
local languages = {"ar", "en", "fr", "es"}
local searches = {"", "?q=fund", "?q=rehabilitation", "?cooperation_model=regional-funds",
  "?region=africa", "?q=survivors&region=asia-pacific", "?sort=newest", "?page=2"}
local practices = {}
local counter = 0
local thread_number = 0

local function load_practices()
  local path = os.getenv("URLS_FILE")
  if path then
    for line in io.lines(path) do
      if #line > 0 then practices[#practices + 1] = line end
    end
  end
  if #practices == 0 then practices[1] = "/en/practices/" end
end

function setup(thread)
  thread_number = thread_number + 1
  thread:set("offset", thread_number * 7)
end

function init(args)
  load_practices()
  wrk.headers["Accept-Encoding"] = "gzip"
  -- As nginx talks to gunicorn (proxy_http_version 1.0 by default, docs/deployment.md):
  -- one connection per request. A kept-alive connection is cut when gunicorn recycles a
  -- worker (--max-requests), which wrk would count as a read error.
  if os.getenv("KEEPALIVE") ~= "1" then wrk.headers["Connection"] = "close" end
  counter = offset or 0
end

function request()
  counter = counter + 1
  local slot = counter % 10
  local path
  if slot < 5 then
    path = practices[(counter % #practices) + 1]
  elseif slot < 7 then
    path = "/" .. languages[(counter % 4) + 1] .. "/"
  else
    local n = counter % (#searches * 4)
    path = "/" .. languages[(n % 4) + 1] .. "/practices/" .. searches[math.floor(n / 4) + 1]
  end
  return wrk.format("GET", path)
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format("requests %d in %.1f s: %.1f requests/s\n",
    summary.requests, seconds, summary.requests / seconds))
  io.write(string.format("p50 %.0f ms, p90 %.0f ms, p99 %.0f ms, max %.0f ms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("errors: %d (connect %d, read %d, write %d, timeout %d, HTTP status %d)\n",
    e.connect + e.read + e.write + e.timeout + e.status,
    e.connect, e.read, e.write, e.timeout, e.status))
end
