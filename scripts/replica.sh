#!/usr/bin/env bash
# scripts/replica.sh — read replicas (README "Replicas"), on loopback and in a
# temporary folder, with the built binary:
#   a builder (`serve` on its data folder, re-indexed by `crawl` of the demo
#   site beside it, as cron does) and a replica (`serve` on a data folder of
#   its own) fed by `pull --every 1s`;
#   ROUNDS times (default 2): the builder re-indexes while CONNS (default 8)
#   connections search the replica; the replica pulls the new generation and
#   swaps to it with 0 failed searches, then answers what the builder answers
#   (passage count and hash of the sorted passage ids);
#   a pull with nothing new changes nothing; the replica keeps the three
#   generations it pulled (the keep policy's default is 10), each complete,
#   and no partial copy;
#   a second replica fed by rsync with the README's three commands (skipped
#   with a message when rsync is not installed) serves the same passages;
#   a pull from a stopped builder exits 1, the replica unchanged.
# (Checksum failures, resume and the API routes: go test ./cmd/inlsearch/
# ./web/ ./search/ -run 'Pull|Generation|Manifest|Import'.)
# Prints every check and PASS or FAIL; exits 1 on FAIL. KEEP=1 keeps the folder.
set -uo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-2}
CONNS=${CONNS:-8}
work=$(mktemp -d /tmp/inlsearch-replica.XXXXXX)
bin=$work/inlsearch
pids=()
fails=0
cleanup() {
  for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null; done
  { wait; } 2>/dev/null
  if [ "${KEEP:-0}" = 1 ]; then echo "work folder kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
ok() { echo "  [ok  ] $*"; }
bad() { echo "  [FAIL] $*"; fails=$((fails + 1)); }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }
section() { echo; echo "== $*"; }
current() { sed -n 's/.*"current":"\([^"]*\)".*/\1/p' "$1/CURRENT" 2>/dev/null; }
previous() { sed -n 's/.*"previous":"\([^"]*\)".*/\1/p' "$1/CURRENT" 2>/dev/null; }
complete_count() { local n=0; for g in "$1"/generations/*/; do [ -f "$g/COMPLETE" ] && n=$((n + 1)); done; echo $n; }
# waits up to $1 tenths of a second for the command to succeed
wait_for() { local n=$1; shift; for _ in $(seq "$n"); do "$@" && return 0; sleep 0.1; done; return 1; }

section "build"
go build -o "$bin" ./cmd/inlsearch && go build -o "$work/loadgen" ./scripts/loadgen || exit 1
"$bin" demo-site --addr 127.0.0.1:0 >"$work/site.out" 2>&1 &
pids+=($!)
wait_for 50 grep -q "demo site on" "$work/site.out"
SITE=$(sed -n 's/.*demo site on \(http[^ ]*\).*/\1/p' "$work/site.out")
[ -n "$SITE" ] || { echo "the demo site did not start"; exit 1; }
echo "demo site $SITE"

# serve_start NAME DATA: starts a server; sets <NAME>_PID and <NAME>_BASE.
serve_start() {
  local name=$1 data=$2 out=$work/serve-$1
  "$bin" serve --data "$data" --addr 127.0.0.1:0 --log-level warn >"$out.out" 2>"$out.log" &
  local pid=$!
  pids+=("$pid")
  wait_for 100 grep -q "serving on" "$out.out"
  printf -v "${name}_PID" '%s' "$pid"
  printf -v "${name}_BASE" '%s' "$(sed -n 's/.*serving on \(http[^ ]*\).*/\1/p' "$out.out")"
}
crawl() { "$bin" crawl --data "$1" --seed "$SITE" --delay 1ms --log-level error >"$work/crawl.out" 2>&1; }
fp() { "$work/loadgen" -phase fingerprint -base "$1" 2>/dev/null | cut -d' ' -f1-3; }

B=$work/builder
R=$work/replica
section "builder and replica"
crawl "$B" || { bad "first crawl of the builder"; cat "$work/crawl.out"; exit 1; }
serve_start builder "$B"
[ -n "$builder_BASE" ] || { echo "the builder did not start"; cat "$work/serve-builder.log"; exit 1; }
echo "builder $builder_BASE, generation $(current "$B")"
out=$("$bin" pull --from "$builder_BASE" --data "$R" --log-level warn 2>&1); code=$?
check "first pull (exit $code): $(echo "$out" | tail -1)" test "$code" = 0 -a "$(current "$R")" = "$(current "$B")"
serve_start replica "$R"
[ -n "$replica_BASE" ] || { echo "the replica did not start"; cat "$work/serve-replica.log"; exit 1; }
echo "replica $replica_BASE"
check "the replica answers what the builder answers: $(fp "$replica_BASE")" test "$(fp "$replica_BASE")" = "$(fp "$builder_BASE")"

"$bin" pull --from "$builder_BASE" --data "$R" --every 1s --log-level info >"$work/pull-loop.out" 2>"$work/pull-loop.log" &
loop=$!
pids+=("$loop")

for round in $(seq "$ROUNDS"); do
  section "round $round: re-index on the builder under load on the replica"
  before=$(current "$R")
  "$work/loadgen" -phase replica -base "$replica_BASE" -builder "$builder_BASE" -pid "$replica_PID" \
    -c "$CONNS" -max-wait 2m >"$work/load.$round" 2>&1 &
  lg=$!
  sleep 1
  if crawl "$B"; then ok "builder crawl published $(current "$B")"; else bad "builder crawl: $(tail -1 "$work/crawl.out")"; fi
  wait "$lg"; code=$?
  sed 's/^/  /' "$work/load.$round"
  [ "$code" = 0 ] || fails=$((fails + 1))
  check "the replica's pointer: current $(current "$R"), previous $(previous "$R")" \
    test "$(current "$R")" = "$(current "$B")" -a "$(previous "$R")" = "$before"
  check "the replica answers what the builder answers: $(fp "$replica_BASE")" test "$(fp "$replica_BASE")" = "$(fp "$builder_BASE")"
done
kill -TERM "$loop"; wait "$loop"; code=$?
check "pull --every stops on SIGTERM with exit status $code" test "$code" = 0
pulled=$(grep -c "pull done" "$work/pull-loop.log")
check "the pull loop published $pulled generations ($ROUNDS re-indexes), the rest of its runs found nothing new" test "$pulled" = "$ROUNDS"

section "nothing new, what is kept"
snap=$(cd "$R" && find . -path ./crawl.lock -prune -o -print | sort | md5sum)
out=$("$bin" pull --from "$builder_BASE" --data "$R" 2>&1); code=$?
after=$(cd "$R" && find . -path ./crawl.lock -prune -o -print | sort | md5sum)
check "a pull with nothing new (exit $code): $out; no file added or removed" test "$code" = 0 -a "$snap" = "$after" -a -n "$(echo "$out" | grep 'nothing new')"
# Every generation pulled is kept (the keep policy keeps 10 by default,
# search.DefaultKeepGenerations), each complete, and no staged download.
check "the replica keeps $(complete_count "$R") complete generations of $(ls "$R/generations" | wc -l) (the 3 it pulled), no partial copy" \
  test "$(complete_count "$R")" = 3 -a "$(ls "$R/generations" | wc -l)" = 3 -a -z "$(ls "$R/pull" 2>/dev/null)"

section "rsync replica (the README's commands)"
if command -v rsync >/dev/null; then
  R2=$work/replica-rsync
  mkdir -p "$R2/generations"
  # the README's three commands, with the builder's folder as the source
  sync_rsync() {
    rsync -a "$B/CURRENT" "$R2/.tmp-CURRENT" &&
      rsync -a --exclude CITED "$B/generations/" "$R2/generations/" &&
      mv "$R2/.tmp-CURRENT" "$R2/CURRENT" &&
      rsync -a --delete --existing --ignore-existing "$B/generations/" "$R2/generations/"
  }
  check "rsync: first copy" sync_rsync
  serve_start rsync "$R2"
  check "the rsync replica answers what the builder answers: $(fp "$rsync_BASE")" test "$(fp "$rsync_BASE")" = "$(fp "$builder_BASE")"
  crawl "$B" || bad "builder crawl"
  check "rsync after a re-index" sync_rsync
  wait_for 60 test "$(fp "$rsync_BASE" | cut -d' ' -f3)" = "$(current "$B")"
  check "the rsync replica swapped to $(current "$B") within 6 s: $(fp "$rsync_BASE")" test "$(fp "$rsync_BASE")" = "$(fp "$builder_BASE")"
  kill -TERM "$rsync_PID"; wait "$rsync_PID" 2>/dev/null
else
  echo "  [skip] rsync is not installed: the three commands of the README are not run here"
fi

section "builder down"
cur=$(current "$R")
kill -TERM "$builder_PID"; wait "$builder_PID" 2>/dev/null
out=$("$bin" pull --from "$builder_BASE" --data "$R" 2>&1); code=$?
check "pull from the stopped builder exits $code: $(echo "$out" | tail -1 | cut -c1-140)" test "$code" = 1 -a -n "$(echo "$out" | grep unreachable)"
check "the replica still serves $cur: $(fp "$replica_BASE")" test "$(current "$R")" = "$cur" -a "$(fp "$replica_BASE" | cut -d' ' -f3)" = "$cur"
kill -TERM "$replica_PID"; wait "$replica_PID"; code=$?
check "replica exit status $code after SIGTERM" test "$code" = 0
if grep -qiE "panic|fatal" "$work"/serve-*.log "$work/pull-loop.log"; then bad "a log shows a panic"; grep -iE "panic|fatal" "$work"/serve-*.log | head; fi

echo
if [ $fails -eq 0 ]; then
  echo "replica.sh: PASS ($ROUNDS re-indexes under load on the replica, $CONNS connections)"
else
  echo "replica.sh: FAIL ($fails checks failed)"
  exit 1
fi
