-- wrk script for benches/serve.sh: POSTs varied submissions to the score endpoint, round-robin
-- over a generated JSON-lines file (each thread starts at its own offset), and counts every
-- answer that is not 200, which `done` reports (the benchmark fails on any).
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  bodies = {}
  for line in io.lines(args[1]) do
    if #line > 0 then bodies[#bodies + 1] = line end
  end
  n = (id * 97) % #bodies
  errors = 0
  headers = { ["Content-Type"] = "application/json" }
end

function request()
  n = n % #bodies + 1
  return wrk.format("POST", nil, headers, bodies[n])
end

function response(status, headers, body)
  if status ~= 200 then errors = errors + 1 end
end

function done(summary, latency, requests)
  local errs = 0
  for _, t in ipairs(threads) do errs = errs + t:get("errors") end
  io.write(string.format("non-200 answers: %d\n", errs))
  io.write(string.format("throughput: %.0f requests/s; latency p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
