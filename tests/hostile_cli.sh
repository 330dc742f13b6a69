#!/bin/sh
# Hostile inputs to the command line (issue #13): every one must end in a clear error with the
# documented exit status, never a crash, a hang, unbounded memory or a silent pass.
# usage: hostile_cli.sh CAMPVAL
set -u
here=$(cd "$(dirname "$0")" && pwd)
campval=$1
passed=0
failed=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/campval-hostile.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 2

. "$here/cli_lib.sh"
export campval
absent=

# ---- bounded reads -----------------------------------------------------------------------------
head -c 2000 /dev/zero | tr '\0' ' ' > big.json
echo '[]' >> big.json                              # 2,003 bytes of valid JSON
head -c 1022 /dev/zero | tr '\0' ' ' > exact.json
printf '{}' >> exact.json                          # exactly 1,024 bytes
truncate -s 65M sparse.json                        # over the 64 MiB default, never read
t over_max_file 2 'big.json: document is too large: the limit (--max-size) is 1024 bytes [LIMIT_INPUT]' \
    '"$campval" check --syntax-only --max-size 1K big.json'
t at_max_file 0 'exact.json: valid' '"$campval" check --syntax-only --max-size 1K exact.json'
t over_default_max 2 '67108864 bytes [LIMIT_INPUT]' '"$campval" check --syntax-only sparse.json'
t over_max_stdin_pipe 2 '[LIMIT_INPUT]' 'cat big.json | "$campval" check --syntax-only --max-size 1K -'
t over_max_stdin_file 2 '[LIMIT_INPUT]' '"$campval" check --syntax-only --max-size 1K < big.json'
t stdin_dev_zero 2 '1048576 bytes [LIMIT_INPUT]' '"$campval" check --max-size 1M - < /dev/zero'
t max_size_zero 2 '--max-size takes' '"$campval" check --max-size 0 exact.json'
t max_size_junk 2 '--max-size takes' '"$campval" check --max-size 1x exact.json'
t max_size_too_big 2 '--max-size takes' '"$campval" check --max-size 3G exact.json'

# ---- only regular files --------------------------------------------------------------------------
mkfifo fifo
mkdir dir
t input_dev_zero 2 '/dev/zero: is a character device' '"$campval" check /dev/zero'
t input_fifo 2 'fifo: is a FIFO' '"$campval" check fifo'
t input_directory 0 'dir: no files with the extensions' '"$campval" check dir'
t input_dev_stdin_pipe 2 'is a FIFO' 'echo "{}" | "$campval" check --syntax-only /dev/stdin'
t rules_dev_zero 2 '/dev/zero: is a character device' '"$campval" check --rules /dev/zero exact.json'
t rules_fifo 2 'fifo: is a FIFO' '"$campval" check --rules fifo exact.json'
t rules_too_large 2 '[LIMIT_INPUT]' '"$campval" check --max-size 1K --rules big.json exact.json'
# campaign settings: dates only as YYYY-MM-DD in digits, regions only as two capitals
for at in 2026-+1-01 '2026-01- 1' 2026-02-29 1969-12-31 2026-12-07x ''; do
    t "at_$at" 2 '--at takes a date' "\"\$campval\" check --at '$at' exact.json"
done
for r in us 'US,,CA' 'US,' USA ''; do
    t "regions_$r" 2 '--regions' "\"\$campval\" check --regions '$r' exact.json"
done
# the do-not-call list too: a FIFO would block (and one that never ends would grow the set)
t suppress_fifo 2 'fifo: not a regular file' '"$campval" check --suppress fifo exact.json'
t suppress_dev_zero 2 '/dev/zero: not a regular file' '"$campval" check --suppress /dev/zero exact.json'
t suppress_directory 2 'dir: not a regular file' '"$campval" check --suppress dir exact.json'

# ---- NDJSON --------------------------------------------------------------------------------------
{ echo '{"a":1}'; head -c 1025 /dev/zero | tr '\0' '1'; echo; echo garbage; } > long.ndjson
{ head -c 1024 /dev/zero | tr '\0' '1'; echo; echo '[1]'; } > exact.ndjson
{ echo '{}'; printf 'garbage'; } > tail.ndjson
absent=garbage
t ndjson_overlong_line 2 'long.ndjson:2: line is too large: the limit (--max-size) is 1024 bytes; stopped reading [LIMIT_INPUT]' \
    '"$campval" check --syntax-only --ndjson --max-size 1K long.ndjson'
t ndjson_overlong_stdin 2 '<stdin>:2: line is too large' \
    'cat long.ndjson | "$campval" check --syntax-only --ndjson --max-size 1K'
t ndjson_exact_line 0 'exact.ndjson:2: valid' \
    '"$campval" check --syntax-only --ndjson --max-size 1K exact.ndjson'
t ndjson_last_line_checked 1 'tail.ndjson:2:1: error' '"$campval" check --syntax-only --ndjson tail.ndjson'
# A line whose workspace cannot be allocated (address space capped at 400 MB; the line needs
# about 500 MB): named by its line, counted as not read, exit 2; the lines after it are checked.
# Only where campval starts under that cap at all: a sanitizer's shadow memory needs more address
# space (and clang links ASan statically, so ldd cannot tell).
# (The probe runs in its own sh, whose report of an aborted child goes to /dev/null too; the
# command after it keeps that sh from handing its process to campval.)
if sh -c 'ulimit -v 400000; "$0" --version; r=$?; exit $r' "$campval" >/dev/null 2>&1; then
    { echo '{"a":1}'; printf '['; head -c 30000000 /dev/zero | tr '\0' ' '; echo '1]'; echo '{}'; } > huge.ndjson
    t ndjson_out_of_memory 2 'huge.ndjson:2: out of memory' \
        '(ulimit -v 400000; "$campval" check --syntax-only --summary huge.ndjson)'
    t ndjson_out_of_memory_summary 2 '2 checked, 2 valid (0 with warnings), 0 invalid, 1 not read' \
        '(ulimit -v 400000; "$campval" check --syntax-only --summary huge.ndjson)'
