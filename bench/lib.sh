# bench/lib.sh: what the benchmark scripts share. Sourced, not run; the script sets BENCH (its
# name, for messages) first, under `set -euo pipefail`.
#
# It gives: argument checks, preconditions (root, tools, a built distribution, containerd), a
# private workspace removed on exit (sessions killed, mounts undone), daemons started in their
# own sessions with bounded waits for their socket and their first served request, fresh
# hawserd and containerd instances on temporary roots, a loopback docker-registry and the image
# helpers of the itest test sources that fill it, a fork-free sleep, and statistics with sort
# and awk.
# shellcheck shell=bash

BENCH_DIR=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd -P)
REPO=$(cd "$BENCH_DIR/.." && pwd -P)
DIST=${HAWSER_DIST:-$REPO/distribution/target/hawser}
KEEP_LOGS=false

# ---- messages and arguments ------------------------------------------------------------
# the "# usage:" paragraph of the script's header
usage() {
    sed -n '/^# usage:/,/^#$/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
}
die() {
    echo "$BENCH: $*" >&2
    exit 1
}
usage_error() {
    echo "$BENCH: $*" >&2
    usage >&2
    exit 2
}
positive_int() {
    [[ $2 =~ ^[0-9]+$ ]] || usage_error "$1 needs a whole number, not '$2'"
}

# ---- preconditions ---------------------------------------------------------------------
require_root() {
    [ "$(id -u)" = 0 ] || die "must run as root (containerd needs it)"
}
require_tools() {
    local tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null || die "'$tool' is missing"
    done
}
# the assembled distribution under $DIST; sets JAVA (a JDK 25, as bin/hawserd finds it)
require_hawser_dist() {
    local f
    for f in bin/hawserd bin/hawser lib/java.sh lib/io.hawser.launcher.jar lib/org.apache.felix.framework.jar; do
        [ -e "$DIST/$f" ] || die "the Hawser distribution is not built: $DIST/$f is missing; build it with
  cd $REPO && JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 ./mvnw -q install -DskipTests"
    done
    compgen -G "$DIST/lib/bundles/*.jar" >/dev/null || die "the Hawser distribution has no bundles in $DIST/lib/bundles; rebuild it"
    # shellcheck disable=SC1091
    JAVA=$(. "$DIST/lib/java.sh" && echo "$JAVA") || die "no JDK 25 for hawserd (see $DIST/lib/java.sh)"
}
# sets CONTAINERD and CTR
require_containerd() {
    CONTAINERD=$(command -v containerd) || die "containerd is not installed (apt-get install -y containerd)"
    CTR=$(command -v ctr) || die "ctr is not installed (it comes with the containerd package)"
}

# ---- workspace and cleanup -------------------------------------------------------------
# Creates WORK (a private directory under /tmp) and the fork-free sleep; on exit, Ctrl-C or
# SIGTERM kills every session still live, unmounts what got mounted under WORK and removes it
# (kept with KEEP_LOGS=true).
LIVE_SIDS=()
IDLE_SLEEP=
bench_workspace() {
    WORK=$(mktemp -d /tmp/hawser-bench.XXXXXX)
    trap bench_cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    # a sleep that forks nothing: read with a timeout on a fifo nobody writes to
    mkfifo "$WORK/.sleep"
    exec {SLEEP_FD}<>"$WORK/.sleep"
}
bench_cleanup() {
    local status=$? sid
    # a script that leaves containers running defines bench_teardown to remove them while its daemons still serve
    if declare -F bench_teardown >/dev/null; then bench_teardown || true; fi
    for sid in "${LIVE_SIDS[@]}"; do
        kill -KILL -- "-$sid" 2>/dev/null || true
        wait "$sid" 2>/dev/null || true
    done
    LIVE_SIDS=()
    if [ -n "$IDLE_SLEEP" ]; then kill "$IDLE_SLEEP" 2>/dev/null || true; fi
    exec {SLEEP_FD}>&- 2>/dev/null || true
    unmount_under "$WORK"
    if $KEEP_LOGS; then
        echo "$BENCH: logs kept in $WORK" >&2
    else
        rm -rf "$WORK"
    fi
    exit "$status"
}

