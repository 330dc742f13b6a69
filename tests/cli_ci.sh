#!/bin/sh
# The command line in CI (issue #16): --help, --opt=value, --color, directory walks, NDJSON by
# extension with blank lines, and the sarif, junit and github formats.
# usage: cli_ci.sh CAMPVAL SOURCE_ROOT
# The SARIF output is checked against the SARIF 2.1.0 schema (tests/data/sarif/) by campval
# itself, and by ajv when node and ajv + ajv-formats are installed (bench/node_modules, or
# the node_modules folder named by $CAMPVAL_NODE_MODULES); without them that check is skipped.
set -u
here=$(cd "$(dirname "$0")" && pwd)
campval=$1
root=$(cd "$2" && pwd) || exit 2
passed=0
failed=0
skipped=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/campval-ci.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 2
ex=$root/examples
export campval ex

. "$here/cli_lib.sh"
# ok NAME COMMAND: pass when COMMAND succeeds.
ok() {
    if out=$(timeout 60 sh -c "$2" 2>&1); then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL $1"
        printf '%s\n' "$out" | head -10
    fi
}
absent=
esc=$(printf '\033')

# ---- help and option forms ---------------------------------------------------------------------
t check_help 0 'usage: campval check' '"$campval" check --help'
t check_help_short 0 '--color auto|always|never' '"$campval" check -h'
t help_after_options 0 'usage: campval check' '"$campval" check --quiet --help'
t opt_eq_format 1 '"valid":false' '"$campval" check --format=json "$ex/campaign_create_invalid.json"'
t opt_eq_rules 0 'valid' '"$campval" check --rules=campaign_create "$ex/campaign_create.json"'
t opt_eq_max_errors 1 '5 more errors and 1 warning not shown' \
    '"$campval" check --max-errors=1 "$ex/campaign_create_invalid.json"'
t opt_space_max_errors 1 '5 more errors and 1 warning not shown' \
    '"$campval" check --max-errors 1 "$ex/campaign_create_invalid.json"'
t opt_eq_max_size 2 'the limit (--max-size) is 10 bytes' \
    '"$campval" check --max-size=10 "$ex/campaign_create.json"'
t opt_eq_dialect 0 'valid' \
    'echo "{\"type\":\"object\"}" > r.json; echo "{}" | "$campval" check --dialect=draft7 --rules=r.json -'
t opt_eq_loop 0 'loop=3' '"$campval" check --benchmark --loop=3 "$ex/campaign_create.json"'
t opt_eq_registry 2 '--registry x=nowhere' '"$campval" check --registry=x=nowhere "$ex/campaign_create.json"'
t opt_eq_bad_format 2 "unknown format 'xml'" '"$campval" check --format=xml "$ex/campaign_create.json"'
t opt_eq_empty_value 2 '--max-errors takes a number' '"$campval" check --max-errors= "$ex/campaign_create.json"'
t opt_missing_value 2 "option '--format' needs a value" '"$campval" check --format'
t bad_color 2 '--color takes auto, always or never' '"$campval" check --color=sometimes -'

# ---- colour --------------------------------------------------------------------------------------
absent=$esc
t color_never 1 'error:' '"$campval" check --color never "$ex/campaign_create_invalid.json"'
t color_always 1 "${esc}[" '"$campval" check --color=always "$ex/campaign_create_invalid.json"'
absent=$esc
t color_auto_pipe 0 'error:' '"$campval" check --color auto "$ex/campaign_create_invalid.json" | cat'
absent=$esc
t color_always_json 1 '"valid":false' \
    '"$campval" check --color always --format json "$ex/campaign_create_invalid.json"'
absent=$esc
t color_always_github 1 '::error' \
    '"$campval" check --color always --format github "$ex/campaign_create_invalid.json"'
if command -v script >/dev/null 2>&1; then
    absent=$esc
    t color_auto_no_color 1 'error:' \
        'NO_COLOR=1 script -qec "\"$campval\" check \"$ex/campaign_create_invalid.json\"" /dev/null'
    absent=$esc
    t color_auto_dumb 1 'error:' \
        'TERM=dumb script -qec "\"$campval\" check \"$ex/campaign_create_invalid.json\"" /dev/null'
    t color_auto_tty 1 "${esc}[" \
        'TERM=xterm script -qec "\"$campval\" check \"$ex/campaign_create_invalid.json\"" /dev/null'
