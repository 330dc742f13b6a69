#!/bin/sh
# Build the libFuzzer targets with clang, ASan and UBSan, and run each for SECONDS (default 60).
#
#   fuzz/run.sh [SECONDS] [TARGET ...]       e.g. fuzz/run.sh 30, fuzz/run.sh 600 json
#
# Prints one line per target: "fuzz_<name>: N execs, R execs/s, C crashes". Exits non-zero when
# any target crashed, leaked, timed out or ran out of memory; the inputs that did are kept in
# build-fuzz/artifacts/ (minimize one with: build-fuzz/fuzz/fuzz_X -minimize_crash=1 -runs=10000
# build-fuzz/artifacts/fuzz_X-crash-...). The seed corpus in fuzz/corpus/ is copied to a scratch
# directory first, so a run never adds files to the repository.
#
# Environment: FUZZ_BUILD_DIR (default <repo>/build-fuzz), FUZZ_RSS_MB (2048), FUZZ_TIMEOUT (10),
# FUZZ_CFLAGS (added to c_args/cpp_args at setup, e.g. -fno-sanitize=... to step over a known
# finding while its fix lands; needs a fresh FUZZ_BUILD_DIR).
set -eu

secs=${1:-60}
[ $# -gt 0 ] && shift
root=$(cd "$(dirname "$0")/.." && pwd)
bdir=${FUZZ_BUILD_DIR:-$root/build-fuzz}
arts=$bdir/artifacts
rss=${FUZZ_RSS_MB:-2048}
tmo=${FUZZ_TIMEOUT:-10}
cflags="-fsanitize=fuzzer-no-link -fno-sanitize-recover=all -fno-omit-frame-pointer ${FUZZ_CFLAGS:-}"

case $secs in
'' | *[!0-9]*) echo "usage: $0 [SECONDS] [TARGET ...]" >&2; exit 2 ;;
esac

# clang and libFuzzer (Debian: clang, libfuzzer-14-dev).
has_libfuzzer() {
    printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n){(void)d;(void)n;return 0;}\n' \
        > "${TMPDIR:-/tmp}/cv-fuzz-probe.c"
    clang -fsanitize=fuzzer "${TMPDIR:-/tmp}/cv-fuzz-probe.c" -o "${TMPDIR:-/tmp}/cv-fuzz-probe" \
        > /dev/null 2>&1
    rc=$?
    rm -f "${TMPDIR:-/tmp}/cv-fuzz-probe.c" "${TMPDIR:-/tmp}/cv-fuzz-probe"
    return $rc
}
if ! command -v clang > /dev/null 2>&1 || ! has_libfuzzer; then
    if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null 2>&1; then
        echo "installing clang and libFuzzer" >&2
        apt-get install -y clang libfuzzer-14-dev > /dev/null
    fi
    has_libfuzzer || { echo "$0: needs clang with libFuzzer (apt-get install clang libfuzzer-14-dev)" >&2; exit 2; }
fi

# The library gets coverage instrumentation too (fuzzer-no-link), or libFuzzer would only see the
# harnesses. UBSan findings abort instead of printing and carrying on.
if [ ! -f "$bdir/build.ninja" ]; then
    CC=clang CXX=clang++ meson setup "$bdir" "$root" \
        -Dfuzzing=true -Db_sanitize=address,undefined -Db_lundef=false -Dtests=disabled \
        -Dbuildtype=debugoptimized \
        -Dc_args="$cflags" -Dcpp_args="$cflags" \
        > "$bdir.setup.log" 2>&1 || { cat "$bdir.setup.log" >&2; exit 2; }
fi
ninja -C "$bdir" > "$bdir/ninja.log" 2>&1 || { tail -40 "$bdir/ninja.log" >&2; exit 2; }

targets=$*
if [ -z "$targets" ]; then
    for exe in "$bdir"/fuzz/fuzz_*; do
        [ -x "$exe" ] && [ -f "$exe" ] && targets="$targets ${exe##*/fuzz_}"
    done
fi
[ -n "$targets" ] || { echo "$0: no fuzz targets in $bdir/fuzz (is subdir('fuzz') in meson.build?)" >&2; exit 2; }

mkdir -p "$arts"
scratch=$(mktemp -d "${TMPDIR:-/tmp}/campval-fuzz.XXXXXX")
trap 'rm -rf "$scratch"' EXIT INT TERM

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1:allocator_may_return_null=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_stacktrace=1}"

failed=0
for t in $targets; do
    exe=$bdir/fuzz/fuzz_$t
    [ -x "$exe" ] || { echo "fuzz_$t: not built" >&2; failed=1; continue; }
    corpus=$scratch/$t
    mkdir -p "$corpus"
    [ -d "$root/fuzz/corpus/$t" ] && cp -R "$root/fuzz/corpus/$t/." "$corpus/"
    dict=
    [ -f "$root/fuzz/$t.dict" ] && dict=-dict=$root/fuzz/$t.dict
    log=$arts/fuzz_$t.log
    before=$(ls "$arts" | grep -c "^fuzz_$t-" || true)
    set +e
    # One process and one target at a time: no -jobs/-workers, which would fork children that
    # log to fuzz-N.log in the current directory. The machine has two cores and other work.
    "$exe" $dict -max_total_time="$secs" -rss_limit_mb="$rss" -timeout="$tmo" \
        -print_final_stats=1 -artifact_prefix="$arts/fuzz_$t-" "$corpus" > "$log" 2>&1
    rc=$?
    set -e
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    after=$(ls "$arts" | grep -c "^fuzz_$t-" || true)
    crashes=$((after - before))
    if [ "$rc" -ne 0 ] && [ "$crashes" -eq 0 ]; then
        crashes=1 # died without an artifact (e.g. in the seed corpus)
    fi
    echo "fuzz_$t: ${execs:-0} execs, ${rate:-0} execs/s, $crashes crashes"
    if [ "$crashes" -ne 0 ]; then
        failed=1
        ls -t "$arts" | grep "^fuzz_$t-" | head -"$crashes" | sed "s|^|  artifact: $arts/|" >&2
        grep -E 'ERROR: |invariant failed|runtime error|SUMMARY' "$log" | head -5 | sed 's/^/  /' >&2
        echo "  log: $log" >&2
    fi
done
exit $failed
