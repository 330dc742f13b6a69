#!/usr/bin/env bash
# Compare campval with ajv, Blaze (the jsonschema CLI) and jsmn alone on the same rules and the
# same campaign_create payloads, and print one table. See bench/README.md.
#
# usage: bench/run.sh            (from anywhere; takes about two minutes on 2 cores)
# environment:
#   CAMPVAL   the campval binary          (default: build/campval)
#   MIN_SEC   minimum seconds per timed run (default: 1)
#   REPEAT    rounds; each figure is the best round (default: 3)
#   AT        the day the campaigns run (--at; default 2026-12-07, a Monday): the calling-hours
#             warnings, and so the work, depend on the weekday, so every run pins one
#
# Needs node + npm (ajv, ajv-formats and @sourcemeta/jsonschema are installed from the npm
# registry into bench/node_modules), a C compiler and Debian's libjsmn-dev. Everything it writes
# goes to bench/out/ (payloads, jsmn_bench, raw.log, results.md). Figures never go into tests.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
CAMPVAL=${CAMPVAL:-$ROOT/build/campval}
MIN_SEC=${MIN_SEC:-1}
REPEAT=${REPEAT:-3}
AT=${AT:-2026-12-07}
RULES_NAME=campaign_create
RULES=$ROOT/rules/$RULES_NAME.schema.json
OUT=$HERE/out
PAYLOADS=(small medium large stream)

die() { echo "bench/run.sh: $*" >&2; exit 1; }
file_of() { if [ "$1" = stream ]; then echo "$OUT/stream.ndjson"; else echo "$OUT/$1.json"; fi; }

command -v node >/dev/null || die "node is required (apt-get install nodejs npm)"
command -v npm >/dev/null || die "npm is required (apt-get install npm)"
command -v cc >/dev/null || die "a C compiler is required"
[ -f /usr/include/jsmn.h ] || die "jsmn.h is missing (apt-get install libjsmn-dev)"
[ -x "$CAMPVAL" ] || die "$CAMPVAL not built (meson setup build && ninja -C build)"

mkdir -p "$OUT"
LOG=$OUT/raw.log
: >"$LOG"
# Measure one frozen binary: a rebuild during the run must not mix two versions in the table
# (and a binary being relinked is briefly not runnable: wait for it). The CLI finds
# libcampval.so.0 next to itself ($ORIGIN), so the library is frozen with it.
for _ in $(seq 30); do
    "$CAMPVAL" --version >/dev/null 2>&1 && cp "$CAMPVAL" "$OUT/campval.bench" &&
        { [ ! -e "$(dirname "$CAMPVAL")/libcampval.so.0" ] ||
            cp -L "$(dirname "$CAMPVAL")/libcampval.so.0" "$OUT/"; } &&
        "$OUT/campval.bench" --version >/dev/null 2>&1 && break
    sleep 2
done
"$OUT/campval.bench" --version >/dev/null 2>&1 || die "$CAMPVAL does not run"
CAMPVAL=$OUT/campval.bench

echo "== installing ajv, ajv-formats, @sourcemeta/jsonschema into bench/node_modules" >&2
(cd "$HERE" && npm install --no-audit --no-fund --loglevel=error >>"$LOG" 2>&1) ||
    die "npm install failed, see $LOG"
BLAZE=$HERE/node_modules/.bin/jsonschema

echo "== generating payloads and building jsmn_bench" >&2
node "$HERE/gen.js" "$OUT"
: >"$OUT/empty.ndjson" # startup + compile alone (campval reads regular files only, not /dev/null)
rm -f "$OUT/stream.jsonl"
cp "$OUT/stream.ndjson" "$OUT/stream.jsonl" # Blaze takes JSONL by extension (no symlink: it resolves it)
cc -O2 -std=c11 -o "$OUT/jsmn_bench" "$HERE/jsmn_bench.c"