fi

# ---- directories and NDJSON ----------------------------------------------------------------------
mkdir -p tree/a/deep tree/b tree/.hidden
cp "$ex/campaign_create.json" tree/ok.json
cp "$ex/campaign_create_invalid.json" tree/a/deep/bad.json
printf 'not json at all\n' > tree/notes.txt
printf '{"x":' > tree/b/README
cp "$ex/campaign_create.json" tree/b/z.json
{ sed -n 1p "$ex/campaigns.ndjson"; echo; printf '   \t\n'; sed -n 1p "$ex/campaigns.ndjson"; printf '\r\n'; } > tree/b/blank.jsonl
cp tree/b/blank.jsonl tree/b/copy.ndjson
mkfifo tree/fifo.json
ln -s .. tree/a/loop
ln -s ../ok.json tree/b/link.json
walk=$("$campval" check tree 2>&1)
st=$?
expect="tree/a/deep/bad.json:"
if [ "$st" -eq 1 ] &&
    [ "$(printf '%s\n' "$walk" | grep -E '^tree/' | sed 's/:.*//' | uniq | tr '\n' ' ')" = \
      "tree/a/deep/bad.json tree/b/blank.jsonl tree/b/copy.ndjson tree/b/link.json tree/b/z.json tree/ok.json " ] &&
    ! printf '%s' "$walk" | grep -qE 'notes.txt|README|fifo|loop'; then
    passed=$((passed + 1))
else
    failed=$((failed + 1))
    echo "FAIL walk_order (exit $st)"
    printf '%s\n' "$walk" | head -20
fi
t walk_blank_lines 0 'tree/b/blank.jsonl:4: valid' '"$campval" check tree/b/blank.jsonl'
absent=':2:'
t walk_blank_lines_skipped 0 'tree/b/blank.jsonl:1: valid' '"$campval" check tree/b/blank.jsonl'
t ndjson_flag_blank 0 '<stdin>:4: valid' '"$campval" check --ndjson - < tree/b/blank.jsonl'
t walk_extension 1 'notes.txt' '"$campval" check --extension=.txt tree'
absent='z.json'
t walk_extension_only_txt 1 'notes.txt' '"$campval" check --extension txt tree'
t walk_explicit_any_name 1 'README' '"$campval" check tree/b/README'
t walk_empty_dir 0 'no files with the extensions' 'mkdir -p empty; "$campval" check empty'
t walk_max_size 2 'the limit (--max-size) is 100 bytes' '"$campval" check --max-size=100 tree/a'
t walk_junit_lines 0 'name="tree/b/blank.jsonl:4"' '"$campval" check --format junit tree/b'

# ---- CI formats: valid, invalid, malformed --------------------------------------------------------
for f in campaign_create campaign_create_invalid campaign_create_malformed; do
    want=1
    [ $f = campaign_create ] && want=0
    "$campval" check --format sarif "$ex/$f.json" > $f.sarif
    st=$?
    ok "sarif_status_$f" "[ $st -eq $want ]"
    ok "sarif_json_$f" "python3 -m json.tool $f.sarif >/dev/null"
    "$campval" check --format junit "$ex/$f.json" > $f.xml
    st=$?
    ok "junit_status_$f" "[ $st -eq $want ]"
    ok "junit_wellformed_$f" "python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' $f.xml"
    "$campval" check --format github "$ex/$f.json" > $f.gh
    st=$?
    ok "github_status_$f" "[ $st -eq $want ]"
done
ok github_valid_no_errors '! grep -q "^::error" campaign_create.gh'
# ...and it is not empty: the valid example's findings are warnings (calling hours on 2026-12-07)
t github_valid_warnings 0 '::warning file=' '"$campval" check --at 2026-12-07 --format github "$ex/campaign_create.json"'
t github_invalid 1 '::error file=' 'cat campaign_create_invalid.gh; exit 1'
t github_malformed 1 'line=9,col=6,title=JSON_TRAILING_COMMA::trailing comma' 'cat campaign_create_malformed.gh; exit 1'
t github_pointer 1 ' at /launch' 'cat campaign_create_invalid.gh; exit 1'
t sarif_rules 0 '"id":"JSON_TRAILING_COMMA","shortDescription":{"text":"trailing comma"}' 'cat campaign_create_malformed.sarif'
t sarif_region 0 '"region":{"startLine":9,"startColumn":6' 'cat campaign_create_malformed.sarif'
t sarif_pointer 0 '"jsonPointer":"/launch"' 'cat campaign_create_invalid.sarif'
t junit_failure 0 '<failure type="JSON_TRAILING_COMMA"' 'cat campaign_create_malformed.xml'
ok junit_valid '! grep -q "<failure" campaign_create.xml'
ok junit_valid_testcase 'grep -q "<testcase[^>]*campaign_create.json" campaign_create.xml'
t junit_unreadable 2 '<error message="document is too large (--max-size)"/>' \
    '"$campval" check --format junit --max-size 100 "$ex/campaign_create.json"'
