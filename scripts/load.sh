#!/usr/bin/env bash
# scripts/load.sh — the load tests of RELIABILITY.md E1–E4 on loopback.
#
# Builds the binary, the load generator and a synthetic fixture index
# (PASSAGES passages, default 50,000), serves it, and runs:
#   E1 steady load: CONNS (64) connections of mixed queries for DURATION (20s):
#      0 errors, 0 non-2xx, RSS plateau, goroutines back to baseline;
#   E2 the same while a new generation of the same size is built and swapped in:
#      0 errors, p99 ≤ 3 × E1, peak RSS ≤ 2 × E1, the new sentinel served;
#   E3 1,000 connections (fast 503 overloaded with Retry-After beyond the slots
#      and the waiting room), then 32 clients of bomb queries beside a
#      well-behaved client (its p99 ≤ 5 × alone);
#   E4 500 slowloris and 500 idle connections, a normal client, a 100 MiB POST (413);
# then SIGTERM (exit 0). Prints every check and PASS or FAIL; exits 1 on FAIL.
#
# Environment: PASSAGES, DURATION, CONNS, KEEP=1 (keep the work folder).
set -euo pipefail
cd "$(dirname "$0")/.."

PASSAGES=${PASSAGES:-50000}
DURATION=${DURATION:-20s}
CONNS=${CONNS:-64}
TOKEN=load-test-token-$$
work=$(mktemp -d /tmp/inlsearch-load.XXXXXX)
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  if [ "${KEEP:-0}" = 1 ]; then echo "work folder kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
failed=()
step() { echo; echo "== $*"; }

step "build"
go build -o "$work/inlsearch" ./cmd/inlsearch
go build -o "$work/loadgen" ./scripts/loadgen
go build -o "$work/fixture" ./scripts/fixture
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) CPUs, $(free -m | awk '/Mem:/{print $2}') MiB"

step "fixture: $PASSAGES passages (generation a)"
"$work/fixture" -data "$work/data" -passages "$PASSAGES" -tag a
du -sh "$work/data/generations" | sed 's/^/index size: /'

step "serve"
INLSEARCH_ADMIN_TOKEN=$TOKEN "$work/inlsearch" serve --data "$work/data" --addr 127.0.0.1:0 \
  --debug-addr 127.0.0.1:0 --seed http://127.0.0.1:9/ --log-level warn >"$work/serve.out" 2>"$work/serve.log" &
pid=$!
for _ in $(seq 100); do
  grep -q "profiles on" "$work/serve.out" 2>/dev/null && break
  sleep 0.1
done
base=$(sed -n 's/.*serving on \(http[^ ]*\).*/\1/p' "$work/serve.out")
debug=$(sed -n 's/.*profiles on \(http:\/\/[^/]*\).*/\1/p' "$work/serve.out")
if [ -z "$base" ] || [ -z "$debug" ]; then echo "serve did not start:"; cat "$work/serve.log"; exit 1; fi
echo "server pid $pid on $base (profiles $debug)"
common=(-base "$base" -debug "$debug" -pid "$pid" -state "$work/state.json")

step "E1"
"$work/loadgen" -phase steady -c "$CONNS" -d "$DURATION" "${common[@]}" || failed+=(E1)

step "E2"
( sleep 2; "$work/fixture" -data "$work/data" -passages "$PASSAGES" -tag b -seed 2 ) >"$work/fixture-b.log" 2>&1 &
fx=$!
"$work/loadgen" -phase swap -c "$CONNS" -sentinel b -old a "${common[@]}" || failed+=(E2)
wait "$fx" || { echo "fixture b failed:"; cat "$work/fixture-b.log"; failed+=(E2-build); }
sed 's/^/  /' "$work/fixture-b.log"

step "E3"
"$work/loadgen" -phase flood -d "$DURATION" "${common[@]}" || failed+=(E3)
if dmesg 2>/dev/null | grep -qiE "killed process $pid|out of memory.*inlsearch"; then
  echo "  [FAIL] dmesg reports an OOM kill"; failed+=(E3-oom)
else
  echo "  [ok  ] no OOM kill in dmesg"
fi

step "E4"
"$work/loadgen" -phase slow -token "$TOKEN" "${common[@]}" || failed+=(E4)

step "shutdown"
kill -TERM "$pid"
if wait "$pid"; then echo "  [ok  ] SIGTERM: exit status 0"; else echo "  [FAIL] SIGTERM: exit status $?"; failed+=(shutdown); fi
pid=""
if grep -qiE "panic|fatal" "$work/serve.log"; then echo "  [FAIL] the server log shows a panic:"; grep -iE "panic|fatal" "$work/serve.log" | head; failed+=(log); fi

echo
if [ ${#failed[@]} -eq 0 ]; then
  echo "load.sh: PASS (E1 E2 E3 E4; $PASSAGES passages, $CONNS connections, $DURATION)"
else
  echo "load.sh: FAIL (${failed[*]})"
  exit 1
fi
