-- wrk script: signed alitrip.flight.service.search calls, cycling through pre-signed form bodies.
-- The bodies come from `Sandbox.LoadTests fliggy-search-bodies` (one per line: every route and date the generator's
-- fliggy-search draws from, stamped when printed — the gateway accepts a timestamp for ten minutes), in the file named
-- by FLIGGY_SEARCH_BODIES. Each connection takes the next body on every request, starting at its thread's own offset,
-- so the sim sees the generator's mix of 354 distinct searches. Replies are HTTP 200 even on errors: "is_success":true
-- is checked.

dofile((debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "") .. "checked.lua")

local path = os.getenv("FLIGGY_SEARCH_BODIES") or "fliggy-search-bodies.txt"
local bodies = {}
for line in io.lines(path) do
  if #line > 0 then
    table.insert(bodies, line)
  end
end
assert(#bodies > 0, "no bodies in FLIGGY_SEARCH_BODIES " .. path)

checked(function(status, body)
  return status == 200 and body:find('"is_success":true', 1, true) ~= nil
end, "HTTP not 200 or is_success not true", function(thread, index)
  thread:set("offset", index * 7919)
end)

local requests = {}
local counter = 0

function init(args)
  counter = offset or 0
  local headers = { ["Content-Type"] = "application/x-www-form-urlencoded;charset=utf-8" }
  for i, body in ipairs(bodies) do
    requests[i] = wrk.format("POST", "/router/rest", headers, body)
  end
end

function request()
  counter = counter + 1
  return requests[(counter % #requests) + 1]
end