t github_unreadable 2 '::error file=' \
    '"$campval" check --format github --max-size 100 "$ex/campaign_create.json"'

# Escaping: a file name and messages with '%', ',', ':', '&', '<', a newline and bad UTF-8.
odd=$(printf 'we%%ird,na:me&<x>\n\377.json')
printf '{"launch": 1}' > "$odd"
printf '{"type":"object","properties":{"a%%b\\nc":{"type":"string"}}}' > esc-rules.json
printf '{"a%%b\\nc": 5}' > esc.json
t github_escape_message 1 "::expected string, found number 5 at /a%25b%0Ac" \
    '"$campval" check --format github --rules esc-rules.json esc.json'
t github_escape_file 1 '::error file=we%25ird%2Cna%3Ame&<x>%0A' \
    '"$campval" check --format github -- we*'
t sarif_uri_encoded 1 '"uri":"we%25ird%2Cna%3Ame%26%3Cx%3E%0A%FF.json"' \
    '"$campval" check --format sarif -- we*'
"$campval" check --format junit -- we* esc.json > odd.xml
ok junit_escape_wellformed "python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' odd.xml"
"$campval" check --format sarif -- we* esc.json > odd.sarif
ok sarif_escape_json "python3 -m json.tool odd.sarif >/dev/null"
"$campval" check --format sarif "$ex" > all.sarif
ok sarif_ndjson_lines "grep -q '\"uri\":\"[^\"]*campaigns.ndjson\"},\"region\":{\"startLine\":3' all.sarif"
ok quiet_ci 'out=$("$campval" check --quiet --format sarif "$ex" 2>&1); [ -z "$out" ]'

# ---- contacts per region in the summary (--regions; needs libphonenumber) ----------------------
if "$campval" check --regions US --syntax-only "$ex/campaign_create.json" >/dev/null 2>&1; then
    t regions_text_summary 0 '; contacts by region: DE 1, FR 1, US 1' \
        "\"\$campval\" check --at 2026-12-07 --regions US,FR,DE --summary \"\$ex/campaign_create.json\""
    t regions_json_summary 0 '"contactsByRegion":{"DE":1,"FR":1,"US":1}' \
        "\"\$campval\" check --at 2026-12-07 --regions US,FR,DE --summary --format json \"\$ex/campaign_create.json\""
else
    echo "SKIP regions_text_summary, regions_json_summary: no libphonenumber in this build"
fi

# ---- severity (issue #15): warnings, --fail-on, --no-warnings, --summary -------------------------
# Own rules (tests/data/severity/): "contacts" must not be empty, as a warning only.
sv=$root/tests/data/severity
export sv
R='--rules "$sv/rules.json"'
t sev_warning_only_exit0 0 'warning.json: valid, 1 warning' \
    "\"\$campval\" check $R \"\$sv/warning.json\""
t sev_warning_line 0 'warning.json:1:24: warning: must have at least 1 item, found 0 [minItems] at /contacts' \
    "\"\$campval\" check $R \"\$sv/warning.json\""
t sev_error_and_warning 1 'error.json:1:13: warning: must have at least 1 item' \
    "\"\$campval\" check $R \"\$sv/error.json\""
t sev_error_line 1 'error.json:1:1: error: missing required member "name"' \
    "\"\$campval\" check $R \"\$sv/error.json\""
t sev_fail_on_warning 1 'warning.json: valid, 1 warning' \
    "\"\$campval\" check $R --fail-on warning \"\$sv/warning.json\""
t sev_fail_on_warning_eq 1 'valid, 1 warning' \
    "\"\$campval\" check $R --fail-on=warning \"\$sv/warning.json\""