# the mount points at or below $1
mounted_under() {
    awk -v p="$1" '$5 == p || index($5, p "/") == 1 { print $5 }' /proc/self/mountinfo
}
# unmounts everything mounted at or below $1, deepest first
unmount_under() {
    local prefix=$1 mounts m
    mounts=$(mounted_under "$prefix" | sort -r)
    [ -z "$mounts" ] && return 0
    while IFS= read -r m; do
        umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || echo "$BENCH: cannot unmount $m" >&2
    done <<<"$mounts"
}

nap() { read -r -t "$1" -u "$SLEEP_FD" _ || true; }
# a long sleep that a signal interrupts at once (wait returns when a trapped signal arrives)
idle() {
    sleep "$1" &
    IDLE_SLEEP=$!
    wait "$IDLE_SLEEP" || true
    IDLE_SLEEP=
}

now_us() { local t=${EPOCHREALTIME/[.,]/}; echo "$((10#$t))"; }
proc_state() { awk '{ sub(/^.*\) /, ""); print $1 }' "/proc/$1/stat" 2>/dev/null || echo gone; }
# whether a process exists and is not a zombie
alive() { kill -0 "$1" 2>/dev/null && [ "$(proc_state "$1")" != Z ]; }

# ---- daemons in their own sessions -----------------------------------------------------
# start_session LOG COMMAND...: runs COMMAND in a new session (setsid), stdin empty, output to
# LOG; sets SESSION to its pid (= the session id) and keeps it for the cleanup.
start_session() {
    local log=$1
    shift
    setsid "$@" >"$log" 2>&1 </dev/null &
    SESSION=$!
    LIVE_SIDS+=("$SESSION")
}
forget_session() {
    local sid=$1 i
    for i in "${!LIVE_SIDS[@]}"; do
        [ "${LIVE_SIDS[$i]}" = "$sid" ] && unset 'LIVE_SIDS[i]'
    done
    LIVE_SIDS=("${LIVE_SIDS[@]}")
}
kill_session() {
    kill -KILL -- "-$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
    forget_session "$1"
}

# await_socket SID SOCKET T0_US TIMEOUT_S: polls every 5 ms until SOCKET exists; sets AWAITED_MS
# (T0 -> now). Returns 1 with AWAIT_ERROR set when the process exits or TIMEOUT_S passes.
await_socket() {
    local sid=$1 sock=$2 t0=$3 timeout=$4 now
    while :; do
        now=$(now_us)
        if [ -S "$sock" ]; then AWAITED_MS=$(((now - t0) / 1000)); return 0; fi
        if ! alive "$sid"; then AWAIT_ERROR="exited before creating $sock"; return 1; fi
        if [ $((now - t0)) -gt $((timeout * 1000000)) ]; then AWAIT_ERROR="no socket $sock after ${timeout}s"; return 1; fi
        nap 0.005
    done
}

# await_served SID T0_US TIMEOUT_S OUTFILE PROBE...: runs PROBE (at most 10 s each) every 5 ms
# until it exits 0; sets AWAITED_MS (T0 -> the end of that probe) and PROBES (how many ran).
# Returns 1 with AWAIT_ERROR set when the process exits or TIMEOUT_S passes.
await_served() {
    local sid=$1 t0=$2 timeout=$3 out=$4 now
    shift 4
    PROBES=0
    while :; do
        PROBES=$((PROBES + 1))
        if timeout 10 "$@" >"$out" 2>&1; then
            now=$(now_us)
            AWAITED_MS=$(((now - t0) / 1000))
            return 0
        fi
        now=$(now_us)
        if ! alive "$sid"; then AWAIT_ERROR="exited before serving a request"; return 1; fi
        if [ $((now - t0)) -gt $((timeout * 1000000)) ]; then
            AWAIT_ERROR="no request served after ${timeout}s (last probe: $(tail -1 "$out"))"
            return 1
        fi
        nap 0.005
    done
}

