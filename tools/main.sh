#!/usr/bin/env bash
# The main job, on a fresh machine, with nothing installed by hand.
#   - Nothing configured (no DB_HOST): the demo. Starts throwaway local PostgreSQL + S3, seeds the incident
#     (`dbintegrity reproduce seed-incident`), runs the gate (blocked, findings shown), plans and applies the repair,
#     runs the gate again (passes), and stops the services. Each step must give its expected exit code, else the script
#     fails. `--storage local`: the same story on local storage (PLUGIN_STORAGE_TYPE=local, Dify's compose default), on
#     a throwaway folder shaped like Dify's compose volume; it also checks that the working folders stay untouched.
#   - A deployment configured (the daemon's DB_* and S3 variables): read-only. It shows the migration status and runs
#     the gate against it (--no-record: not even the gate's run record is written); it never migrates, seeds or repairs
#     a configured deployment.
# Exit code: 0 when the demo ran as expected; against a deployment, the gate's (0 pass, 1 blocked, 2 configuration,
# 3 could not complete). KEEP_SERVICES=1 leaves the local services running after the demo.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: tools/main.sh [GATE ARGUMENTS...]
       tools/main.sh --storage s3|local
       tools/main.sh --help

With no deployment configured (DB_HOST unset): the demo on throwaway local PostgreSQL and S3. It seeds the incident,
runs the gate (blocked), plans and applies the repair, runs the gate again (passes) and stops the services. It takes
no arguments but --storage. KEEP_SERVICES=1 leaves the services running.

--storage local: the same story on local storage, as Dify's compose runs the daemon (PLUGIN_STORAGE_TYPE=local): the
incident is laid out on a throwaway folder shaped like the compose volume (plugin/, plugin_packages/, assets/, cwd/,
persistence/); check (exit 1), repair plan, repair apply, check (exit 0); cwd/ and persistence/ must stay untouched.
--storage s3 is the default.

With the plugin daemon's variables set (DB_HOST, DB_PORT, DB_USERNAME, DB_PASSWORD, DB_DATABASE,
PLUGIN_STORAGE_TYPE, PLUGIN_STORAGE_OSS_BUCKET or PLUGIN_STORAGE_LOCAL_ROOT, S3_ENDPOINT, AWS_ACCESS_KEY, ...):
read-only. It shows the migration status and runs `dbintegrity gate --no-record` with the extra arguments, e.g.
tools/main.sh --grace 10m --format markdown.

Exit code: 0 when the demo ran as expected; against a deployment, the gate's (0 pass, 1 blocked, 2 configuration,
3 could not complete). See README.md, "The demo".
USAGE
}
if [ "${1:-}" = "--help" ] || [ "${1:-}" = "-h" ]; then usage; exit 0; fi

cd "$(dirname "${BASH_SOURCE[0]}")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
step() { printf '\n== %s\n' "$*" >&2; }
die() { printf '\nmain.sh: %s\n' "$*" >&2; exit 1; }

demo_storage=s3
if [ "${1:-}" = "--storage" ] || [[ "${1:-}" == --storage=* ]]; then
  if [ -n "${DB_HOST:-}" ]; then
    die "--storage chooses the demo's store; against a configured deployment (DB_HOST is set) the store comes from PLUGIN_STORAGE_TYPE. Unset DB_HOST for the demo"
  fi
  if [ "$1" = "--storage" ]; then demo_storage="${2:-}"; shift $(( $# >= 2 ? 2 : 1 )); else demo_storage="${1#--storage=}"; shift; fi
  case "$demo_storage" in
    s3|local) ;;
    *) die "--storage takes s3 or local, not '${demo_storage}'" ;;
  esac
