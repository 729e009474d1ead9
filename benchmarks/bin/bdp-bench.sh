#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# bdp-bench.sh - what window auto-tuning (BDP estimation) gains over a link with latency.
#
# Makes two network namespaces of its own (server, client) joined by a link with --rtt-ms of round
# trip time, runs benchmark-server in one and benchmark-client in the other, 1 MiB messages, with
# --bdp=true and --bdp=false on both sides (1 MiB initial windows either way), and prints MiB/s.
#
# The link: a veth pair with `tc qdisc ... netem delay` (half the RTT on each end) when the kernel
# has sch_netem; else (--link tun, or auto without netem) a TUN device in each namespace and a small
# forwarder (python3, started by this script) that delays every packet by half the RTT each way.
# Either way the hosts' TCP runs end to end; the namespaces' TCP buffers may grow to 64 MiB so that
# TCP is not what limits.
#
# Root only. Names start with sbbdp<PID>; the EXIT trap stops what it started (by PID) and deletes
# its namespaces and devices; nothing outside them is touched. Our side must be built:
#   mvn -B -DskipTests package -pl benchmarks -am         # from the project root
set -euo pipefail

usage() {
  cat <<'EOF'
usage: bdp-bench.sh [options]
  --rtt-ms N        round trip time of the link, ms (default 50)
  --link KIND       auto (netem if the kernel has it, else tun), netem or tun (default auto)
  --payload B       response payload, and request payload unless --client-payload, bytes
                    (default 1048576)
  --client-payload B  request payload, bytes (default: --payload; 0 for downloads only)
  --outstanding N   calls in flight on the one channel (default 16)
  --streaming       streaming ping-pong instead of unary
  --window B        initial stream and connection window on both sides (default: 1 MiB)
  --duration S      measured seconds (default 20)
  --warmup S        warm-up seconds, not measured (default 5)
  --rounds N        rounds, BDP on and off interleaved in each (default 1)
  --out DIR         logs (default: a new directory under /tmp)
  -h, --help
environment: JAVA, JAVA_OPTS (see _common.sh)
EOF
}

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RTT_MS=50 LINK=auto PAYLOAD=1048576 OUTSTANDING=16 STREAMING=0 WINDOW="" DURATION=20 WARMUP=5
ROUNDS=1 OUT_DIR="" CLIENT_PAYLOAD=""
while [[ $# -gt 0 ]]; do
  case $1 in
    --rtt-ms) RTT_MS=$2; shift 2 ;;
    --link) LINK=$2; shift 2 ;;
    --payload) PAYLOAD=$2; shift 2 ;;
    --client-payload) CLIENT_PAYLOAD=$2; shift 2 ;;
    --outstanding) OUTSTANDING=$2; shift 2 ;;
    --streaming) STREAMING=1; shift ;;
    --window) WINDOW=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --out) OUT_DIR=$2; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "bdp-bench.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
for n in "$RTT_MS" "$PAYLOAD" "$OUTSTANDING" "$DURATION" "$WARMUP" "$ROUNDS" ${WINDOW:+"$WINDOW"}; do
  [[ $n =~ ^[0-9]+$ ]] || { echo "bdp-bench.sh: not a number: $n" >&2; exit 2; }
done
[[ $RTT_MS -ge 2 && $DURATION -ge 1 && $ROUNDS -ge 1 && $OUTSTANDING -ge 1 ]] \
  || { echo "bdp-bench.sh: --rtt-ms >= 2, --duration, --rounds, --outstanding >= 1" >&2; exit 2; }
[[ -n $CLIENT_PAYLOAD ]] || CLIENT_PAYLOAD=$PAYLOAD
[[ $CLIENT_PAYLOAD =~ ^[0-9]+$ ]] || { echo "bdp-bench.sh: not a number: $CLIENT_PAYLOAD" >&2; exit 2; }
case $LINK in auto | netem | tun) ;; *) echo "bdp-bench.sh: --link auto, netem or tun" >&2; exit 2 ;; esac
[[ $(id -u) == 0 ]] || { echo "bdp-bench.sh: needs root (network namespaces)" >&2; exit 2; }
command -v ip >/dev/null || { echo "bdp-bench.sh: needs ip (iproute2)" >&2; exit 2; }

# shellcheck source=_common.sh
source "$HERE/_common.sh"
bench_classpath >/dev/null # exits with a hint when the module is not built

PREFIX="sbbdp$$"
NS_SRV="${PREFIX}s" NS_CLI="${PREFIX}c"
DEV_SRV="${PREFIX}s0" DEV_CLI="${PREFIX}c0"
SRV_IP=10.213.77.1 CLI_IP=10.213.77.2 PORT=50051
ONE_WAY_MS=$((RTT_MS / 2))
[[ -n $OUT_DIR ]] || OUT_DIR=$(mktemp -d "/tmp/bdp-bench.$(date +%Y%m%d-%H%M%S).XXXX")
mkdir -p "$OUT_DIR"

