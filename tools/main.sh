#!/usr/bin/env bash
# The main job, on a fresh machine, with nothing installed by hand.
#   - Nothing configured (no DB_HOST): the demo. Starts throwaway local PostgreSQL + S3, seeds the incident
#     (`dbintegrity reproduce seed-incident`), runs the gate (blocked, findings shown), plans and applies the repair,
#     runs the gate again (passes), and stops the services. Each step must give its expected exit code, else the script
#     fails.
#   - A deployment configured (the daemon's DB_* and S3 variables): read-only. It shows the migration status and runs
#     the gate against it (--no-record: not even the gate's run record is written); it never migrates, seeds or repairs
#     a configured deployment.
# Exit code: 0 when the demo ran as expected; against a deployment, the gate's (0 pass, 1 blocked, 2 configuration,
# 3 could not complete). KEEP_SERVICES=1 leaves the local services running after the demo.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: tools/main.sh [GATE ARGUMENTS...]
       tools/main.sh --help

With no deployment configured (DB_HOST unset): the demo on throwaway local PostgreSQL and S3. It seeds the incident,
runs the gate (blocked), plans and applies the repair, runs the gate again (passes) and stops the services. It takes
no arguments. KEEP_SERVICES=1 leaves the services running.

With the plugin daemon's variables set (DB_HOST, DB_PORT, DB_USERNAME, DB_PASSWORD, DB_DATABASE,
PLUGIN_STORAGE_OSS_BUCKET, S3_ENDPOINT, AWS_ACCESS_KEY, AWS_SECRET_KEY, ...): read-only. It shows the migration status
and runs `dbintegrity gate --no-record` with the extra arguments, e.g. tools/main.sh --grace 10m --format markdown.

Exit code: 0 when the demo ran as expected; against a deployment, the gate's (0 pass, 1 blocked, 2 configuration,
3 could not complete). See README.md, "The demo".
USAGE
}
if [ "${1:-}" = "--help" ] || [ "${1:-}" = "-h" ]; then usage; exit 0; fi

cd "$(dirname "${BASH_SOURCE[0]}")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
step() { printf '\n== %s\n' "$*" >&2; }
die() { printf '\nmain.sh: %s\n' "$*" >&2; exit 1; }

if [ -z "${DB_HOST:-}" ] && [ $# -gt 0 ]; then
  die "arguments ($*) go to the gate, which runs only against a configured deployment: set DB_HOST (and the daemon's other variables), or run without arguments for the demo"
fi

step "build dbintegrity"
dotnet build tools/DbIntegrity.Cli -c Release --nologo -v quiet -clp:ErrorsOnly >&2
dbintegrity() { dotnet tools/DbIntegrity.Cli/bin/Release/net10.0/dbintegrity.dll "$@"; }

# Runs a demo step and fails the demo unless it exits with the expected code.
expect_exit() {
  local expected=$1 status=0
  shift
  "$@" || status=$?
  [ "$status" -eq "$expected" ] || die "expected exit $expected from '$*', got $status"
}

if [ -n "${DB_HOST:-}" ]; then
  step "dbintegrity migrate status"
  dbintegrity migrate status
  step "dbintegrity gate --no-record"
  dbintegrity gate --no-record "$@"
  exit
fi

step "no deployment configured (DB_HOST unset): the demo on throwaway local PostgreSQL and S3"
started=$SECONDS
# Stop the services at the end only if this run starts them: when they already run (another job's, or kept with
# KEEP_SERVICES=1), they are left as they were. The trap is set before `up`, so a failed `up` is cleaned up too.
services_were_running=0
if tools/local-services.sh status >/dev/null 2>&1; then services_were_running=1; fi
work="$(mktemp -d "${TMPDIR:-/tmp}/dbintegrity-demo.XXXXXX")"   # the repair plan
cleanup() {
  rm -rf "$work"
  if [ "$services_were_running" = "1" ]; then
    printf 'main.sh: the local services were already running before the demo; leaving them running\n' >&2
  elif [ "${KEEP_SERVICES:-0}" != "1" ]; then
    tools/local-services.sh down
  fi
}
trap cleanup EXIT
tools/local-services.sh up
eval "$(tools/local-services.sh env)"

# --force --wipe-adopted: the local services may hold an earlier demo's scenario and its gate runs. Safe only because
# this branch runs with DB_HOST unset, against the throwaway services started (or found) above.
step "dbintegrity reproduce seed-incident   (migrates, then seeds the incident: README \"Reproducing the incident\")"
expect_exit 0 dbintegrity reproduce seed-incident --force --wipe-adopted

# The scenario's objects are seconds old: --grace 0, or the scan would count them as in flight.
step "dbintegrity gate --grace 0   (expected: blocked, exit 1: 4 declaration-package-missing, 3 installed-key-invalid)"
expect_exit 1 dbintegrity gate --grace 0

step "dbintegrity repair plan --grace 0 -o plan.json   (exit 1: there is something to repair)"
expect_exit 1 dbintegrity repair plan --grace 0 -o "$work/plan.json"

step "dbintegrity repair apply plan.json   (backup first, then the fixes)"
expect_exit 0 dbintegrity repair apply "$work/plan.json"

step "dbintegrity gate --grace 0   (expected: passes, exit 0)"
expect_exit 0 dbintegrity gate --grace 0

step "demo done in $((SECONDS - started)) s (build not included): blocked, repaired, passed"
