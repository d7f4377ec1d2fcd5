-- wrk script: GET /v1/mgmt/license, a management route that authenticates, logs and answers JSON but reads
-- no database: the floor under every management request. Prints the same JSON summary as fetch-latest.lua.
wrk.method = "GET"
wrk.path = "/v1/mgmt/license"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_AUTH")

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'JSON {"requests":%d,"duration_us":%d,"non2xx":%d,"socket_errors":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d}\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
