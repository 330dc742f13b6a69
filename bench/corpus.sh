#!/usr/bin/env bash
# campval against ajv on your own schemas and instances: for every subdirectory of DIR holding
# schema.json and instances.jsonl (one instance per line), the time to validate the whole file
# from raw bytes, in-process, best of REPEAT rounds, and the ratio. See bench/README.md.
#
# usage: bench/corpus.sh [DIR]      (default: bench/corpus, the sample corpus)
# environment:
#   CAMPVAL   the campval binary               (default: build/campval)
#   MIN_SEC   minimum seconds of timed runs per tool, pair and round (default: 1)
#   REPEAT    rounds; each figure is the best round (default: 3)
#
# Needs node + npm (ajv and ajv-formats are installed from the npm registry into
# bench/node_modules by `npm ci` when missing). Writes bench/out/corpus.md and corpus.log.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
CAMPVAL=${CAMPVAL:-$ROOT/build/campval}
MIN_SEC=${MIN_SEC:-1}
REPEAT=${REPEAT:-3}
DIR=${1:-$HERE/corpus}
OUT=$HERE/out

die() { echo "bench/corpus.sh: $*" >&2; exit 1; }
command -v node >/dev/null || die "node is required (apt-get install nodejs npm)"
[ -d "$DIR" ] || die "$DIR is not a directory"
[ -x "$CAMPVAL" ] || die "$CAMPVAL not built (meson setup build && ninja -C build)"
mkdir -p "$OUT"
LOG=$OUT/corpus.log
: >"$LOG"

# One frozen binary for the whole run, as in run.sh (a rebuild meanwhile must not mix versions).
"$CAMPVAL" --version >/dev/null 2>&1 || die "$CAMPVAL does not run"
cp "$CAMPVAL" "$OUT/campval.corpus"
[ ! -e "$(dirname "$CAMPVAL")/libcampval.so.0" ] || cp -L "$(dirname "$CAMPVAL")/libcampval.so.0" "$OUT/"
CAMPVAL=$OUT/campval.corpus

if [ ! -d "$HERE/node_modules/ajv" ] || [ ! -d "$HERE/node_modules/ajv-formats" ]; then
    command -v npm >/dev/null || die "npm is required (apt-get install npm)"
    echo "== installing ajv and ajv-formats into bench/node_modules (npm ci)" >&2
    (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error >>"$LOG" 2>&1) ||
        die "npm ci failed, see $LOG"
fi

field() { # NAME LINE -> the value of NAME=... in LINE
    awk -v k="$1" '{ for (i = 1; i <= NF; i++) if (index($i, k "=") == 1) { print substr($i, length(k) + 2); exit } }' <<<"$2"
}

campval_run() { # schema instances loop -> the rules line (compile_us) and the whole-file line
    local out st=0
    out=$("$CAMPVAL" check --rules "$1" --ndjson --benchmark --loop "$3" "$2" 2>>"$LOG") || st=$?
    [ "$st" -le 1 ] || die "campval failed on $2 (exit $st), see $LOG"
    out=$(head -n 1 <<<"$out"; tail -n 1 <<<"$out")
    echo "campval $2 $out" >>"$LOG"
    case $out in *compile_us=*" lines="*" us_per_run="*) echo "$out" ;;
        *) die "campval gave no figure for $2, see $LOG" ;; esac
}

