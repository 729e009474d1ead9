#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# compare.sh - Switchboard vs grpc-java, side by side in one run, on 127.0.0.1.
#
# Starts each benchmark server in turn (grpc-java's io.grpc.benchmarks.qps.AsyncServer, then ours),
# a fresh JVM per measurement, drives it with the same client settings, and prints the results and
# the ratios switchboard / grpc-java. By default each server is driven by both load generators
# (grpc-java's AsyncClient and our BenchmarkClient): four runs, so that the server, the client and
# the whole stack can each be compared. Servers and clients are pinned to different CPUs when
# taskset is available and there are at least two. Every run is bounded in time; the script stops
# only the process groups it started itself.
#
# grpc-java's programs (io.grpc:grpc-benchmarks and its runtime dependencies) are fetched once with
# Maven into $CACHE_DIR/lib. Our side must be built first:
#   (cd .. && mvn -B -DskipTests package -pl benchmarks)      # from benchmarks/
#
# Two modes:
# - the quick look (default): the runs above, QPS and latency, ratios per client/server pair;
# - --table: the full table of the performance goals (README "Performance"): grpc-java-bench.sh
#   (the shared peer harness: interleaved rounds, server pinned, CPU and bytes allocated per RPC
#   from probes, h2load for H2) runs grpc-java default, grpc-java --directexecutor, our server with
#   the default executor and our server with handlers on the event loop, each driven by grpc-java's
#   AsyncClient; --with-client adds a run with our BenchmarkClient as the load. The table (Markdown)
#   goes to stdout and to OUT/table.md. The harness is found at $PEERS_BENCH, else at
#   ../shared/peers/grpc-java-bench.sh beside the project folder.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: compare.sh [options]
  --clients LIST        load generators: grpc-java,switchboard (default: both)
  --channels N          channels (connections) per client (default 1)
  --outstanding N       outstanding calls per channel (default 1)
  --client-payload B    request payload bytes (default 0)
  --server-payload B    response payload bytes (default 0)
  --streaming           streaming ping-pong instead of unary
  --duration S          measured seconds per run (default 10)
  --warmup S            warm-up seconds per run, not measured (default 10)
  --direct              handlers on the event loop in both servers
                        (AsyncServer --directexecutor, ours --direct)
  --server-cpus LIST    taskset CPU list for servers (default 0)
  --client-cpus LIST    taskset CPU list for clients (default 1)
  --out DIR             logs (default: a new directory under $CACHE_DIR/runs)
  --fetch-only          only fetch grpc-java's benchmark programs
  --table               the full table instead (see the header of this script); with it:
    --runs N            interleaved rounds (default 2)
    --scenarios LIST    of S1,S2,S3,S4,H2 (default all five)
    --with-client       also measure our BenchmarkClient as the load generator (S2, S4)
    (--duration and --warmup apply; --out holds both runs and table.md)
  -h, --help
environment: PEERS_BENCH (grpc-java-bench.sh, for --table), JAVA, JAVA_OPTS (all four JVMs; default "-Xms1g -Xmx1g -XX:+UseG1GC"), MVN (mvn),
  GRPC_JAVA_VERSION (1.79.0), CACHE_DIR (~/.cache/switchboard-benchmarks/grpc-java-VERSION)
EOF
}

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
GRPC_JAVA_VERSION=${GRPC_JAVA_VERSION:-1.79.0}
CACHE_DIR=${CACHE_DIR:-$HOME/.cache/switchboard-benchmarks/grpc-java-$GRPC_JAVA_VERSION}
LIB="$CACHE_DIR/lib"
MVN=${MVN:-mvn}
if [[ -z ${JAVA:-} ]]; then
  if [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]]; then JAVA="$JAVA_HOME/bin/java"; else JAVA=java; fi
fi
export JAVA
JAVA_OPTS=${JAVA_OPTS--Xms1g -Xmx1g -XX:+UseG1GC}
export JAVA_OPTS
read -r -a JOPTS <<<"$JAVA_OPTS"

