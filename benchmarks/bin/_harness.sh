# shellcheck shell=bash disable=SC2034 # (the variables set here are read by the scripts sourcing it)
# Sourced by compare.sh and tls-bench.sh: the processes they start on 127.0.0.1 and the CPU they
# use. Every process is started in its own process group (setsid) and remembered; stop_group ends
# one group, and the EXIT trap set here ends every group still running: nothing else is touched.
#
# Needs: OUT_DIR (a writable directory) before children_ticks is called.

HARNESS_NAME=$(basename "$0")

# setup_pinning SERVER_CPUS CLIENT_CPUS -> PIN_SERVER, PIN_CLIENT (taskset prefixes, or empty when
# taskset is missing, the machine has one CPU or a list is not allowed), PINNING (a description)
setup_pinning() {
  PIN_SERVER=() PIN_CLIENT=()
  if command -v taskset >/dev/null && [[ $(nproc) -ge 2 ]] \
      && taskset -c "$1" true 2>/dev/null && taskset -c "$2" true 2>/dev/null; then
    PIN_SERVER=(taskset -c "$1") PIN_CLIENT=(taskset -c "$2")
    PINNING="servers on cpu $1, clients on cpu $2"
  else
    PINNING="none"
  fi
}

STARTED=()
forget() {
  local keep=() p
  for p in "${STARTED[@]+"${STARTED[@]}"}"; do [[ $p == "$1" ]] || keep+=("$p"); done
  STARTED=("${keep[@]+"${keep[@]}"}")
}
stop_group() { # TERM the process group we started, KILL it after 10 s
  local pid=$1 _
  kill -TERM -- "-$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then kill -KILL -- "-$pid" 2>/dev/null || true; fi
  wait "$pid" 2>/dev/null || true
  forget "$pid"
}
cleanup() { local p; for p in "${STARTED[@]+"${STARTED[@]}"}"; do stop_group "$p"; done; }
trap cleanup EXIT
trap 'exit 130' INT TERM

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pick_port() {
  local p=$((20000 + RANDOM % 30000)) _
  for _ in $(seq 1 200); do
    port_open "$p" || { echo "$p"; return 0; }
    p=$((p + 1))
  done
  echo "$HARNESS_NAME: no free port" >&2; return 1
}

# start_server LOG PORT CMD... -> SERVER_PID: CMD in a new process group, pinned with PIN_SERVER;
# returns once PORT accepts connections (exits the script if the server dies or 60 s pass).
start_server() {
  local log=$1 port=$2 _
  shift 2
  setsid "${PIN_SERVER[@]+"${PIN_SERVER[@]}"}" "$@" >"$log" 2>&1 </dev/null &
  SERVER_PID=$!
  STARTED+=("$SERVER_PID")
  for _ in $(seq 1 300); do
    port_open "$port" && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "$HARNESS_NAME: server exited, see $log" >&2; exit 1; }
    sleep 0.2
  done
  echo "$HARNESS_NAME: server not listening on $port, see $log" >&2
  exit 1
}

# run_client LOG TIMEOUT_S CMD... -> CLIENT_RC: CMD in a new process group, pinned with PIN_CLIENT,
# killed after TIMEOUT_S seconds; waits for it.
run_client() {
  local log=$1 limit=$2 pid
  shift 2
  CLIENT_RC=0
  setsid timeout -k 5 "$limit" "${PIN_CLIENT[@]+"${PIN_CLIENT[@]}"}" "$@" >"$log" 2>&1 </dev/null &
  pid=$!
  STARTED+=("$pid")
  wait "$pid" || CLIENT_RC=$?
  forget "$pid"
}

# CPU accounting, in clock ticks: the whole machine (busy: user, nice and system time; not irq or
# softirq, where the kernel's loopback work for our own traffic is counted, nor steal), a process
# group we started (the server), and the waited-for children of this shell (the client, once it
# has been waited for).
HZ=$(getconf CLK_TCK 2>/dev/null || echo 100)
NCPU=$(nproc)
machine_busy() { awk '/^cpu /{print $2 + $3 + $4; exit}' /proc/stat; }
group_ticks() {
  local p t total=0
  for p in $(pgrep -g "$1" 2>/dev/null || true); do
    t=$(sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null | awk '{print $12 + $13}') || t=0
    total=$((total + ${t:-0}))
  done
  echo "$total"
}
children_ticks() { # CHILD_TICKS = user+sys of this shell's waited-for children ('times' builtin,
  # run in this shell: in a subshell it would see only the subshell's own children)
  times >"$OUT_DIR/.times"
  CHILD_TICKS=$(awk -v hz="$HZ" 'NR == 2 {
    n = 0; for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); n += a[1] * 60 + a[2] } printf "%.0f", n * hz }' "$OUT_DIR/.times")
}

# Reading CPU around one client run: cpu_begin SERVER_PID, run the client, cpu_end -> SRV_CPU_PCT
# (the server's CPU in % of one core) and OTHER_CPU_PCT (everything else on the machine, neither
# the server nor the client, in % of all cores: above ~10 % the run was disturbed).
cpu_begin() {
  CPU_SERVER=$1
  children_ticks; CPU_K0=$CHILD_TICKS
  CPU_B0=$(machine_busy); CPU_S0=$(group_ticks "$CPU_SERVER"); CPU_T0=$(date +%s.%N)
}
cpu_end() {
  local b1 s1 t1 k1
  b1=$(machine_busy); s1=$(group_ticks "$CPU_SERVER"); t1=$(date +%s.%N)
  children_ticks; k1=$CHILD_TICKS
  SRV_CPU_PCT=$(awk -v a="$CPU_S0" -v b="$s1" -v t0="$CPU_T0" -v t1="$t1" -v hz="$HZ" \
    'BEGIN{printf "%.0f", (b-a)/hz/(t1-t0)*100}')
  OTHER_CPU_PCT=$(awk -v b0="$CPU_B0" -v b1="$b1" -v s0="$CPU_S0" -v s1="$s1" -v k0="$CPU_K0" -v k1="$k1" \
    -v t0="$CPU_T0" -v t1="$t1" -v hz="$HZ" -v n="$NCPU" \
    'BEGIN{o=((b1-b0)-(s1-s0)-(k1-k0))/hz/(t1-t0)/n*100; if (o < 0) o = 0; printf "%.0f", o}')
}

# field FILE PREFIX: the value after the colon on the first line starting with PREFIX (AsyncClient's
# "QPS:                            1234" lines), blanks removed
field() { awk -F: -v p="$2" 'index($0, p) == 1 {gsub(/[ \t]/, "", $2); print $2; exit}' "$1"; }
