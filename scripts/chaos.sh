#!/usr/bin/env bash
# scripts/chaos.sh — the fault tests of RELIABILITY.md D1, D2, D4, D6, D7, D8
# with the built binary, on loopback and in a temporary folder:
#   D1 kill -9 of `inlsearch crawl` at random points (CRAWL_KILLS, default 15) and
#      of a generation build at random points of its batches and merges
#      (BUILD_KILLS, default 10): after each, a fresh server serves the same
#      passages (count + hash of the sorted ids), complete, not degraded;
#      the next crawl removes the partial generations;
#   D2 FAILPOINT=swap:<step> kills the crawl after each step of publication and
#      the server after closing the old generation: exactly one complete
#      generation is served after a restart, the old one before the rename,
#      the new one after;
#   D6 a second crawl beside a running one exits at once with the lock's message;
#      two servers share one data folder;
#   D4 a small tmpfs: pre-flight refusal (crawl and 409 insufficient_disk), a
#      fresh process on a full disk, ENOSPC in the middle of a build, recovery
#      once space is freed (skipped with a message when no tmpfs can be mounted);
#   D7 damaged generations (torn or half root.bolt, a deleted segment, every
#      segment truncated, an emptied index_meta.json, an unreadable segment): the previous
#      generation is served, /healthz says degraded, three restarts in a row,
#      nothing deleted; with nothing servable, 503;
#   D8 SIGTERM during 32 concurrent searches and a re-index: answers complete,
#      exit 0, the job's partial work discarded, an instant restart.
# Prints every check and PASS or FAIL; exits 1 on FAIL. KEEP=1 keeps the folder.
set -uo pipefail
cd "$(dirname "$0")/.."

CRAWL_KILLS=${CRAWL_KILLS:-15}
BUILD_KILLS=${BUILD_KILLS:-10}
FIXTURE=${FIXTURE:-10000}
work=$(mktemp -d /tmp/inlsearch-chaos.XXXXXX)
chmod 755 "$work"
bin=$work/inlsearch
pids=()
tmpfs=""
fails=0
cleanup() {
  for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null; done
  { wait; } 2>/dev/null
  [ -n "$tmpfs" ] && umount "$tmpfs" 2>/dev/null
  if [ "${KEEP:-0}" = 1 ]; then echo "work folder kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
ok() { echo "  [ok  ] $*"; }
bad() { echo "  [FAIL] $*"; fails=$((fails + 1)); }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }
section() { echo; echo "== $*"; }
now_ms() { date +%s%3N; }

section "build"
go build -o "$bin" ./cmd/inlsearch && go build -o "$work/loadgen" ./scripts/loadgen && go build -o "$work/fixture" ./scripts/fixture || exit 1
"$bin" demo-site --addr 127.0.0.1:0 >"$work/site.out" 2>&1 &
pids+=($!)
for _ in $(seq 50); do grep -q "demo site on" "$work/site.out" && break; sleep 0.1; done
SITE=$(sed -n 's/.*demo site on \(http[^ ]*\).*/\1/p' "$work/site.out")
[ -n "$SITE" ] || { echo "the demo site did not start"; exit 1; }
echo "demo site $SITE"

crawl() { # crawl DATA [args…]
  local data=$1; shift
  "$bin" crawl --data "$data" --seed "$SITE" --delay 1ms --log-level error "$@"
}

# serve_start DATA [args…]: starts a server (with the environment SENV, an
# array of NAME=value); sets SPID, SBASE, SLOG, SREADY (ms to ready).
SENV=()
serve_start() {
  local data=$1; shift
  local out=$work/serve.$RANDOM
  local t0; t0=$(now_ms)
  env "${SENV[@]}" "$bin" serve --data "$data" --addr 127.0.0.1:0 --log-level warn "$@" >"$out.out" 2>"$out.log" &
  SPID=$!
  pids+=("$SPID")
  SLOG=$out.log
  SBASE=""
  for _ in $(seq 200); do
    SBASE=$(sed -n 's/.*serving on \(http[^ ]*\).*/\1/p' "$out.out" 2>/dev/null)
    [ -n "$SBASE" ] && break
    kill -0 "$SPID" 2>/dev/null || break
    sleep 0.05
  done
  SREADY=$(($(now_ms) - t0))
  [ -n "$SBASE" ]
}
serve_stop() { kill -TERM "$SPID" 2>/dev/null; { wait "$SPID"; } 2>/dev/null; }

