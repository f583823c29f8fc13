-- Shared by the wrk scripts (loaded with dofile next to them): counts the replies that fail the script's check and
-- prints, at the end, "Failed replies (<what>): N" — the line run-benchmarks.sh looks for — and the first failure.
-- checked(ok, what[, on_setup]) installs wrk's setup, response and done; ok(status, body, headers) says whether a reply
-- is right.

failures = 0
first_failure = ""

local threads = {}

function checked(ok, what, on_setup)
  function setup(thread)
    if on_setup then
      on_setup(thread, #threads)
    end
    table.insert(threads, thread)
  end

  function response(status, headers, body)
    if not ok(status, body, headers) then
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
    io.write(string.format("Failed replies (%s): %d\n", what, total))
    if total > 0 then
      io.write("First failed reply: " .. first .. "\n")
    end
  end
end
