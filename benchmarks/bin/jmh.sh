#!/usr/bin/env bash
# jmh.sh - runs the JMH microbenchmarks of one module (they live in its test sources, beside the
# package-private classes they measure; JMH's annotation processor writes their harness when the
# tests compile).
#
#   benchmarks/bin/jmh.sh MODULE [JMH options and benchmark regexps]
#
# MODULE is one of: api (SerializingExecutor), transport-netty (Framer, Deframer, Headers),
# codec-proto (Marshaller), balancer-roundrobin (Picker), core-clientconn (Timer). Examples:
#   benchmarks/bin/jmh.sh transport-netty Framer -p size=1024
#   benchmarks/bin/jmh.sh codec-proto -prof gc        # with bytes allocated per operation
#   benchmarks/bin/jmh.sh api -l                      # list, do not run
# The module and what it depends on are compiled first (mvn test-compile, offline when MVN_OFFLINE=1);
# JMH itself runs on the class path. Times from a shared or busy machine are not results: compare
# runs made side by side on a quiet one.
set -euo pipefail

usage() { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; }
[[ $# -ge 1 ]] || { usage >&2; exit 2; }
case $1 in -h | --help) usage; exit 0 ;; esac
MODULE=$1
shift
case $MODULE in
  api | transport-netty | codec-proto | balancer-roundrobin | core-clientconn) ;;
  *) echo "jmh.sh: no JMH benchmarks in module '$MODULE' (see --help)" >&2; exit 2 ;;
esac

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
MVN=${MVN:-mvn}
if [[ -n ${JAVA:-} ]]; then :; elif [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]]; then JAVA="$JAVA_HOME/bin/java"; else JAVA=java; fi
offline=(); [[ ${MVN_OFFLINE:-0} == 1 ]] && offline=(-o)
cpfile="$ROOT/$MODULE/target/jmh.classpath"

# Every module of the reactor writes its class path to the same file; the last one is MODULE's.
(cd "$ROOT" && "$MVN" -B -q "${offline[@]+"${offline[@]}"}" -pl "$MODULE" -am -Dspotless.check.skip=true \
  test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cpfile")
[[ -f $ROOT/$MODULE/target/test-classes/META-INF/BenchmarkList ]] || {
  echo "jmh.sh: $MODULE compiled no JMH benchmarks" >&2
  exit 1
}
exec "$JAVA" -cp "$ROOT/$MODULE/target/test-classes:$ROOT/$MODULE/target/classes:$(cat "$cpfile")" \
  org.openjdk.jmh.Main "$@"
