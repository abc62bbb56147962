-- The request side of a closed-loop scenario, for wrk (test/bench/wrk.ts runs it).
--
-- The scenario comes from the file WRK_SCENARIO names, one item a line:
--   method POST
--   header content-type: application/json
--   body {"title": "..."}           (one line)
--   path /api/posts/1               (one or more; several are sent in turn)
-- At the end, done() prints one JSON line with the counts and the latency percentiles.

local method, body = "GET", nil
local headers, paths = {}, {}

local file = assert(io.open(assert(os.getenv("WRK_SCENARIO"), "WRK_SCENARIO is not set"), "r"))
for line in file:lines() do
  local key, value = line:match("^(%S+) (.*)$")
  if key == "method" then
    method = value
  elseif key == "header" then
    local name, content = value:match("^([^:]+):%s*(.*)$")
    headers[name] = content
  elseif key == "body" then
    body = value
  elseif key == "path" then
    paths[#paths + 1] = value
  elseif line ~= "" then
    error("unknown scenario line: " .. line)
  end
end
file:close()
assert(#paths > 0, "the scenario names no path")

wrk.method = method
wrk.body = body
wrk.path = paths[1]
for name, content in pairs(headers) do
  wrk.headers[name] = content
end

-- With one path wrk sends the same prebuilt request each time; a request() function makes it
-- build each one, which costs wrk a little CPU, so it is only defined when there is a rotation.
if #paths > 1 then
  local requests, turn = {}, 0
  -- Built in init(), once wrk has set the Host header.
  function init()
    for i, path in ipairs(paths) do
      requests[i] = wrk.format(nil, path)
    end
  end
  function request()
    turn = turn % #requests + 1
    return requests[turn]
  end
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests":%d,"durationUs":%d,"bytes":%d,' ..
      '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
      '"latencyUs":{"p50":%d,"p99":%d,"max":%d}}\n',
    summary.requests, summary.duration, summary.bytes,
    errors.connect, errors.read, errors.write, errors.status, errors.timeout,
    latency:percentile(50), latency:percentile(99), latency.max
  ))
end
