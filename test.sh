#!/usr/bin/env bash
# Runs every test: the analytics engine, the server on SQLite and on PostgreSQL (with an upgrade from the previous
# commit's database), and the browser tests on both: in process on PostgreSQL, and against the published app in
# Production on SQLite (there also two nodes on PostgreSQL behind nginx with Redis between them). Installs what the
# tests need when it is missing (PostgreSQL, Chromium, Node.js and npm, Redis, nginx) and starts a throwaway
# PostgreSQL cluster on a free port, removed again on exit. The tests start their own Redis and nginx on free ports.
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# --- what the tests need ---------------------------------------------------------------------------
command -v dotnet >/dev/null || { echo "test.sh: the .NET 10 SDK is required (dotnet on PATH)" >&2; exit 1; }
missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
[ -x /usr/bin/chromium ] || missing+=(chromium)
# The server's build fetches its front-end packages (package-lock.json) with npm.
command -v npm >/dev/null || missing+=(nodejs npm)
# Several nodes: the browser tests start redis-server and nginx themselves (a system service they may bring along is not used).
[ -x /usr/bin/redis-server ] || command -v redis-server >/dev/null || missing+=(redis-server)
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null || missing+=(nginx)
if [ ${#missing[@]} -gt 0 ]; then
  echo "test.sh: installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

CENTRIC_REDIS_SERVER=$(command -v redis-server || echo /usr/bin/redis-server)
CENTRIC_NGINX=$(command -v nginx || echo /usr/sbin/nginx)
export CENTRIC_REDIS_SERVER CENTRIC_NGINX

# --- a throwaway PostgreSQL cluster -------------------------------------------------------------------
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
pgdir=$(mktemp -d /tmp/centric-pg.XXXXXX)
port=$(for p in $(seq 55432 55532); do (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null || { echo $p; break; }; done)
run_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$pgdir"
cleanup() {
  run_pg "$pgbin/pg_ctl" -D "$pgdir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$pgdir" "${published:-}" "${previous:-}"
}
trap cleanup EXIT
run_pg "$pgbin/initdb" -D "$pgdir/data" -U postgres --auth=trust -E UTF8 --no-sync >/dev/null
# Durability is pointless for a cluster that lives for one test run.
run_pg "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/log" -w -o "-p $port -k $pgdir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" start >/dev/null
# Three suites start side by side on two cores: a new connection may wait longer than Npgsql's 15 s default.
export CENTRIC_TEST_PG="Host=127.0.0.1;Port=$port;Username=postgres;Include Error Detail=true;Timeout=60"
echo "test.sh: PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on port $port"

# --- build once, then run every suite --------------------------------------------------------------
export CENTRIC_TEST_RUN=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# The front-end packages first (the server's build would fetch them itself): the previous commit's build below copies them.
if [ ! src/Centric.Server/node_modules/.package-lock.json -nt src/Centric.Server/package-lock.json ]; then
  (cd src/Centric.Server && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
# The upgrade test (UpgradeTests) upgrades a database made by the previous commit's server, built here from
# CENTRIC_UPGRADE_FROM (default HEAD~1). A clone without that commit (shallow, or no git) skips it and says why.
previous=$(mktemp -d /tmp/centric-previous.XXXXXX)
# It builds in the background beside this commit's build, which leaves one of the two cores idle much of the time,
# rather than beside the suites; the upgrade test waits for CENTRIC_PREVIOUS_READY (a file that says "ok" or why the
# build failed) before it uses the server.
build_previous() {
  local ready=$previous/ready
  git archive "$from" | tar -x -C "$previous" || { echo "could not extract $from" >"$ready"; return; }
  # Same front-end packages: no need to fetch them again.
  if [ -d src/Centric.Server/node_modules ] && cmp -s src/Centric.Server/package-lock.json "$previous/src/Centric.Server/package-lock.json"; then
    cp -r src/Centric.Server/node_modules "$previous/src/Centric.Server/" || true
  fi
  # Without the analyzers (about 40 % of the server's compile): that commit's code was checked when it landed; here it
  # only has to run.
  if dotnet build "$previous/src/Centric.Server" -c Release -v quiet -nologo -p:RunAnalyzers=false >"$previous/build.log" 2>&1; then
    echo ok >"$ready"
  else
    { echo "the previous commit ($from) did not build:"; tail -n 20 "$previous/build.log"; } >"$ready"
  fi
}
from=${CENTRIC_UPGRADE_FROM:-HEAD~1}
if git rev-parse -q --verify "$from^{commit}" >/dev/null 2>&1; then
  export CENTRIC_PREVIOUS_SERVER="$previous/src/Centric.Server/bin/Release/net10.0/Centric.Server.dll" CENTRIC_PREVIOUS_READY="$previous/ready"
  echo "test.sh: upgrade test from $(git rev-parse --short "$from") (built in the background)"
  build_previous &
  previous_pid=$!
else
  export CENTRIC_PREVIOUS_UNAVAILABLE="commit '$from' is not in this clone (shallow clone? git fetch --unshallow)"
  echo "test.sh: the upgrade test is skipped: $CENTRIC_PREVIOUS_UNAVAILABLE"
fi
dotnet build Centric.slnx -c Release -v quiet -nologo
# The browser suite runs once more against the published app (dotnet publish output, Production).
published=$(mktemp -d /tmp/centric-published.XXXXXX)
dotnet publish src/Centric.Server -c Release --no-build -o "$published" -v quiet -nologo

# Test processes live minutes, not days: the runtime's profile-guided recompilation (an instrumented tier before the
# optimised one) costs them JIT work they never earn back, about a tenth of the CPU of seeding the demo. The two cores are
# the limit of a run, so it is off for the suites (and the servers they start).
export DOTNET_TieredPGO=0
log=$(mktemp /tmp/centric-tests.XXXXXX)
status=0
timings=$(mktemp /tmp/centric-timings.XXXXXX)
run_suite() {
  local name=$1 out=$2 started=$SECONDS; shift 2
  echo "== $name" >>"$out"
  # Normal verbosity names every test with its duration: the passing ones go to the timings, the rest to the lane.
  local rc=0
  dotnet test "$@" -c Release --no-build --nologo --logger "console;verbosity=normal" 2>&1 \
    | tee -a "$timings" | { grep -Ev '^ +Passed [A-Za-z_.]+' || true; } >>"$out" || rc=$?
  [ "$rc" = 0 ] || echo "test.sh: suite '$name' failed" >>"$out"
  echo "test.sh: suite '$name' took $((SECONDS - started)) s" >>"$out"
}
# Three lanes side by side: the server suite, the longest; the analytics suite, the server suite's two years of demo
# history on PostgreSQL (taken from the server lane, which otherwise ends minutes after the others), then the browser
# suite in process on PostgreSQL in Development (the demo's own settings); the browser suite against the published app
# in Production on SQLite, with staff MFA and the several-nodes tests (two published nodes on PostgreSQL). Together they
# keep both cores busy, so a run is as long as the CPU its tests need. Every browser test runs on both databases and in
# both environments, except the two page sweeps of the design system (accessibility in both themes, the console on a
# phone): they check markup, styles and the page's own script, which are the same on both, so they run once, in the
# in-process lane. Each lane's output is printed whole when it ends.
lane_server=$(mktemp /tmp/centric-lane.XXXXXX)
lane_browser=$(mktemp /tmp/centric-lane.XXXXXX)
lane_published=$(mktemp /tmp/centric-lane.XXXXXX)
(
  run_suite "server (SQLite and PostgreSQL, with the input, ownership, crash and upgrade sweeps)" "$lane_server" tests/Centric.Server.Tests \
    --filter "FullyQualifiedName!~DemoDataOnPostgres"
) &
server_pid=$!
pids=()
if [ -f tests/Centric.E2E.Tests/Centric.E2E.Tests.csproj ]; then
  ( run_suite "analytics" "$lane_browser" tests/Centric.Analytics.Tests
    run_suite "server: the demo's two years on PostgreSQL" "$lane_browser" tests/Centric.Server.Tests --filter "FullyQualifiedName~DemoDataOnPostgres"
    CENTRIC_E2E_PROVIDER=postgres run_suite "browser (PostgreSQL, Development)" "$lane_browser" tests/Centric.E2E.Tests --filter "FullyQualifiedName!~SeveralNodes" ) &
  pids+=($!)
  ( CENTRIC_E2E_PUBLISHED=$published CENTRIC_E2E_PROVIDER=sqlite \
      run_suite "browser (the published app in Production, staff with MFA: SQLite, and several nodes)" "$lane_published" tests/Centric.E2E.Tests \
        --filter "FullyQualifiedName!~accessibility_violation&FullyQualifiedName!~The_console_fits_a_phone" ) &
  pids+=($!)
fi
wait $server_pid || true
[ -n "${previous_pid:-}" ] && { wait "$previous_pid" || true; }
for pid in "${pids[@]}"; do wait "$pid" || true; done
cat "$lane_server" "$lane_browser" "$lane_published" | tee "$log"
grep -q "^test.sh: suite .* failed" "$log" && status=1
rm -f "$lane_server" "$lane_browser" "$lane_published"

# One closing line for the whole run.
passed=$( (grep -Eo 'Passed: +[0-9]+' "$log" || true) | awk '{s+=$2} END {print s+0}')
failed=$( (grep -Eo 'Failed: +[0-9]+' "$log" || true) | awk '{s+=$2} END {print s+0}')
skipped=$( (grep -Eo 'Skipped: +[0-9]+' "$log" || true) | awk '{s+=$2} END {print s+0}')
# Where the time goes: the slowest tests (durations as the test logger prints them, e.g. [1 m 5 s], [820 ms]).
echo "test.sh: slowest tests:"
grep -E '^ +(Passed|Failed) .* \[[^]]+\]$' "$timings" | awk '{
  d = $0; sub(/^.*\[/, "", d); sub(/\]$/, "", d); n = split(d, p, " "); t = 0
  for (i = 1; i < n; i += 2) { v = p[i] + 0; u = p[i + 1]; t += (u == "h" ? v * 3600 : u == "m" ? v * 60 : u == "s" ? v : v / 1000) }
  name = $0; sub(/^ +(Passed|Failed) /, "", name); sub(/ \[[^]]*\]$/, "", name); printf "%8.1f s  %s\n", t, name }' | sort -rn | head -n 25 || true
rm -f "$timings"
# The failing tests last, where a short tail of the output still shows them: each by name with the first lines of what it said.
if grep -q "\[FAIL\]" "$log"; then
  echo "test.sh: failed tests:"
  awk '/^  Failed .* \[[^]]*\]$/ { name = $0; sub(/^  Failed /, "", name); print "  " name; grab = 1; n = 0; next }
       grab && /^  Stack Trace:/ { grab = 0; next }
       grab && !/^  Error Message:/ && n < 8 { print "      " substr($0, 1, 300); n++ }' "$log"
fi
rm -f "$log"
[ "$failed" -gt 0 ] && status=1
[ "$passed" -eq 0 ] && { echo "test.sh: no test ran" >&2; status=1; }
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