# The same rules without campval's pre-flight keywords (the OP_PREFLIGHT rows of src/keywords.h):
# the work ajv and Blaze do too, since they skip keywords they do not know. Both are measured.
SCHEMA_ONLY=$OUT/campaign_create.schema-only.json
PREFLIGHT=$(sed -n 's/.*X([a-z_]*, "\(x-[a-z-]*\)", OP_PREFLIGHT.*/\1/p' "$ROOT/src/keywords.h")
[ "$(wc -w <<<"$PREFLIGHT")" -eq "$(grep -c OP_PREFLIGHT "$ROOT/src/keywords.h")" ] ||
    die "could not read every OP_PREFLIGHT row of src/keywords.h (one row a line expected)"
node -e '
const fs = require("fs");
const preflight = new Set(process.argv.slice(3));
const strip = v => Array.isArray(v) ? v.map(strip) : v && typeof v === "object"
    ? Object.fromEntries(Object.entries(v).filter(([k]) => !preflight.has(k)).map(([k, x]) => [k, strip(x)]))
    : v;
fs.writeFileSync(process.argv[2], JSON.stringify(strip(JSON.parse(fs.readFileSync(process.argv[1], "utf8"))), null, 1));
' "$RULES" "$SCHEMA_ONLY" $PREFLIGHT
for k in $PREFLIGHT; do
    ! grep -q "\"$k\"" "$SCHEMA_ONLY" || die "could not strip $k from the rules"
done

# Every payload must be valid for every validator, or the comparison measures error paths.
for p in "${PAYLOADS[@]}"; do
    f=$(file_of "$p")
    if [ "$p" = stream ]; then
        "$CAMPVAL" check --at "$AT" --rules "$RULES_NAME" --ndjson --quiet "$f" || die "campval rejects $f"
    else
        "$CAMPVAL" check --at "$AT" --rules "$RULES_NAME" --quiet "$f" || die "campval rejects $f"
    fi
done

RES=$OUT/results.tsv # tool <TAB> payload <TAB> us per document, one line per round
: >"$RES"
record() { # tool payload us: a failed measurement stops the run (die inside $(...) cannot)
    [[ $3 =~ ^[0-9]+(\.[0-9]+)?$ ]] && awk -v x="$3" 'BEGIN { exit !(x > 0) }' ||
        die "$1 gave no figure for $2, see $LOG"
    printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$RES"
}

campval_doc() { # payload file [flag...] -> us per validation, loop sized so that the run takes
    # >= MIN_SEC (flag: --syntax-only for the strict parse alone; --rules FILE for other rules)
    local f=$1 loop=20 line us
    shift
    while :; do
        line=$("$CAMPVAL" check --at "$AT" --benchmark --loop "$loop" --rules "$RULES_NAME" "$@" "$f" | tail -n 1)
        echo "campval $line" >>"$LOG"
        case $line in *valid=true*) ;; *) die "campval: $line" ;; esac
        us=$(sed -n 's/.*us_per_validation=\([0-9.]*\).*/\1/p' <<<"$line")
        if awk -v us="$us" -v n="$loop" -v m="$MIN_SEC" 'BEGIN { exit !(us * n >= m * 1e6) }'; then
            echo "$us"
            return
        fi
        loop=$(awk -v us="$us" -v n="$loop" -v m="$MIN_SEC" \
            'BEGIN { l = int(m * 1e6 * 1.2 / (us > 0 ? us : 0.001)) + 1; print (l > n * 2 ? l : n * 2) }')
    done
}

wall_us() { # command... -> best wall time of 3 runs in microseconds
    local t0 t1 best="" us i
    for i in 1 2 3; do
        t0=$EPOCHREALTIME
        "$@" || true
        t1=$EPOCHREALTIME
        us=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", (b - a) * 1e6 }')
        best=$(awk -v a="$us" -v b="$best" 'BEGIN { print (b == "" || a < b) ? a : b }')
    done
    echo "$best"
}

