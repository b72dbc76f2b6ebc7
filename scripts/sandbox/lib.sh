# shellcheck shell=bash
# Shared by scripts/sandbox/{up,down,endpoint}: where things live, how a
# service is started, checked and stopped. Sourced, never executed.
#
# Everything the stack needs lives under $SANDBOX_DIR (.sandbox/ at the repo
# root, git-ignored). Changes to the machine outside it (packages, the binfmt
# mount, a bridge, an iptables rule, cgroups, /run dirs) are recorded under
# $SANDBOX_DIR/changes when made, so `down` undoes exactly those.

SANDBOX_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SANDBOX_DIR=${SANDBOX_DIR:-$SANDBOX_ROOT/.sandbox}
SANDBOX_ENV_FILE=${SANDBOX_ENV_FILE:-$SANDBOX_ROOT/sandbox.env}
SCRIPTS_DIR=$SANDBOX_ROOT/scripts/sandbox

RUN_DIR=$SANDBOX_DIR/run
LOG_DIR=$SANDBOX_DIR/logs
BIN_DIR=$SANDBOX_DIR/bin
CHANGES_DIR=$SANDBOX_DIR/changes
SANDBOX_DOCKER_CONFIG=$SANDBOX_DIR/docker-config
# Two independent dockerds, each with its own data root, socket, bridge and
# BuildKit: the main one (DOCKER_HOST, endpoint 1234) and a second one behind
# endpoint 1235, so a multi-node builder really has two BuildKit daemons
# (two endpoints on one daemon collide: "job ID ... exists").
DOCKERD_NAMES=(dockerd dockerd-2)
DOCKERD_DIRS=("$SANDBOX_DIR/docker" "$SANDBOX_DIR/docker-2")
DOCKER_DIR=${DOCKERD_DIRS[0]}
DOCKER_SOCK=$DOCKER_DIR/docker.sock

# Addresses: loopback only.
REGISTRY_ADDR=127.0.0.1:5000
AUTH_REGISTRY_ADDR=127.0.0.1:5443
NTFY_ADDR=127.0.0.1:8090
ENDPOINT_HOST=127.0.0.1
ENDPOINT_PORTS=(1234 1235) # endpoint i serves dockerd i
# A TLS endpoint (mutual TLS, certificates under TLS_DIR) in front of the
# main dockerd's BuildKit, like a buildkitd started with --tlscacert & co.
TLS_ENDPOINT_PORT=1236
TLS_DIR=$SANDBOX_DIR/buildkit-tls
# Connecting here hangs: an iptables rule drops the SYN (see setup_blackhole).
BLACKHOLE_ADDR=127.0.0.99
BLACKHOLE_PORT=1234
BASE_IMAGE_REPO=sandbox/busybox
BASE_IMAGE=$REGISTRY_ADDR/$BASE_IMAGE_REPO:latest
SANDBOX_USER=sandbox

# Names the stack owns on the machine, chosen so they collide with nothing.
BRIDGES=(k8sba-sbx0 k8sba-sbx1)                # dockerd i uses bridge i
BRIDGE_CIDRS=(172.31.213.1/24 172.31.214.1/24)
CGROUP_PARENT=k8sba-sandbox # dockerd i puts its containers under /k8sba-sandbox/<name>
IPTABLES_COMMENT=k8s-build-action-sandbox
# Directories dockerd, containerd and runc create under /run whatever their
# --exec-root says.
RUN_SIDE_DIRS=(/run/docker /run/containerd /run/runc /run/mount)

log() { printf '[sandbox] %s\n' "$*" >&2; }
die() {
  printf '[sandbox] error: %s\n' "$*" >&2
  exit 1
}
now_ms() { date +%s%3N; }
# Prints the comment block at the top of the script that was run.
script_help() { awk 'NR > 1 && /^#/ {sub(/^# ?/, ""); print; next} NR > 1 {exit}' "$0"; }
fmt_ms() { printf '%d.%02ds' $(($1 / 1000)) $((($1 % 1000) / 10)); }

# Serialises up, down and endpoint so two of them never race on the state.
take_lock() {
  mkdir -p "$SANDBOX_DIR"
  exec 9>"$SANDBOX_DIR/lock"
  flock -w "${1:-600}" 9 || die "another sandbox command holds $SANDBOX_DIR/lock"
}

# --- recorded machine changes ------------------------------------------------

