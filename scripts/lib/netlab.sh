# shellcheck shell=bash
# Helpers for scripts/record-samples: private network namespaces, veth pairs,
# VLAN tagging, packet capturers (tcpdump/dumpcap) and the DM/UDP helpers.
#
# Everything created here lives in network namespaces named "dmds<PID>-*" that
# this process creates; netlab_cleanup (installed as EXIT trap by netlab_init)
# stops the processes this script started (by PID) and deletes the namespaces,
# which also removes the veth pairs inside them.  Traffic only ever goes to
# loopback or to 10.77.x.x / fd77:x:: addresses inside those namespaces.

LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PYTHON=${PYTHON:-python3}
NETLAB_NS=()      # namespaces we created
NETLAB_PIDS=()    # background processes we started (servers, sinks, capturers)
CAP_PIDS=()       # capturers of the current recording
WORK=""           # scratch directory for logs, ready files, raw captures

netlab_init() {
    [ "$(id -u)" = 0 ] || { echo "must run as root" >&2; exit 1; }
    local t
    for t in ip tc unshare tcpdump dumpcap tshark editcap capinfos gzip "$PYTHON"; do
        command -v "$t" >/dev/null || { echo "missing tool: $t" >&2; exit 1; }
    done
    WORK=$(mktemp -d /tmp/dmds-record.XXXXXX)
    trap netlab_cleanup EXIT
    trap 'exit 130' INT TERM
}

