# bench/lib.sh: what the benchmark scripts share. Sourced, not run; the script sets BENCH (its
# name, for messages) first, under `set -euo pipefail`.
#
# It gives: argument checks, preconditions (root, tools, a built distribution, containerd), a
# private workspace removed on exit (sessions killed, mounts undone), daemons started in their
# own sessions with bounded waits for their socket and their first served request, a fork-free
# sleep, and statistics with sort and awk.
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

# unmounts everything mounted at or below $1, deepest first
unmount_under() {
    local prefix=$1 mounts m
    mounts=$(awk -v p="$prefix" '$5 == p || index($5, p "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r)
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

# containerd_config DIR SOCKET: writes DIR/config.toml holding only version 2, root DIR/root,
# state DIR/state and the socket addresses; everything else is containerd's default (all its
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
EOF
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
