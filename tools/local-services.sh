#!/usr/bin/env bash
# Throwaway local services for DbIntegrity: a PostgreSQL 15 cluster and an S3 endpoint (s3rver, pinned by
# tools/local-services/package-lock.json), both on free loopback ports.
#
#   tools/local-services.sh up       start both (idempotent), create the database and the bucket, wait until they answer
#   tools/local-services.sh env      print `export …` lines that point dbintegrity and the tests at them
#   tools/local-services.sh status   say what is running
#   tools/local-services.sh down     stop both and delete their data
#
# It never touches the machine's own PostgreSQL cluster: the cluster lives in its own data directory on its own port.
# As root (CI), PostgreSQL runs as the `postgres` user, because initdb refuses to run as root.
# The credentials below belong to a loopback-only throwaway cluster; they are not secrets.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NPM_DIR="$REPO_ROOT/tools/local-services"
REPO_HASH="$(printf '%s' "$REPO_ROOT" | sha1sum | cut -c1-10)"
STATE_DIR="${DBI_LOCAL_STATE_DIR:-${TMPDIR:-/tmp}/dbintegrity-local-$(id -u)-$REPO_HASH}"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"

DB_USER="dbintegrity"
DB_PASS="dbintegrity-local"
DB_NAME="${DBI_LOCAL_DATABASE:-dify_plugin}"
BUCKET="${DBI_LOCAL_BUCKET:-dify-plugins}"
S3_KEY="S3RVER"
S3_SECRET="S3RVER"
S3_REGION="us-east-1"

PG_DIR="$STATE_DIR/pg"
PG_DATA="$PG_DIR/data"
PG_SOCK="$PG_DIR/run"
PG_LOG="$PG_DIR/postgres.log"
S3_DIR="$STATE_DIR/s3"
ENV_FILE="$STATE_DIR/env"

log() { printf '[local-services] %s\n' "$*" >&2; }
die() { printf '[local-services] error: %s\n' "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

# Runs a PostgreSQL server binary as the user that owns the cluster.
as_pg_owner() {
  if is_root; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close();});"
}

