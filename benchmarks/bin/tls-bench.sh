#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# tls-bench.sh - what TLS costs, Switchboard beside grpc-java, on 127.0.0.1.
#
# For each client -> server pair (grpc-java's AsyncClient/AsyncServer, our BenchmarkClient/
# BenchmarkServer, and the two crosses), over TLS (the gRPC test certificates: AsyncServer --tls,
# AsyncClient --tls --testca, and ours with the same flags) and, for reference, plaintext:
#   HS  handshake: a fresh channel to its first completed empty unary call, one at a time,
#       --handshakes of them after --hs-warmup seconds of the same (BenchmarkClient --handshakes;
#       AsyncClient cannot do this, so HS runs with our client only, against both servers):
#       p50/p90/p99 in microseconds, channels set up per second
#   S1  unary, 1 channel x 1 outstanding, 0 B: QPS, p50, p99
#   S4  unary, 1 channel x 4 outstanding, 1 MiB each way: MiB/s each way, p50, p99
# (S1 and S4 as in /work/shared/peers/grpc-java-bench.sh.) A fresh server per pair, security and
# round; server pinned to --server-cpus (0), client to --client-cpus (1); -Xms1g -Xmx1g -XX:+UseG1GC
# on every JVM. The output ends with one SUMMARY line per pair, security and scenario: median
# [min..max] over the rounds, and for TLS rows the ratio of the medians TLS/plaintext when both ran.
#
# Every run is bounded in time (timeout); the script stops only the process groups it started.
# grpc-java's programs come from compare.sh --fetch-only (same cache). Our side must be built:
#   mvn -B -DskipTests package -pl benchmarks -am         # from the project root
set -euo pipefail

usage() {
  cat <<'EOF'
usage: tls-bench.sh [options]
  --pairs LIST          CLIENT-SERVER pairs, each side grpc-java or switchboard (gj, sb for short)
                        (default: gj-gj,sb-sb,sb-gj,gj-sb)
  --security LIST       tls,plaintext (default: both; plaintext rows are the reference)
  --scenarios LIST      HS,S1,S4 (default: all)
  --rounds N            rounds, the pairs interleaved in each (default 1)
  --handshakes N        measured fresh channels per HS run (default 200)
  --hs-warmup S         seconds of fresh channels before them, not measured (default 5)
  --duration S          S1/S4 measured seconds (default 10)
  --warmup S            S1/S4 warm-up seconds, not measured (default 10)
  --direct              handlers on the event loop in both servers
                        (AsyncServer --directexecutor, ours --direct)
  --grpc-java-ssl P     grpc-java's TLS provider: openssl (BoringSSL from netty-tcnative, which is on
                        its class path: what it uses by default) or jdk (the JDK's, as ours;
                        -Dio.netty.handler.ssl.noOpenSsl=true) (default openssl)
  --server-cpus LIST    taskset CPU list for servers (default 0)
  --client-cpus LIST    taskset CPU list for clients (default 1)
  --out DIR             logs and tables (default: a new directory under $CACHE_DIR/tls-runs)
  -h, --help
environment: JAVA, JAVA_OPTS (every JVM; default "-Xms1g -Xmx1g -XX:+UseG1GC"), MVN,
  GRPC_JAVA_VERSION (1.79.0), CACHE_DIR (~/.cache/switchboard-benchmarks/grpc-java-VERSION)
EOF
}

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
GRPC_JAVA_VERSION=${GRPC_JAVA_VERSION:-1.79.0}
CACHE_DIR=${CACHE_DIR:-$HOME/.cache/switchboard-benchmarks/grpc-java-$GRPC_JAVA_VERSION}
export GRPC_JAVA_VERSION CACHE_DIR
LIB="$CACHE_DIR/lib"
if [[ -z ${JAVA:-} ]]; then
  if [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]]; then JAVA="$JAVA_HOME/bin/java"; else JAVA=java; fi
fi
export JAVA
JAVA_OPTS=${JAVA_OPTS--Xms1g -Xmx1g -XX:+UseG1GC}
export JAVA_OPTS
read -r -a JOPTS <<<"$JAVA_OPTS"