PAIRS=()
for d in "$DIR"/*/; do
    d=${d%/}
    if [ -f "$d/schema.json" ] && [ -f "$d/instances.jsonl" ]; then
        PAIRS+=("$d")
    else
        echo "   skipping $d: needs schema.json and instances.jsonl" >&2
    fi
done
[ "${#PAIRS[@]}" -gt 0 ] || die "no subdirectory of $DIR holds schema.json and instances.jsonl"

RES=$OUT/corpus.tsv # pair tool us_per_run rsd_pct invalid_lines compile_us lines bytes, one per round
: >"$RES"
LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg)
echo "== measuring ${#PAIRS[@]} pairs ($REPEAT rounds, >= ${MIN_SEC}s of runs per tool)" >&2
for d in "${PAIRS[@]}"; do
    name=$(basename "$d")
    # campval times each line over LOOP runs, then the whole file over LOOP runs: LOOP is sized
    # from one run so that the whole-file runs last MIN_SEC
    one=$(campval_run "$d/schema.json" "$d/instances.jsonl" 1 | tail -n 1)
    loop=$(awk -v us="$(field us_per_run "$one")" -v m="$MIN_SEC" \
        'BEGIN { l = int(m * 1e6 / (us > 1 ? us : 1)) + 1; print (l < 3 ? 3 : l > 1000000 ? 1000000 : l) }')
    for _ in $(seq 1 "$REPEAT"); do
        c=$(campval_run "$d/schema.json" "$d/instances.jsonl" "$loop")
        hdr=$(head -n 1 <<<"$c")
        c=$(tail -n 1 <<<"$c")
        printf '%s\tcampval\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$(field us_per_run "$c")" \
            "$(field rsd_pct "$c")" "$(field invalid_lines "$c")" "$(field compile_us "$hdr")" \
            "$(field lines "$c")" "$(field bytes "$c")" >>"$RES"
        a=$(node "$HERE/ajv_corpus.js" "$d/schema.json" "$d/instances.jsonl" "$MIN_SEC" 2>>"$LOG") ||
            die "ajv failed on $d, see $LOG"
        echo "$name $a" >>"$LOG"
        printf '%s\tajv\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$(field us_per_run "$a")" \
            "$(field rsd_pct "$a")" "$(field invalid_lines "$a")" "$(field compile_us "$a")" \
            "$(field lines "$a")" "$(field bytes "$a")" >>"$RES"
    done
    echo "   $name done at ${SECONDS}s" >&2
done

{
    echo "$("$CAMPVAL" --version | head -n 1), ajv $(node -p "require('$HERE/node_modules/ajv/package.json').version")," \
        "Node $(node --version); $(lscpu | sed -n 's/^Model name: *//p' | head -n 1), $(nproc) cores;" \
        "$(date -u '+%Y-%m-%d %H:%M UTC'); best of $REPEAT rounds, >= ${MIN_SEC}s each;" \
        "load average before/after: $LOAD_BEFORE / $(cut -d' ' -f1 /proc/loadavg)"
    echo
    awk -F'\t' '
        { k = $1 SUBSEP $2
          if (!(k in best) || $3 + 0 < best[k]) { best[k] = $3 + 0; rsd[k] = $4; bad[k] = $5 }
          if (!(k in comp) || $6 + 0 < comp[k]) comp[k] = $6 + 0
          lines[$1] = $7; bytes[$1] = $8; if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 } }
        function fmt(x) { return x >= 1000 ? sprintf("%.0f", x) : x >= 100 ? sprintf("%.1f", x) : sprintf("%.2f", x) }
        END {
            print "| pair | lines | bytes | campval us/file (rsd) | ajv us/file (rsd) | campval us/line | ajv us/line | ajv / campval | compile ms campval / ajv | invalid lines campval / ajv |"
            print "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
            for (i = 1; i <= n; i++) {
                p = order[i]; c = best[p, "campval"]; a = best[p, "ajv"]
                verdict = bad[p, "campval"] " / " bad[p, "ajv"]
                if (bad[p, "campval"] != bad[p, "ajv"]) verdict = verdict " **differ**"
                printf "| %s | %d | %d | %s (%s%%) | %s (%s%%) | %s | %s | %s | %.1f / %.1f | %s |\n", p, lines[p], bytes[p],
                    fmt(c), rsd[p, "campval"], fmt(a), rsd[p, "ajv"], fmt(c / lines[p]), fmt(a / lines[p]),
                    (c > 0 ? sprintf("%.2f", a / c) : "-"), comp[p, "campval"] / 1e3, comp[p, "ajv"] / 1e3, verdict
            }
        }' "$RES"
    echo
    echo "us/file: one run over every line of instances.jsonl from raw bytes, in-process (campval:"
    echo "  check --ndjson --benchmark, the whole-file line's us_per_run; ajv: Buffer->string, JSON.parse"
    echo "  and a compiled validate with allErrors, ajv-formats and campval's formats, bench/ajv_corpus.js);"
    echo "  the best round's mean and its relative standard deviation over the runs. Process startup and"
    echo "  compiling the schema are not in it (compile: best round). Ratios > 1: campval is faster."
    echo "  When the invalid-line counts differ, the two tools disagree on some instances and the"
    echo "  times compare different work."
} | tee "$OUT/corpus.md"