ensure_prerequisites() {
  local missing=()
  [ -x "$PG_BIN/initdb" ] || missing+=(postgresql-15)
  command -v node >/dev/null 2>&1 || missing+=(nodejs)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  command -v psql >/dev/null 2>&1 || missing+=(postgresql-client-15)
  if [ ${#missing[@]} -gt 0 ]; then
    if is_root && command -v apt-get >/dev/null 2>&1; then
      if [[ " ${missing[*]} " == *" postgresql-15 "* ]]; then
        # Debian's postinst would otherwise create and start the system cluster 15/main on port 5432, the machine's
        # own PostgreSQL, which this script promises never to touch. Only written when we install the server.
        mkdir -p /etc/postgresql-common/createcluster.d
        printf '# written by DbIntegrity tools/local-services.sh: no system cluster on install\ncreate_main_cluster = false\n' \
          > /etc/postgresql-common/createcluster.d/50-dbintegrity-no-main-cluster.conf
      fi
      log "installing ${missing[*]} with apt-get"
      DEBIAN_FRONTEND=noninteractive apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
      # Clusters are created only at install time: take the setting back so the machine's later installs behave as before.
      rm -f /etc/postgresql-common/createcluster.d/50-dbintegrity-no-main-cluster.conf
    else
      die "missing ${missing[*]}: install them (Debian: apt-get install ${missing[*]}) or set PG_BIN to your PostgreSQL 15 bin directory"
    fi
  fi
  if is_root && ! id postgres >/dev/null 2>&1; then
    log "creating the system user postgres (initdb refuses to run as root)"
    useradd --system --home-dir /var/lib/postgresql --shell /usr/sbin/nologin postgres
  fi
  # Reinstall when the lockfile or the patches changed since the last install (npm ci applies patches/ afterwards).
  local marker="$NPM_DIR/node_modules/.dbintegrity-installed"
  if [ ! -f "$marker" ] || [ -n "$(find "$NPM_DIR/package.json" "$NPM_DIR/package-lock.json" "$NPM_DIR/patches" -newer "$marker" 2>/dev/null)" ]; then
    log "installing the pinned S3 endpoint (npm ci in tools/local-services, then its patches)"
    (cd "$NPM_DIR" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    touch "$marker"
  fi
}

pg_running() {
  [ -f "$PG_DATA/postmaster.pid" ] && as_pg_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1
}

s3_running() {
  [ -f "$S3_DIR/pid" ] && kill -0 "$(cat "$S3_DIR/pid")" 2>/dev/null
}

psql_admin() {
  PGPASSWORD="$DB_PASS" psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$(cat "$PG_DIR/port")" -U "$DB_USER" "$@"
}

start_postgres() {
  mkdir -p "$PG_DIR"
  if is_root; then chown postgres "$PG_DIR"; fi
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    log "initdb into $PG_DATA"
    local pwfile="$PG_DIR/pwfile"
    printf '%s\n' "$DB_PASS" > "$pwfile"
    if is_root; then chown postgres "$pwfile"; fi
    chmod 600 "$pwfile"
    as_pg_owner "$PG_BIN/initdb" -D "$PG_DATA" -U "$DB_USER" --pwfile="$pwfile" --auth=scram-sha-256 \
      --encoding=UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log" >&2; die "initdb failed"; }
    rm -f "$pwfile"
  fi
  [ -f "$PG_DIR/port" ] || free_port > "$PG_DIR/port"
  as_pg_owner mkdir -p "$PG_SOCK"
  local port; port="$(cat "$PG_DIR/port")"
  log "starting PostgreSQL on 127.0.0.1:$port"
  # fsync and friends are off: this cluster is throwaway and its speed is the tests' speed.
  as_pg_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 start -o \
    "-p $port -k $PG_SOCK -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    >/dev/null || { tail -n 30 "$PG_LOG" >&2 || true; die "PostgreSQL did not start (log: $PG_LOG)"; }
}

ensure_database() {
  local exists
  exists="$(psql_admin -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")"
  if [ "$exists" != "1" ]; then
    log "creating database $DB_NAME"
    psql_admin -d postgres -c "CREATE DATABASE \"$DB_NAME\""
  fi
}

start_s3() {
  mkdir -p "$S3_DIR/data"
  [ -f "$S3_DIR/port" ] || free_port > "$S3_DIR/port"
  local port; port="$(cat "$S3_DIR/port")"
  log "starting the S3 endpoint (s3rver) on 127.0.0.1:$port"
  # --openssl-legacy-provider: s3rver's ListObjectsV2 continuation tokens use a cipher Node 17+ hides without it.
  NODE_OPTIONS=--openssl-legacy-provider setsid nohup "$NPM_DIR/node_modules/.bin/s3rver" \
    -d "$S3_DIR/data" -a 127.0.0.1 -p "$port" -s --configure-bucket "$BUCKET" \
    >"$S3_DIR/s3rver.log" 2>&1 < /dev/null &
  echo $! > "$S3_DIR/pid"
}

wait_for_s3() {
  local port; port="$(cat "$S3_DIR/port")"
  for _ in $(seq 1 100); do
    if node -e "require('http').get('http://127.0.0.1:$port/',r=>process.exit(0)).on('error',()=>process.exit(1))" 2>/dev/null; then
      return 0
    fi
    s3_running || { cat "$S3_DIR/s3rver.log" >&2; die "s3rver exited (log: $S3_DIR/s3rver.log)"; }
    sleep 0.2
  done
  die "s3rver did not answer on 127.0.0.1:$port within 20 s (log: $S3_DIR/s3rver.log)"
}

write_env() {
  cat > "$ENV_FILE" <<EOF
export DB_TYPE=postgresql
export DB_HOST=127.0.0.1
export DB_PORT=$(cat "$PG_DIR/port")
export DB_USERNAME=$DB_USER
export DB_PASSWORD=$DB_PASS
export DB_DATABASE=$DB_NAME
export DB_SSL_MODE=disable
export PLUGIN_STORAGE_TYPE=s3
export PLUGIN_STORAGE_OSS_BUCKET=$BUCKET
export S3_USE_AWS=false
export S3_ENDPOINT=http://127.0.0.1:$(cat "$S3_DIR/port")
export S3_USE_PATH_STYLE=true
export AWS_ACCESS_KEY=$S3_KEY
export AWS_SECRET_KEY=$S3_SECRET
export AWS_REGION=$S3_REGION
EOF
  chmod 600 "$ENV_FILE"
}

cmd_up() {
  ensure_prerequisites
  mkdir -p "$STATE_DIR"
  chmod 755 "$STATE_DIR"
  if pg_running; then log "PostgreSQL already running"; else start_postgres; fi
  ensure_database
  if s3_running; then log "s3rver already running"; else start_s3; fi
  wait_for_s3
  write_env
  log "ready: PostgreSQL 127.0.0.1:$(cat "$PG_DIR/port") database $DB_NAME, S3 http://127.0.0.1:$(cat "$S3_DIR/port") bucket $BUCKET"
  log "point the tool and the tests at them with: eval \"\$(tools/local-services.sh env)\""
}

cmd_env() {
  [ -f "$ENV_FILE" ] && pg_running && s3_running || die "local services are not running: run tools/local-services.sh up"
  cat "$ENV_FILE"
}

cmd_status() {
  local rc=0
  if pg_running; then echo "postgres: running on 127.0.0.1:$(cat "$PG_DIR/port") (data $PG_DATA)"; else echo "postgres: stopped"; rc=1; fi
  if s3_running; then echo "s3: running on 127.0.0.1:$(cat "$S3_DIR/port") (pid $(cat "$S3_DIR/pid"))"; else echo "s3: stopped"; rc=1; fi
  return $rc
}

cmd_down() {
  if [ -f "$PG_DATA/postmaster.pid" ]; then
    log "stopping PostgreSQL"
    as_pg_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1 || true
  fi
  if [ -f "$S3_DIR/pid" ]; then
    local pid; pid="$(cat "$S3_DIR/pid")"
    if kill -0 "$pid" 2>/dev/null; then
      log "stopping s3rver"
      kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
  fi
  rm -rf "$STATE_DIR"
  log "stopped and cleaned up"
}

case "${1:-}" in
  up) cmd_up ;;
  env) cmd_env ;;
  status) cmd_status ;;
  down) cmd_down ;;
  *) echo "usage: $0 up|down|env|status" >&2; exit 2 ;;
esac