# stop_session SID PID TIMEOUT_S: SIGTERM to PID (the daemon in session SID), then waits up to
# TIMEOUT_S for SID to exit; sets STOP_MS and STOP_EXIT. Returns 1 with AWAIT_ERROR set on a
# timeout or when processes of the session outlive it (they are killed).
stop_session() {
    local sid=$1 pid=$2 timeout=$3 t now
    t=$(now_us)
    kill -TERM "$pid" 2>/dev/null || true
    while alive "$sid"; do
        now=$(now_us)
        if [ $((now - t)) -gt $((timeout * 1000000)) ]; then
            AWAIT_ERROR="still running ${timeout}s after SIGTERM"
            kill_session "$sid"
            return 1
        fi
        nap 0.005
    done
    now=$(now_us)
    STOP_MS=$(((now - t) / 1000))
    STOP_EXIT=0
    wait "$sid" || STOP_EXIT=$?
    if pgrep -s "$sid" >/dev/null; then
        AWAIT_ERROR="processes of its session outlived it: $(pgrep -s "$sid" -l | tr '\n' ' ')"
        kill_session "$sid"
        return 1
    fi
    forget_session "$sid"
}

# await_session_alone SID TIMEOUT_S: waits until the daemon SID is the only process of its session
# (helpers it started, such as containerd's shim cleanups, have ended), at most TIMEOUT_S
await_session_alone() {
    local sid=$1 timeout=$2 t0
    t0=$(now_us)
    while [ "$(pgrep -s "$sid" | grep -vcx "$sid")" != 0 ]; do
        [ $(($(now_us) - t0)) -lt $((timeout * 1000000)) ] || return 0
        nap 0.05
    done
}

# containerd_config DIR SOCKET: writes DIR/config.toml holding only version 2, root DIR/root,
# state DIR/state and the socket addresses, then CONTAINERD_CONFIG_MORE when set (TOML tables
# of a script's own, such as the CRI plugin's); everything else is containerd's default (all its
# default plugins load, CRI included).
containerd_config() {
    local dir=$1 sock=$2
    cat >"$dir/config.toml" <<EOF
version = 2
root = "$dir/root"
state = "$dir/state"

[grpc]
  address = "$sock"

[ttrpc]
  address = "$sock.ttrpc"
${CONTAINERD_CONFIG_MORE:-}
EOF
}

# ---- fresh daemons ---------------------------------------------------------------------
# start_daemon KIND DIR TIMEOUT_S: starts a fresh hawserd (KIND hawser; with `--config
# $HAWSERD_CONFIG` when that is set) or containerd (KIND containerd, configured by
# containerd_config) on DIR/root and DIR/state and waits until it serves a `version` request.
# Sets DAEMON_PID (= its session), DAEMON_SOCK, CLIENT (the client
# command with its --address: bin/hawser, or ctr with -n bench) and BLOBS (its content store's
# sha256 blob directory). Returns 1 with AWAIT_ERROR set when it does not come up in time.
start_daemon() {
    local kind=$1 dir=$2 timeout=$3 t0
    local -a daemon
    mkdir -p "$dir/root" "$dir/state"
    case $kind in
    hawser)
        DAEMON_SOCK=$dir/state/hawser.sock
        daemon=("$DIST/bin/hawserd" --root "$dir/root" --state "$dir/state")
        if [ -n "${HAWSERD_CONFIG:-}" ]; then daemon+=(--config "$HAWSERD_CONFIG"); fi
        CLIENT=("$DIST/bin/hawser" --address "$DAEMON_SOCK")
        BLOBS=$dir/root/content/blobs/sha256
        ;;
    containerd)
        DAEMON_SOCK=$dir/state/containerd.sock
        containerd_config "$dir" "$DAEMON_SOCK"
        daemon=("$CONTAINERD" --config "$dir/config.toml")
        CLIENT=("$CTR" --address "$DAEMON_SOCK" -n bench)
        BLOBS=$dir/root/io.containerd.content.v1.content/blobs/sha256
        ;;
    *) die "start_daemon: unknown daemon '$kind'" ;;
    esac
    t0=$(now_us)
    start_session "$dir/daemon.log" "${daemon[@]}"
    DAEMON_PID=$SESSION
    await_socket "$DAEMON_PID" "$DAEMON_SOCK" "$t0" "$timeout" || return 1
    await_served "$DAEMON_PID" "$t0" "$timeout" "$dir/probe.out" "${CLIENT[@]}" version
}