campval_stream() { # ndjson file -> us per document, in one process with the rules compiled once
    # (check --benchmark --ndjson: its last line times whole runs over the stream, the way
    # ajv_bench.js times its own). The loop is sized so that the runs take >= MIN_SEC.
    local f=$1 loop=2 line us run
    while :; do
        line=$("$CAMPVAL" check --at "$AT" --benchmark --loop "$loop" --rules "$RULES_NAME" --ndjson "$f" | tail -n 1)
        echo "campval-ndjson $line" >>"$LOG"
        case $line in *" valid=true "*) ;; *) die "campval: $line" ;; esac
        us=$(sed -n 's/.*us_per_line=\([0-9.]*\).*/\1/p' <<<"$line")
        run=$(sed -n 's/.*us_per_run=\([0-9.]*\).*/\1/p' <<<"$line")
        if awk -v r="$run" -v n="$loop" -v m="$MIN_SEC" 'BEGIN { exit !(r * n >= m * 1e6) }'; then
            echo "$us"
            return
        fi
        loop=$(awk -v r="$run" -v n="$loop" -v m="$MIN_SEC" \
            'BEGIN { l = int(m * 1e6 * 1.2 / (r > 0 ? r : 1)) + 1; print (l > n * 2 ? l : n * 2) }')
    done
}

campval_process() { # ndjson file -> us per document of the whole process (startup + compile included)
    local f=$1 t0 t1 best="" us i
    for i in 1 2 3; do
        t0=$EPOCHREALTIME
        "$CAMPVAL" check --at "$AT" --rules "$RULES_NAME" --ndjson --quiet "$f"
        t1=$EPOCHREALTIME
        us=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) * 1e6 / 10000 }')
        echo "campval-ndjson wall_us_per_doc=$us" >>"$LOG"
        best=$(awk -v a="$us" -v b="$best" 'BEGIN { print (b == "" || a < b) ? a : b }')
    done
    echo "$best"
}

blaze_run() { # file loop [flag...] -> "mean_us docs" (JSONL: mean over the documents' means)
    local f=$1 loop=$2 out
    shift 2
    out=$("$BLAZE" validate "$RULES" "$f" --benchmark --loop "$loop" --format-assertion "$@" \
        2>>"$LOG") || return 0
    grep -q -v ': PASS ' <<<"$out" && return 0 # a failure: no figure
    awk '{ for (i = 1; i <= NF; i++) if ($i == "PASS") { s += $(i + 1); n++ } }
         END { if (n) printf "%.3f %d\n", s / n, n }' <<<"$out"
}

blaze_doc() { # file [flag...] -> mean us; the loop is sized from a short calibration run so
    # that the validations add up to MIN_SEC (Blaze times each one and reports their mean)
    local f=$1 docs=1 cal us n loop
    shift
    [ "${f##*.}" = jsonl ] && docs=10000
    cal=$(blaze_run "$f" $((docs > 1 ? 2 : 100)) "$@")
    us=${cal% *}
    loop=$(awk -v us="$us" -v d="$docs" -v m="$MIN_SEC" \
        'BEGIN { l = int(m * 1e6 * 1.2 / ((us > 0.05 ? us : 0.05) * d)) + 1; if (l > 5000000) l = 5000000; print l }')
    read -r us n < <(blaze_run "$f" "$loop" "$@")
    echo "blaze $* $f loop=$loop docs=$n mean_us=$us" >>"$LOG"
    echo "$us"
}

LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg)
echo "== measuring ($REPEAT rounds, >= ${MIN_SEC}s per timed run)" >&2
for round in $(seq 1 "$REPEAT"); do
    echo "   round $round/$REPEAT" >&2
    for p in small medium large; do
        record campval "$p" "$(campval_doc "$(file_of $p)")"
        record campval_syntax "$p" "$(campval_doc "$(file_of $p)" --syntax-only)"
        record campval_schema "$p" "$(campval_doc "$(file_of $p)" --rules "$SCHEMA_ONLY")"
    done
    record campval stream "$(campval_stream "$OUT/stream.ndjson")"
    record campval_process stream "$(campval_process "$OUT/stream.ndjson")"
    record campval_startup stream "$(wall_us "$CAMPVAL" check --at "$AT" --rules "$RULES_NAME" --ndjson --quiet "$OUT/empty.ndjson")"
    echo "   campval done at ${SECONDS}s" >&2

    node "$HERE/ajv_bench.js" "$RULES" "$MIN_SEC" "$OUT/small.json" "$OUT/medium.json" \
        "$OUT/large.json" "$OUT/stream.ndjson" | tee -a "$LOG" |
        awk '/valid=false/ { bad = 1 }
             /us_per_op=/ { split($1, a, "/"); p = a[length(a)]; sub(/\.(json|ndjson):$/, "", p)
                           for (i = 2; i <= NF; i++) if ($i ~ /^us_per_op=/) { sub(/us_per_op=/, "", $i); print "ajv\t" p "\t" $i } }
             END { exit bad }' >>"$RES" || die "ajv rejects a payload, see $LOG"
    echo "   ajv done at ${SECONDS}s" >&2

    for p in small medium large; do
        record blaze "$p" "$(blaze_doc "$(file_of $p)")"
        record blaze_fast "$p" "$(blaze_doc "$(file_of $p)" --fast)"
    done
    record blaze stream "$(blaze_doc "$OUT/stream.jsonl")"
    record blaze_fast stream "$(blaze_doc "$OUT/stream.jsonl" --fast)"
    echo "   Blaze done at ${SECONDS}s" >&2

    "$OUT/jsmn_bench" "$MIN_SEC" "$OUT/small.json" "$OUT/medium.json" "$OUT/large.json" \
        "$OUT/stream.ndjson" | tee -a "$LOG" |
        awk '{ split($1, a, "/"); p = a[length(a)]; sub(/\.(json|ndjson):$/, "", p)
               for (i = 2; i <= NF; i++) if ($i ~ /^us_per_op=/) { sub(/us_per_op=/, "", $i); print "jsmn\t" p "\t" $i } }' >>"$RES"
    echo "   jsmn done at ${SECONDS}s" >&2
done

