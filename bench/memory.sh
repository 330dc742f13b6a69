#!/usr/bin/env bash
# Memory figures: compiled size of every built-in rules set (schema_bytes), what a workspace
# costs per token and per limit (bench/ws_size.c over campval_workspace_size), and the peak RSS
# of the CLI checking the 1.5 MB payload, next to a one-contact payload for the baseline.
#
# usage: bench/memory.sh      (after bench/run.sh, or it generates the payloads itself)
# environment: CAMPVAL (default build/campval), BUILD (default build: libcampval and version.h)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
BUILD=${BUILD:-$ROOT/build}
CAMPVAL=${CAMPVAL:-$BUILD/campval}
OUT=$HERE/out

die() { echo "bench/memory.sh: $*" >&2; exit 1; }
[ -x "$CAMPVAL" ] || die "$CAMPVAL not built"
[ -x /usr/bin/time ] || die "/usr/bin/time is required (apt-get install time)"
mkdir -p "$OUT"
if [ ! -f "$OUT/large.json" ]; then
    command -v node >/dev/null || die "node is needed to generate the payloads"
    node "$HERE/gen.js" "$OUT"
fi

echo "== compiled rules (campval_schema_memory)"
printf '%-20s %14s %12s\n' "rules" "schema_bytes" "compile_us"
"$CAMPVAL" rules | while read -r name _; do
    line=$(echo '{}' | "$CAMPVAL" check --benchmark --loop 1 --rules "$name" - | head -n 1) || true
    bytes=$(sed -n 's/.*schema_bytes=\([0-9]*\).*/\1/p' <<<"$line")
    us=$(sed -n 's/.*compile_us=\([0-9.]*\).*/\1/p' <<<"$line")
    [ -n "$bytes" ] || die "no schema_bytes for $name: $line"
    printf '%-20s %14s %12s\n' "$name" "$bytes" "$us"
done

echo
echo "== workspace (campval_workspace_size)"
cc -O2 -std=c11 -I"$ROOT/include" -I"$BUILD/include" -o "$OUT/ws_size" "$HERE/ws_size.c" \
    -L"$BUILD" -lcampval -Wl,-rpath,"$BUILD"
"$OUT/ws_size"

echo
echo "== peak RSS of 'campval check' (/usr/bin/time -v, Maximum resident set size)"
printf '%-12s %10s %8s %14s %10s\n' "payload" "bytes" "tokens" "workspace_tok" "max_rss_kB"
for p in small large; do
    f=$OUT/$p.json
    bytes=$(wc -c <"$f")
    tokens=$("$CAMPVAL" check --benchmark --loop 1 "$f" | sed -n 's/.* tokens=\([0-9]*\).*/\1/p')
    # the CLI sizes its workspace for the worst case of the input: len/2 + 2 tokens, at least 1024
    wtok=$((bytes / 2 + 2)); [ $wtok -lt 1024 ] && wtok=1024
    rss=$( { /usr/bin/time -v "$CAMPVAL" check --quiet "$f" >/dev/null; } 2>&1 |
        sed -n 's/.*Maximum resident set size (kbytes): *//p')
    printf '%-12s %10s %8s %14s %10s\n' "$p" "$bytes" "$tokens" "$wtok" "$rss"
done