# stored_blob_bytes: the bytes under the started daemon's content blobs
stored_blob_bytes() {
    find "$BLOBS" -type f -printf '%s\n' 2>/dev/null | awk '{ s += $1 } END { print s + 0 }'
}

# cpu_ms PID: the user and system CPU time a live process has used so far, in milliseconds
cpu_ms() {
    awk -v tick="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); print int(($12 + $13) * 1000 / tick) }' "/proc/$1/stat"
}

# ---- a loopback registry and the image helpers -----------------------------------------
# require_registry_tools: docker-registry, busybox (every generated image has it as its first
# layer) and the itest test sources the helpers are in; sets REGISTRY
require_registry_tools() {
    require_tools curl ss
    REGISTRY=$(command -v docker-registry) || die "docker-registry is not installed (apt-get install -y docker-registry)"
    [ -r /bin/busybox ] || die "/bin/busybox is missing (apt-get install -y busybox-static)"
    [ -x "$REPO/mvnw" ] && [ -d "$REPO/itest/src/test/java" ] || die "$REPO is not a Hawser source tree: the image helpers are in its itest test sources"
}

# image_helper_classpath CLASS: sets HELPER_CP, the class path that runs the image helper
# io.hawser.itest.registry.CLASS, compiling the itest test sources (./mvnw -pl itest
# test-compile) when it is missing or older than them. Maven runs on the JDK that runs hawserd.
image_helper_classpath() {
    local classes=$REPO/itest/target/test-classes helper
    helper=$classes/io/hawser/itest/registry/$1.class
    export JAVA_HOME
    JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$JAVA")")")
    if [ ! -e "$helper" ] || [ -n "$(find "$REPO/itest/src/test/java" -newer "$helper" -name '*.java' -print -quit)" ]; then
        echo "$BENCH: compiling the itest test sources (./mvnw -q -pl itest test-compile)" >&2
        maven -pl itest test-compile
    fi
    maven -pl itest dependency:build-classpath -Dmdep.outputFile="$WORK/classpath"
    HELPER_CP=$classes:$(cat "$WORK/classpath")
}
maven() {
    (cd "$REPO" && ./mvnw -q "$@") >"$WORK/maven.log" 2>&1 || {
        tail -30 "$WORK/maven.log" >&2
        die "./mvnw $* failed (output above)"
    }
}

# a port nothing listens on, from a random start (a race with another program is possible but
# shows as the registry failing to start, with its log)
free_port() {
    local port=$((20000 + RANDOM % 30000)) tries
    for ((tries = 0; tries < 100; tries++, port++)); do
        [ -z "$(ss -Hltn "sport = :$port")" ] && { echo "$port"; return 0; }
    done
    die "no free loopback port found near $port"
}

# start_registry TIMEOUT_S: docker-registry on a free 127.0.0.1 port with its storage under
# WORK, waited for until it answers /v2/; sets HOST (127.0.0.1:PORT)
start_registry() {
    local timeout=$1 t0
    HOST=127.0.0.1:$(free_port)
    mkdir -p "$WORK/registry/storage"
    cat >"$WORK/registry/config.yml" <<EOF
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $WORK/registry/storage
http:
  addr: $HOST
EOF
    start_session "$WORK/registry/registry.log" "$REGISTRY" serve "$WORK/registry/config.yml"
    t0=$(now_us)
    await_served "$SESSION" "$t0" "$timeout" "$WORK/registry/probe.out" curl -fsS -o /dev/null "http://$HOST/v2/" || {
        tail -20 "$WORK/registry/registry.log" >&2
        die "docker-registry on $HOST: $AWAIT_ERROR"
    }
}

