#!/usr/bin/env bash
# The load benchmark (not a test): the h1-tokio server beside a minimal hyper 1.x server
# and a raw tokio responder (the floor), each on one core (taskset -c 0) with wrk on the
# other (taskset -c 1). It compares server CPU time (utime + stime from /proc) per request
# or per GB, in interleaved rounds, and prints medians and `ratio NAME VALUE` lines.
#
#   bash benches/load/run.sh [ROUNDS] [SECONDS]     (defaults: 3 rounds of 5 s per run)
#
# On the shared development machine, run it under the cargo lock, a round at a time:
#   flock /tmp/h1-cargo.lock bash benches/load/run.sh 1 5
set -euo pipefail
cd "$(dirname "$0")"
ROUNDS=${1:-3}
SECS=${2:-5}
CONNS=64
IDLE=${IDLE:-10000}

command -v wrk >/dev/null || { apt-get update && apt-get install -y wrk; }
cargo build --release --quiet
BIN=target/release
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
rss_kib() { awk '/VmRSS/{print $2}' "/proc/$1/status"; }
HZ=$(getconf CLK_TCK)

start() { # NAME -> sets PID, PORT
  PORT=$(port)
  taskset -c 0 "$BIN/load_$1" "$PORT" & PID=$!
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && return 0
    sleep 0.05
  done
  echo "server $1 did not start" >&2; kill "$PID"; exit 1
}
stop() { kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; }

# One wrk run against NAME: prints "cpu_seconds requests bytes".
measure() { # NAME PATH [LUA]
  start "$1"
  local before after out
  before=$(ticks "$PID")
  out=$(timeout $((SECS + 20)) taskset -c 1 wrk -t1 -c"$CONNS" -d"${SECS}s" ${3:+-s "$3"} "http://127.0.0.1:$PORT$2")
  after=$(ticks "$PID")
  stop
  local reqs bytes
  reqs=$(echo "$out" | awk '/requests in/{print $1}')
  bytes=$(echo "$out" | awk '/requests in/{v=$5; u=v; gsub(/[0-9.]/,"",u); gsub(/[A-Za-z]/,"",v); m=1; if(u=="KB")m=1024; if(u=="MB")m=1048576; if(u=="GB")m=1073741824; print v*m}')
  echo "$(( after - before )) $reqs $bytes"
}

declare -A KA PIPE GB
for round in $(seq "$ROUNDS"); do
  for name in h1 hyper raw; do
    read -r t r _ < <(measure "$name" /)
    KA[$name]+="$(python3 -c "print($t/$HZ*1e6/$r)") "
    read -r t r _ < <(measure "$name" / pipeline.lua)
    PIPE[$name]+="$(python3 -c "print($t/$HZ*1e6/$r)") "
    if [ "$name" != raw ]; then
      read -r t r b < <(measure "$name" /mib)
      GB[$name]+="$(python3 -c "print($t/$HZ/($b/1e9))") "
    fi
  done
  echo "round $round: keep-alive cpu-us/req ${KA[*]}; pipelined ${PIPE[*]}; cpu-s/GB ${GB[*]}" >&2
done

median() { python3 -c "import statistics,sys; print(statistics.median(map(float, sys.argv[1:])))" $1; }
for name in h1 hyper raw; do
  echo "keepalive_cpu_us_per_req $name $(median "${KA[$name]}")"
  echo "pipelined_cpu_us_per_req $name $(median "${PIPE[$name]}")"
  [ "$name" != raw ] && echo "cpu_s_per_gb $name $(median "${GB[$name]}")"
done

# Memory per idle keep-alive connection: RSS growth with IDLE connections held open.
idle() { # NAME
  start "$1"
  local base held
  sleep 0.3; base=$(rss_kib "$PID")
  taskset -c 1 "$BIN/load_idle" "$PORT" "$IDLE" 4 >/dev/null & local C=$!
  sleep 3; held=$(rss_kib "$PID")
  wait "$C" || true
  stop
  python3 -c "print(($held-$base)*1024/$IDLE)"
}
IH=$(idle h1); IY=$(idle hyper)
echo "idle_conn_bytes h1 $IH"
echo "idle_conn_bytes hyper $IY"

r() { python3 -c "print(round($1/$2, 3))"; }
echo "ratio tokio_vs_hyper_cpu_per_req $(r "$(median "${KA[h1]}")" "$(median "${KA[hyper]}")")"
echo "ratio tokio_vs_raw_pipelined $(r "$(median "${PIPE[h1]}")" "$(median "${PIPE[raw]}")")"
echo "ratio tokio_vs_hyper_cpu_per_gb $(r "$(median "${GB[h1]}")" "$(median "${GB[hyper]}")")"
echo "ratio idle_conn_bytes_vs_hyper $(r "$IH" "$IY")"