PAIRS=gj-gj,sb-sb,sb-gj,gj-sb SECURITY=tls,plaintext SCENARIOS=HS,S1,S4 ROUNDS=1
HANDSHAKES=200 HS_WARMUP=5 DURATION=10 WARMUP=10 DIRECT=0 GJ_SSL=openssl
SERVER_CPUS=0 CLIENT_CPUS=1 OUT_DIR=""
S4_OUTSTANDING=4 S4_BYTES=1048576
while [[ $# -gt 0 ]]; do
  case $1 in
    --pairs) PAIRS=$2; shift 2 ;;
    --security) SECURITY=$2; shift 2 ;;
    --scenarios) SCENARIOS=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --handshakes) HANDSHAKES=$2; shift 2 ;;
    --hs-warmup) HS_WARMUP=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --direct) DIRECT=1; shift ;;
    --grpc-java-ssl) GJ_SSL=$2; shift 2 ;;
    --server-cpus) SERVER_CPUS=$2; shift 2 ;;
    --client-cpus) CLIENT_CPUS=$2; shift 2 ;;
    --out) OUT_DIR=$2; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "tls-bench.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
for n in "$ROUNDS" "$HANDSHAKES" "$HS_WARMUP" "$DURATION" "$WARMUP"; do
  [[ $n =~ ^[0-9]+$ ]] || { echo "tls-bench.sh: not a number: $n" >&2; exit 2; }
done
[[ $ROUNDS -ge 1 && $HANDSHAKES -ge 1 && $DURATION -ge 1 ]] \
  || { echo "tls-bench.sh: --rounds, --handshakes and --duration must be at least 1" >&2; exit 2; }
case $GJ_SSL in openssl | jdk) ;; *) echo "tls-bench.sh: --grpc-java-ssl is openssl or jdk" >&2; exit 2 ;; esac

side() { # side NAME -> grpc-java | switchboard
  case $1 in
    gj | grpc-java) echo grpc-java ;;
    sb | switchboard) echo switchboard ;;
    *) echo "tls-bench.sh: unknown side '$1' (grpc-java, switchboard, gj, sb)" >&2; return 1 ;;
  esac
}
IFS=, read -r -a PAIR_ARGS <<<"$PAIRS"
PAIR_LIST=()
for p in "${PAIR_ARGS[@]}"; do
  [[ $p == *-* ]] || { echo "tls-bench.sh: a pair is CLIENT-SERVER, not '$p'" >&2; exit 2; }
  c=$(side "${p%%-*}") || exit 2
  s=$(side "${p#*-}") || exit 2
  PAIR_LIST+=("$c $s")
done
IFS=, read -r -a SECURITY_LIST <<<"$SECURITY"
for x in "${SECURITY_LIST[@]}"; do
  case $x in tls | plaintext) ;; *) echo "tls-bench.sh: unknown security '$x'" >&2; exit 2 ;; esac
done
IFS=, read -r -a SCENARIO_LIST <<<"$SCENARIOS"
for x in "${SCENARIO_LIST[@]}"; do
  case $x in HS | S1 | S4) ;; *) echo "tls-bench.sh: unknown scenario '$x'" >&2; exit 2 ;; esac
done

# grpc-java's programs (fetched once, shared with compare.sh), then our build.
"$HERE/compare.sh" --fetch-only >/dev/null
# shellcheck source=_common.sh
source "$HERE/_common.sh"
bench_classpath >/dev/null
# shellcheck source=_harness.sh
source "$HERE/_harness.sh"
setup_pinning "$SERVER_CPUS" "$CLIENT_CPUS"

GJ_JOPTS=("${JOPTS[@]+"${JOPTS[@]}"}")
[[ $GJ_SSL == jdk ]] && GJ_JOPTS+=(-Dio.netty.handler.ssl.noOpenSsl=true)

server_cmd() { # server_cmd SIDE SECURITY PORT -> SERVER_CMD
  if [[ $1 == grpc-java ]]; then
    SERVER_CMD=("$JAVA" "${GJ_JOPTS[@]+"${GJ_JOPTS[@]}"}" -cp "$LIB/*" io.grpc.benchmarks.qps.AsyncServer
      --address="127.0.0.1:$3" --transport=netty_nio)
    [[ $DIRECT == 1 ]] && SERVER_CMD+=(--directexecutor)
  else
    SERVER_CMD=("$HERE/benchmark-server" --port="$3")
    [[ $DIRECT == 1 ]] && SERVER_CMD+=(--direct)
  fi
  [[ $2 == tls ]] && SERVER_CMD+=(--tls)
  return 0
}

client_cmd() { # client_cmd SIDE SECURITY PORT FLAGS... -> CLIENT_CMD
  local who=$1 security=$2 port=$3
  shift 3
  if [[ $who == grpc-java ]]; then
    CLIENT_CMD=("$JAVA" "${GJ_JOPTS[@]+"${GJ_JOPTS[@]}"}" -cp "$LIB/*" io.grpc.benchmarks.qps.AsyncClient)
  else
    CLIENT_CMD=("$HERE/benchmark-client")
  fi
  CLIENT_CMD+=(--address="127.0.0.1:$port" --transport=netty_nio "$@")
  [[ $security == tls ]] && CLIENT_CMD+=(--tls --testca)
  return 0
}