CLIENTS=grpc-java,switchboard
CHANNELS=1 OUTSTANDING=1 REQ=0 RESP=0 STREAMING=0 DURATION=10 WARMUP=10 DIRECT=0
SERVER_CPUS=0 CLIENT_CPUS=1 OUT_DIR="" FETCH_ONLY=0
TABLE=0 RUNS=2 TABLE_SCENARIOS=S1,S2,S3,S4,H2 WITH_CLIENT=0
while [[ $# -gt 0 ]]; do
  case $1 in
    --clients) CLIENTS=$2; shift 2 ;;
    --channels) CHANNELS=$2; shift 2 ;;
    --outstanding) OUTSTANDING=$2; shift 2 ;;
    --client-payload) REQ=$2; shift 2 ;;
    --server-payload) RESP=$2; shift 2 ;;
    --streaming) STREAMING=1; shift ;;
    --duration) DURATION=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --direct) DIRECT=1; shift ;;
    --server-cpus) SERVER_CPUS=$2; shift 2 ;;
    --client-cpus) CLIENT_CPUS=$2; shift 2 ;;
    --out) OUT_DIR=$2; shift 2 ;;
    --fetch-only) FETCH_ONLY=1; shift ;;
    --table) TABLE=1; shift ;;
    --runs) RUNS=$2; shift 2 ;;
    --scenarios) TABLE_SCENARIOS=$2; shift 2 ;;
    --with-client) WITH_CLIENT=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "compare.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
for n in "$CHANNELS" "$OUTSTANDING" "$REQ" "$RESP" "$DURATION" "$WARMUP" "$RUNS"; do
  [[ $n =~ ^[0-9]+$ ]] || { echo "compare.sh: not a number: $n" >&2; exit 2; }
done
IFS=, read -r -a CLIENT_LIST <<<"$CLIENTS"
for c in "${CLIENT_LIST[@]}"; do
  case $c in grpc-java | switchboard) ;; *) echo "compare.sh: unknown client $c" >&2; exit 2 ;; esac
done

# ------------------------------------------------------------------ the full table
if [[ $TABLE == 1 ]]; then
  PEERS_BENCH=${PEERS_BENCH:-$(cd "$HERE/../../.." && pwd)/shared/peers/grpc-java-bench.sh}
  [[ -x $PEERS_BENCH ]] || {
    echo "compare.sh: --table needs grpc-java-bench.sh (set PEERS_BENCH); not found at $PEERS_BENCH" >&2
    exit 1
  }
  # shellcheck source=_common.sh
  source "$HERE/_common.sh"
  bench_classpath >/dev/null
  # shellcheck source=_table.sh
  source "$HERE/_table.sh"
  [[ -n $OUT_DIR ]] || OUT_DIR="$CACHE_DIR/runs/table-$(date +%Y%m%d-%H%M%S)"
  mkdir -p "$OUT_DIR"
  common=(--runs "$RUNS" --duration "$DURATION" --warmup "$WARMUP" --no-limits)
  "$PEERS_BENCH" "${common[@]}" --scenarios "$TABLE_SCENARIOS" --direct-baseline --out "$OUT_DIR/server" \
    --peer "ours=$HERE/benchmark-server --port={PORT}" \
    --peer "ours-direct=$HERE/benchmark-server --port={PORT} --direct" >&2
  client_tsv=""
  if [[ $WITH_CLIENT == 1 ]]; then
    "$PEERS_BENCH" "${common[@]}" --scenarios S2,S4 --out "$OUT_DIR/client" \
      --client-cmd "$HERE/benchmark-client" --peer "ours=$HERE/benchmark-server --port={PORT}" >&2
    client_tsv="$OUT_DIR/client/results.tsv"
  fi
  {
    echo "Measured $(date -u +%Y-%m-%d) on $(uname -n) ($(nproc) cores, $(uname -r)), $("$JAVA" -version 2>&1 | head -n 1)," \
      "grpc-java $GRPC_JAVA_VERSION, ${WARMUP}s warm-up + ${DURATION}s per scenario, $RUNS round(s), NIO, plaintext:"
    echo ""
    render_table "$OUT_DIR/server/results.tsv" "$client_tsv"
  } | tee "$OUT_DIR/table.md"
  exit 0
fi

