#!/usr/bin/env bash
# User-space instructions per pipelined request of the h1-tokio server, hyper and the raw floor,
# counted by callgrind: exact and the same on a busy machine, unlike the CPU times of
# run.sh (the kernel's share, about half of those, is not counted). Each server runs under
# callgrind; after a warm-up its counters are zeroed, N requests are sent K per write
# over 4 connections (pipeline_client.py), and the counters dumped.
#
#   bash benches/load/count.sh [N] [K]      (defaults: 20000 requests, 16 per write;
#                                            K=1 is keep-alive, one request at a time)
#
# SERVERS="h1 hyper" picks the servers (default: h1 hyper raw); KEEP=DIR keeps the callgrind
# files (DIR/NAME.PID.1) for `callgrind_annotate --inclusive=yes`.
#
# Needs valgrind (apt-get install -y valgrind) and python3.
set -euo pipefail
cd "$(dirname "$0")"
N=${1:-20000}
K=${2:-16}
command -v valgrind >/dev/null || { echo "count.sh: needs valgrind" >&2; exit 1; }
SERVERS=${SERVERS:-h1 hyper raw}
cargo build --release --quiet $(printf -- '--bin load_%s ' $SERVERS)
if [ -n "${KEEP:-}" ]; then
  mkdir -p "$KEEP"; out=$(cd "$KEEP" && pwd)
else
  out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
fi
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

per_request() { # NAME -> instructions per request
  local p pid n total
  p=$(port)
  valgrind --tool=callgrind --callgrind-out-file="$out/$1.%p" "target/release/load_$1" "$p" \
    >/dev/null 2>"$out/$1.log" &
  pid=$!
  for _ in $(seq 300); do
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && break
    sleep 0.1
  done
  python3 pipeline_client.py "$p" 64 1 >/dev/null # warm-up
  callgrind_control -z "$pid" >/dev/null 2>&1
  n=$(timeout 900 python3 pipeline_client.py "$p" "$N" 4 "$K")
  callgrind_control -d "$pid" >/dev/null 2>&1
  kill "$pid"; wait "$pid" 2>/dev/null || true
  total=$(awk '/^(summary|totals):/ {print $2; exit}' "$out/$1.$pid.1")
  echo $((total / n))
}

printf '| server | instructions per request, %s per write |\n|---|---:|\n' "$K"
for name in $SERVERS; do
  printf '| %s | %s |\n' "$name" "$(per_request "$name")"
done
