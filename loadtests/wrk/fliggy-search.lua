-- wrk script: signed alitrip.flight.service.search calls, cycling through pre-signed form bodies.
-- The bodies come from `Sandbox.LoadTests fliggy-search-bodies` (one per line: every route and date the generator's
-- fliggy-search draws from, stamped when printed — the gateway accepts a timestamp for ten minutes), in the file named
-- by FLIGGY_SEARCH_BODIES. Each connection takes the next body on every request, starting at its thread's own offset,
-- so the sim sees the generator's mix of 354 distinct searches. Replies are HTTP 200 even on errors: "is_success":true
-- is checked. With FLIGGY_SEARCH_GZIP=1 the requests say Accept-Encoding: gzip, as the Java SDK's do, and the replies
-- must come gzipped (their text is not read: check the sim's journal counts for errors, as run-benchmarks.sh does).

dofile((debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "") .. "checked.lua")

local path = os.getenv("FLIGGY_SEARCH_BODIES") or "fliggy-search-bodies.txt"
local bodies = {}
for line in io.lines(path) do
  if #line > 0 then
    table.insert(bodies, line)
  end
end
assert(#bodies > 0, "no bodies in FLIGGY_SEARCH_BODIES " .. path)

local gzip = os.getenv("FLIGGY_SEARCH_GZIP") == "1"

checked(function(status, body, headers)
  if gzip then
    return status == 200 and headers["Content-Encoding"] == "gzip"
  end
  return status == 200 and body:find('"is_success":true', 1, true) ~= nil
end, gzip and "HTTP not 200 or not gzipped" or "HTTP not 200 or is_success not true", function(thread, index)
  thread:set("offset", index * 7919)
end)

local requests = {}
local counter = 0

function init(args)
  counter = offset or 0
  local headers = { ["Content-Type"] = "application/x-www-form-urlencoded;charset=utf-8" }
  if gzip then
    headers["Accept-Encoding"] = "gzip"
  end
  for i, body in ipairs(bodies) do
    requests[i] = wrk.format("POST", "/router/rest", headers, body)
  end
end

function request()
  counter = counter + 1
  return requests[(counter % #requests) + 1]
end