# fp DATA [serve args…]: "passages hash generation health ready-ms" as a
# fresh server sees it.
fp() {
  local data=$1; shift
  if ! serve_start "$data" "$@"; then echo "no-server - - - -"; return; fi
  echo "$("$work/loadgen" -phase fingerprint -base "$SBASE" 2>/dev/null || echo "unanswered - - -") $SREADY"
  serve_stop
}
content() { echo "$1" | cut -d' ' -f1,2; }
field() { echo "$1" | cut -d' ' -f"$2"; }
partials() { # generation folders without COMPLETE
  local n=0
  for g in "$1"/generations/*/; do [ -d "$g" ] && [ ! -f "$g/COMPLETE" ] && n=$((n + 1)); done
  echo $n
}
current() { sed -n 's/.*"current":"\([^"]*\)".*/\1/p' "$1/CURRENT"; }

# ---------------------------------------------------------------- D1
section "D1 kill -9 during indexing"
d1=$work/d1
crawl "$d1" >/dev/null || bad "first crawl"
t0=$(now_ms); crawl "$d1" >/dev/null || bad "second crawl"; T=$(($(now_ms) - t0))
ref=$(fp "$d1")
echo "  reference: $(field "$ref" 1-4) (an unchanged re-crawl takes ${T} ms)"
killed=0; worst=0; bads=0
for i in $(seq "$CRAWL_KILLS"); do
  at=$((RANDOM % (T * 11 / 10 + 1)))
  crawl "$d1" >/dev/null 2>&1 &
  cp=$!
  sleep "$((at / 1000)).$(printf '%03d' $((at % 1000)))"
  kill -KILL "$cp" 2>/dev/null && killed=$((killed + 1))
  { wait "$cp"; } 2>/dev/null
  got=$(fp "$d1")
  ready=$(field "$got" 5)
  worst=$((ready > worst ? ready : worst))
  if [ "$(content "$got")" != "$(content "$ref")" ] || [ "$(field "$got" 4)" != ok ]; then
    bad "crawl kill $i after ${at} ms: served $got, want $(content "$ref") ok"; bads=$((bads + 1))
  fi
done
[ $bads -eq 0 ] && ok "$CRAWL_KILLS crawls killed at random points ($killed before their end): the same $(field "$ref" 1) passages served each time, complete, not degraded"
check "each restart ready within 5 s (slowest ${worst} ms)" test "$worst" -lt 5000

# Each build is killed after a batch picked at random: while the next one is
# written and merged, or, after the last, in the commit (merge plan, checks,
# publication). A kill by progress, not by time, lands before publication
# however loaded the machine is.
bads=0
for i in $(seq "$BUILD_KILLS"); do
  fo=$work/fixture-$i.out
  "$work/fixture" -data "$d1" -passages "$FIXTURE" -tag "k$i" >"$fo" 2>&1 &
  fx=$!
  for _ in $(seq 500); do grep -q '^batches' "$fo" && break; sleep 0.01; done
  nb=$(sed -n 's/^batches \([0-9]*\)$/\1/p' "$fo"); nb=${nb:-1}
  k=$((1 + RANDOM % nb))
  while kill -0 "$fx" 2>/dev/null && [ "$(grep -c '^added' "$fo")" -lt "$k" ]; do sleep 0.01; done
  kill -KILL "$fx" 2>/dev/null
  { wait "$fx"; } 2>/dev/null
  grep -q '^published' "$fo" && { bad "build $i published before its kill after batch $k of $nb"; bads=$((bads + 1)); continue; }
  got=$(fp "$d1")
  if [ "$(content "$got")" != "$(content "$ref")" ] || [ "$(field "$got" 4)" != ok ]; then
    bad "build kill $i after batch $k of $nb: served $got, want $(content "$ref") ok"; bads=$((bads + 1))
  fi
done
[ $bads -eq 0 ] && ok "$BUILD_KILLS builds killed after a random batch or in their commit: the served generation intact each time"
before=$(partials "$d1")
out=$(crawl "$d1" --log-level info 2>&1) || bad "the crawl after the kills failed: $out"
removed=$(echo "$out" | grep -c "removed partial generation")
check "the next crawl succeeds and removes the $before partial generations ($removed logged), none left" test "$(partials "$d1")" -eq 0 -a "$removed" -eq "$before"
got=$(fp "$d1")
check "after it: $(content "$got") $(field "$got" 4)" test "$(content "$got")" = "$(content "$ref")" -a "$(field "$got" 4)" = ok
# The keep policy (serve's default --keep-generations, recorded in DATA/KEEP
# by the servers above) prunes the older generations.
keep=$(sed -n 's/.*"generations":\([0-9]*\).*/\1/p' "$d1/KEEP" 2>/dev/null); keep=${keep:-10}
check "at most the keep policy's $keep generations kept ($(ls "$d1/generations" | wc -l))" test "$(ls "$d1/generations" | wc -l)" -le "$keep"

# ---------------------------------------------------------------- D2
section "D2 kill -9 during the generation swap (FAILPOINT=swap:<step>)"
d2=$work/d2
crawl "$d2" >/dev/null || bad "first crawl"
ref=$(fp "$d2")
for step in closed checked complete pointer-temp pointer-renamed pointer-synced pruned; do
  old=$(current "$d2")
  FAILPOINT=swap:$step crawl "$d2" >/dev/null 2>&1
  code=$?
  got=$(fp "$d2")
  gen=$(field "$got" 3)
  case $step in
    closed | checked | complete | pointer-temp) want="the old $old"; good=$([ "$gen" = "$old" ] && echo y) ;;
    *) want="the new one"; good=$([ "$gen" != "$old" ] && [ "$gen" = "$(current "$d2")" ] && echo y) ;;
  esac
  if [ "$code" = 137 ] && [ "$good" = y ] && [ "$(content "$got")" = "$(content "$ref")" ] && [ "$(field "$got" 4)" = ok ]; then
    ok "killed after '$step': serves $want, complete ($(content "$got"))"
  else
    bad "killed after '$step' (exit $code): serves $got, want $want with $(content "$ref") ok"
  fi
  test -d "$d2/generations/$old" || bad "the previous generation $old was removed"
  crawl "$d2" >/dev/null 2>&1 || bad "the crawl after '$step' failed"