record_change() { # name [line]: remember that we changed something
  mkdir -p "$CHANGES_DIR"
  if [[ $# -gt 1 ]]; then
    grep -qxF -- "$2" "$CHANGES_DIR/$1" 2>/dev/null || printf '%s\n' "$2" >>"$CHANGES_DIR/$1"
  else
    touch "$CHANGES_DIR/$1"
  fi
}
has_change() { [[ -e $CHANGES_DIR/$1 ]]; }
forget_change() { rm -f "$CHANGES_DIR/$1"; }

# --- processes ---------------------------------------------------------------

pidfile() { printf '%s/%s.pid' "$RUN_DIR" "$1"; }

# A pid counts as ours only if its command line names our state dir; this
# guards against a pid reused by an unrelated process after a crash.
pid_is_ours() {
  local pid=$1
  [[ -n $pid && -r /proc/$pid/cmdline ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$SANDBOX_DIR"
}

read_pid() { # name -> pid on stdout, or nothing
  local f
  f=$(pidfile "$1")
  [[ -r $f ]] && tr -dc '0-9' <"$f"
  return 0
}

# Alive and not a zombie (an orphan's parent may be slow to reap it).
pid_alive() {
  local state
  state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
  [[ -n $state && $state != Z ]]
}

is_running() { # name
  local pid
  pid=$(read_pid "$1")
  pid_is_ours "$pid"
}

# start_daemon NAME CMD...: starts CMD in its own session (so it outlives the
# caller and gets no terminal signals), output to logs/NAME.log, pid to
# run/NAME.pid. Without job control a background child is no group leader, so
# setsid(1) execs in place and $! is the daemon's own pid.
start_daemon() {
  local name=$1
  shift
  mkdir -p "$RUN_DIR" "$LOG_DIR"
  printf '\n--- %s starting: %s\n' "$(date -u +%FT%TZ)" "$*" >>"$LOG_DIR/$name.log"
  setsid "$@" >>"$LOG_DIR/$name.log" 2>&1 </dev/null 3>&- 9>&- &
  echo $! >"$(pidfile "$name")"
}

# wait_for NAME TIMEOUT_S DESCRIPTION CHECK...: polls CHECK until it succeeds;
# fails early, with the service log, if the daemon died meanwhile.
wait_for() {
  local name=$1 timeout=$2 what=$3
  shift 3
  local deadline=$(($(now_ms) + timeout * 1000))
  until "$@" >/dev/null 2>&1; do
    if ! is_running "$name"; then
      tail -n 20 "$LOG_DIR/$name.log" >&2 || true
      die "$name exited before $what (log: $LOG_DIR/$name.log)"
    fi
    if (($(now_ms) > deadline)); then
      tail -n 20 "$LOG_DIR/$name.log" >&2 || true
      die "$name: no $what within ${timeout}s (log: $LOG_DIR/$name.log)"
    fi
    sleep 0.1
  done
}

# stop_daemon NAME [TIMEOUT_S]: SIGTERM, then SIGKILL after the timeout.
# Only ever signals the pid recorded in run/NAME.pid, and only if it is ours.
stop_daemon() {
  local name=$1 timeout=${2:-20} pid
  pid=$(read_pid "$name")
  if pid_is_ours "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    local deadline=$(($(now_ms) + timeout * 1000))
    while pid_alive "$pid"; do
      if (($(now_ms) > deadline)); then
        log "$name (pid $pid) ignored SIGTERM for ${timeout}s; sending SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
      fi
      sleep 0.1
    done
  fi
  rm -f "$(pidfile "$name")"
}

# --- checks ------------------------------------------------------------------

tcp_open() { # host port
  timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null
}
docker_ping() { # [socket]
  [[ $(curl -sS -m 2 --unix-socket "${1:-$DOCKER_SOCK}" http://docker/_ping 2>/dev/null) == OK ]]
}
http_status() { # url [curl args...] -> prints the status code
  local url=$1
  shift
  curl -sS -o /dev/null -m 3 -w '%{http_code}' "$@" "$url" 2>/dev/null || true
}
http_is() { # status url [curl args...]
  local want=$1
  shift
  [[ $(http_status "$@") == "$want" ]]
}

endpoint_name() { printf 'endpoint-%s' "$1"; }

# The docker socket behind an endpoint port: dockerd i for ENDPOINT_PORTS[i],
# the main dockerd for any other port a test starts.
endpoint_socket() {
  local i
  for i in "${!ENDPOINT_PORTS[@]}"; do
    if [[ ${ENDPOINT_PORTS[i]} == "$1" ]]; then
      printf '%s/docker.sock' "${DOCKERD_DIRS[i]}"
      return 0
    fi
  done
  printf '%s' "$DOCKER_SOCK"
}
endpoint_up() { is_running "$(endpoint_name "$1")" && tcp_open "$ENDPOINT_HOST" "$1"; }

start_endpoint() { # port
  local port=$1 name tls_args=()
  name=$(endpoint_name "$port")
  endpoint_up "$port" && return 0
  if [[ $port == "$TLS_ENDPOINT_PORT" ]]; then
    # The server side of TLS_DIR's certificates; every other port is plain TCP.
    local f
    for f in ca.crt server.crt server.key; do
      [[ -s $TLS_DIR/$f ]] || die "$TLS_DIR/$f is missing: run \`npm run sandbox:up\` to create the TLS endpoint's certificates"
    done
    tls_args=(--tls-cert "$TLS_DIR/server.crt" --tls-key "$TLS_DIR/server.key" --tls-ca "$TLS_DIR/ca.crt")
  fi
  stop_daemon "$name" 5
  start_daemon "$name" node "$SCRIPTS_DIR/buildkit-proxy.mjs" \
    --listen "$ENDPOINT_HOST:$port" --docker "$(endpoint_socket "$port")" "${tls_args[@]}"
  wait_for "$name" 15 "a listening port $ENDPOINT_HOST:$port" tcp_open "$ENDPOINT_HOST" "$port"
}

stop_endpoint() { stop_daemon "$(endpoint_name "$1")" 5; }
