-- wrk script: POSTs one pre-signed GetBalance envelope over and over.
-- The body comes from `Sandbox.LoadTests getbalance-body` (the signature is fixed for a fixed timestamp), in the file
-- named by GETBALANCE_BODY_FILE. The sim answers HTTP 200 even on errors, so replies are checked for "status":0 too.

local path = os.getenv("GETBALANCE_BODY_FILE") or "getbalance-body.json"
local file = assert(io.open(path, "r"), "cannot read GETBALANCE_BODY_FILE " .. path)
wrk.method = "POST"
wrk.body = (file:read("*a"):gsub("%s+$", ""))
wrk.headers["Content-Type"] = "application/json"
file:close()

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  failures = 0
  first_failure = ""
end

function response(status, headers, body)
  if status ~= 200 or not body:find('"status"%s*:%s*0[^%d]') then
    failures = failures + 1
    if first_failure == "" then
      first_failure = status .. " " .. body:sub(1, 200)
    end
  end
end

function done(summary, latency, requests)
  local total, first = 0, ""
  for _, thread in ipairs(threads) do
    total = total + thread:get("failures")
    if first == "" then
      first = thread:get("first_failure")
    end
  end
  io.write(string.format("Failed replies (HTTP not 200 or status not 0): %d\n", total))
  if total > 0 then
    io.write("First failed reply: " .. first .. "\n")
  end
end