done
# The armed server runs in a subshell that records its exit status (and
# keeps bash from reporting the kill).
fo=$work/failpoint-serve
( FAILPOINT=swap:old-closed "$bin" serve --data "$d2" --addr 127.0.0.1:0 --log-level warn >"$fo.out" 2>"$fo.log"; echo $? >"$fo.code" ) 2>/dev/null &
for _ in $(seq 100); do grep -q "serving on" "$fo.out" 2>/dev/null && break; sleep 0.05; done
crawl "$d2" >/dev/null || bad "crawl beside the armed server"
new=$(current "$d2")
for _ in $(seq 100); do [ -s "$fo.code" ] && break; sleep 0.1; done
code=$(cat "$fo.code" 2>/dev/null || echo running)
got=$(fp "$d2")
if [ "$code" = 137 ] && [ "$(field "$got" 3)" = "$new" ] && [ "$(field "$got" 4)" = ok ]; then
  ok "server killed after closing the old generation: a restart serves the new one ($new)"
else
  bad "server with swap:old-closed: exit $code, then serves $got, want $new ok"
fi

# ---------------------------------------------------------------- D6
section "D6 second opener"
d6=$work/d6
crawl "$d6" >/dev/null || bad "first crawl"
"$bin" crawl --data "$d6" --seed "$SITE" --delay 100ms --log-level error >/dev/null 2>&1 &
first=$!
pids+=("$first")
for _ in $(seq 100); do [ -f "$d6/crawl.lock" ] && break; sleep 0.05; done
t0=$(now_ms); out=$(crawl "$d6" 2>&1); code=$?; took=$(($(now_ms) - t0))
check "a second crawl exits $code within ${took} ms: $(echo "$out" | tail -1)" \
  test "$code" = 1 -a "$took" -lt 5000 -a -n "$(echo "$out" | grep "already running" | grep "pid $first")"
