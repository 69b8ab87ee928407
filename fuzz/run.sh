#!/usr/bin/env bash
# Builds and runs every fuzz target for SECONDS each, one after the other.
#
#   fuzz/run.sh SECONDS            e.g. `bash fuzz/run.sh 30` in CI, 600 for a real run
#
# The committed seeds in fuzz/corpus/<target>/ are read, never written: new inputs go to
# a scratch corpus ($FUZZ_WORK, default a temporary directory removed at the end).
# Exits non-zero if any target crashes, and prints how to reproduce and minimize it.
set -uo pipefail

secs=${1:?usage: fuzz/run.sh SECONDS}
cd "$(dirname "$0")"
export RUSTC_BOOTSTRAP=1 # cargo-fuzz needs nightly flags; this is the stable toolchain

if ! command -v cargo-fuzz >/dev/null 2>&1; then
    echo "==== installing cargo-fuzz"
    cargo install cargo-fuzz --locked || exit 1
fi

targets=(receive_server receive_client roundtrip lines)

echo "==== building fuzz targets"
cargo fuzz build || exit 1

work=${FUZZ_WORK:-}
if [ -z "$work" ]; then
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
fi

failed=()
for t in "${targets[@]}"; do
    echo "==== fuzzing $t for ${secs}s"
    mkdir -p "$work/$t"
    log="$work/$t.log"
    cargo fuzz run "$t" "$work/$t" "corpus/$t" -- \
        -max_total_time="$secs" -timeout=10 -print_final_stats=1 >"$log" 2>&1
    status=$?
    # libFuzzer's closing figures: executions, coverage (cov), features (ft).
    grep -E '^#[0-9]+[[:space:]]+DONE|^Done [0-9]+ runs' "$log" | sed "s/^/  $t: /"
    if [ "$status" -ne 0 ]; then
        failed+=("$t")
        echo "  $t FAILED (exit $status); last lines of the log:"
        grep -v '^#[0-9]' "$log" | tail -n 40 | sed 's/^/    /'
        artifact=$(grep -oE 'artifacts/[^ ]+' "$log" | tail -n 1)
        if [ -n "$artifact" ]; then
            echo "  reproduce:  RUSTC_BOOTSTRAP=1 cargo fuzz run $t fuzz/$artifact"
            echo "  minimize:   RUSTC_BOOTSTRAP=1 cargo fuzz tmin $t fuzz/$artifact"
            echo "  (from the repository root; the input is in fuzz/$artifact)"
        fi
    fi
done

if [ "${#failed[@]}" -ne 0 ]; then
    echo "==== fuzzing found problems in: ${failed[*]}"
    exit 1
fi
echo "==== all fuzz targets ran ${secs}s without a crash"
