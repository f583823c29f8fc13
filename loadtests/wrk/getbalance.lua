-- wrk script: POSTs one pre-signed GetBalance envelope over and over.
-- The body comes from `Sandbox.LoadTests getbalance-body` (the signature is fixed for a fixed timestamp), in the file
-- named by GETBALANCE_BODY_FILE. The sim answers HTTP 200 even on errors, so replies are checked for "status":0 too.

dofile((debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "") .. "checked.lua")

local path = os.getenv("GETBALANCE_BODY_FILE") or "getbalance-body.json"
local file = assert(io.open(path, "r"), "cannot read GETBALANCE_BODY_FILE " .. path)
wrk.method = "POST"
wrk.body = (file:read("*a"):gsub("%s+$", ""))
wrk.headers["Content-Type"] = "application/json"
file:close()

checked(function(status, body)
  return status == 200 and body:find('"status"%s*:%s*0[^%d]') ~= nil
end, "HTTP not 200 or status not 0")
