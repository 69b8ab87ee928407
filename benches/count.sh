#!/usr/bin/env bash
# Instructions per call of each comparison case, counted by callgrind: exact and the same
# on a busy machine, unlike times. For each case, runs N and 2N calls
# (H1_BENCH_CALLS, see count_calls in compare/src/main.rs) and prints (I(2N) - I(N)) / N.
#
#   bash benches/count.sh            # every pair behind a `ratio` line
#
# Needs valgrind (apt-get install -y valgrind) and builds the runner in release mode.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "count.sh: needs valgrind" >&2; exit 1; }
cargo build --release -q --manifest-path benches/compare/Cargo.toml
bin=benches/compare/target/release/h1-compare
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

count() { # case, calls -> instructions
    H1_BENCH_PROFILE="$1" H1_BENCH_CALLS="$2" valgrind --tool=callgrind \
        --callgrind-out-file="$out/cg" "$bin" 2>&1 >/dev/null | awk '/Collected/ {print $4}'
}

per_call() { # case, N
    local a b
    a=$(count "$1" "$2")
    b=$(count "$1" $(($2 * 2)))
    echo $(((b - a) / $2))
}

printf '| case | instructions per call |\n|---|---:|\n'
while IFS='|' read -r name n; do
    printf '| %s | %s |\n' "$name" "$(per_call "$name" "$n")"
done <<'CASES'
h1 browser GET|200
httparse+copy browser GET|200
httparse+fresh buffer+offsets browser GET (floor)|200
h1 keep-alive browser GET + empty 200|200
keep-alive browser GET + empty 200 (floor)|200
keep-alive browser GET + empty 200 (strict floor)|200
keep-alive browser GET + empty 200 (design floor)|200
h1 pipelined x1000 (+ empty 200 each)|4
actix Codec pipelined x1000 (+ encode 200 each)|4
h1 client GET + response|200
client GET + response (floor)|200
client GET + response (strict floor)|200
client GET + response (design floor)|200
ureq-proto client GET + response|200
h1 16 MiB chunked 16 KiB|2
memcpy same bytes|2
memcpy + one Bytes per read (floor)|2
memcpy + chunk framing, one Bytes per piece (floor)|2
h1 16 MiB Content-Length|2
h1 upload chunked 16 B|1
actix upload chunked 16 B|1
h1 upload chunked 300 B|1
actix upload chunked 300 B|1
h1 lines NDJSON Content-Length|1
memchr copy + split same lines|1
memchr + one Bytes per line (floor)|1
lines as events (design floor)|1
h1 drip 4 KiB head|5
h1 drip 8 KiB head|5
h1 4 KiB head whole|200
CASES
