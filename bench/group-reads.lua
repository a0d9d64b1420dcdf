-- wrk script of GroupReadBenchmark: GET /api/groups/{id} for a random one of the groups the benchmark stored
-- (BenchBatch's IDs 0 to N-1), with the headers given on wrk's command line (-H), and one machine-readable line
-- at the end:  wrk -t2 -c64 -d20s -s bench/group-reads.lua http://127.0.0.1:PORT -- N
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("seed", threads)
end

function init(args)
  groups = tonumber(args[1] or "10000")
  math.randomseed(os.time() * 1000 + seed)
end

function request()
  return wrk.format("GET", string.format("/api/groups/120363%012d1-group", math.random(0, groups - 1)))
end

-- latencies in microseconds; errors: connect, read, write and timeout, and answers other than 2xx/3xx (status)
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK requests=%d micros=%d errors=%d status=%d p50=%d p90=%d p99=%d max=%d\n", summary.requests,
    summary.duration, e.connect + e.read + e.write + e.timeout, e.status, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max))
end
