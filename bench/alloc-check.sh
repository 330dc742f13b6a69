#!/usr/bin/env bash
# Show from outside the process that validation allocates nothing: memcheck counts every heap
# allocation of `campval check --benchmark --loop N` ("total heap usage: X allocs"). Compiling
# the rules, reading the file and creating the workspace happen once whatever N is, so the count
# must be the same for --loop 1 and --loop 1000. Exit status 1 when it is not.
#
# usage: bench/alloc-check.sh [FILE...]
#   default: bench/out/medium.json (valid, 100 contacts; generated if missing) and
#   examples/campaign_create_invalid.json (invalid: the error path must not allocate either)
# environment: CAMPVAL (default build/campval), RULES (default campaign_create)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
CAMPVAL=${CAMPVAL:-$ROOT/build/campval}
RULES=${RULES:-campaign_create}

command -v valgrind >/dev/null || { echo "alloc-check: valgrind is required (apt-get install valgrind)" >&2; exit 2; }
[ -x "$CAMPVAL" ] || { echo "alloc-check: $CAMPVAL not built" >&2; exit 2; }

if [ $# -eq 0 ]; then
    if [ ! -f "$HERE/out/medium.json" ]; then
        command -v node >/dev/null || { echo "alloc-check: node is needed to generate payloads" >&2; exit 2; }
        node "$HERE/gen.js" "$HERE/out"
    fi
    set -- "$HERE/out/medium.json" "$ROOT/examples/campaign_create_invalid.json"
fi

allocs() { # file loop -> number of heap allocations of the whole run
    local log
    # exit status 1 (an invalid document) is expected; memcheck's summary is what counts
    log=$(valgrind --tool=memcheck "$CAMPVAL" check --benchmark --loop "$2" --rules "$RULES" \
        "$1" 2>&1 >/dev/null) || true
    sed -n 's/.*total heap usage: \([0-9,]*\) allocs.*/\1/p' <<<"$log" | tr -d ,
}

status=0
for f in "$@"; do
    one=$(allocs "$f" 1)
    many=$(allocs "$f" 1000)
    if [ -z "$one" ] || [ -z "$many" ]; then
        echo "$f: could not read memcheck's heap summary" >&2
        status=1
    elif [ "$one" = "$many" ]; then
        echo "$f: --loop 1: $one allocs, --loop 1000: $many allocs: OK, validation allocates nothing"
    else
        echo "$f: --loop 1: $one allocs, --loop 1000: $many allocs: FAIL," \
            "$(((many - one) / 999)) allocations per validation"
        status=1
    fi
done
exit $status
