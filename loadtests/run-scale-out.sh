#!/usr/bin/env bash
# Scale-out benchmark: one PostgreSQL (a throwaway cluster from .ci/postgres.sh, or SANDBOX_POSTGRES) and one, then two,
# sim replicas on loopback sharing it. For each replica count it runs the TechHouse booking flow (requests spread over
# the replicas one by one, as a round-robin proxy would) and signed GetBalance, and reports per booking the CPU the sims
# and PostgreSQL spent and the round trips the sims made to PostgreSQL. Appends to loadtests/results/<UTC date>.md.
# Run it only on a quiet machine (uptime load average well below the core count): the figures are CPU per booking.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

RATE=${RATE:-300}
DURATION=${DURATION:-60}
WARMUP=${WARMUP:-30}
REQUEST_CONCURRENCY=${REQUEST_CONCURRENCY:-32}
SHORT_DURATION=${SHORT_DURATION:-30}
BASE_PORT=${BASE_PORT:-8181}
CALLBACK_PORT=${CALLBACK_PORT:-9191}
REPLICA_COUNTS=${REPLICA_COUNTS:-"1 2"}

RESULTS=loadtests/results
mkdir -p "$RESULTS"
REPORT="$RESULTS/$(date -u +%Y-%m-%d).md"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
WORK=$(mktemp -d)
LT=(dotnet loadtests/bin/Release/net10.0/Sandbox.LoadTests.dll)
SIM_DIR=sim/bin/Release/net10.0/publish-r2r
TICKS=$(getconf CLK_TCK)

dotnet publish -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$SIM_DIR" sim/Sandbox.Sim.csproj >/dev/null
dotnet build -c Release loadtests/Sandbox.LoadTests.csproj >/dev/null

PGDATA_DIR=""
if [[ -z ${SANDBOX_POSTGRES:-} ]]; then
  eval "$(.ci/postgres.sh start)"
  SANDBOX_POSTGRES=$SANDBOX_TEST_POSTGRES
  PGDATA_DIR=$SANDBOX_TEST_PGDATA
fi
pg_port=$(sed -n 's/.*Port=\([0-9]*\).*/\1/p' <<<"$SANDBOX_POSTGRES")
psql_run() { psql "host=127.0.0.1 port=$pg_port user=sandbox dbname=${2:-sandbox}" -qtAc "$1"; }

SIM_PIDS=()
stop_all() {
  for pid in "${SIM_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${SIM_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  SIM_PIDS=()
  [[ -n $PGDATA_DIR ]] && .ci/postgres.sh stop "$PGDATA_DIR"
  rm -rf "$WORK"
}
trap stop_all EXIT