# One table: best round of each tool. Sizes in bytes (stream: bytes per document on average).
{
    echo "$("$CAMPVAL" --version 2>/dev/null | head -n 1), rules $RULES_NAME;" \
        "$(lscpu | sed -n 's/^Model name: *//p' | head -n 1), $(nproc) cores; $(date -u '+%Y-%m-%d %H:%M UTC');" \
        "best of $REPEAT rounds, >= ${MIN_SEC}s each; load average before/after: $LOAD_BEFORE / $(cut -d' ' -f1 /proc/loadavg)"
    echo
    sizes=""
    for p in "${PAYLOADS[@]}"; do
        f=$(file_of "$p")
        b=$(wc -c <"$f")
        [ "$p" = stream ] && b=$((b / 10000))
        sizes="$sizes $p=$b"
    done
    awk -F'\t' -v sizes="$sizes" '
        BEGIN {
            n = split(sizes, s, " ")
            for (i = 1; i <= n; i++) { split(s[i], kv, "="); size[kv[1]] = kv[2]; order[i] = kv[1] }
            label["small"] = "small (1 contact)"; label["medium"] = "medium (100 contacts)"
            label["large"] = "large (10,000 contacts)"; label["stream"] = "stream (10,000 NDJSON docs, per doc)"
        }
        { k = $1 SUBSEP $2; if (!(k in best) || $3 + 0 < best[k]) best[k] = $3 + 0 }
        function fmt(x) { return x >= 1000 ? sprintf("%.0f", x) : x >= 100 ? sprintf("%.1f", x) : sprintf("%.2f", x) }
        function ratio(a, b) { return (a > 0 && b > 0) ? sprintf("%.2f", a / b) : "-" }
        function size_text(b) { return b >= 1e6 ? sprintf("%.2f MB", b / 1e6) : b >= 1e4 ? sprintf("%.1f KB", b / 1e3) : b " B" }
        END {
            print "| payload | size | campval us/op | campval MB/s | ajv us/op | Blaze us/op | Blaze --fast us/op | jsmn us/op | ajv / campval | Blaze / campval | campval / jsmn | strict parse us/op | strict parse / jsmn | schema only us/op | ajv / schema only | schema only / jsmn |"
            print "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
            for (i = 1; i <= n; i++) {
                p = order[i]
                c = best["campval", p]; a = best["ajv", p]; b = best["blaze", p]
                bf = best["blaze_fast", p]; j = best["jsmn", p]; sx = best["campval_syntax", p]
                so = best["campval_schema", p]
                printf "| %s | %s | %s | %.0f | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", label[p],
                    size_text(size[p]), fmt(c), size[p] / c, fmt(a), fmt(b), fmt(bf), fmt(j),
                    ratio(a, c), ratio(b, c), ratio(c, j), (sx > 0 ? fmt(sx) : "-"), ratio(sx, j),
                    (so > 0 ? fmt(so) : "-"), ratio(a, so), ratio(so, j)
            }
            # The stream again as a whole process: not a goal row (ajv'"'"'s figure excludes node'"'"'s
            # startup and its compile), but what a one-shot CLI run costs per document.
            c = best["campval_process", "stream"]; a = best["ajv", "stream"]; j = best["jsmn", "stream"]
            if (c > 0)
                printf "| %s | %s | %s | %.0f | %s | - | - | %s | %s | - | %s | - | - | - | - | - |\n",
                    "stream, whole CLI process (startup + compile included)", size_text(size["stream"]),
                    fmt(c), size["stream"] / c, fmt(a), fmt(j), ratio(a, c), ratio(c, j)
            # The goals of issue #19, each a ratio from this run.
            print ""
            print "| goal (issue #19) | payload | measured | met |"
            print "|---|---|---:|---|"
            for (i = 1; i <= n; i++) {
                p = order[i]; j = best["jsmn", p]
                if (p == "stream") continue
                goal(label[p], "strict parse / jsmn <= " (p == "small" ? "1.6" : "1.3"), best["campval_syntax", p] / j, p == "small" ? 1.6 : 1.3, 1)
                if (p != "small")
                    goal(label[p], "full validation / jsmn <= 1.5", best["campval", p] / j, 1.5, 1)
            }
            for (i = 1; i <= n; i++) {
                p = order[i]
                goal(label[p], "ajv / campval >= 3 (campaign_create, pre-flight checks included)", best["ajv", p] / best["campval", p], 3, 0)
                if (best["campval_schema", p] > 0)
                    goal(label[p], "ajv / campval >= 3 (schema keywords only: the work ajv does)", best["ajv", p] / best["campval_schema", p], 3, 0)
            }
        }
        function goal(what, text, x, bound, at_most) {
            printf "| %s | %s | %.2fx | %s |\n", text, what, x, (at_most ? x <= bound : x >= bound) ? "yes" : "no"
        }' "$RES"
    echo
    echo "campval: strict parse + validation from raw bytes (check --benchmark --loop N, one workspace);"
    echo "  strict parse: the same with --syntax-only (lexer, jsmn, subtree links, duplicate names);"
    echo "  'campval / jsmn' is full validation over jsmn alone, 'strict parse / jsmn' the parse alone;"
    echo "  schema only: campaign_create without its pre-flight x- keywords (bench/out/campaign_create.schema-only.json),"
    echo "  the keywords ajv and Blaze check too (they skip the x- ones)."
    st=$(awk -F'\t' '$1 == "campval_startup" && (b == "" || $3 + 0 < b) { b = $3 + 0 } END { print b }' "$RES")
    echo "  stream row: 'check --benchmark --ndjson', one process, rules compiled once: a run validates"
    echo "  every line (us_per_line = run / 10,000), as ajv_bench.js times ajv over the same lines;"
    echo "  whole CLI process row: 'check --ndjson --quiet' timed from outside / 10,000. The same process"
    echo "  on an empty stream (startup + compile) takes $(awk -v u="$st" 'BEGIN { printf "%.1f ms = %.2f us per document of the stream", u / 1e3, u / 1e4 }')."
    echo "ajv: Buffer->string + JSON.parse + Ajv2020 validate (allErrors, ajv-formats, e164/time-of-day/iana-timezone)."
    echo "Blaze: 'jsonschema validate --benchmark --format-assertion', validation only (parse excluded);"
    echo "  uuid asserted, campval's own formats e164/time-of-day/iana-timezone unknown to it and not checked."
    echo "jsmn: JSMN_STRICT + JSMN_PARENT_LINKS tokenizing only, no checks (lower bound)."
    echo "Ratios > 1 in 'ajv / campval' and 'Blaze / campval' mean campval is faster."
} | tee "$OUT/results.md"