t sev_fail_on_warning_clean 0 'clean.json: valid' \
    "\"\$campval\" check $R --fail-on warning \"\$sv/clean.json\""
t sev_fail_on_error 0 'valid, 1 warning' \
    "\"\$campval\" check $R --fail-on error \"\$sv/warning.json\""
t sev_fail_on_bogus 2 '--fail-on takes error or warning' \
    "\"\$campval\" check $R --fail-on bogus \"\$sv/warning.json\""
t sev_fail_on_missing 2 "option '--fail-on' needs a value" '"$campval" check --fail-on'
absent='warning:'
t sev_no_warnings 0 'warning.json: valid' \
    "\"\$campval\" check $R --no-warnings \"\$sv/warning.json\""
absent='warning:'
t sev_no_warnings_fail_on 0 'warning.json: valid' \
    "\"\$campval\" check $R --no-warnings --fail-on warning \"\$sv/warning.json\""
absent='warning:'
t sev_no_warnings_error 1 'error.json:1:1: error: missing required member' \
    "\"\$campval\" check $R --no-warnings \"\$sv/error.json\""
t sev_json_severity 1 '"code":"MIN_ITEMS","severity":"warning"' \
    "\"\$campval\" check $R --format json \"\$sv/error.json\""
absent='summary'
t sev_single_no_summary 0 'valid, 1 warning' "\"\$campval\" check $R \"\$sv/warning.json\""
# a batch ends with the summary line
t sev_batch_summary 1 'summary: 3 checked, 2 valid (1 with warnings), 1 invalid; REQUIRED 1, MIN_ITEMS 2 (warning)' \
    "\"\$campval\" check $R \"\$sv/warning.json\" \"\$sv/error.json\" \"\$sv/clean.json\""
absent='warning.json'
t sev_summary_only 1 'summary: 3 checked, 2 valid (1 with warnings), 1 invalid; REQUIRED 1, MIN_ITEMS 2 (warning)' \
    "\"\$campval\" check $R --summary \"\$sv/warning.json\" \"\$sv/error.json\" \"\$sv/clean.json\""
out=$("$campval" check --rules "$sv/rules.json" --summary "$sv/warning.json" "$sv/error.json" 2>&1)
ok sev_summary_only_one_line "[ \"\$(printf '%s\n' '$out' | wc -l)\" -eq 1 ]"
t sev_summary_single 0 'summary: 1 checked, 1 valid (1 with warnings), 0 invalid; MIN_ITEMS 1 (warning)' \
    "\"\$campval\" check $R --summary \"\$sv/warning.json\""
t sev_summary_no_warnings 1 'summary: 2 checked, 1 valid (0 with warnings), 1 invalid; REQUIRED 1' \
    "\"\$campval\" check $R --summary --no-warnings \"\$sv/warning.json\" \"\$sv/error.json\""
t sev_summary_unread 2 'summary: 1 checked, 1 valid (1 with warnings), 0 invalid, 1 not read; MIN_ITEMS 1 (warning)' \
    "\"\$campval\" check $R --summary \"\$sv/warning.json\" no-such-file.json"
cat "$sv/warning.json" "$sv/error.json" "$sv/clean.json" > sev.ndjson
t sev_ndjson_summary 1 'summary: 3 checked, 2 valid (1 with warnings), 1 invalid; REQUIRED 1, MIN_ITEMS 2 (warning)' \
    "\"\$campval\" check $R --ndjson - < sev.ndjson"
t sev_ndjson_line_valid 1 '<stdin>:1: valid, 1 warning' "\"\$campval\" check $R --ndjson - < sev.ndjson"
t sev_ndjson_warning_line 1 '<stdin>:2:13: warning: must have at least 1 item' \
    "\"\$campval\" check $R --ndjson - < sev.ndjson"
t sev_ndjson_one_line_summary 0 'summary: 1 checked, 1 valid (0 with warnings), 0 invalid' \
    "\"\$campval\" check $R --ndjson \"\$sv/clean.json\""
absent='<stdin>'
t sev_ndjson_summary_only 1 'summary: 3 checked' "\"\$campval\" check $R --ndjson --summary - < sev.ndjson"
t sev_json_summary 1 '{"summary":{"checked":3,"valid":2,"validWithWarnings":1,"invalid":1,"unread":0,"errorCount":1,"warningCount":2,"dropped":0,"codes":[{"code":"REQUIRED","severity":"error","count":1},{"code":"MIN_ITEMS","severity":"warning","count":2}]}}' \
    "\"\$campval\" check $R --ndjson --format json - < sev.ndjson"