STARTED=()
stop_pid() { # TERM the process group we started, KILL it after 10 s
  local pid=$1 _
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -KILL -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local p
  for p in "${STARTED[@]+"${STARTED[@]}"}"; do stop_pid "$p"; done
  ip netns del "$NS_SRV" 2>/dev/null || true
  ip netns del "$NS_CLI" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------ the link
netem_link() {
  ip netns add "$NS_SRV"
  ip netns add "$NS_CLI"
  ip link add "$DEV_SRV" netns "$NS_SRV" type veth peer name "$DEV_CLI" netns "$NS_CLI"
  ip -n "$NS_SRV" addr add "$SRV_IP/24" dev "$DEV_SRV"
  ip -n "$NS_CLI" addr add "$CLI_IP/24" dev "$DEV_CLI"
  ip netns exec "$NS_SRV" tc qdisc add dev "$DEV_SRV" root netem delay "${ONE_WAY_MS}ms" limit 100000 \
    && ip netns exec "$NS_CLI" tc qdisc add dev "$DEV_CLI" root netem delay "${ONE_WAY_MS}ms" limit 100000
}

tun_link() {
  command -v python3 >/dev/null || { echo "bdp-bench.sh: --link tun needs python3" >&2; exit 2; }
  cat >"$OUT_DIR/delaylink.py" <<'PY'
# delaylink.py DEV_A DEV_B ONE_WAY_MS: two TUN devices; every IP packet read from one is written to
# the other ONE_WAY_MS later (FIFO, a constant delay; packets for a device that is down are lost).
import collections, fcntl, os, struct, sys, threading, time

TUNSETIFF, IFF_TUN, IFF_NO_PI = 0x400454CA, 0x0001, 0x1000


def tun(name):
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    return fd


def pump(src, dst, delay):
    queue, cv = collections.deque(), threading.Condition()

    def writer():
        while True:
            with cv:
                while not queue:
                    cv.wait()
                due, packet = queue.popleft()
            wait = due - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            try:
                os.write(dst, packet)
            except OSError:
                pass

    threading.Thread(target=writer, daemon=True).start()
    while True:
        packet = os.read(src, 65536)
        with cv:
            queue.append((time.monotonic() + delay, packet))
            cv.notify()


a, b = tun(sys.argv[1]), tun(sys.argv[2])
delay = float(sys.argv[3]) / 1000.0
threading.Thread(target=pump, args=(a, b, delay), daemon=True).start()
print("ready", flush=True)
pump(b, a, delay)
PY
  setsid python3 "$OUT_DIR/delaylink.py" "$DEV_SRV" "$DEV_CLI" "$ONE_WAY_MS" \
    >"$OUT_DIR/delaylink.log" 2>&1 </dev/null &
  STARTED+=("$!")
  local _
  for _ in $(seq 1 50); do grep -q ready "$OUT_DIR/delaylink.log" && break; sleep 0.1; done
  grep -q ready "$OUT_DIR/delaylink.log" || { echo "bdp-bench.sh: forwarder failed, see $OUT_DIR/delaylink.log" >&2; exit 1; }
  ip netns add "$NS_SRV"
  ip netns add "$NS_CLI"
  ip link set "$DEV_SRV" netns "$NS_SRV"
  ip link set "$DEV_CLI" netns "$NS_CLI"
  ip -n "$NS_SRV" addr add "$SRV_IP" peer "$CLI_IP" dev "$DEV_SRV"
  ip -n "$NS_CLI" addr add "$CLI_IP" peer "$SRV_IP" dev "$DEV_CLI"
  ip -n "$NS_SRV" link set "$DEV_SRV" mtu 9000
  ip -n "$NS_CLI" link set "$DEV_CLI" mtu 9000
}

if [[ $LINK != tun ]] && netem_link 2>"$OUT_DIR/netem.err"; then
  LINK_DESC="veth + tc netem delay ${ONE_WAY_MS}ms on each end"
else
  [[ $LINK == netem ]] && { echo "bdp-bench.sh: netem failed: $(cat "$OUT_DIR/netem.err")" >&2; exit 1; }
  ip netns del "$NS_SRV" 2>/dev/null || true
  ip netns del "$NS_CLI" 2>/dev/null || true
  tun_link
  LINK_DESC="tun pair + delay forwarder, ${ONE_WAY_MS} ms each way (no sch_netem in this kernel)"
fi
for ns in "$NS_SRV" "$NS_CLI"; do
  ip -n "$ns" link set lo up
  ip netns exec "$ns" sysctl -q -w net.ipv4.tcp_rmem="4096 131072 67108864" \
    net.ipv4.tcp_wmem="4096 16384 67108864"
done
ip -n "$NS_SRV" link set "$DEV_SRV" up
ip -n "$NS_CLI" link set "$DEV_CLI" up

# ------------------------------------------------------------------ runs
# one_run ROUND BDP -> a RESULT line and a row in results.tsv
one_run() {
  local round=$1 bdp=$2 pid rc=0 qps p50 p99 mib _
  local tag="r$round-bdp-$bdp"
  local flags=(--bdp="$bdp")
  [[ -n $WINDOW ]] && flags+=(--flow_control_window="$WINDOW")
  setsid ip netns exec "$NS_SRV" "$HERE/benchmark-server" --host="$SRV_IP" --port="$PORT" \
    "${flags[@]}" >"$OUT_DIR/$tag-server.log" 2>&1 </dev/null &
  pid=$!
  STARTED+=("$pid")
  for _ in $(seq 1 300); do
    grep -q "QPS Server started" "$OUT_DIR/$tag-server.log" && break
    kill -0 "$pid" 2>/dev/null || { echo "bdp-bench.sh: server died, see $OUT_DIR/$tag-server.log" >&2; exit 1; }
    sleep 0.2
  done
  local client=(--address="$SRV_IP:$PORT" --channels=1 --outstanding_rpcs="$OUTSTANDING"
    --client_payload="$CLIENT_PAYLOAD" --server_payload="$PAYLOAD" --duration="$DURATION"
    --warmup_duration="$WARMUP" "${flags[@]}")
  [[ $STREAMING == 1 ]] && client+=(--streaming_rpcs)
  echo "# round $round, bdp=$bdp: benchmark-client ${client[*]}" >&2
  timeout -k 5 $((WARMUP + DURATION + 120)) ip netns exec "$NS_CLI" "$HERE/benchmark-client" \
    "${client[@]}" >"$OUT_DIR/$tag-client.log" 2>&1 </dev/null || rc=$?
  stop_pid "$pid"
  qps=$(awk -F: '$1 == "QPS" {gsub(/[ \t]/, "", $2); print $2}' "$OUT_DIR/$tag-client.log")
  p50=$(awk -F: 'index($0, "50%ile") == 1 {gsub(/[ \t]/, "", $2); print $2}' "$OUT_DIR/$tag-client.log")
  p99=$(awk -F: 'index($0, "99%ile") == 1 {gsub(/[ \t]/, "", $2); print $2}' "$OUT_DIR/$tag-client.log")
  if [[ $rc != 0 || -z $qps ]]; then
    echo "RESULT round=$round bdp=$bdp FAILED (exit $rc), see $OUT_DIR/$tag-client.log" >&2
    printf '%s\t%s\tfailed\t\t\t\n' "$round" "$bdp" >>"$OUT_DIR/results.tsv"
    return 0
  fi
  mib=$(awk -v q="$qps" -v b="$PAYLOAD" 'BEGIN{printf "%.1f", q * b / 1048576}')
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$bdp" "$qps" "$mib" "$p50" "$p99" >>"$OUT_DIR/results.tsv"
  echo "RESULT round=$round bdp=$bdp QPS=$qps MiB/s_responses=$mib p50=${p50}us p99=${p99}us" >&2
}

ping_ms=$(ip netns exec "$NS_CLI" bash -c \
  "s=\$(date +%s%N); (exec 3<>/dev/tcp/$SRV_IP/9) 2>/dev/null; e=\$(date +%s%N); echo \$(((e - s) / 1000000))" \
  2>/dev/null || true)
{
  echo "# bdp-bench.sh $(date -u +%Y-%m-%dT%H:%M:%SZ) $(uname -n) cpus=$(nproc) | $("$JAVA" -version 2>&1 | head -n 1)"
  echo "# link: $LINK_DESC, RTT ${RTT_MS} ms (a refused TCP connect took ${ping_ms:-?} ms)"
  echo "# load: 1 channel x $OUTSTANDING $([[ $STREAMING == 1 ]] && echo "ping-pong streams" || echo "unary calls"), requests $CLIENT_PAYLOAD B, responses $PAYLOAD B," \
    "${WARMUP}s warm-up + ${DURATION}s | windows: ${WINDOW:-default (1 MiB)} | JAVA_OPTS: ${JAVA_OPTS--Xms1g -Xmx1g -XX:+UseG1GC}"
  echo "# switchboard: $(git -C "$HERE" describe --always --dirty 2>/dev/null || echo unknown) | logs: $OUT_DIR"
} | tee "$OUT_DIR/summary.txt"
: >"$OUT_DIR/results.tsv"
for round in $(seq 1 "$ROUNDS"); do
  one_run "$round" true
  one_run "$round" false
done

{
  echo ""
  printf '| round | BDP auto-tuning | QPS | MiB/s of responses | p50 (ms) | p99 (ms) |\n'
  printf '|---|---|---|---|---|---|\n'
  awk -F'\t' '{ if ($3 == "failed") printf "| %s | %s | failed | | | |\n", $1, ($2 == "true" ? "on" : "off");
    else printf "| %s | %s | %s | %s | %.0f | %.0f |\n", $1, ($2 == "true" ? "on" : "off"), $3, $4, $5 / 1000, $6 / 1000 }' \
    "$OUT_DIR/results.tsv"
} | tee -a "$OUT_DIR/summary.txt"
