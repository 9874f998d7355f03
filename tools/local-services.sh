#!/usr/bin/env bash
# Throwaway local services for DbIntegrity, all on free loopback ports:
#   - a PostgreSQL 15 cluster;
#   - S3: Ceph RADOS Gateway 16.2 (Debian's radosgw) over a one-monitor, one-OSD Ceph cluster of its own;
#   - Azure Blob: Azurite (blob service only, pinned by tools/local-services/package-lock.json).
#
#   tools/local-services.sh up       start them (idempotent), create the database, bucket and container, wait until they answer
#   tools/local-services.sh env      print `export …` lines that point dbintegrity and the tests at them
#   tools/local-services.sh status   say what is running
#   tools/local-services.sh down     stop what this script started (its pid files only) and delete their data
#
# It never touches the machine's own PostgreSQL cluster or Ceph cluster: each lives in its own directory under the
# state directory (keyed by the worktree path), with its own config, ports, sockets and pid files; nothing is read
# from or written to /etc/ceph or /var/lib/ceph. Several worktrees can run their own services side by side.
# As root (CI), PostgreSQL runs as the `postgres` user, because initdb refuses to run as root.
# The credentials below belong to loopback-only throwaway services; they are not secrets.
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
S3_REGION="us-east-1"
# The bucket owner (what the daemon and unrestricted dbintegrity runs use) and a second user that owns nothing: the
# least-privilege tests give it access through bucket policies (docs/ecs/iam-policy-*.json).
S3_KEY="DBINTEGRITYLOCAL"
S3_SECRET="dbintegrity-local-secret"
S3_GUEST_UID="dbintegrity-guest"
S3_GUEST_KEY="DBINTEGRITYGUEST"
S3_GUEST_SECRET="dbintegrity-guest-secret"
AZURE_CONTAINER="${DBI_LOCAL_CONTAINER:-dify-plugins}"
# Azurite's well-known development account (public, documented by Microsoft for the emulator).
AZURE_ACCOUNT="devstoreaccount1"
AZURE_KEY="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="