kill -TERM "$first"; wait "$first" 2>/dev/null
serve_start "$d6" && a=$SPID && ab=$SBASE
serve_start "$d6" && b=$SPID && bb=$SBASE
check "two servers share the data folder (read-only): both answer" test "$(curl -s -o /dev/null -w '%{http_code}' "$ab/healthz")$(curl -s -o /dev/null -w '%{http_code}' "$bb/healthz")" = 200200
kill -TERM "$a" "$b"; wait "$a" "$b" 2>/dev/null

# ---------------------------------------------------------------- D4
section "D4 disk full"
tm=$work/tmpfs
mkdir -p "$tm"
if mount -t tmpfs -o size=48m tmpfs "$tm" 2>/dev/null; then
  tmpfs=$tm
  d4=$tm/data
  avail() { df --output=avail -B1 "$tm" | tail -1; }
  fill_to() { # leave about $1 bytes free
    local n=$((($(avail) - $1) / 1048576))
    [ $n -gt 0 ] && dd if=/dev/zero of="$tm/filler.$RANDOM" bs=1M count=$n status=none 2>/dev/null
    true
  }
  crawl "$d4" >/dev/null || bad "first crawl on the tmpfs"
  ref=$(fp "$d4")
  fill_to $((10 << 20))
  out=$(crawl "$d4" 2>&1); code=$?
  check "pre-flight: crawl refused (exit $code): $(echo "$out" | tail -1 | cut -c1-150)" test "$code" = 1 -a -n "$(echo "$out" | grep 'insufficient disk space' | grep 'needed')"
  SENV=(INLSEARCH_ADMIN_TOKEN=tok)
  serve_start "$d4" --seed "$SITE"
  SENV=()
  resp=$(curl -s -X POST -H "Authorization: Bearer tok" -w ' %{http_code}' "$SBASE/api/v1/reindex")
  check "pre-flight: POST /api/v1/reindex → $resp" test -n "$(echo "$resp" | grep insufficient_disk | grep ' 409$')"
  check "search keeps serving" test "$(curl -s -o /dev/null -w '%{http_code}' "$SBASE/api/v1/search?q=police")" = 200
  serve_stop
  dd if=/dev/zero of="$tm/filler.full" bs=1M status=none 2>/dev/null
  got=$(fp "$d4")
  check "a fresh server on a full disk serves: $got" test "$(content "$got")" = "$(content "$ref")" -a "$(field "$got" 4)" = ok
  out=$(crawl "$d4" 2>&1); code=$?
  check "a fresh crawl on a full disk is refused cleanly (exit $code, no panic)" test "$code" = 1 -a -z "$(echo "$out" | grep -i panic)"
  rm -f "$tm"/filler.*
  hit=""
  for attempt in 1 2 3; do
    fill_to $((17 << 20))
    n0=$(ls "$d4/generations" | wc -l)
    crawl "$d4" >"$work/enospc.out" 2>&1 &
    cp=$!
    while kill -0 "$cp" 2>/dev/null; do
      if [ "$(ls "$d4/generations" | wc -l)" -gt "$n0" ]; then dd if=/dev/zero of="$tm/filler.mid" bs=1M status=none 2>/dev/null; break; fi
      sleep 0.005
    done
    wait "$cp"; code=$?
    rm -f "$tm"/filler.*
    if grep -q "no space left on device" "$work/enospc.out"; then hit=$attempt; break; fi
  done
  check "ENOSPC mid-build: the job fails (exit $code): $(tail -1 "$work/enospc.out" | sed 's/.*: \(write .*\)/\1/' | cut -c1-120)" test -n "$hit" -a "$code" = 1
  check "the partial build is removed" test "$(partials "$d4")" -eq 0
  got=$(fp "$d4")
  check "search served the same passages throughout: $got" test "$(content "$got")" = "$(content "$ref")" -a "$(field "$got" 4)" = ok
  crawl "$d4" >/dev/null 2>&1
  check "space freed: the next crawl succeeds with nothing to unlock" test $? = 0
  umount "$tm" && tmpfs=""
