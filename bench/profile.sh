#!/usr/bin/env bash
# Profile campval's validation hot path on the 1.5 MB payload. With hardware counters
# (`perf stat -e instructions true` works): perf record. Without (as in most VMs): callgrind,
# collecting only inside campval_validate, annotated per function; plus a perf cpu-clock
# (time-sampled) profile when perf record works at all, since instruction counts miss cache
# misses. Output goes to bench/out/profile/.
#
# usage: bench/profile.sh [FILE]      (default bench/out/large.json)
# environment: CAMPVAL (default build/campval; build it debugoptimized for symbols and lines)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
CAMPVAL=${CAMPVAL:-$ROOT/build/campval}
P=$HERE/out/profile
mkdir -p "$P"
if [ $# -eq 0 ] && [ ! -f "$HERE/out/large.json" ]; then
    node "$HERE/gen.js" "$HERE/out"
fi
FILE=${1:-$HERE/out/large.json}

if perf stat -e instructions true 2>&1 | grep -q '[0-9] *instructions'; then
    echo "== perf record (cycles), top functions by self time"
    perf record -q -g -o "$P/perf.data" "$CAMPVAL" check --benchmark --loop 200 "$FILE" >/dev/null
    perf report -i "$P/perf.data" --no-children --sort symbol --stdio 2>/dev/null |
        grep -E '^ +[0-9]' | head -n 25
    exit 0
fi

echo "== callgrind (instructions inside campval_validate), top functions by self cost"
valgrind --tool=callgrind --callgrind-out-file="$P/callgrind.out" --toggle-collect=campval_validate \
    "$CAMPVAL" check --benchmark --loop 10 "$FILE" >/dev/null 2>"$P/callgrind.log"
callgrind_annotate --inclusive=no "$P/callgrind.out" 2>/dev/null |
    sed -n '/^Ir *file:function/,/^$/p' | sed -n '3,27p'
echo
echo "== callgrind, inclusive (stages)"
callgrind_annotate --inclusive=yes "$P/callgrind.out" 2>/dev/null |
    grep -E 'campval__(parse|tokenize|lex|engine_run)\b|campval_validate' | grep '\[' | head -n 8
callgrind_annotate --auto=yes "$P/callgrind.out" >"$P/callgrind-lines.txt" 2>/dev/null || true
echo "(per-line annotation: $P/callgrind-lines.txt)"

if perf record -q -e cpu-clock -o "$P/perf.data" true 2>/dev/null; then
    echo
    echo "== perf cpu-clock samples (time, includes cache misses), top functions by self time"
    perf record -q -e cpu-clock -F 2000 -o "$P/perf.data" \
        "$CAMPVAL" check --benchmark --loop 200 "$FILE" >/dev/null 2>&1
    perf report -i "$P/perf.data" --no-children --sort symbol --stdio 2>/dev/null |
        grep -E '^ +[0-9]' | head -n 25
fi
