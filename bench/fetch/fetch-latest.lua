-- wrk script: POST fetch-latest (contract row 8) for a random one of the loaded users, and print a
-- JSON summary line the bench script parses. Settings come from the environment (see run.sh).
local auth = os.getenv("BENCH_AUTH")
local app = os.getenv("BENCH_APP")
local users = tonumber(os.getenv("BENCH_USERS") or "100000")
local next_thread = 0

wrk.method = "POST"
wrk.path = "/v1/mgmt/outbound/app/user/token/latest"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. auth

function setup(thread)
  next_thread = next_thread + 1
  thread:set("seed", next_thread)
end

function init(args)
  math.randomseed(os.time() * 1000 + seed)
end

function request()
  local body = string.format('{"appId":"%s","userId":"u%d"}', app, math.random(0, users - 1))
  return wrk.format(nil, nil, nil, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'JSON {"requests":%d,"duration_us":%d,"non2xx":%d,"socket_errors":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d}\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