"$campval" check --rules "$sv/rules.json" --ndjson --format json - < sev.ndjson > sev-json.out
ok sev_json_lines_parse "python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' sev-json.out"
ok sev_json_summary_last "tail -n 1 sev-json.out | grep -q '^{\"summary\":'"
t sev_problem_summary 1 '{"summary":{"checked":2' \
    "\"\$campval\" check $R --format problem \"\$sv/warning.json\" \"\$sv/error.json\""
t sev_problem_ok_warnings 0 '"status":200,"warnings":[{"pointer":"/contacts"' \
    "\"\$campval\" check $R --format problem \"\$sv/warning.json\""
t sev_summary_max_errors 1 '; 1 more not recorded (--max-errors)' \
    "\"\$campval\" check $R --max-errors 1 --summary \"\$sv/error.json\" \"\$sv/clean.json\""
t sev_summary_ci 2 '--summary works with the text, json and problem formats' \
    "\"\$campval\" check $R --summary --format sarif \"\$sv/warning.json\""
ok sev_quiet_no_summary 'out=$("$campval" check --rules "$sv/rules.json" --quiet "$sv/warning.json" "$sv/error.json" 2>&1); [ $? -eq 1 ] && [ -z "$out" ]'
t sev_benchmark_unchanged 0 'valid=true code=MIN_ITEMS' \
    "\"\$campval\" check $R --benchmark --loop 2 \"\$sv/warning.json\""
# colours: warnings magenta, errors red, under --color always; none when piped
t sev_color_warning 1 "${esc}[1;35mwarning:${esc}[0m" \
    "\"\$campval\" check $R --color always \"\$sv/error.json\""
t sev_color_error 1 "${esc}[1;31merror:${esc}[0m" \
    "\"\$campval\" check $R --color always \"\$sv/error.json\""
t sev_color_valid_warnings 0 "${esc}[1;32mvalid${esc}[0m, ${esc}[1;35m1 warning${esc}[0m" \
    "\"\$campval\" check $R --color always \"\$sv/warning.json\""
absent=$esc
t sev_color_never 0 'warning.json:1:24: warning:' \
    "\"\$campval\" check $R --color never \"\$sv/warning.json\""
# CI formats: the finding's severity, and warnings never fail a JUnit testcase by default
t sev_github_warning 1 '::warning file=' "\"\$campval\" check $R --format github \"\$sv/error.json\""
t sev_github_error 1 '::error file=' "\"\$campval\" check $R --format github \"\$sv/error.json\""
absent='::error'
t sev_github_warning_only 0 ',title=MIN_ITEMS::must have at least 1 item' \
    "\"\$campval\" check $R --format github \"\$sv/warning.json\""
"$campval" check --rules "$sv/rules.json" --format sarif "$sv/warning.json" "$sv/error.json" > sev.sarif
ok sev_sarif_status "[ $? -eq 1 ]"
t sev_sarif_warning 0 '"ruleId":"MIN_ITEMS","level":"warning"' 'cat sev.sarif'
t sev_sarif_error 0 '"ruleId":"REQUIRED","level":"error"' 'cat sev.sarif'
"$campval" check --rules "$sv/rules.json" --format junit "$sv/warning.json" "$sv/error.json" > sev.xml
ok sev_junit_status "[ $? -eq 1 ]"
ok sev_junit_wellformed "python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' sev.xml"
ok sev_junit_warning_passes "python3 - sev.xml <<'PY'
import sys, xml.etree.ElementTree as ET
cases = {c.get('name').rsplit('/', 1)[-1]: c for c in ET.parse(sys.argv[1]).iter('testcase')}
w, e = cases['warning.json'], cases['error.json']
assert w.find('failure') is None, 'a warning failed the testcase'
assert 'warning: must have at least 1 item' in w.find('system-out').text
assert e.find('failure').get('type') == 'REQUIRED'
assert e.find('failure').get('message') == '1 error, 1 warning'
assert 'warning:' not in e.find('failure').text
assert 'warning: must have at least 1 item' in e.find('system-out').text
PY"
t sev_junit_fail_on_warning 1 '<failure type="MIN_ITEMS" message="0 errors, 1 warning">' \
    "\"\$campval\" check $R --format junit --fail-on warning \"\$sv/warning.json\""