PG_DIR="$STATE_DIR/pg"
PG_DATA="$PG_DIR/data"
PG_SOCK="$PG_DIR/run"
PG_LOG="$PG_DIR/postgres.log"
CEPH_DIR="$STATE_DIR/ceph"
CEPH_CONF="$CEPH_DIR/ceph.conf"
AZ_DIR="$STATE_DIR/azurite"
ENV_FILE="$STATE_DIR/env"
CEPH_PACKAGES=(radosgw ceph-mon ceph-osd ceph-common)

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
  local package binary
  for package in "${CEPH_PACKAGES[@]}"; do
    case "$package" in ceph-common) binary=ceph ;; *) binary="$package" ;; esac
    command -v "$binary" >/dev/null 2>&1 || missing+=("$package")
  done
  # radosgw-admin comes with ceph-common, monmaptool with ceph-base (a dependency of ceph-mon).
  command -v radosgw-admin >/dev/null 2>&1 || [[ " ${missing[*]} " == *" ceph-common "* ]] || missing+=(ceph-common)
  command -v monmaptool >/dev/null 2>&1 || [[ " ${missing[*]} " == *" ceph-mon "* ]] || missing+=(ceph-mon)
  if [ ${#missing[@]} -gt 0 ]; then
    if is_root && command -v apt-get >/dev/null 2>&1; then
      if [[ " ${missing[*]} " == *" postgresql-15 "* ]]; then
        # Debian's postinst would otherwise create and start the system cluster 15/main on port 5432, the machine's
        # own PostgreSQL, which this script promises never to touch. Only written when we install the server.
        mkdir -p /etc/postgresql-common/createcluster.d
        printf '# written by DbIntegrity tools/local-services.sh: no system cluster on install\ncreate_main_cluster = false\n' \
          > /etc/postgresql-common/createcluster.d/50-dbintegrity-no-main-cluster.conf
      fi
      log "installing ${missing[*]} with apt-get (--no-install-recommends)"
      DEBIAN_FRONTEND=noninteractive apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
      # Clusters are created only at install time: take the setting back so the machine's later installs behave as before.
      rm -f /etc/postgresql-common/createcluster.d/50-dbintegrity-no-main-cluster.conf
    else
      die "missing ${missing[*]}: install them (Debian: apt-get install --no-install-recommends ${missing[*]}) or set PG_BIN to your PostgreSQL 15 bin directory"
    fi
  fi
  if is_root && ! id postgres >/dev/null 2>&1; then
    log "creating the system user postgres (initdb refuses to run as root)"
    useradd --system --home-dir /var/lib/postgresql --shell /usr/sbin/nologin postgres
  fi
  # Reinstall when the lockfile changed since the last install.
  local marker="$NPM_DIR/node_modules/.dbintegrity-installed"
  if [ ! -f "$marker" ] || [ -n "$(find "$NPM_DIR/package.json" "$NPM_DIR/package-lock.json" -newer "$marker" 2>/dev/null)" ]; then
    log "installing the pinned Azure Blob emulator (npm ci in tools/local-services)"
    (cd "$NPM_DIR" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    touch "$marker"
  fi
}

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

pg_running() {
  [ -f "$PG_DATA/postmaster.pid" ] && as_pg_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1
}

rgw_running() {
  pid_alive "$CEPH_DIR/run/mon.a.pid" && pid_alive "$CEPH_DIR/run/osd.0.pid" && pid_alive "$CEPH_DIR/run/client.rgw.local.pid"
}

azurite_running() { pid_alive "$AZ_DIR/pid"; }

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

# One monitor and one OSD, configured for a single loopback node and fast start-up. Every path is under $CEPH_DIR and
# the monitor's port is a free one, so this cluster never meets the machine's own or another worktree's.
write_ceph_conf() {
  local fsid mon_port rgw_port
  fsid="$(cat /proc/sys/kernel/random/uuid)"
  mon_port="$(free_port)"
  rgw_port="$(free_port)"
  echo "$rgw_port" > "$CEPH_DIR/rgw-port"
  cat > "$CEPH_CONF" <<CONF
[global]
fsid = $fsid
mon host = v2:127.0.0.1:$mon_port
public addr = 127.0.0.1
ms bind msgr1 = false
ms bind ipv6 = false
# A throwaway loopback cluster: no cephx. radosgw otherwise asks the monitor for secure mode and fails with -13.
auth cluster required = none
auth service required = none
auth client required = none
ms mon client mode = crc
# Never the machine's /etc/ceph or /var/run/ceph.
keyring = $CEPH_DIR/keyring
run dir = $CEPH_DIR/run
admin socket = $CEPH_DIR/run/\$name.asok
pid file = $CEPH_DIR/run/\$name.pid
log file = $CEPH_DIR/log/\$name.log
mon cluster log file = $CEPH_DIR/log/cluster.log
crash dir = $CEPH_DIR/crash
# One OSD: one copy, few PGs, no autoscaler (there is no manager daemon to run it).
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon warn on pool no redundancy = false
# Paxos batches proposals for 1 s by default: 0.01 s takes start-up (pool and user creation) from ~20 s to 2-3 s.
paxos propose interval = 0.01

[mon]
mon data = $CEPH_DIR/mon.\$id

[osd]
osd data = $CEPH_DIR/osd.\$id
# BlueStore on a sparse file: memory stays capped (memstore keeps every object in RAM and only grows).
osd objectstore = bluestore
bluestore block create = true
bluestore block size = 10737418240
bluestore fsck on mkfs = false
bluestore cache autotune = false
bluestore cache size = 134217728
osd memory target = 939524096
osd op num shards = 2
osd op num threads per shard = 1

[client.rgw.local]
# tcp_nodelay: without it every small GET waits ~40 ms for a delayed ACK.
rgw frontends = beast endpoint=127.0.0.1:$rgw_port tcp_nodelay=1
rgw data = $CEPH_DIR/rgw
rgw enable usage log = false
rgw enable ops log = false
rgw dynamic resharding = false
CONF
  monmaptool --create --fsid "$fsid" --addv a "[v2:127.0.0.1:$mon_port]" "$CEPH_DIR/monmap" >/dev/null
}

ceph_log_tail() { tail -n 20 "$CEPH_DIR"/log/start.out "$CEPH_DIR"/log/*.log 2>/dev/null | tail -n 60 >&2 || true; }

start_rgw() {
  mkdir -p "$CEPH_DIR/run" "$CEPH_DIR/log" "$CEPH_DIR/crash" "$CEPH_DIR/rgw"
  local fresh=0
  if [ ! -f "$CEPH_CONF" ]; then
    fresh=1
    write_ceph_conf
    ceph-mon --conf "$CEPH_CONF" --mkfs -i a --monmap "$CEPH_DIR/monmap" >"$CEPH_DIR/log/mkfs-mon.out" 2>&1 \
      || { cat "$CEPH_DIR/log/mkfs-mon.out" >&2; die "ceph-mon --mkfs failed"; }
  fi
  log "starting Ceph (monitor, OSD) and radosgw on 127.0.0.1:$(cat "$CEPH_DIR/rgw-port")"
  pid_alive "$CEPH_DIR/run/mon.a.pid" || ceph-mon --conf "$CEPH_CONF" -i a 2>>"$CEPH_DIR/log/start.out" || { ceph_log_tail; die "ceph-mon did not start (logs: $CEPH_DIR/log)"; }
  if [ "$fresh" = 1 ]; then
    local uuid; uuid="$(cat /proc/sys/kernel/random/uuid)"
    timeout 180 ceph --conf "$CEPH_CONF" osd new "$uuid" >/dev/null || { ceph_log_tail; die "the monitor did not answer (logs: $CEPH_DIR/log)"; }
    mkdir -p "$CEPH_DIR/osd.0"
    ceph-osd --conf "$CEPH_CONF" -i 0 --mkfs --osd-uuid "$uuid" >"$CEPH_DIR/log/mkfs-osd.out" 2>&1 \
      || { cat "$CEPH_DIR/log/mkfs-osd.out" >&2; die "ceph-osd --mkfs failed"; }
  fi
  pid_alive "$CEPH_DIR/run/osd.0.pid" || ceph-osd --conf "$CEPH_CONF" -i 0 2>>"$CEPH_DIR/log/start.out" || { ceph_log_tail; die "ceph-osd did not start (logs: $CEPH_DIR/log)"; }
  pid_alive "$CEPH_DIR/run/client.rgw.local.pid" || radosgw --conf "$CEPH_CONF" -n client.rgw.local 2>>"$CEPH_DIR/log/start.out" || { ceph_log_tail; die "radosgw did not start (logs: $CEPH_DIR/log)"; }
  if [ "$fresh" = 1 ]; then
    # --max-buckets=0: no limit in RGW 16 (a negative value forbids buckets); the suite makes a bucket per test and
    # the default limit is 1000.
    radosgw_admin user create --uid=dbintegrity --display-name="DbIntegrity local" \
      --access-key="$S3_KEY" --secret-key="$S3_SECRET" --max-buckets=0
    radosgw_admin user create --uid="$S3_GUEST_UID" --display-name="DbIntegrity least-privilege tests" \
      --access-key="$S3_GUEST_KEY" --secret-key="$S3_GUEST_SECRET" --max-buckets=0
  fi
}

radosgw_admin() {
  timeout 180 radosgw-admin --conf "$CEPH_CONF" "$@" >"$CEPH_DIR/log/radosgw-admin.out" 2>&1 \
    || { cat "$CEPH_DIR/log/radosgw-admin.out" >&2; die "radosgw-admin $1 $2 failed"; }
}

wait_for_rgw() {
  local endpoint; endpoint="http://127.0.0.1:$(cat "$CEPH_DIR/rgw-port")"
  # 2-5 s on an idle machine; with every core busy (CI neighbours) it has taken over a minute.
  local deadline=$((SECONDS + 240))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if AWS_ACCESS_KEY="$S3_KEY" AWS_SECRET_KEY="$S3_SECRET" AWS_REGION="$S3_REGION" node "$NPM_DIR/s3-ready.js" "$endpoint" "$BUCKET" 2>/dev/null; then
      return 0
    fi
    rgw_running || { ceph_log_tail; die "a Ceph daemon exited (logs: $CEPH_DIR/log)"; }
    sleep 0.2
  done
  ceph_log_tail
  die "radosgw did not accept a probe write on $endpoint within 240 s (logs: $CEPH_DIR/log)"
}

azure_connection_string() {
  printf 'DefaultEndpointsProtocol=http;AccountName=%s;AccountKey=%s;BlobEndpoint=http://127.0.0.1:%s/%s;' \
    "$AZURE_ACCOUNT" "$AZURE_KEY" "$(cat "$AZ_DIR/port")" "$AZURE_ACCOUNT"
}

start_azurite() {
  mkdir -p "$AZ_DIR/data"
  [ -f "$AZ_DIR/port" ] || free_port > "$AZ_DIR/port"
  log "starting Azurite (blob service) on 127.0.0.1:$(cat "$AZ_DIR/port")"
  setsid nohup "$NPM_DIR/node_modules/.bin/azurite-blob" --blobHost 127.0.0.1 --blobPort "$(cat "$AZ_DIR/port")" \
    --location "$AZ_DIR/data" --skipApiVersionCheck --disableProductStyleUrl --silent \
    >"$AZ_DIR/azurite.log" 2>&1 < /dev/null &
  echo $! > "$AZ_DIR/pid"
}

wait_for_azurite() {
  for _ in $(seq 1 100); do
    if node "$NPM_DIR/azure-container.js" "$(azure_connection_string)" "$AZURE_CONTAINER" 2>/dev/null; then
      return 0
    fi
    azurite_running || { cat "$AZ_DIR/azurite.log" >&2; die "Azurite exited (log: $AZ_DIR/azurite.log)"; }
    sleep 0.2
  done
  die "Azurite did not create the container $AZURE_CONTAINER within 20 s (log: $AZ_DIR/azurite.log)"
}

write_env() {
  cat > "$ENV_FILE" <<ENV
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
export S3_ENDPOINT=http://127.0.0.1:$(cat "$CEPH_DIR/rgw-port")
export S3_USE_PATH_STYLE=true
export AWS_ACCESS_KEY=$S3_KEY
export AWS_SECRET_KEY=$S3_SECRET
export AWS_REGION=$S3_REGION
export DBI_TEST_S3_GUEST_ACCESS_KEY=$S3_GUEST_KEY
export DBI_TEST_S3_GUEST_SECRET_KEY=$S3_GUEST_SECRET
export DBI_TEST_S3_GUEST_PRINCIPAL=arn:aws:iam:::user/$S3_GUEST_UID
export DBI_LOCAL_CEPH_CONF=$CEPH_CONF
export AZURE_BLOB_STORAGE_CONNECTION_STRING='$(azure_connection_string)'
export AZURE_BLOB_STORAGE_CONTAINER_NAME=$AZURE_CONTAINER
ENV
  chmod 600 "$ENV_FILE"
}

cmd_up() {
  ensure_prerequisites
  mkdir -p "$STATE_DIR"
  chmod 755 "$STATE_DIR"
  if pg_running; then log "PostgreSQL already running"; else start_postgres; fi
  if azurite_running; then log "Azurite already running"; else start_azurite; fi
  local rgw_started=$SECONDS
  if rgw_running; then log "Ceph RGW already running"; else start_rgw; fi
  ensure_database
  wait_for_rgw
  log "Ceph RGW took $((SECONDS - rgw_started)) s to accept a probe write"
  wait_for_azurite
  write_env
  log "ready: PostgreSQL 127.0.0.1:$(cat "$PG_DIR/port") database $DB_NAME, S3 (Ceph RGW) http://127.0.0.1:$(cat "$CEPH_DIR/rgw-port") bucket $BUCKET, Azure Blob (Azurite) 127.0.0.1:$(cat "$AZ_DIR/port") container $AZURE_CONTAINER"
  log "point the tool and the tests at them with: eval \"\$(tools/local-services.sh env)\""
}

cmd_env() {
  [ -f "$ENV_FILE" ] && pg_running && rgw_running && azurite_running || die "local services are not running: run tools/local-services.sh up"
  cat "$ENV_FILE"
}

cmd_status() {
  local rc=0
  if pg_running; then echo "postgres: running on 127.0.0.1:$(cat "$PG_DIR/port") (data $PG_DATA)"; else echo "postgres: stopped"; rc=1; fi
  if rgw_running; then echo "s3: Ceph RGW running on 127.0.0.1:$(cat "$CEPH_DIR/rgw-port") (cluster $CEPH_CONF)"; else echo "s3: stopped"; rc=1; fi
  if azurite_running; then echo "azure blob: Azurite running on 127.0.0.1:$(cat "$AZ_DIR/port") (pid $(cat "$AZ_DIR/pid"))"; else echo "azure blob: stopped"; rc=1; fi
  return $rc
}

# Stops the process whose pid this script recorded (never anything found by name).
stop_pid_file() {
  local file="$1" name="$2" group="${3:-}"
  pid_alive "$file" || return 0
  local pid; pid="$(cat "$file")"
  log "stopping $name"
  if [ -n "$group" ]; then kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true; else kill "$pid" 2>/dev/null || true; fi
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}

cmd_down() {
  if [ -f "$PG_DATA/postmaster.pid" ]; then
    log "stopping PostgreSQL"
    as_pg_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1 || true
  fi
  stop_pid_file "$CEPH_DIR/run/client.rgw.local.pid" radosgw
  stop_pid_file "$CEPH_DIR/run/osd.0.pid" ceph-osd
  stop_pid_file "$CEPH_DIR/run/mon.a.pid" ceph-mon
  stop_pid_file "$AZ_DIR/pid" Azurite group
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