# ------------------------------------------------------------------ grpc-java's programs
fetch_grpc_java() {
  [[ -f $LIB/.complete && -f $LIB/grpc-benchmarks-$GRPC_JAVA_VERSION.jar ]] && return 0
  command -v "$MVN" >/dev/null || { echo "compare.sh: $MVN not found" >&2; exit 1; }
  mkdir -p "$CACHE_DIR"
  (
    flock 9
    [[ -f $LIB/.complete ]] && exit 0
    cat >"$CACHE_DIR/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.switchboard.benchmarks</groupId>
  <artifactId>grpc-java-benchmarks-fetch</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>io.grpc</groupId>
      <artifactId>grpc-benchmarks</artifactId>
      <version>$GRPC_JAVA_VERSION</version>
    </dependency>
  </dependencies>
</project>
EOF
    echo "fetching io.grpc:grpc-benchmarks:$GRPC_JAVA_VERSION and its runtime dependencies into $LIB" >&2
    rm -rf "$LIB"
    (cd "$CACHE_DIR" && "$MVN" -B -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
      -DoutputDirectory=lib -DincludeScope=runtime)
    touch "$LIB/.complete"
  ) 9>"$CACHE_DIR/.lock"
}

fetch_grpc_java
if [[ $FETCH_ONLY == 1 ]]; then echo "grpc-java $GRPC_JAVA_VERSION benchmarks in $LIB"; exit 0; fi

# Our build must exist (bench_classpath exits with a hint otherwise).
# shellcheck source=_common.sh
source "$HERE/_common.sh"
bench_classpath >/dev/null
# shellcheck source=_harness.sh
source "$HERE/_harness.sh"

# ------------------------------------------------------------------ processes
setup_pinning "$SERVER_CPUS" "$CLIENT_CPUS"

server_cmd() { # server_cmd NAME PORT -> SERVER_CMD array
  if [[ $1 == grpc-java ]]; then
    SERVER_CMD=("$JAVA" "${JOPTS[@]+"${JOPTS[@]}"}" -cp "$LIB/*" io.grpc.benchmarks.qps.AsyncServer
      --address="127.0.0.1:$2" --transport=netty_nio)
    [[ $DIRECT == 1 ]] && SERVER_CMD+=(--directexecutor)
  else
    SERVER_CMD=("$HERE/benchmark-server" --port="$2")
    [[ $DIRECT == 1 ]] && SERVER_CMD+=(--direct)
  fi
  return 0
}

client_cmd() { # client_cmd NAME PORT -> CLIENT_CMD array
  if [[ $1 == grpc-java ]]; then
    CLIENT_CMD=("$JAVA" "${JOPTS[@]+"${JOPTS[@]}"}" -cp "$LIB/*" io.grpc.benchmarks.qps.AsyncClient)
  else
    CLIENT_CMD=("$HERE/benchmark-client")
  fi
  CLIENT_CMD+=(--address="127.0.0.1:$2" --channels="$CHANNELS" --outstanding_rpcs="$OUTSTANDING"
    --client_payload="$REQ" --server_payload="$RESP" --duration="$DURATION"
    --warmup_duration="$WARMUP" --transport=netty_nio)
  [[ $STREAMING == 1 ]] && CLIENT_CMD+=(--streaming_rpcs)
  return 0
}

# run_one CLIENT SERVER: fresh server, one client run; appends a row to $OUT_DIR/results.tsv
run_one() {
  local client=$1 server=$2 port spid rc log="$OUT_DIR/$1-client-vs-$2-server.log"
  port=$(pick_port)
  server_cmd "$server" "$port"
  start_server "$OUT_DIR/$server-server-for-$client.log" "$port" "${SERVER_CMD[@]}"
  spid=$SERVER_PID
  client_cmd "$client" "$port"
  echo "# $client client -> $server server (127.0.0.1:$port): ${WARMUP}s warm-up + ${DURATION}s" >&2
  cpu_begin "$spid"
  run_client "$log" $((WARMUP + DURATION + 120)) "${CLIENT_CMD[@]}"
  rc=$CLIENT_RC
  cpu_end
  stop_group "$spid"
  # Server CPU in % of one core; CPU used by anything else on the machine, in % of all cores
  # (above ~10 % the run was disturbed: rerun it).
  local srv=$SRV_CPU_PCT other=$OTHER_CPU_PCT
  local qps p50 p90 p99 p999
  qps=$(field "$log" "QPS:"); p50=$(field "$log" "50%ile"); p90=$(field "$log" "90%ile")
  p99=$(field "$log" "99%ile"); p999=$(field "$log" "99.9%ile")
  if [[ $rc != 0 || -z $qps ]]; then
    echo "compare.sh: $client client vs $server server failed (exit $rc), see $log" >&2
    printf '%s\t%s\tNA\tNA\tNA\tNA\tNA\t%s\t%s\n' "$client" "$server" "$srv" "$other" >>"$OUT_DIR/results.tsv"
    return 0
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$client" "$server" "$qps" "$p50" "$p90" "$p99" "$p999" \
    "$srv" "$other" >>"$OUT_DIR/results.tsv"
}