# CPU seconds of a process and of its reaped children (PostgreSQL backends are children of the postmaster).
cpu_of() { awk -v t="$TICKS" '{ printf "%.2f", ($14 + $15 + $16 + $17) / t }' "/proc/$1/stat"; }
postgres_cpu() {
  local master total
  master=$(head -n 1 "$(psql_run 'SHOW data_directory')/postmaster.pid")
  total=$(cpu_of "$master")
  for child in $(pgrep -P "$master"); do
    total=$(awk -v a="$total" -v b="$(awk -v t="$TICKS" '{ printf "%.2f", ($14 + $15) / t }' "/proc/$child/stat" 2>/dev/null || echo 0)" 'BEGIN { printf "%.2f", a + b }')
  done
  echo "$total"
}
sims_cpu() { local s=0; for pid in "${SIM_PIDS[@]}"; do s=$(awk -v a="$s" -v b="$(cpu_of "$pid")" 'BEGIN { printf "%.2f", a + b }'); done; echo "$s"; }
round_trips() {
  local s=0 n
  for url in "${URLS[@]}"; do
    n=$(curl -fsS "$url/admin/api/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("storeRoundTrips") or 0)')
    s=$((s + n))
  done
  echo "$s"
}
completed() { awk -F'|' '$2 == " completed flows/s " { gsub(/ /, "", $3); print $3; exit }' "$1"; }
# Flows the run made, warm-up included (CPU and round trips are counted over all of it): "| flows | N started, N ok, …"
# and "| warm-up | N flows, …".
flows_made() {
  awk -F'|' '$2 == " flows " { split($3, a, ","); sub(/ ok/, "", a[2]); ok = a[2] + 0 }
             $2 == " warm-up " { split($3, b, " "); warm = b[1] + 0 }
             END { print ok + warm }' "$1"
}

{
  echo "# Scale-out benchmark $STAMP"
  echo
  echo "PostgreSQL $(psql_run 'SHOW server_version') on loopback; load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores."
  echo
  echo "| replicas | run | completed/s | sim CPU ms per op | PostgreSQL CPU ms per op | round trips per op | load average after |"
  echo "|---:|---|---:|---:|---:|---:|---|"
} >"$WORK/summary.md"

for n in $REPLICA_COUNTS; do
  db="bench_${n}_$STAMP"
  db=${db,,}
  psql_run "CREATE DATABASE $db"
  cs="Host=127.0.0.1;Port=$pg_port;Username=sandbox;Database=$db"
  URLS=()
  for i in $(seq 1 "$n"); do
    port=$((BASE_PORT + i - 1))
    setsid dotnet "$SIM_DIR/Sandbox.Sim.dll" --urls "http://127.0.0.1:$port" --Sandbox:Listeners:bpt "http://127.0.0.1:$((port + 1000))" \
      --Sandbox:Store postgres --Sandbox:ConnectionStrings:Postgres "$cs" --Sandbox:ReplicaId "sim-$i" \
      >"$RESULTS/sim-$STAMP-$n-$i.log" 2>&1 &
    SIM_PIDS+=($!)
    URLS+=("http://127.0.0.1:$port")
  done
  for url in "${URLS[@]}"; do
    for _ in $(seq 1 60); do curl -fsS -o /dev/null "$url/healthz" 2>/dev/null && break; sleep 1; done
  done
  replicas=$(IFS=,; echo "${URLS[*]}")

  for run in booking getbalance; do
    cpu_sim0=$(sims_cpu); cpu_pg0=$(postgres_cpu); rt0=$(round_trips)
    if [[ $run == booking ]]; then
      "${LT[@]}" techhouse-flow --rate "$RATE" --duration "$DURATION" --warmup "$WARMUP" --url "${URLS[0]}" --replicas "$replicas" \
        --callback-port "$CALLBACK_PORT" --report "$REPORT" | tee "$WORK/$run-$n.out" || true
    else
      "${LT[@]}" getbalance --concurrency "$REQUEST_CONCURRENCY" --duration "$SHORT_DURATION" --warmup 5 --url "${URLS[0]}" --replicas "$replicas" \
        --report "$REPORT" | tee "$WORK/$run-$n.out" || true
    fi
    cpu_sim1=$(sims_cpu); cpu_pg1=$(postgres_cpu); rt1=$(round_trips)
    per_s=$(completed "$WORK/$run-$n.out")
    ops=$(flows_made "$WORK/$run-$n.out")
    awk -v n="$n" -v run="$run" -v r="$per_s" -v ops="$ops" -v a="$cpu_sim0" -v b="$cpu_sim1" -v c="$cpu_pg0" -v d="$cpu_pg1" \
        -v e="$rt0" -v f="$rt1" -v load="$(cut -d' ' -f1-3 /proc/loadavg)" 'BEGIN {
      if (ops == 0) ops = 1
      printf "| %d | %s | %s | %.2f | %.2f | %.1f | %s |\n", n, run, r, (b - a) * 1000 / ops, (d - c) * 1000 / ops, (f - e) / ops, load
    }' >>"$WORK/summary.md"
  done

  for pid in "${SIM_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${SIM_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  SIM_PIDS=()
done

cat "$WORK/summary.md" | tee -a "$REPORT"
echo "results appended to $REPORT" >&2
