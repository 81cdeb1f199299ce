-- wrk script for scripts/load-test: a mix of the addresses real clients ask
-- for (lists, filters, a record, search, stats, a CSV file, meta), and a
-- count of non-2xx answers across all threads (wrk's own "status errors"
-- count only >= 400).
local paths = {
  "/v1/actions",
  "/v1/actions?type=fine&fields=id,date,title,amount",
  "/v1/actions?jurisdiction=US&page_size=100&sort=-date",
  "/v1/actions?date_from=2020-01-01&date_to=2021-12-31",
  "/v1/statements?page_size=20",
  "/v1/entities?kind=company",
  "/v1/jurisdictions",
  "/v1/search?q=tiktok%20ban",
  "/v1/stats/actions?group_by=year",
  "/v1/actions.csv?type=ban",
  "/v1/meta",
  "ITEM",
}

local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  non2xx = 0
  responses = 0
  item = args[1] or "/v1/meta"
  requests = {}
  for i, p in ipairs(paths) do
    if p == "ITEM" then p = item end
    requests[i] = wrk.format("GET", p)
  end
end

function request()
  counter = counter + 1
  return requests[(counter % #requests) + 1]
end

function response(status, headers, body)
  responses = responses + 1
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local bad, seen = 0, 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non2xx")
    seen = seen + thread:get("responses")
  end
  local e = summary.errors
  io.write(string.format("requests %d\n", summary.requests))
  io.write(string.format("requests/s %.0f\n", summary.requests / (summary.duration / 1e6)))
  io.write(string.format("non-2xx %d (of %d responses)\n", bad, seen))
  io.write(string.format("errors connect %d read %d write %d timeout %d\n",
    e.connect, e.read, e.write, e.timeout))
  io.write(string.format("latency p50 %.1f ms p90 %.1f ms p99 %.1f ms max %.1f ms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