t sev_junit_suite_count 0 '<system-out>1 inputs checked, 0 failed</system-out>' \
    "\"\$campval\" check $R --format junit \"\$sv/warning.json\""

# ---- SARIF 2.1.0 schema ------------------------------------------------------------------------
# The schema (MIT, from @microsoft/jest-sarif) is draft-04 with one ECMA-262 pattern that has a
# lone ']' (legal only outside Unicode mode); campval rejects it as ambiguous, so that one
# character is escaped here, which matches the same strings.
schema=$root/tests/data/sarif/sarif-2.1.0-rtm.5.json
sed 's/\]?\$/\\\\]?$/' "$schema" > sarif-schema.json
for s in campaign_create campaign_create_invalid campaign_create_malformed odd all sev; do
    t "sarif_schema_campval_$s" 0 'valid' \
        "\"\$campval\" check --rules sarif-schema.json --dialect draft7 $s.sarif"
done
nm=${CAMPVAL_NODE_MODULES:-$root/bench/node_modules}
if command -v node >/dev/null 2>&1 && [ -d "$nm/ajv" ] && [ -d "$nm/ajv-formats" ]; then
    cat > ajv-sarif.js <<'JS'
// Validates SARIF files against the draft-04 SARIF schema with ajv (draft-07 mode: the
// schema uses no keyword whose meaning changed; "id" becomes "$id").
const [nm, schemaPath, ...files] = process.argv.slice(2);
const Ajv = require(nm + "/ajv");
const addFormats = require(nm + "/ajv-formats");
const fs = require("fs");
const schema = JSON.parse(fs.readFileSync(schemaPath, "utf8"));
delete schema.$schema;
schema.$id = schema.id;
delete schema.id;
const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(schema);
let bad = 0;
for (const f of files) {
  if (!validate(JSON.parse(fs.readFileSync(f, "utf8")))) {
    bad++;
    console.log(f, JSON.stringify(validate.errors.slice(0, 3)));
  }
}
process.exit(bad ? 1 : 0);
JS
    ok sarif_schema_ajv "node ajv-sarif.js '$nm' '$schema' campaign_create.sarif campaign_create_invalid.sarif campaign_create_malformed.sarif odd.sarif all.sarif sev.sarif"
    printf '{"version":"2.1.0","runs":[{"results":[{"level":"bogus","message":{"text":"x"}}],"tool":{"driver":{"name":"x"}}}]}' > broken.sarif
    ok sarif_schema_ajv_rejects "! node ajv-sarif.js '$nm' '$schema' broken.sarif"
else
    skipped=$((skipped + 1))
    echo "SKIP sarif_schema_ajv (needs node with ajv and ajv-formats in $nm: npm ci --prefix bench)"
fi

# ---- --benchmark: figures and their spread (issue #19) -------------------------------------------
# Only that the fields are there and are numbers: timings are never asserted.
cat > fields.awk <<'AWK'
# want="k1 k2 ...": every line has each k=NUMBER; at least one line
{
    split("", v)
    for (i = 1; i <= NF; i++) { e = index($i, "="); if (e) v[substr($i, 1, e - 1)] = substr($i, e + 1) }
    n = split(want, w, " ")
    for (j = 1; j <= n; j++)
        if (!(w[j] in v) || v[w[j]] !~ /^[0-9]+(\.[0-9]+)?$/) { print "line " NR ": no number for " w[j] ": " $0; bad = 1 }
    if (order && !(v["min_us"] + 0 <= v["mean_us"] + 0 && v["mean_us"] + 0 <= v["max_us"] + 0)) { print "min <= mean <= max: " $0; bad = 1 }
}
END { exit bad || NR == 0 }
AWK
spread='mean_us min_us max_us stddev_us rsd_pct'
docf="bytes tokens work budget loop us_per_validation MB/s $spread"
streamf="lines bytes invalid_lines first_invalid_line loop us_per_run us_per_line MB/s $spread"
export spread docf streamf
echo '{"type":"object","required":["a"],"properties":{"a":{"type":"integer"}}}' > bench-rules.json
printf '{"a":1}\n  \n{"b":2}\n{"a":3}\r\n' > bench.ndjson
printf '{"a":1}\n{"a":2}' > bench-ok.jsonl
B='--rules bench-rules.json --benchmark --loop 4'
ok bench_header "\"\$campval\" check $B bench-ok.jsonl | head -n 1 | awk -v want='compile_us schema_bytes clock_us' -f fields.awk"
ok bench_doc_fields "\"\$campval\" check --benchmark --loop 5 \"\$ex/campaign_create.json\" | tail -n 1 |
    awk -v want=\"\$docf\" -v order=1 -f fields.awk"