row() { # row ROUND CLIENT SERVER SECURITY SCENARIO METRIC VALUE
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$OUT_DIR/results.tsv"
}

# scenario ROUND CLIENT SERVER SECURITY PORT SCENARIO: one client run, its rows
scenario() {
  local round=$1 client=$2 server=$3 security=$4 port=$5 sc=$6 limit
  local log="$OUT_DIR/r$round-$security-$sc-$client-client-$server-server.log"
  case $sc in
    HS)
      client_cmd "$client" "$security" "$port" --handshakes="$HANDSHAKES" --warmup_duration="$HS_WARMUP"
      limit=$((HS_WARMUP + 120 + HANDSHAKES)) ;;
    S1)
      client_cmd "$client" "$security" "$port" --channels=1 --outstanding_rpcs=1 --client_payload=0 \
        --server_payload=0 --duration="$DURATION" --warmup_duration="$WARMUP"
      limit=$((WARMUP + DURATION + 120)) ;;
    S4)
      client_cmd "$client" "$security" "$port" --channels=1 --outstanding_rpcs="$S4_OUTSTANDING" \
        --client_payload="$S4_BYTES" --server_payload="$S4_BYTES" --duration="$DURATION" \
        --warmup_duration="$WARMUP"
      limit=$((WARMUP + DURATION + 120)) ;;
  esac
  echo "# round $round $security $sc: $client client -> $server server" >&2
  cpu_begin "$SERVER_PID"
  run_client "$log" "$limit" "${CLIENT_CMD[@]}"
  cpu_end
  local qps p50 p90 p99
  qps=$(field "$log" "QPS:"); p50=$(field "$log" "50%ile"); p90=$(field "$log" "90%ile")
  p99=$(field "$log" "99%ile")
  if [[ $CLIENT_RC != 0 || -z $qps ]]; then
    echo "RESULT round=$round $security $sc $client->$server FAILED (exit $CLIENT_RC), see $log" >&2
    row "$round" "$client" "$server" "$security" "$sc" failed 1
    return 0
  fi
  case $sc in
    HS)
      row "$round" "$client" "$server" "$security" "$sc" hs_p50_us "$p50"
      row "$round" "$client" "$server" "$security" "$sc" hs_p90_us "$p90"
      row "$round" "$client" "$server" "$security" "$sc" hs_p99_us "$p99"
      row "$round" "$client" "$server" "$security" "$sc" conn_per_s "$qps" ;;
    S1)
      row "$round" "$client" "$server" "$security" "$sc" qps "$qps"
      row "$round" "$client" "$server" "$security" "$sc" p50_us "$p50"
      row "$round" "$client" "$server" "$security" "$sc" p99_us "$p99" ;;
    S4)
      row "$round" "$client" "$server" "$security" "$sc" mib_s \
        "$(awk -v q="$qps" -v b="$S4_BYTES" 'BEGIN{printf "%.1f", q * b / 1048576}')"
      row "$round" "$client" "$server" "$security" "$sc" p50_us "$p50"
      row "$round" "$client" "$server" "$security" "$sc" p99_us "$p99" ;;
  esac
  row "$round" "$client" "$server" "$security" "$sc" srv_cpu_pct "$SRV_CPU_PCT"
  row "$round" "$client" "$server" "$security" "$sc" other_cpu_pct "$OTHER_CPU_PCT"
  echo "RESULT round=$round $security $sc $client->$server QPS=$qps p50=${p50}us p99=${p99}us" \
    "srv_cpu=$SRV_CPU_PCT% other_cpu=$OTHER_CPU_PCT%" >&2
}

# one_pair ROUND CLIENT SERVER SECURITY: a fresh server, every scenario that applies, server stopped
one_pair() {
  local round=$1 client=$2 server=$3 security=$4 port sc
  port=$(pick_port)
  server_cmd "$server" "$security" "$port"
  start_server "$OUT_DIR/r$round-$security-$server-server-for-$client.log" "$port" "${SERVER_CMD[@]}"
  for sc in "${SCENARIO_LIST[@]}"; do
    if [[ $sc == HS && $client == grpc-java ]]; then
      continue # AsyncClient opens its channels before it measures: no handshake mode
    fi
    scenario "$round" "$client" "$server" "$security" "$port" "$sc"
  done
  stop_group "$SERVER_PID"
}

