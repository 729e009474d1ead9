# shellcheck shell=bash
# Sourced by benchmark-server and benchmark-client: finds the JVM and the runtime class path
# (benchmarks/target/benchmarks-*.jar plus benchmarks/target/lib/*, which `mvn package` fills).
#
# Environment:
#   JAVA       the java binary (default: $JAVA_HOME/bin/java, else java on PATH)
#   JAVA_OPTS  JVM flags, word-split (default: the same as grpc-java-bench.sh gives grpc-java's
#              programs, "-Xms1g -Xmx1g -XX:+UseG1GC"; set it to "" for the JVM's defaults)

BENCH_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_TARGET="$BENCH_HOME/target"

if [[ -n ${JAVA:-} ]]; then
  :
elif [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]]; then
  JAVA="$JAVA_HOME/bin/java"
else
  JAVA=java
fi

# shellcheck disable=SC2034 # used by the scripts that source this file
read -r -a BENCH_JAVA_OPTS <<<"${JAVA_OPTS--Xms1g -Xmx1g -XX:+UseG1GC}"

bench_classpath() {
  local jar="" f
  for f in "$BENCH_TARGET"/benchmarks-*.jar; do
    case $f in *-sources.jar | *-tests.jar | *-javadoc.jar) continue ;; esac
    [[ -f $f ]] && jar=$f
  done
  if [[ -z $jar || ! -d $BENCH_TARGET/lib ]]; then
    echo "$(basename "$0"): no build in $BENCH_TARGET; build it first:" >&2
    echo "  (cd $(dirname "$BENCH_HOME") && mvn -B -DskipTests package -pl benchmarks)" >&2
    exit 3
  fi
  printf '%s:%s/lib/*' "$jar" "$BENCH_TARGET"
}