else
  echo "  [skip] cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN): D4 runs with injected"
  echo "         statfs and ENOSPC in go test (indexer TestInjectedFailuresLeaveServedGeneration,"
  echo "         cmd TestReindexRefusedOnFullDisk, search TestCheckSpace)"
fi

# ---------------------------------------------------------------- D7
section "D7 corrupted generation at startup"
d7=$work/d7
# The second crawl is a full build: a generation built from the one before
# shares its segment files (hard links), and a truncated or unreadable shared
# segment damages both; D7's fallback is to a generation of files of its own.
crawl "$d7" >/dev/null && crawl "$d7" --rebuild >/dev/null || bad "crawls"
pristine=$work/d7.pristine
cp -a "$d7" "$pristine"
prev=$(sed -n 's/.*"previous":"\([^"]*\)".*/\1/p' "$d7/CURRENT")
cur=$(current "$d7")
ref=$(fp "$d7")
store() { echo "$d7/generations/$1/index/store"; }
damage() { # damage NAME GENERATION
  local s; s=$(store "$2")
  case $1 in
    root-torn) truncate -s 8192 "$s/root.bolt" ;;
    root-half) truncate -s $(($(stat -c %s "$s/root.bolt") / 2)) "$s/root.bolt" ;;
    zap-deleted) rm "$(ls "$s"/*.zap | head -1)" ;;
    zaps-truncated) for z in "$s"/*.zap; do truncate -s $(($(stat -c %s "$z") / 2)) "$z"; done ;;
    meta-emptied) : >"$d7/generations/$2/index/index_meta.json" ;;
    zap-unreadable) chmod 000 "$(ls "$s"/*.zap | head -1)" ;;
  esac
}
asuser=()
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then asuser=(setpriv --reuid=65534 --regid=65534 --clear-groups); fi
for v in root-torn root-half zap-deleted zaps-truncated meta-emptied zap-unreadable; do
  chmod -R u+rw "$d7" 2>/dev/null; rm -rf "$d7"; cp -a "$pristine" "$d7"
  if [ "$v" = zap-unreadable ]; then
    if [ ${#asuser[@]} -eq 0 ] && [ "$(id -u)" = 0 ]; then echo "  [skip] $v: root reads any file and setpriv is missing"; continue; fi
    chmod -R a+rX "$work"
  fi
  damage "$v" "$cur"
  files=$(cd "$d7" && find . | sort)
  good=1; detail=""
  for restart in 1 2 3; do
    if [ "$v" = zap-unreadable ] && [ ${#asuser[@]} -gt 0 ]; then
      out=$work/asuser.$restart
      "${asuser[@]}" "$bin" serve --data "$d7" --addr 127.0.0.1:0 --log-level warn >"$out.out" 2>"$out.log" &
      SPID=$!; SLOG=$out.log; SBASE=""; pids+=("$SPID")
      for _ in $(seq 200); do SBASE=$(sed -n 's/.*serving on \(http[^ ]*\).*/\1/p' "$out.out"); [ -n "$SBASE" ] && break; sleep 0.05; done
      got=$("$work/loadgen" -phase fingerprint -base "$SBASE" 2>/dev/null); serve_stop
    else
      serve_start "$d7" || { good=0; detail="start $restart failed"; break; }
      got=$("$work/loadgen" -phase fingerprint -base "$SBASE" 2>/dev/null); serve_stop
    fi
    gen=$(field "$got" 3); health=$(field "$got" 4)
    if [ "$gen" = "$prev" ] && [ "$health" = degraded ] && grep -q "serving a fallback generation" "$SLOG"; then :
    elif [ "$v" = root-half -o "$v" = zap-deleted -o "$v" = zap-unreadable ] && [ "$gen" = "$cur" ] && [ "$health" = ok ] && [ "$(content "$got")" = "$(content "$ref")" ]; then
      detail=": the damage missed all live data (free bbolt pages or a merged-away segment), $cur served whole and not degraded"
    else good=0; detail=" start $restart: $got"; fi
  done
  # Nothing deleted: every file before the starts is still there (a server
  # adds DATA/KEEP, its keep policy).
  gone=$(comm -23 <(echo "$files") <(cd "$d7" && find . | sort) | head -3 | tr '\n' ' ')
  if [ $good = 1 ] && [ -z "$gone" ] && [ -n "$detail" ]; then
    ok "$v: 3 starts$detail, nothing deleted"
  elif [ $good = 1 ] && [ -z "$gone" ]; then
    ok "$v: 3 starts, each serves the previous generation $prev, /healthz degraded, nothing deleted"
  else
    bad "$v:$detail (deleted: ${gone:-nothing})"
  fi