# ------------------------------------------------------------------ run
[[ -n $OUT_DIR ]] || OUT_DIR="$CACHE_DIR/tls-runs/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$OUT_DIR"
: >"$OUT_DIR/results.tsv"
executor="default executors"; [[ $DIRECT == 1 ]] && executor="handlers on the event loop"
{
  echo "# tls-bench.sh $(date -u +%Y-%m-%dT%H:%M:%SZ) $(uname -n) cpus=$(nproc) | $("$JAVA" -version 2>&1 | head -n 1)"
  echo "# pairs: $PAIRS | security: $SECURITY | scenarios: $SCENARIOS | rounds: $ROUNDS | HS: $HANDSHAKES" \
    "channels after ${HS_WARMUP}s | S1/S4: ${WARMUP}s warm-up + ${DURATION}s | servers: $executor"
  echo "# grpc-java $GRPC_JAVA_VERSION TLS provider: $GJ_SSL | ours: the JDK's | JAVA_OPTS: $JAVA_OPTS" \
    "| pinning: $PINNING | logs: $OUT_DIR"
  echo "# switchboard: $(git -C "$HERE" describe --always --dirty 2>/dev/null || echo unknown)"
} | tee "$OUT_DIR/summary.txt"
for round in $(seq 1 "$ROUNDS"); do
  for security in "${SECURITY_LIST[@]}"; do
    for pair in "${PAIR_LIST[@]}"; do
      read -r client server <<<"$pair"
      one_pair "$round" "$client" "$server" "$security"
    done
  done
done

# ------------------------------------------------------------------ summary
# medians.tsv: client server security scenario metric median min max n
sort -t $'\t' -k2,2 -k3,3 -k4,4 -k5,5 -k6,6 -k7,7g "$OUT_DIR/results.tsv" | awk -F'\t' '
  function flush() { if (n == 0) return
    med = (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    printf "%s\t%s\t%s\t%s\t%s\t%d\n", key, mk, med, a[1], a[n], n; n = 0 }
  { k = $2 "\t" $3 "\t" $4 "\t" $5 "\t" $6
    if (k != prev) { flush(); prev = k; key = $2 "\t" $3 "\t" $4 "\t" $5; mk = $6 } a[++n] = $7 }
  END { flush() }' >"$OUT_DIR/medians.tsv"
{
  echo ""
  echo "# SUMMARY over $ROUNDS round(s): median [min..max]; (tls/plain xR): ratio of the medians"
  awk -F'\t' -v keys="hs_p50_us hs_p90_us hs_p99_us conn_per_s qps mib_s p50_us p99_us srv_cpu_pct other_cpu_pct failed" '
    function fmt(v) { return (v == int(v)) ? sprintf("%d", v) : sprintf("%.1f", v) }
    BEGIN { nk = split(keys, K, " ") }
    FILENAME == ARGV[1] { k = $1 SUBSEP $2 SUBSEP $3 SUBSEP $4 SUBSEP $5
      med[k] = $6; m[k] = sprintf("%s [%s..%s]", fmt($6), fmt($7), fmt($8)); next }
    { k = $2 SUBSEP $3 SUBSEP $4 SUBSEP $5
      if (!(k in seen)) { seen[k] = 1; order[++no] = k; c[k] = $2; s[k] = $3; sec[k] = $4; sc[k] = $5 } }
    END { for (i = 1; i <= no; i++) { k = order[i]; line = ""
            for (j = 1; j <= nk; j++) { mk = k SUBSEP K[j]
              if (!(mk in m)) continue
              line = line " " K[j] "=" m[mk]
              pk = c[k] SUBSEP s[k] SUBSEP "plaintext" SUBSEP sc[k] SUBSEP K[j]
              if (sec[k] == "tls" && K[j] !~ /cpu|failed/ && (pk in med) && med[pk] > 0)
                line = line sprintf(" (tls/plain x%.2f)", med[mk] / med[pk]) }
            printf "SUMMARY %s %s %s->%s:%s\n", sc[k], sec[k], c[k], s[k], line
            if ((k SUBSEP "other_cpu_pct") in med && med[k SUBSEP "other_cpu_pct"] > 10) noisy = 1 }
          if (noisy) print "WARNING: other processes used more than 10 % of the machine during some runs; rerun when it is quiet." }' \
    "$OUT_DIR/medians.tsv" "$OUT_DIR/results.tsv"
} | tee -a "$OUT_DIR/summary.txt"