# ------------------------------------------------------------------ run
[[ -n $OUT_DIR ]] || OUT_DIR="$CACHE_DIR/runs/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$OUT_DIR"
: >"$OUT_DIR/results.tsv"
kind="unary"; [[ $STREAMING == 1 ]] && kind="streaming ping-pong"
executor="default executors"; [[ $DIRECT == 1 ]] && executor="handlers on the event loop"
{
  echo "# compare.sh $(date -u +%Y-%m-%dT%H:%M:%SZ) $(uname -n) cpus=$(nproc) | $("$JAVA" -version 2>&1 | head -n 1)"
  echo "# $kind, $CHANNELS channel(s) x $OUTSTANDING outstanding, request ${REQ} B, response ${RESP} B," \
    "warm-up ${WARMUP}s, measured ${DURATION}s, servers: $executor | JAVA_OPTS: $JAVA_OPTS | pinning: $PINNING"
  echo "# grpc-java $GRPC_JAVA_VERSION (AsyncServer, AsyncClient) vs switchboard (BenchmarkServer, BenchmarkClient); logs: $OUT_DIR"
} | tee "$OUT_DIR/summary.txt"
for client in "${CLIENT_LIST[@]}"; do
  for server in grpc-java switchboard; do
    run_one "$client" "$server"
  done
done

# ------------------------------------------------------------------ report
awk -F'\t' '
  function ratio(a, b) { return (a == "NA" || b == "NA" || b == 0) ? "  n/a" : sprintf("x%.2f", a / b) }
  function line(label, a, b) {
    if (!(a in qps) || !(b in qps)) return
    printf "  %-46s QPS %s  p50 %s  p90 %s  p99 %s  p99.9 %s\n", label, ratio(qps[a], qps[b]),
      ratio(p50[a], p50[b]), ratio(p90[a], p90[b]), ratio(p99[a], p99[b]), ratio(p999[a], p999[b])
  }
  BEGIN { printf "\n%-12s %-12s %10s %9s %9s %9s %9s %9s %10s\n", "client", "server", "QPS", "p50_us",
            "p90_us", "p99_us", "p99.9_us", "srv_cpu%", "other_cpu%" }
  { k = $1 "/" $2; qps[k] = $3; p50[k] = $4; p90[k] = $5; p99[k] = $6; p999[k] = $7
    if ($9 + 0 > 10) noisy = 1
    printf "%-12s %-12s %10s %9s %9s %9s %9s %9s %10s\n", $1, $2, $3, $4, $5, $6, $7, $8, $9 }
  END {
    if (noisy) print "\nWARNING: other processes used more than 10 % of the machine during a run; rerun when it is quiet."

    print "\nratios switchboard / grpc-java (QPS: higher is better for switchboard; latency: lower is):"
    line("server, driven by grpc-java AsyncClient", "grpc-java/switchboard", "grpc-java/grpc-java")
    line("server, driven by switchboard BenchmarkClient", "switchboard/switchboard", "switchboard/grpc-java")
    line("client, against grpc-java AsyncServer", "switchboard/grpc-java", "grpc-java/grpc-java")
    line("client, against switchboard BenchmarkServer", "switchboard/switchboard", "grpc-java/switchboard")
    line("whole stack (client + server)", "switchboard/switchboard", "grpc-java/grpc-java")
  }' "$OUT_DIR/results.tsv" | tee -a "$OUT_DIR/summary.txt"