fi
if [ -z "${DB_HOST:-}" ] && [ $# -gt 0 ]; then
  die "arguments ($*) go to the gate, which runs only against a configured deployment: set DB_HOST (and the daemon's other variables), or run without arguments (or with --storage local) for the demo"
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

step "no deployment configured (DB_HOST unset): the demo on throwaway local PostgreSQL and $([ "$demo_storage" = local ] && echo "a local storage folder" || echo S3)"
started=$SECONDS
# Stop the services at the end only if this run starts them: when they already run (another job's, or kept with
# KEEP_SERVICES=1), they are left as they were. The trap is set before `up`, so a failed `up` is cleaned up too.
services_were_running=0
if tools/local-services.sh status >/dev/null 2>&1; then services_were_running=1; fi
work="$(mktemp -d "${TMPDIR:-/tmp}/dbintegrity-demo.XXXXXX")"   # the repair plan (and, with --storage local, the volume)
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

if [ "$demo_storage" = local ]; then
  # Dify's compose: the daemon's volume ./volumes/plugin_daemon at /app/storage, PLUGIN_STORAGE_TYPE=local,
  # PLUGIN_STORAGE_LOCAL_ROOT=/app/storage, the working folders in /app/storage/cwd. Only the database of the local
  # services is used; the S3 variables are dropped so that nothing but the local variables picks the store.
  volume="$work/volumes/plugin_daemon"
  mkdir -p "$volume"
  unset PLUGIN_STORAGE_OSS_BUCKET S3_ENDPOINT AWS_ACCESS_KEY AWS_SECRET_KEY AZURE_BLOB_STORAGE_CONNECTION_STRING AZURE_BLOB_STORAGE_CONTAINER_NAME
  export PLUGIN_STORAGE_TYPE=local PLUGIN_STORAGE_LOCAL_ROOT="$volume"

  # Every file under cwd/ and persistence/ with its size, modification time and SHA-256, as one digest.
  working_files() {
    (cd "$volume" && find cwd persistence -type f -printf '%p %s %T@\n' | LC_ALL=C sort \
      && find cwd persistence -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-16
  }

  # --force --wipe-adopted: the database may hold an earlier demo's scenario and gate runs (the folder is new).
  step "PLUGIN_STORAGE_TYPE=local PLUGIN_STORAGE_LOCAL_ROOT=$volume dbintegrity reproduce seed-incident   (an empty folder becomes a compose volume)"
  expect_exit 0 dbintegrity reproduce seed-incident --force --wipe-adopted
  step "the volume: $(cd "$volume" && find . -mindepth 1 -maxdepth 1 -type d ! -name '.*' -printf '%f/ ' | tr ' ' '\n' | LC_ALL=C sort | paste -sd' ')"
  before="$(working_files)"
  printf 'cwd/ and persistence/: %s files, digest %s\n' "$(cd "$volume" && find cwd persistence -type f | wc -l)" "$before" >&2

  step "dbintegrity check --grace 0   (expected: exit 1: 4 declaration-package-missing, 3 installed-key-invalid; nothing about cwd/ or persistence/)"
  expect_exit 1 dbintegrity check --grace 0 >"$work/check.txt"
  cat "$work/check.txt"
  if grep -nE '(^|[ /])(cwd|persistence)/' "$work/check.txt" >&2; then die "the check's report names something under cwd/ or persistence/ (lines above)"; fi

  step "dbintegrity repair plan --grace 0 -o plan.json   (exit 1: there is something to repair)"
  expect_exit 1 dbintegrity repair plan --grace 0 -o "$work/plan.json"

  step "dbintegrity repair apply plan.json   (backup first, to dbintegrity-backups/ in the volume, then the fixes)"
  expect_exit 0 dbintegrity repair apply "$work/plan.json"

  step "dbintegrity check --grace 0   (expected: consistent, exit 0)"
  expect_exit 0 dbintegrity check --grace 0

  after="$(working_files)"
  [ "$before" = "$after" ] || die "cwd/ or persistence/ changed during check and repair (digest $before, now $after)"
  printf 'cwd/ and persistence/ untouched: digest %s before and after\n' "$after" >&2
  step "demo on local storage done in $((SECONDS - started)) s (build not included): found, repaired, consistent; working folders untouched"
  exit 0
fi

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

step "demo done in $((SECONDS - started)) s (build not included): blocked, repaired, passed. tools/main.sh --storage local: the same on local storage"
