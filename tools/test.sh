#!/usr/bin/env bash
# The test command: everything CI runs, on a fresh machine, with nothing installed by hand.
#   format check -> build -> unit tests -> integration tests (real PostgreSQL + real S3 API)
# When DB_HOST and S3_ENDPOINT are not set, it starts throwaway local services (tools/local-services.sh) and stops
# them at the end. Extra arguments go to both `dotnet test` runs (e.g. --filter Name~Checker).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
configuration="${CONFIGURATION:-Release}"
results="${TEST_RESULTS_DIR:-$PWD/artifacts/test-results}"

step() { printf '\n== %s\n' "$*" >&2; }

if [ -z "${DB_HOST:-}" ] || [ -z "${S3_ENDPOINT:-}" ]; then
  step "starting local PostgreSQL and S3 (set DB_HOST and S3_ENDPOINT to use your own)"
  # Stop them at the end only if this run starts them (services another job started stay up). The trap is set
  # before `up`, so a failed `up` does not leave a half-started cluster behind.
  if tools/local-services.sh status >/dev/null 2>&1; then
    step "local services already running: using them and leaving them running"
  elif [ "${KEEP_SERVICES:-0}" != "1" ]; then
    trap 'tools/local-services.sh down' EXIT
  fi
  tools/local-services.sh up
  eval "$(tools/local-services.sh env)"
fi

# The serve test drives Debian's chromium through its chromedriver; nothing is downloaded at run time.
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  step "installing chromium and chromium-driver (apt) for the serve status-page test"
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends chromium chromium-driver
fi

step "restore"
dotnet restore DbIntegrity.sln
step "format check (dotnet format --verify-no-changes)"
dotnet format DbIntegrity.sln --verify-no-changes --no-restore
step "build ($configuration)"
dotnet build DbIntegrity.sln --no-restore -c "$configuration"
step "unit tests"
dotnet test integrity-tests/DbIntegrity.Core.Tests --no-build -c "$configuration" \
  --settings runsettings/ci.runsettings --results-directory "$results" --logger "trx;LogFileName=unit.trx" "$@"
step "integration tests"
dotnet test integrity-tests/DbIntegrity.IntegrationTests --no-build -c "$configuration" \
  --settings runsettings/ci.runsettings --results-directory "$results" --logger "trx;LogFileName=integration.trx" "$@"
step "all tests passed"
