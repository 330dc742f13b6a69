#!/usr/bin/env bash
# Times every hostile body of issue #13 against a benign body of the same size and shape under
# the same rules, and prints the ratio. Figures depend on the machine: they never go into a test.
#
# usage: bench/worst-case.sh [BYTES]      (default 1048000: 1 MB bodies; about a minute)
# environment: CAMPVAL (default build/campval), LOOP (validations per timing, default 5)
#
# Classes (bench/hostile.c writes them into bench/out/worst/):
#   unique-objects  uniqueItems over two objects with the same 30,000 members in opposite orders
#   name-flood      member names that collide in the low 16 bits of the old, unkeyed hash
#   regex-items     strings that backtrack to just under PCRE2's match limit, one per item
#   regex-names     the same through patternProperties, one per member name
#   evaluation      rules whose every failing item explores 2^20 alternatives
#   object-branches allOf with 2,000 branches of object keywords (properties, required,
#                   additionalProperties, dependentRequired, propertyNames) over one object with
#                   as many members as fit; benign: the same object under one branch of each
#   national-prefix contacts whose numbers could start with a national prefix (+1 1...), which
#                   libphonenumber's Parse read at 35-85 us each; benign: +1 4... numbers
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
CAMPVAL=${CAMPVAL:-$ROOT/build/campval}
LOOP=${LOOP:-5}
BYTES=${1:-1048000}
OUT=$HERE/out/worst

[ -x "$CAMPVAL" ] || { echo "worst-case.sh: $CAMPVAL not built" >&2; exit 1; }
mkdir -p "$OUT"
cc -O2 -o "$OUT/hostile" "$HERE/hostile.c"
if [ ! -f "$OUT/.bytes" ] || [ "$(cat "$OUT/.bytes")" != "$BYTES" ] ||
    [ ! -f "$OUT/national-prefix.hostile.json" ]; then
    echo "generating bodies of about $BYTES bytes (the name flood takes a while)" >&2
    "$OUT/hostile" "$OUT" "$BYTES"
    echo "$BYTES" >"$OUT/.bytes"
fi

field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }

printf '%-15s %9s %9s %10s %10s %7s  %s\n' class bytes "work" "benign ms" "hostile ms" ratio "hostile result"
worst=0
for cls in unique-objects name-flood regex-items regex-names evaluation object-branches national-prefix; do
    if [ -f "$OUT/$cls.rules.name" ]; then rules=$(cat "$OUT/$cls.rules.name"); else rules=$OUT/$cls.rules.json; fi
    brules=$rules
    [ -f "$OUT/$cls.benign.rules.json" ] && brules=$OUT/$cls.benign.rules.json
    b=$("$CAMPVAL" check --benchmark --loop "$LOOP" --rules "$brules" "$OUT/$cls.benign.json" || true)
    h=$("$CAMPVAL" check --benchmark --loop "$LOOP" --rules "$rules" "$OUT/$cls.hostile.json" || true)
    bus=$(field us_per_validation "$h" >/dev/null; field us_per_validation "$b")
    hus=$(field us_per_validation "$h")
    ratio=$(awk -v h="$hus" -v b="$bus" 'BEGIN { printf "%.1f", h / b }')
    printf '%-15s %9s %9s %10.2f %10.2f %6sx  %s\n' "$cls" "$(field bytes "$h")" "$(field work "$h")" \
        "$(awk -v u="$bus" 'BEGIN { print u / 1000 }')" "$(awk -v u="$hus" 'BEGIN { print u / 1000 }')" \
        "$ratio" "$(field code "$h")"
    worst=$(awk -v a="$worst" -v r="$ratio" 'BEGIN { print (r > a) ? r : a }')
done
echo "worst ratio: ${worst}x (goal: at most 20x, and under one second per body)"