# ---- containers ------------------------------------------------------------------------
# processes_naming EXE DIR: pids of the processes running the binary named EXE (its file name)
# whose command line names a path under DIR, such as the conmon or containerd-shim-runc-v2
# supervising the containers of a daemon whose state is under DIR
processes_naming() {
    local exe=$1 dir=$2 proc pid
    for proc in /proc/[0-9]*; do
        pid=${proc#/proc/}
        [ "$(basename "$(readlink "$proc/exe" 2>/dev/null)")" = "$exe" ] || continue
        tr '\0' ' ' <"$proc/cmdline" 2>/dev/null | grep -qF "$dir/" && echo "$pid"
    done
    return 0
}

# rss_pss_kib PID: "RSS PSS" of a process in KiB, from /proc/PID/smaps_rollup
rss_pss_kib() {
    awk '/^Rss:/ { r = $2 } /^Pss:/ { p = $2 } END { print r + 0, p + 0 }' "/proc/$1/smaps_rollup"
}
vm_rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

# kill_containers_under DIR: the last resort when a daemon could not remove its containers: every
# container of an OCI runtime state directory (runc --root) under DIR is deleted by force, and
# every conmon or containerd shim naming DIR is killed
kill_containers_under() {
    local dir=$1 root id pid
    while IFS= read -r root; do
        for id in $(runc --root "$root" list -q 2>/dev/null); do
            runc --root "$root" delete -f "$id" >/dev/null 2>&1 || true
        done
    done < <(find "$dir" -name state.json -path '*/runc/*' -printf '%h\n' 2>/dev/null | xargs -r -n1 dirname | sort -u)
    for pid in $(processes_naming conmon "$dir") $(processes_naming containerd-shim-runc-v2 "$dir"); do
        kill -KILL "$pid" 2>/dev/null || true
    done
}

# ---- statistics ------------------------------------------------------------------------
# stats FILE: prints "median min max" of the numbers in FILE
stats() {
    sort -n "$1" | awk '{ v[NR] = $1 } END {
        if (NR == 0) { print "- - -"; exit }
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        print m, v[1], v[NR] }'
}
median() { stats "$1" | awk '{ print $1 }'; }

# ---- CRI: the critest fixture, registry mirrors, containerd's CRI settings -------------
# what scripts/critest and bench/cri share
CRI_TOOLS_BIN=${CRI_TOOLS_BIN:-$REPO/target/cri-tools/bin}
# critest's default container image, which bench/cri runs too
CRI_BUSYBOX=registry.k8s.io/e2e-test-images/busybox:1.29-2
# containerd's pod network: its own bridge, subnet and network name (host-local keeps its
# addresses under /var/lib/cni/networks/<name>), so it never shares state with Hawser's hawser0
CONTAINERD_BRIDGE=critest0
CONTAINERD_NETWORK=critest-containerd
CONTAINERD_SUBNET=10.89.0.0/16
CONTAINERD_GATEWAY=10.89.0.1

# require_cri_tools: sets CRICTL and CRITEST (scripts/cri-tools builds them)
require_cri_tools() {
    CRICTL=$CRI_TOOLS_BIN/crictl
    CRITEST=$CRI_TOOLS_BIN/critest
    [ -x "$CRICTL" ] && [ -x "$CRITEST" ] || die "crictl and critest are not in $CRI_TOOLS_BIN; build them with scripts/cri-tools (or set CRI_TOOLS_BIN)"
}

# push_cri_fixture: every image critest pulls (and containerd's pause image), built by the image
# helper PushCritestImages and pushed to the registry start_registry started; WORK/pushed lists them
push_cri_fixture() {
    image_helper_classpath PushCritestImages
    "$JAVA" -cp "$HELPER_CP" io.hawser.itest.registry.PushCritestImages "$HOST" >"$WORK/pushed" 2>"$WORK/push.log" || {
        tail -20 "$WORK/push.log" >&2
        die "building or pushing the critest fixture images failed (output above)"
    }
}

