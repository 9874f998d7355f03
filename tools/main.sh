#!/usr/bin/env bash
# The main job, on a fresh machine, with nothing installed by hand.
#   - Nothing configured (no DB_HOST): starts throwaway local PostgreSQL + S3, migrates the schema, shows the
#     migration status and runs the integrity check, then stops the services.
#   - A deployment configured (the daemon's DB_* and S3 variables): read-only, it shows the migration status and
#     runs the integrity check against it. It never migrates or writes to a configured deployment.
# Exit code: the check's (0 consistent, 1 error findings, 2 configuration, 3 could not complete).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
step() { printf '\n== %s\n' "$*" >&2; }

step "build dbintegrity"
dotnet build tools/DbIntegrity.Cli -c Release --nologo -v quiet -clp:ErrorsOnly >&2
dbintegrity() { dotnet tools/DbIntegrity.Cli/bin/Release/net10.0/dbintegrity.dll "$@"; }

if [ -z "${DB_HOST:-}" ]; then
  step "no deployment configured (DB_HOST unset): starting local PostgreSQL and S3"
  tools/local-services.sh up
  eval "$(tools/local-services.sh env)"
  if [ "${KEEP_SERVICES:-0}" != "1" ]; then trap 'tools/local-services.sh down' EXIT; fi
  step "dbintegrity migrate up"
  dbintegrity migrate up
fi

step "dbintegrity migrate status"
dbintegrity migrate status
step "dbintegrity check"
dbintegrity check "$@"