else
    echo "SKIP ndjson_out_of_memory, ndjson_out_of_memory_summary: campval does not start under ulimit -v 400000 (a sanitizer build)"
fi
t ndjson_dev_zero 2 '<stdin>:1: line is too large' \
    '"$campval" check --syntax-only --ndjson --max-size 1M < /dev/zero'
t ndjson_read_error 2 '<stdin>:1: read error: Is a directory' '"$campval" check --ndjson - < dir'
t ndjson_fifo 2 'fifo: is a FIFO' '"$campval" check --ndjson fifo'

# ---- references stay in the rules folder and the registry ---------------------------------------
mkdir -p rules/sub reg other
ref() { printf '{"$ref": "%s"}' "$2" > "rules/$1.json"; }
ref passwd file:///etc/passwd
ref dotdot ../../../../../../../../etc/passwd
ref environ file:///proc/self/environ
ref zero file:///dev/zero
ref abs /etc/passwd
ref host file://etc/passwd
ref symlink link.json
ln -s /etc/passwd rules/link.json
ref symlinkdir linked/s.json
echo '{"type":"string"}' > other/s.json
ln -s "$tmp/other" rules/linked
ref fiforef f.json
mkfifo rules/f.json
ref inside sub/int.json
echo '{"type":"integer"}' > rules/sub/int.json
ref mapped https://example.com/s/int.json
echo '{"type":"integer"}' > reg/int.json
printf '{"$ref": "file:///etc/passwd"}' > reg/evil.json
printf '{"allOf": [{"$ref": "sub/pad1.json"}, {"$ref": "sub/pad2.json"}]}' > rules/budget.json
printf '{"type": "integer",%400s"minimum": 0}' '' > rules/sub/pad1.json
printf '{"type": "integer",%400s"maximum": 9}' '' > rules/sub/pad2.json
echo 1 > one.json
for r in passwd dotdot environ zero abs host symlink symlinkdir; do
    absent='valid'
    t "ref_$r" 2 '[RULES_REF_FORBIDDEN]' "\"\$campval\" check --rules rules/$r.json one.json"
done
t ref_passwd_message 2 'rules/passwd.json:1:10: "file:///etc/passwd" resolves to file:///etc/passwd, outside the allowed places' \
    '"$campval" check --rules rules/passwd.json one.json'
t ref_fifo_inside 2 'f.json: is a FIFO' '"$campval" check --rules rules/fiforef.json one.json'
t ref_inside 0 'one.json: valid' '"$campval" check --rules rules/inside.json one.json'
t ref_inside_checks 1 'expected integer' 'echo "\"x\"" | "$campval" check --rules rules/inside.json'
t ref_unmapped 2 '[RULES_BAD_REF]' '"$campval" check --rules rules/mapped.json one.json'
t registry 0 'one.json: valid' \
    '"$campval" check --rules rules/mapped.json --registry https://example.com/s/=reg one.json'
t registry_checks 1 'expected integer' \
    'echo "\"x\"" | "$campval" check --rules rules/mapped.json --registry https://example.com/s/=reg'
t registry_uri_rules 0 'one.json: valid' \
    '"$campval" check --rules https://example.com/s/int.json --registry https://example.com/s/=reg one.json'
absent=valid
t registry_uri_rules_no_folder 2 '[RULES_REF_FORBIDDEN]' \
    '"$campval" check --rules https://example.com/s/evil.json --registry https://example.com/s/=reg one.json'
t registry_missing_dir 2 '--registry x=nowhere: No such file or directory' \
    '"$campval" check --registry x=nowhere one.json'
t ref_budget_ok 0 'one.json: valid' '"$campval" check --max-size 1K --rules rules/budget.json one.json'
t ref_budget 2 'referenced rules documents together exceed --max-size (600 bytes) [LIMIT_INPUT]' \
    '"$campval" check --max-size 600 --rules rules/budget.json one.json'

# ---- FILE#pointer and URIs cannot add rules -----------------------------------------------------
echo '{"properties": {"c": {"type": "integer"}, "q\"x": {"type": "integer"}}}' > obj.json
echo '5' > five.json
absent='valid'
t pointer_injection 2 '[RULES_BAD_REF]' \
    "\"\$campval\" check --rules 'obj.json#/properties/c\", \"type\": \"string' five.json"
t pointer_injection_string 2 '[RULES_BAD_REF]' \
    "echo '\"s\"' | \"\$campval\" check --rules 'obj.json#/properties/c\", \"type\": \"string'"
t pointer_not_rfc6901 2 'is not a JSON Pointer' '"$campval" check --rules "obj.json#properties" five.json'
t pointer_bad_tilde 2 'is not a JSON Pointer' '"$campval" check --rules "obj.json#/properties/c~2" five.json'
t pointer_quote_resolves 1 'expected integer' \
    "echo '\"s\"' | \"\$campval\" check --rules 'obj.json#/properties/q\"x'"
t pointer_plain 1 'expected integer' "echo '\"s\"' | \"\$campval\" check --rules 'obj.json#/properties/c'"
t uri_injection 2 'a URI may not contain' \
    "\"\$campval\" check --rules 'https://json-schema.org/draft/2020-12/schema\", \"type\": \"string' five.json"
t uri_control_char 2 'a URI may not contain' \
    "\"\$campval\" check --rules \"\$(printf 'https://example.com/a\\tb')\" five.json"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
