#!/usr/bin/env bash
# Builds the sim and the load generator in Release, starts the sim on loopback, runs the standard benchmark set
# against it (baseline, getbalance, fliggy search, wrk healthz, getbalance and fliggy search, booking flow at a fixed rate and at fixed concurrency), stops
# the sim, and appends every report to loadtests/results/<UTC date>.md (HTML, JSON and CSV per run in
# loadtests/results/<stamp>/<run>/). Tunables are environment variables: see README.md.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

PORT=${PORT:-8080}
URL="http://127.0.0.1:${PORT}"
DURATION=${DURATION:-60}
SHORT_DURATION=${SHORT_DURATION:-30}
WARMUP=${WARMUP:-15}
# The flows' warm-up is a ramp from 0 to RATE (open model); 60 s lets the JIT finish tiering up below the target rate.
FLOW_WARMUP=${FLOW_WARMUP:-60}
RATE=${RATE:-1000}
# The Fliggy custom-bus loop (sandbox ↔ the generator's own bus operator): its target is 500 bookings/s.
BUS_RATE=${BUS_RATE:-500}
FLOW_CONCURRENCY=${FLOW_CONCURRENCY:-64}
REQUEST_CONCURRENCY=${REQUEST_CONCURRENCY:-32}
CALLBACK_PORT=${CALLBACK_PORT:-9091}
SIM_ARGS=${SIM_ARGS:-}
SIM_CMD=${SIM_CMD:-}
ADMIN_TOKEN=${ADMIN_TOKEN:-}

RESULTS=loadtests/results
mkdir -p "$RESULTS"
REPORT="$RESULTS/$(date -u +%Y-%m-%d).md"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
SIM_LOG="$RESULTS/sim-$STAMP.log"
WORK=$(mktemp -d)
LT=(dotnet loadtests/bin/Release/net10.0/Sandbox.LoadTests.dll)
COMMON=(--url "$URL" --report "$REPORT")
if [[ -n $ADMIN_TOKEN ]]; then
  COMMON+=(--admin-token "$ADMIN_TOKEN")
fi

# SIM_CMD replaces the sim (e.g. the generator's own fake-sim), so there is no sim to build then. The sim is published
# ReadyToRun, as the Docker image is: precompiled code leaves the JIT only the hot methods to re-optimise.
SIM_DIR=sim/bin/Release/net10.0/publish-r2r
if [[ -z $SIM_CMD ]]; then
  dotnet publish -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$SIM_DIR" sim/Sandbox.Sim.csproj
fi
dotnet build -c Release loadtests/Sandbox.LoadTests.csproj

# setsid puts the sim in its own process group so that stopping it also stops anything SIM_CMD spawned.
if [[ -n $SIM_CMD ]]; then
  setsid bash -c "exec $SIM_CMD" >"$SIM_LOG" 2>&1 &
else
  # shellcheck disable=SC2086 # SIM_ARGS is a list of arguments
  setsid dotnet "$SIM_DIR/Sandbox.Sim.dll" --urls "$URL" --Sandbox:DataPath "$WORK/sandbox.db" $SIM_ARGS >"$SIM_LOG" 2>&1 &
fi
SIM_PID=$!

stop_sim() {
  kill -TERM -- "-$SIM_PID" 2>/dev/null || true
  wait "$SIM_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap stop_sim EXIT

for _ in $(seq 1 60); do
  if curl -fsS -o /dev/null "$URL/healthz" 2>/dev/null; then
    break
  fi
  if ! kill -0 "$SIM_PID" 2>/dev/null; then
    echo "the sim exited before becoming healthy; see $SIM_LOG" >&2
    exit 1
  fi
  sleep 1
done
if ! curl -fsS -o /dev/null "$URL/healthz"; then
  echo "the sim did not answer GET /healthz within 60 s; see $SIM_LOG" >&2
  exit 1
fi

{
  echo "# Benchmark run $STAMP"
  echo
  echo "Sim: ${SIM_CMD:-$SIM_DIR/Sandbox.Sim.dll --urls $URL $SIM_ARGS}; log: $SIM_LOG; flow warm-up $FLOW_WARMUP s, request warm-up $WARMUP s."
  echo
} >>"$REPORT"

failed_runs=0

# Runs the generator, keeping its stdout for the ratios; a run with errors is recorded but does not stop the others.
# Each run's HTML, JSON and CSV report goes to results/<stamp>/<name>/, next to the Markdown file.
generate() {
  local name=$1
  shift
  echo "== $name" >&2
  if ! "${LT[@]}" "$@" "${COMMON[@]}" --report-dir "$RESULTS/$STAMP/$name" | tee "$WORK/$name.out"; then
    failed_runs=$((failed_runs + 1))
  fi
}

completed_per_second() {
  awk -F'|' '$2 == " completed flows/s " { gsub(/ /, "", $3); print $3; exit }' "$WORK/$1.out"
}

ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN { if (a != "" && b + 0 > 0) printf "%.2f", a / b; else printf "n/a" }'
}