done
chmod -R u+rw "$d7" 2>/dev/null; rm -rf "$d7"; cp -a "$pristine" "$d7"
damage root-torn "$cur"; damage meta-emptied "$prev"
serve_start "$d7"
h=$(curl -s -w ' %{http_code}' "$SBASE/healthz"); s=$(curl -s -w ' %{http_code}' "$SBASE/api/v1/search?q=police")
check "nothing servable: /healthz → $(echo "$h" | cut -c1-80)…, search → 503 index_unavailable, the server stays up" \
  test -n "$(echo "$h" | grep ' 503$')" -a -n "$(echo "$s" | grep index_unavailable | grep ' 503$')" -a "$(kill -0 "$SPID" && echo up)" = up
serve_stop

# ---------------------------------------------------------------- D8
section "D8 SIGTERM during searches and a re-index"
d8=$work/d8
crawl "$d8" >/dev/null || bad "first crawl"
ref=$(fp "$d8")
SENV=(INLSEARCH_ADMIN_TOKEN=tok)
serve_start "$d8" --seed "$SITE" --delay 200ms
SENV=()
"$work/loadgen" -phase sigterm -base "$SBASE" -pid "$SPID" -token tok | sed 's/^/  /'
[ "${PIPESTATUS[0]}" = 0 ] || fails=$((fails + 1))
wait "$SPID"; code=$?
check "exit status $code after SIGTERM" test "$code" = 0
grep -q "reindex failed.*context canceled" "$SLOG" && ok "the running job was cancelled" || bad "no cancelled job in the log"
check "no partial generation, no lock left" test "$(partials "$d8")" -eq 0 -a ! -e "$d8/crawl.lock"
got=$(fp "$d8")
check "restart ready in $(field "$got" 5) ms, serving $(content "$got") $(field "$got" 4)" test "$(field "$got" 5)" -lt 5000 -a "$(content "$got")" = "$(content "$ref")" -a "$(field "$got" 4)" = ok

echo
if [ $fails -eq 0 ]; then
  echo "chaos.sh: PASS (D1 $CRAWL_KILLS+$BUILD_KILLS kills, D2, D4$([ -d "$tm" ] || echo ' skipped'), D6, D7, D8)"
else
  echo "chaos.sh: FAIL ($fails checks failed)"
  exit 1
fi
