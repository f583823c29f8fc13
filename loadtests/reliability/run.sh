#!/usr/bin/env bash
# The long reliability suite, one command: hostile inputs at full count, the crash loop per supplier, and the soak.
# Builds the sim (Release, ReadyToRun, as the Docker image) and the load generator, runs each part, and appends every
# figure to loadtests/results/reliability-<UTC date>.md together with the machine's cores and load average.
#
#   loadtests/reliability/run.sh                 # everything: N=10000 per supplier, 20 kills per supplier, 30 min soak
#   PARTS="crash soak" loadtests/reliability/run.sh
#
# Tunables (environment): PARTS (hostile crash soak), N (hostile inputs per supplier), SEED, CYCLES, EVERY (seconds
# between kills), WORKERS (crash-loop flows in flight), SUPPLIERS (crash-loop suppliers: all, or one or more of
# techhouse, bpt, yobaoxing, fliggyflight, fliggybus, comma-separated, e.g. bpt,fliggybus), SOAK_MINUTES, SOAK_WORKERS,
# WORK (scratch folder), SIM_PORT, SIM_BPT_PORT, CALLBACK_PORT. The Fliggy bus operator the sim calls over Qimen runs
# inside the load generator on a free loopback port (no port to choose).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."

PARTS=${PARTS:-"hostile crash soak"}
N=${N:-10000}
SEED=${SEED:-20261204}
CYCLES=${CYCLES:-20}
EVERY=${EVERY:-4}
WORKERS=${WORKERS:-4}
SUPPLIERS=${SUPPLIERS:-all}
SOAK_MINUTES=${SOAK_MINUTES:-30}
SOAK_WORKERS=${SOAK_WORKERS:-6}
WORK=${WORK:-$(mktemp -d)}
# The sim, its BPT listener and the generator's callback receiver; the machine may be shared, so not 8080/6350.
SIM_PORT=${SIM_PORT:-27180}
SIM_BPT_PORT=${SIM_BPT_PORT:-27181}
CALLBACK_PORT=${CALLBACK_PORT:-27182}

RESULTS=loadtests/results
mkdir -p "$RESULTS"
REPORT="$RESULTS/reliability-$(date -u +%Y-%m-%d).md"
SIM=out/sim/Sandbox.Sim.dll
LT=(dotnet loadtests/bin/Release/net10.0/Sandbox.LoadTests.dll)

machine() {
  echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) ($1)" | tee -a "$REPORT"
}

echo "# Reliability run $(date -u +%Y-%m-%dT%H:%MZ)" >>"$REPORT"
dotnet publish sim -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o out/sim
dotnet build -c Release loadtests/Sandbox.LoadTests.csproj

for part in $PARTS; do
  case $part in
    hostile)
      machine "before the hostile inputs"
      echo -e "\n## Hostile inputs (N=$N per supplier, seed $SEED)\n" >>"$REPORT"
      JSONL="$WORK/hostile.jsonl"
      rm -f "$JSONL"
      SANDBOX_RELIABILITY_N=$N SANDBOX_RELIABILITY_SEED=$SEED SANDBOX_RELIABILITY_REPORT="$JSONL" \
        dotnet test tests --filter "FullyQualifiedName~HostileInputTests" --logger "console;verbosity=minimal" || true
      echo '```' >>"$REPORT"
      cat "$JSONL" >>"$REPORT" 2>/dev/null || echo "no figures: the hostile run did not finish" >>"$REPORT"
      echo '```' >>"$REPORT"
      ;;
    crash)
      machine "before the crash loop"
      "${LT[@]}" reliability-crash --sim "$SIM" --supplier "$SUPPLIERS" --port "$SIM_PORT" --bpt-port "$SIM_BPT_PORT" --callback-port "$CALLBACK_PORT" --cycles "$CYCLES" --every "$EVERY" --workers "$WORKERS" --work "$WORK" --report "$REPORT"
      ;;
    soak)
      machine "before the soak"
      "${LT[@]}" reliability-soak --sim "$SIM" --port "$SIM_PORT" --bpt-port "$SIM_BPT_PORT" --callback-port "$CALLBACK_PORT" --minutes "$SOAK_MINUTES" --workers "$SOAK_WORKERS" --work "$WORK" --report "$REPORT"
      machine "after the soak"
      ;;
    *)
      echo "unknown part '$part' (hostile, crash, soak)" >&2
      exit 2
      ;;
  esac
done
echo "figures appended to $REPORT"