generate baseline baseline --concurrency "$REQUEST_CONCURRENCY" --duration "$SHORT_DURATION" --warmup "$WARMUP"
generate getbalance getbalance --concurrency "$REQUEST_CONCURRENCY" --duration "$SHORT_DURATION" --warmup "$WARMUP"
generate fliggy-search fliggy-search --concurrency "$REQUEST_CONCURRENCY" --duration "$SHORT_DURATION" --warmup "$WARMUP"

if ! command -v wrk >/dev/null && [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
  apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi
# A wrk run's output as a section of the report.
report_wrk() {
  {
    echo "## $1"
    echo
    echo '```'
    cat "$2"
    echo '```'
    echo
  } >>"$REPORT"
}

wrk_rps=""
wrk_healthz_rps=""
wrk_search_rps=""
wrk_search_gzip_rps=""

# Errors the journal counted for the demo tenant's signed searches so far.
search_errors() {
  curl -fsS "$URL/admin/api/journal/counts?tenant=demo" | python3 -c 'import json,sys; print(sum(o["errors"] for o in json.load(sys.stdin)["operations"] if o["operation"] == "alitrip.flight.service.search"))'
}
if command -v wrk >/dev/null; then
  echo "== wrk healthz" >&2
  wrk -t1 -c"$REQUEST_CONCURRENCY" -d"${SHORT_DURATION}s" --latency "$URL/healthz" | tee "$WORK/wrk-healthz.out"
  wrk_healthz_rps=$(awk '$1 == "Requests/sec:" { print $2 }' "$WORK/wrk-healthz.out")
  report_wrk "wrk healthz (baseline): $REQUEST_CONCURRENCY connections, 1 thread, $SHORT_DURATION s" "$WORK/wrk-healthz.out"
  echo "== wrk getbalance" >&2
  "${LT[@]}" getbalance-body >"$WORK/getbalance-body.json"
  GETBALANCE_BODY_FILE="$WORK/getbalance-body.json" wrk -t1 -c"$REQUEST_CONCURRENCY" -d"${SHORT_DURATION}s" --latency \
    -s loadtests/wrk/getbalance.lua "$URL/flight/order" | tee "$WORK/wrk.out"
  wrk_rps=$(awk '$1 == "Requests/sec:" { print $2 }' "$WORK/wrk.out")
  if ! grep -q '^Failed replies (HTTP not 200 or status not 0): 0$' "$WORK/wrk.out"; then
    failed_runs=$((failed_runs + 1))
  fi
  report_wrk "wrk getbalance: $REQUEST_CONCURRENCY connections, 1 thread, $SHORT_DURATION s (demo tenant, one pre-signed body)" "$WORK/wrk.out"
  if [[ -z $SIM_CMD ]]; then
    # The demo tenant's TOP app; the bodies are stamped now and the gateway accepts them for ten minutes. Twice: as the
    # Java SDK asks (Accept-Encoding: gzip; the replies' text is then checked in the journal's error count) and plain.
    "${LT[@]}" fliggy-search-bodies >"$WORK/fliggy-search-bodies.txt"
    for gz in 1 0; do
      echo "== wrk fliggy-search (gzip: $gz)" >&2
      errors_before=$(search_errors)
      FLIGGY_SEARCH_GZIP=$gz FLIGGY_SEARCH_BODIES="$WORK/fliggy-search-bodies.txt" wrk -t1 -c"$REQUEST_CONCURRENCY" -d"${SHORT_DURATION}s" --latency \
        -s loadtests/wrk/fliggy-search.lua "$URL" | tee "$WORK/wrk-search-$gz.out"
      errors=$(($(search_errors) - errors_before))
      echo "Search errors in the journal during the run: $errors" | tee -a "$WORK/wrk-search-$gz.out"
      if [[ $gz == 1 ]]; then wrk_search_gzip_rps=$(awk '$1 == "Requests/sec:" { print $2 }' "$WORK/wrk-search-$gz.out"); else wrk_search_rps=$(awk '$1 == "Requests/sec:" { print $2 }' "$WORK/wrk-search-$gz.out"); fi
      if ! grep -q '^Failed replies (HTTP not 200 or \(is_success not true\|not gzipped\)): 0$' "$WORK/wrk-search-$gz.out" || [[ $errors != 0 ]]; then
        failed_runs=$((failed_runs + 1))
      fi
      report_wrk "wrk fliggy-search$([[ $gz == 1 ]] && echo ", Accept-Encoding: gzip"): $REQUEST_CONCURRENCY connections, 1 thread, $SHORT_DURATION s (demo tenant, 354 pre-signed searches in turn)" "$WORK/wrk-search-$gz.out"
    done
  fi
else
  echo "wrk is not installed and could not be installed: skipping the wrk run" >&2
  printf '## wrk getbalance\n\nskipped: wrk not available.\n\n' >>"$REPORT"
fi

generate flow-rate techhouse-flow --rate "$RATE" --duration "$DURATION" --callback-port "$CALLBACK_PORT" --warmup "$FLOW_WARMUP"
generate flow-concurrency techhouse-flow --concurrency "$FLOW_CONCURRENCY" --duration "$DURATION" --callback-port "$CALLBACK_PORT" --warmup "$FLOW_WARMUP"
# The fake sim (SIM_CMD) speaks TechHouse only.
if [[ -z $SIM_CMD ]]; then
  generate bpt-flow-rate bpt-flow --rate "$RATE" --duration "$DURATION" --callback-port "$((CALLBACK_PORT + 1))" --warmup "$FLOW_WARMUP"
  generate yobaoxing-flow-rate yobaoxing-flow --rate "$RATE" --duration "$DURATION" --callback-port "$CALLBACK_PORT" --warmup "$FLOW_WARMUP"
  generate fliggy-flight-rate fliggy-flight --rate "$RATE" --duration "$DURATION" --warmup "$FLOW_WARMUP"
  generate fliggybus-flow-rate fliggybus-flow --rate "$BUS_RATE" --duration "$DURATION" --refund-share 0 --warmup "$FLOW_WARMUP"
fi

baseline_rps=$(completed_per_second baseline)
getbalance_rps=$(completed_per_second getbalance)
search_rps=$(completed_per_second fliggy-search)
{
  echo "## Ratios"
  echo
  echo "| ratio | value |"
  echo "|---|---:|"
  echo "| getbalance ÷ baseline (same generator, same concurrency) | $(ratio "$getbalance_rps" "$baseline_rps") |"
  echo "| signed fliggy search ÷ baseline (same generator, same concurrency) | $(ratio "$search_rps" "$baseline_rps") |"
  echo "| wrk getbalance ÷ generator getbalance | $(ratio "$wrk_rps" "$getbalance_rps") |"
  echo "| wrk getbalance ÷ wrk healthz (same tool, same connections) | $(ratio "$wrk_rps" "$wrk_healthz_rps") |"
  echo "| wrk signed fliggy search, gzip as the Java SDK asks ÷ wrk healthz (same tool, same connections) | $(ratio "$wrk_search_gzip_rps" "$wrk_healthz_rps") |"
  echo "| wrk signed fliggy search, plain ÷ wrk healthz (same tool, same connections) | $(ratio "$wrk_search_rps" "$wrk_healthz_rps") |"
  echo
} >>"$REPORT"

# Resident memory after everything above: the journal counts every supplier request the sim answered.
requests=$(curl -fsS "$URL/admin/api/journal/counts" | python3 -c 'import json,sys; print(sum(o["requests"] for o in json.load(sys.stdin)["operations"]))' || echo "?")
stats=$(curl -fsS "$URL/admin/api/stats" || echo '{}')
rss_mb=$(awk '/VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$(pgrep -f 'Sandbox.Sim.dll' | head -n 1)/status" 2>/dev/null || echo "?")
{
  echo "## Memory"
  echo
  echo "| after | resident (VmRSS) | /admin/api/stats |"
  echo "|---|---:|---|"
  echo "| $requests supplier requests | $rss_mb MB | \`$stats\` |"
  echo
} >>"$REPORT"

echo "results appended to $REPORT ($failed_runs run(s) with errors)" >&2
[[ $failed_runs == 0 ]]