ok bench_doc_mean_is_us_per_validation "\"\$campval\" check --benchmark --loop 5 \"\$ex/campaign_create.json\" | tail -n 1 |
    awk '{ for (i = 1; i <= NF; i++) { split(\$i, kv, \"=\"); v[kv[1]] = kv[2] } } END { exit !(v[\"us_per_validation\"] == v[\"mean_us\"]) }'"
t bench_doc_one_run 0 'loop=1 ' "\"\$campval\" check --benchmark --loop 1 \"\$ex/campaign_create.json\""
"$campval" check $B bench.ndjson > bench.out 2>&1
echo "exit $?" >> bench.out
ok bench_ndjson_exit "tail -n 1 bench.out | grep -qx 'exit 1'"
ok bench_ndjson_lines "[ \"\$(grep -o '^bench.ndjson:[0-9]*:' bench.out | tr '\n' ' ')\" = 'bench.ndjson:1: bench.ndjson:3: bench.ndjson:4: ' ]"
ok bench_ndjson_line_fields "grep '^bench.ndjson:[0-9]*:' bench.out | awk -v want=\"\$docf\" -v order=1 -f fields.awk"
ok bench_ndjson_line_verdicts "grep -q '^bench.ndjson:3: .* valid=false code=REQUIRED ' bench.out &&
    grep -q '^bench.ndjson:4: bytes=7 .* valid=true ' bench.out"
ok bench_ndjson_stream_last "tail -n 2 bench.out | head -n 1 | grep -q '^bench.ndjson: lines=3 bytes=28 valid=false invalid_lines=1 first_invalid_line=3 loop=4 '"
ok bench_ndjson_stream_fields "grep '^bench.ndjson: ' bench.out | awk -v want=\"\$streamf\" -v order=1 -f fields.awk"
ok bench_ndjson_no_findings "! grep -qE 'summary:|error:' bench.out"
t bench_jsonl_by_extension 0 'bench-ok.jsonl: lines=2 bytes=15 valid=true invalid_lines=0 first_invalid_line=0 loop=4 ' \
    "\"\$campval\" check $B bench-ok.jsonl"
t bench_ndjson_stdin 0 '<stdin>: lines=2 ' "\"\$campval\" check $B --ndjson - < bench-ok.jsonl"
t bench_ndjson_stdin_line 0 '<stdin>:2: bytes=7 ' "\"\$campval\" check $B --ndjson - < bench-ok.jsonl"
t bench_ndjson_empty 0 'empty.ndjson: lines=0 bytes=0 valid=true' ": > empty.ndjson; \"\$campval\" check $B empty.ndjson"
# the stream is read whole: --max-size bounds the file, not each line
t bench_ndjson_max_size 2 'the limit (--max-size) is 10 bytes' "\"\$campval\" check $B --max-size 10 bench-ok.jsonl"

# ---- man page and bash completion ----------------------------------------------------------------
if command -v groff >/dev/null 2>&1; then
    ok man_page_lint "[ -z \"\$(groff -man -ww -z '$root/man/campval.1' 2>&1)\" ]"
else
    skipped=$((skipped + 1))
    echo "SKIP man_page_lint (needs groff)"
fi
if command -v bash >/dev/null 2>&1; then
    cat > comp.bash <<'SH'
shopt -s extglob
. "$1/completions/campval"
PATH=$(dirname "$2"):$PATH
c() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _campval; echo "${COMPREPLY[*]}"; }
c campval "" | grep -q 'check rules' &&
c campval check --format=s | grep -qx -- '--format=sarif' &&
c campval check --color "" | grep -qx 'auto always never' &&
c campval check --dialect d | grep -qx 'draft7' &&
c campval check --rules campaign_cr | grep -q 'campaign_create_strict' &&
c campval check --suppress-as w | grep -qx 'warning' &&
c campval check --supp | grep -q -- '--suppress-as'
SH
    ok bash_completion "bash comp.bash '$root' '$campval'"
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