netlab_cleanup() {
    local rc=$? pid ns
    for pid in "${NETLAB_PIDS[@]}"; do
        if kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid" 2>/dev/null || true; fi
    done
    for pid in "${NETLAB_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    for ns in "${NETLAB_NS[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
    if [ "$rc" != 0 ] && [ -n "$WORK" ]; then
        echo "--- record-samples failed (rc=$rc); logs:" >&2
        tail -n 20 "$WORK"/*.log >&2 2>/dev/null || true
    fi
    [ -n "$WORK" ] && rm -rf "$WORK"
    NETLAB_PIDS=() NETLAB_NS=()
}

# wait_for COND_CMD... : poll up to 10 s
wait_for() {
    local i
    for i in $(seq 100); do "$@" && return 0; sleep 0.1; done
    echo "timed out waiting for: $*" >&2
    return 1
}

# wait_for_exit PID: up to 10 s
wait_for_exit() { wait_for eval '! kill -0 '"$1"' 2>/dev/null'; }

# ns_new VAR SUFFIX [ipv6]: create namespace dmds<PID>-SUFFIX, store its name in VAR.
# Without "ipv6" IPv6 is disabled in it (no MLD/ND noise in IPv4 captures).
# With "ipv6": no router solicitations, no DAD, fast MLD unsolicited reports.
ns_new() {
    local -n _var=$1
    local ns="dmds$BASHPID-$2" v6=${3:-}
    ip netns add "$ns"
    NETLAB_NS+=("$ns")
    _var=$ns
    if [ "$v6" = ipv6 ]; then
        nsx "$ns" sh -c 'c=/proc/sys/net/ipv6/conf
            echo 0   > $c/default/router_solicitations
            echo 0   > $c/default/accept_dad
            echo 100 > $c/default/mldv2_unsolicited_report_interval
            echo 0   > $c/all/router_solicitations'
    else
        nsx "$ns" sh -c 'echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6
                         echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6'
    fi
    nsx "$ns" ip link set lo up
}

nsx() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# veth_new NS1 IF1 MAC1 NS2 IF2 MAC2 [MTU]: veth pair created directly inside the namespaces
veth_new() {
    local mtu=()
    [ -n "${7:-}" ] && mtu=(mtu "$7")
    ip link add "$2" netns "$1" address "$3" "${mtu[@]}" type veth \
        peer name "$5" netns "$4" address "$6" "${mtu[@]}"
}

link_up() { nsx "$1" ip link set "$2" up; }

# vlan_method: "iplink" if the kernel has 802.1Q support, else "bpf" (tc + eBPF
# bpf_skb_vlan_push/pop).  Override with DMDS_VLAN=iplink|bpf.
vlan_method() {
    if [ -n "${DMDS_VLAN:-}" ]; then echo "$DMDS_VLAN"; return; fi
    local probe
    ns_new probe vlanprobe
    if nsx "$probe" ip link add vp0 type dummy 2>/dev/null &&
       nsx "$probe" ip link add link vp0 name vp0.9 type vlan id 9 2>/dev/null; then
        echo iplink
    elif nsx "$probe" ip link add vp0 type veth peer name vp1 2>/dev/null &&
         nsx "$probe" ip link add link vp0 name vp0.9 type vlan id 9 2>/dev/null; then
        echo iplink
    else
        echo bpf
    fi
    ip netns del "$probe"
}

# vlan_stack VAR METHOD NS DEV TAGS...: put VLAN tags (innermost first, TPID:VID,
# e.g. 8100:100 88a8:200) on DEV's traffic; VAR gets the interface that carries
# the IP address (a vlan sub-interface, or DEV itself with the bpf method).
vlan_stack() {
    local -n _top=$1
    local method=$2 ns=$3 dev=$4; shift 4
    local tags=("$@") i cur name tpid vid proto
    if [ "$method" = iplink ]; then
        cur=$dev
        for ((i = ${#tags[@]} - 1; i >= 0; i--)); do        # outermost first
            tpid=${tags[i]%%:*} vid=${tags[i]##*:}
            proto=802.1Q; [ "$tpid" = 88a8 ] && proto=802.1ad
            name=$cur.$vid
            nsx "$ns" ip link add link "$cur" name "$name" type vlan proto "$proto" id "$vid"
            nsx "$ns" ip link set "$name" up
            cur=$name
        done
        _top=$cur
    else
        unshare --mount --propagation private bash -euc '
            d=$(mktemp -d /tmp/dmds-bpffs.XXXXXX)
            mount -t bpf bpf "$d"
            trap "umount \"$d\"; rmdir \"$d\"" EXIT
            "$1" "$2/vlan_bpf.py" push "$d/push" "${@:5}"
            "$1" "$2/vlan_bpf.py" pop "$d/pop" $(($# - 4))
            ip netns exec "$3" tc qdisc add dev "$4" clsact
            ip netns exec "$3" tc filter add dev "$4" egress bpf da object-pinned "$d/push"
            ip netns exec "$3" tc filter add dev "$4" ingress bpf da object-pinned "$d/pop"
        ' vlan "$PYTHON" "$LIB" "$ns" "$dev" "${tags[@]}"
        _top=$dev
    fi
}

# cap_start NS FILE tcpdump|dumpcap ARGS...: start a capturer and wait until it listens.
# (Background processes are started as plain commands, not through a shell
# function, so that $! is the capturer itself and SIGINT reaches it.)
cap_start() {
    local ns=$1 file=$2 tool=$3; shift 3
    local log="$WORK/cap-$(basename "$file").log" ready
    case $tool in
    tcpdump)
        ip netns exec "$ns" tcpdump --immediate-mode -U -Z root -w "$file" "$@" 2>"$log" &
        ready="listening on" ;;
    dumpcap)
        ip netns exec "$ns" dumpcap -q -w "$file" "$@" 2>"$log" &
        ready="Capturing on" ;;
    esac
    local pid=$!
    NETLAB_PIDS+=("$pid")
    CAP_PIDS+=("$pid")
    wait_for grep -qs "$ready" "$log"
}

# cap_stop_all: SIGINT every capturer of this recording and wait for it to flush and exit.
cap_stop_all() {
    local pid
    sleep 0.5                               # let the last FIN/ACKs go by
    for pid in "${CAP_PIDS[@]}"; do kill -INT "$pid"; done
    for pid in "${CAP_PIDS[@]}"; do
        wait_for_exit "$pid" || { echo "capturer $pid ignored SIGINT" >&2; return 1; }
        wait "$pid"                         # its exit status (set -e: must be 0)
    done
    CAP_PIDS=()
}

# bg_start NS NAME SCRIPT ARGS...: start a helper that creates --ready-file; wait for it.
bg_start() {
    local ns=$1 name=$2 script=$3; shift 3
    local ready="$WORK/$name.ready"
    rm -f "$ready"
    ip netns exec "$ns" "$PYTHON" "$LIB/$script" "$@" --ready-file "$ready" 2>>"$WORK/$name.log" &
    NETLAB_PIDS+=("$!")
    wait_for test -e "$ready"
}

server_start() { bg_start "$1" "server-$1-$3" dm_server.py --bind "$2" --port "$3"; }
sink_start() { bg_start "$1" "sink-$1-$3" udp_sink.py --bind "$2" --port "$3"; }

# dm_session NS HOST PORT [client args]: one DM session (P1, P2 GET, P3, P2 END)
dm_session() {
    local ns=$1; shift
    nsx "$ns" "$PYTHON" "$LIB/dm_client.py" "$@" 2>>"$WORK/client.log"
}

udp_send() { local ns=$1; shift; nsx "$ns" "$PYTHON" "$LIB/udp_send.py" "$@" 2>>"$WORK/udp.log"; }

# --- helpers for the HTTP captures (issue 3) ---

# server_start_opts NS ADDR PORT ARGS...: dm_server.py with extra options (--test-routes, --log)
server_start_opts() {
    local ns=$1 addr=$2 port=$3; shift 3
    bg_start "$ns" "server-$ns-$port" dm_server.py --bind "$addr" --port "$port" "$@"
}

# real_segments NS DEV [MTU]: MTU (default 1500) and gso_max_segs 1 on DEV, so that TCP hands
# the device one MTU-sized segment per skb and the capture shows the real segmentation, not
# GSO/TSO super-packets (lo and veth offload segmentation by default).
real_segments() { nsx "$1" ip link set "$2" mtu "${3:-1500}" gso_max_segs 1; }

# http_client NS HOST PORT ARGS...: the raw-socket client
http_client() { local ns=$1; shift; nsx "$ns" "$PYTHON" "$LIB/http_client.py" "$@" 2>>"$WORK/client.log"; }

# exchanges ARGS...: scripts/lib/exchanges.py (merge the peers' logs into FILE.exchanges.json)
exchanges() { "$PYTHON" "$LIB/exchanges.py" "$@"; }

# tc_drop_marked NS DEV MARK: drop DEV's outgoing packets that carry firewall mark MARK,
# silently (eBPF tc egress program returning TC_ACT_STOLEN, scripts/lib/drop_bpf.py):
# the sending TCP is not told, and the AF_PACKET tap of DEV (after tc egress) does not
# see them.  Choose the packets with iptables -t mangle ... -j MARK --set-mark MARK.
tc_drop_marked() {
    unshare --mount --propagation private bash -euc '
        d=$(mktemp -d /tmp/dmds-bpffs.XXXXXX)
        mount -t bpf bpf "$d"
        trap "umount \"$d\"; rmdir \"$d\"" EXIT
        "$1" "$2/drop_bpf.py" "$d/drop" "$5"
        ip netns exec "$3" tc qdisc add dev "$4" clsact
        ip netns exec "$3" tc filter add dev "$4" egress bpf da object-pinned "$d/drop"
    ' drop "$PYTHON" "$LIB" "$1" "$2" "$3"
}