# write_registry_mirrors DIR: DIR/<host>/hosts.toml for registry.k8s.io and gcr.io (containerd's
# format, which Hawser reads too): the fixture registry first, over plain HTTP, for pull and
# resolve, and the real registry behind it
write_registry_mirrors() {
    local dir=$1 host
    for host in registry.k8s.io gcr.io; do
        mkdir -p "$dir/$host"
        cat >"$dir/$host/hosts.toml" <<EOF
server = "https://$host"

[host."http://$HOST"]
  capabilities = ["pull", "resolve"]
EOF
    done
}

# containerd_cri_settings DIR: the CRI plugin's settings for a containerd on DIR (see
# containerd_config), in CONTAINERD_CONFIG_MORE: the mirrors in DIR/certs.d, the fixture's pause
# image, runc's state under DIR/runc, and the pod network DIR/cni (bridge CONTAINERD_BRIDGE)
containerd_cri_settings() {
    local dir=$1
    mkdir -p "$dir/cni" "$dir/runc"
    cat >"$dir/cni/10-$CONTAINERD_NETWORK.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "$CONTAINERD_NETWORK",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$CONTAINERD_BRIDGE",
      "isGateway": true,
      "ipMasq": true,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "routes": [{"dst": "0.0.0.0/0"}],
        "ranges": [[{"subnet": "$CONTAINERD_SUBNET", "gateway": "$CONTAINERD_GATEWAY"}]]
      }
    },
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
EOF
    write_registry_mirrors "$dir/certs.d"
    CONTAINERD_CONFIG_MORE=$(cat <<EOF

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "registry.k8s.io/pause:3.6"
  # these machines deny CAP_SYS_RESOURCE: an oom_score_adj below containerd's own (pods ask for
  # -998) fails in runc with "can't get final child's PID"
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$dir/cni"
  [plugins."io.containerd.grpc.v1.cri".registry]
    config_path = "$dir/certs.d"
  [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
    runtime_type = "io.containerd.runc.v2"
  [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
    Root = "$dir/runc"
EOF
)
}

# remove_containerd_pod_network: the bridge and the IPAM state containerd's pods left
remove_containerd_pod_network() {
    if ip link show "$CONTAINERD_BRIDGE" >/dev/null 2>&1; then
        ip link delete "$CONTAINERD_BRIDGE" type bridge || echo "$BENCH: cannot delete the bridge $CONTAINERD_BRIDGE" >&2
    fi
    rm -rf "/var/lib/cni/networks/$CONTAINERD_NETWORK"
}

# start_cri_daemon KIND DIR TIMEOUT_S: start_daemon with the mirrors (and, for containerd, its
# CRI settings), then waits until its CRI answers `crictl version`; sets CRI_SOCK and CRICTL_AT
# (crictl with both endpoints on it). Returns 1 with AWAIT_ERROR set when it does not come up.
start_cri_daemon() {
    local kind=$1 dir=$2 timeout=$3 t0
    mkdir -p "$dir"
    case $kind in
    hawser)
        write_registry_mirrors "$dir/config/certs.d"
        HAWSERD_CONFIG=$dir/config start_daemon hawser "$dir" "$timeout" || return 1
        CRI_SOCK=$dir/state/cri.sock
        ;;
    containerd)
        containerd_cri_settings "$dir"
        start_daemon containerd "$dir" "$timeout" || return 1
        CRI_SOCK=$DAEMON_SOCK
        ;;
    *) die "start_cri_daemon: unknown daemon '$kind'" ;;
    esac
    CRICTL_AT=("$CRICTL" --timeout 60s --runtime-endpoint "unix://$CRI_SOCK" --image-endpoint "unix://$CRI_SOCK")
    t0=$(now_us)
    await_served "$DAEMON_PID" "$t0" "$timeout" "$dir/cri-probe.out" "${CRICTL_AT[@]}" version
}
