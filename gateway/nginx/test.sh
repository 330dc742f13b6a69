#!/usr/bin/env bash
# End-to-end tests of ngx_http_campval_module with Debian's nginx.
#
# Usage: gateway/nginx/test.sh [MODULE.so [CAMPVAL_ROOT]]
#   MODULE.so     default $CAMPVAL_NGINX_MODULE, else CAMPVAL_ROOT/build/gateway/nginx/...so
#   CAMPVAL_ROOT  default $CAMPVAL_ROOT, else the repository this script is in
# Builds nothing. Starts /usr/sbin/nginx (or $NGINX_BIN) with a configuration in a temporary
# directory, listening on 127.0.0.1 only, in front of a small Python upstream that echoes the
# request body back, and checks the answers with curl. Prints one line per check and ends with
# "N passed, N failed"; exits non-zero when a check failed. KEEP_TMP=1 keeps the directory.
set -uo pipefail

. "$(cd "$(dirname "$0")" && pwd)/common.sh"

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok    $*"; }
bad() { failed=$((failed + 1)); echo "FAIL  $*"; }
check() { # check NAME COMMAND...: one line, ok when COMMAND succeeds
    local name=$1
    shift
    if "$@"; then ok "$name"; else bad "$name"; fi
}
finish() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit
}

for f in "$MODULE" "$NGINX_BIN" "$ROOT/examples/campaign_create.json"; do
    if [ ! -e "$f" ]; then
        bad "missing $f"
        finish
    fi
done
MODULE=$(cd "$(dirname "$MODULE")" && pwd)/$(basename "$MODULE")

T=$(mktemp -d /tmp/campval-nginx-test.XXXXXX)
chmod 755 "$T" # nginx workers run as nobody when the master is root
NGINX_PID=""
ECHO_PID=""
cleanup() {
    local pid
    for pid in $NGINX_PID $ECHO_PID; do
        kill -TERM "$pid" 2>/dev/null
    done
    for pid in $NGINX_PID $ECHO_PID; do
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    if [ "${KEEP_TMP:-0}" = 1 ]; then echo "kept $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- fixtures ----------------------------------------------------------------------------------

read -r PORT PORT_H2 ECHO_PORT < <("$PY" -c '
import socket
ss = [socket.socket() for _ in range(3)]
for s in ss: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in ss])')

cat > "$T/echo.py" <<'EOF'
# Upstream: answers POST/PUT/PATCH with the exact request body bytes; logs one line per request.
# The Campval-Warnings request headers it got come back as Echo-Campval-Warnings (joined by ",").
import http.server
import sys

log = open(sys.argv[2], "a", buffering=1)


class Echo(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def answer(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        log.write("%s %s %d\n" % (self.command, self.path, len(body)))
        self.send_response(200)
        warnings = self.headers.get_all("Campval-Warnings")
        if warnings:
            self.send_header("Echo-Campval-Warnings", ",".join(warnings))
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = answer

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer.daemon_threads = True
# 50 concurrent requests: the default listen backlog (5) resets connections on a busy machine
http.server.ThreadingHTTPServer.request_queue_size = 128
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Echo).serve_forever()
EOF

cat > "$T/problem.py" <<'EOF'
# problem.py FILE STATUS [POINTER[=CODE] ...]: FILE is RFC 9457 problem+json with this status
# and exactly these errors, in this order ("-" for an empty pointer).
import json
import sys

doc = json.load(open(sys.argv[1], encoding="utf-8"))
want = [a.split("=", 1) for a in sys.argv[3:]]
got = [(e["pointer"], e["code"]) for e in doc.get("errors", [])]
okay = doc.get("status") == int(sys.argv[2]) and len(got) == len(want) and all(
    g[0] == (w[0] if w[0] != "-" else "") and (len(w) == 1 or g[1] == w[1])
    for g, w in zip(got, want))
if not okay:
    print("   status %s, errors %s" % (doc.get("status"), got), file=sys.stderr)
sys.exit(0 if okay else 1)
EOF

E=$ROOT/examples
GEN=$here/gen-body.py
mkdir -p "$T/bodies" "$T/rules" "$T/out"
"$PY" "$GEN" 10000 "$T/bodies/large.json"
"$PY" "$GEN" 10000 "$T/bodies/large_bad.json" --bad 9990
LARGE_SIZE=$(wc -c < "$T/bodies/large.json")
"$PY" "$GEN" 2 "$T/bodies/small.json" --compact --no-retry
"$PY" "$GEN" 100 "$T/bodies/c100.json" # load.sh's body: more than the header buffer holds
"$PY" "$GEN" 100 "$T/bodies/c100_bad.json" --bad 99
C100_SIZES="$(wc -c < "$T/bodies/c100.json")|$(wc -c < "$T/bodies/c100_bad.json")"
"$PY" - "$T/bodies" <<'EOF'
import sys
d = sys.argv[1]
small = open(d + "/small.json", encoding="utf-8").read()
# the same member twice: the rules would accept either value, strict JSON does not
open(d + "/dup.json", "w").write(small.replace('"launch":false', '"launch":false,"launch":true'))
EOF
: > "$T/bodies/empty.json"
"$PY" -c 'print("[" * 200 + "]" * 200)' > "$T/bodies/deep.json"
"$PY" -c 'print("[" + "0," * 270000 + "0]")' > "$T/bodies/many.json" # over 262,144 tokens
D=$(cd "$ROOT/tests/data/rules" && pwd) # rules and bodies that reach a validation limit on well-formed JSON
SV=$(cd "$ROOT/tests/data/severity" && pwd) # rules with a warning: "contacts" must not be empty
printf '{"x\\ny":1}' > "$T/bodies/ctl_name.json" # member name with an escaped newline
printf '{"to_phone_number":"+14155550123"}' > "$T/bodies/contact.json"
printf '{"to_phone_number":"0044 20"}' > "$T/bodies/contact_bad.json"
cat > "$T/rules/contact.json" <<'EOF'
{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "required": ["to_phone_number"],
  "properties": { "to_phone_number": { "$ref": "phone.json" } }
}
EOF
echo '{ "type": "string", "format": "e164" }' > "$T/rules/phone.json"
printf '{\n  "type": "object",\n  "required": ["a",]\n}\n' > "$T/rules/syntax.json"
# do-not-call lists (campval_suppress) and one-contact bodies on and off them: US number, a
# window inside federal calling hours and no timezone, so the built-in rules find nothing else
# on any day the test runs (calling-hours warnings depend on today's date)
printf '# do-not-call\n+1 415-555-0123\n\n+4915112345678\n' > "$T/dnc.txt"
dnc_fixtures "$T"
printf '{\n  "type": "object",\n  "properties": { "a": { "minLength": -1 } }\n}\n' > "$T/rules/keyword.json"

# 50 different bodies for the concurrency check, every third one bad at its last contact
"$PY" - "$GEN" "$T/bodies" <<'EOF'
import importlib.util
import sys

spec = importlib.util.spec_from_file_location("gen_body", sys.argv[1])
gen = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gen)
for i in range(1, 51):
    gen.write(gen.make_body(i, i - 1 if i % 3 == 0 else -1), "%s/par%d.json" % (sys.argv[2], i),
              compact=True)
EOF

# ---- nginx -------------------------------------------------------------------------------------

conf_head() { # the part every test configuration shares
    cat <<EOF
load_module $MODULE;
pid $T/nginx.pid;
error_log $T/error.log info;
worker_processes 2;
events { worker_connections 512; }
http {
    access_log $T/access.log;
    client_body_temp_path $T/body_temp;
    proxy_temp_path $T/proxy_temp;
    fastcgi_temp_path $T/fastcgi_temp;
    uwsgi_temp_path $T/uwsgi_temp;
    scgi_temp_path $T/scgi_temp;
EOF
}

{
    conf_head
    cat <<EOF
    upstream echo { server 127.0.0.1:$ECHO_PORT; }
    client_max_body_size 4m;

    server {
        listen 127.0.0.1:$PORT;
        listen 127.0.0.1:$PORT_H2 http2;
        add_header X-Request-Id \$request_id always;
        proxy_pass_request_headers on;

        location /campaigns {
            campval_rules campaign_create;
            proxy_pass http://echo;
        }
        location /memory {
            # large bodies stay in memory, in two buffers (the preread part and the rest)
            error_log $T/memory.log debug;
            client_body_buffer_size 4m;
            campval_rules campaign_create;
            proxy_pass http://echo;
        }
        location /spill {
            error_log $T/spill.log debug;
            client_body_buffer_size 1k;
            campval_rules campaign_create;
            proxy_pass http://echo;
        }
        location /infile {
            client_body_in_file_only clean;
            campval_rules campaign_create;
            proxy_pass http://echo;
        }
        location /small-limit {
            client_max_body_size 1k;
            campval_rules campaign_create;
            proxy_pass http://echo;
        }
        location /status400 {
            campval_rules campaign_create;
            campval_status 400;
            proxy_pass http://echo;
        }
        location /first {
            campval_rules campaign_create;
            campval_first_error on;
            proxy_pass http://echo;
        }
        location /max2 {
            campval_rules campaign_create;
            campval_max_errors 2;
            proxy_pass http://echo;
        }
        location /dups {
            campval_rules campaign_create;
            campval_allow_duplicate_keys on;
            proxy_pass http://echo;
        }
        location /outer {
            campval_rules campaign_create;
            proxy_pass http://echo;
            location /outer/off {
                campval off;
                proxy_pass http://echo;
            }
        }
        location /contact {
            campval_rules $T/rules/contact.json;
            proxy_pass http://echo;
        }
        location /backtrack {
            campval_rules $D/backtracking.schema.json;
            proxy_pass http://echo;
        }
        location /backtrack-status400 {
            campval_rules $D/backtracking.schema.json;
            campval_status 400;
            campval_max_errors 1;
            proxy_pass http://echo;
        }
        location /recursion {
            campval_rules $D/recursion.schema.json;
            proxy_pass http://echo;
        }
        location /quiet {
            error_log $T/quiet.log notice;
            campval_rules campaign_create;
            proxy_pass http://echo;
        }
        location /sev {
            campval_rules $SV/rules.json;
            proxy_pass http://echo;
        }
        location /sev-first {
            campval_rules $SV/rules.json;
            campval_first_error on;
            proxy_pass http://echo;
        }
        location /sev-strict {
            campval_rules $SV/rules.json;
            campval_fail_on warning;
            proxy_pass http://echo;
            location /sev-strict/inner {
                proxy_pass http://echo;
            }
            location /sev-strict/lenient {
                campval_fail_on error;
                proxy_pass http://echo;
            }
        }
        location /dnc {
            campval_rules campaign_create;
            campval_suppress $T/dnc.txt;
            proxy_pass http://echo;
            location /dnc/warn {
                campval_suppress_severity warning;       # the list is inherited
                proxy_pass http://echo;
            }
            location /dnc/off {
                campval_suppress off;
                proxy_pass http://echo;
            }
        }
        location /dnc-strict {
            campval_rules campaign_create;
            campval_suppress dnc.txt;                     # relative to nginx.conf: the same list
            campval_suppress_severity warning;
            campval_fail_on warning;
            proxy_pass http://echo;
        }
        location /loud {
            error_log $T/loud.log warn;
            campval_rules campaign_create;
            campval_log_level warn;
            proxy_pass http://echo;
        }
    }
}
EOF
} > "$T/nginx.conf"

"$PY" "$T/echo.py" "$ECHO_PORT" "$T/echo.log" &
ECHO_PID=$!

if "$NGINX_BIN" -t -p "$T" -c "$T/nginx.conf" >"$T/t.out" 2>&1; then
    ok "nginx -t accepts the test configuration (load_module, every directive)"
else
    bad "nginx -t accepts the test configuration"
    sed 's/^/   /' "$T/t.out"
    finish
fi

"$NGINX_BIN" -p "$T" -c "$T/nginx.conf" -g 'daemon off;' 2>>"$T/stderr.log" &
NGINX_PID=$!

up=0
for _ in $(seq 100); do
    if curl -s -o /dev/null "http://127.0.0.1:$PORT/" && curl -s -o /dev/null "http://127.0.0.1:$ECHO_PORT/"; then
        up=1
        break
    fi
    sleep 0.1
done
if [ "$up" -ne 1 ]; then
    bad "nginx and the echo upstream start"
    sed 's/^/   /' "$T/error.log" "$T/stderr.log" 2>/dev/null | tail -20
    finish
fi

# ---- request helpers ---------------------------------------------------------------------------

URL=http://127.0.0.1:$PORT
STATUS=""
# req PATH FILE CONTENT_TYPE [CURL ARGS...]: POST FILE; sets STATUS, $T/body, $T/headers
req() {
    local path=$1 file=$2 ctype=$3
    shift 3
    STATUS=$(curl -s -o "$T/body" -D "$T/headers" -w '%{http_code}' -H "Content-Type: $ctype" \
        --data-binary "@$file" "$@" "$URL$path")
}
echo_count() { wc -l < "$T/echo.log"; }

status_is() { [ "$STATUS" = "$1" ] || { echo "   status $STATUS, expected $1" >&2; return 1; }; }
same_bytes() { cmp -s "$T/body" "$1" || { echo "   body differs from $1" >&2; return 1; }; }
problem_type() { grep -qi '^content-type: application/problem+json' "$T/headers"; }
problem() { problem_type && "$PY" "$T/problem.py" "$T/body" "$@"; }
type_is() { # type_is NAME: the problem's "type" is https://campval.dev/problems/NAME
    grep -q "^{\"type\":\"https://campval.dev/problems/$1\"," "$T/body" ||
        { echo "   $(head -c 160 "$T/body")" >&2; return 1; }
}
echoed() { status_is 200 && same_bytes "$1"; }
rejected() { # rejected STATUS POINTERS...: problem+json and nothing reached the upstream
    local before=$1
    shift
    status_is "$1" && problem "$@" && [ "$(echo_count)" -eq "$before" ]
}

# ---- valid bodies pass unchanged ---------------------------------------------------------------

req /campaigns "$E/campaign_create.json" application/json
check "valid example body (POST) reaches the upstream byte for byte" echoed "$E/campaign_create.json"

req /campaigns "$E/campaign_create.json" application/json -X PUT
check "valid body with PUT" echoed "$E/campaign_create.json"

req /campaigns "$E/campaign_create.json" application/json -X PATCH
check "valid body with PATCH" echoed "$E/campaign_create.json"

req /campaigns "$T/bodies/large.json" application/json
check "valid 1.6 MB body, 10,000 contacts, arrives unchanged" echoed "$T/bodies/large.json"

# without "Expect: 100-continue" part of the body usually arrives with the headers; the module
# has nginx read the rest right after it (the pipelined check below makes sure of that part)
req /memory "$T/bodies/large.json" application/json -H 'Expect:'
check "valid 1.6 MB body held in memory arrives unchanged" echoed "$T/bodies/large.json"
check "  ... and was validated in place, in one block" \
    grep -Eq "campval body: $LARGE_SIZE bytes in [0-9]+ buffers of one block" "$T/memory.log"

# chunked: the chunks' data are pieces of nginx's buffer, between the chunk sizes
req /memory "$T/bodies/large.json" application/json -H 'Expect:' -H 'Transfer-Encoding: chunked'
check "valid 1.6 MB chunked body held in memory arrives unchanged" echoed "$T/bodies/large.json"
check "  ... and was validated from several memory buffers, joined" \
    grep -Eq "campval body: $LARGE_SIZE bytes in ([2-9]|[1-9][0-9]+) buffers, 0 in a file" \
    "$T/memory.log"

req /spill "$T/bodies/large.json" application/json
check "valid 1.6 MB body spilled to a temporary file arrives unchanged" echoed "$T/bodies/large.json"
check "  ... and was validated from the temporary file" \
    grep -Eq "campval body: $LARGE_SIZE bytes in [0-9]+ buffers, 1 in a file" "$T/spill.log"

req /infile "$E/campaign_create.json" application/json
check "valid body with client_body_in_file_only arrives unchanged" echoed "$E/campaign_create.json"

req /campaigns "$E/campaign_create.json" application/json -H 'Transfer-Encoding: chunked'
check "valid chunked body arrives unchanged" echoed "$E/campaign_create.json"

req /campaigns "$T/bodies/large.json" application/json -H 'Transfer-Encoding: chunked'
check "valid 1.6 MB chunked body arrives unchanged" echoed "$T/bodies/large.json"

req /campaigns "$E/campaign_create.json" 'application/json; charset=UTF-8'
check "Content-Type application/json; charset=UTF-8 is JSON" echoed "$E/campaign_create.json"

req /campaigns "$E/campaign_create.json" 'Application/Merge-Patch+JSON'
check "Content-Type application/merge-patch+json is JSON" echoed "$E/campaign_create.json"

STATUS=$(curl -s -o "$T/body" -w '%{http_code}' "$URL/campaigns")
check "GET is not validated" status_is 200

req /outer/off "$E/campaign_create_invalid.json" application/json
check "campval off in a nested location passes an invalid body" \
    echoed "$E/campaign_create_invalid.json"

req /dups "$T/bodies/dup.json" application/json
check "campval_allow_duplicate_keys on accepts a repeated member" echoed "$T/bodies/dup.json"

req /contact "$T/bodies/contact.json" application/json
check "rules file with a relative \$ref: valid body passes" echoed "$T/bodies/contact.json"

if curl -V | grep -q HTTP2; then
    URL=http://127.0.0.1:$PORT_H2
    req /campaigns "$T/bodies/large.json" application/json --http2-prior-knowledge
    check "HTTP/2: valid 1.6 MB body arrives unchanged" echoed "$T/bodies/large.json"
    n=$(echo_count)
    req /campaigns "$E/campaign_create_invalid.json" application/json --http2-prior-knowledge
    check "HTTP/2: invalid body is rejected with 422" rejected "$n" 422 /launch \
        /max_concurent_calls /contacts/0/to_phone_number /contacts/1/prompt_variables/seats \
        /call_retry_config/allowed_days/0 /call_retry_config/timezone
    URL=http://127.0.0.1:$PORT
fi

# ---- invalid bodies are answered with problem+json and never proxied ---------------------------

INVALID_POINTERS=(/launch=TYPE /max_concurent_calls=ADDITIONAL_PROPERTY
    /contacts/0/to_phone_number=E164 /contacts/1/prompt_variables/seats=TYPE
    /call_retry_config/allowed_days/0=ENUM /call_retry_config/timezone=FORMAT)

n=$(echo_count)
req /campaigns "$E/campaign_create_invalid.json" application/json
check "rule violations: 422 problem+json listing all 6 errors with pointers" \
    rejected "$n" 422 "${INVALID_POINTERS[@]}"
check "  ... status line 422 Unprocessable Content" \
    grep -q '^HTTP/1.1 422 Unprocessable Content' "$T/headers"
check "  ... type invalid-payload" \
    grep -q '"type":"https://campval.dev/problems/invalid-payload"' "$T/body"
ID=$(tr -d '\r' < "$T/headers" | sed -n 's/^[Xx]-[Rr]equest-[Ii]d: //p')
# the built-in rules' calling-hours warnings depend on the day the test runs: any count of them
check "  ... logged with the request id at info" \
    grep -Eq "\[info\].*campval: request $ID rejected \(422\) by rules \"campaign_create\": 6 errors(, [0-9]+ warnings?)?: \"/launch\"" \
    "$T/error.log"

n=$(echo_count)
req /campaigns "$T/bodies/large_bad.json" application/json
check "1.6 MB body with a bad row near the end: 422 at /contacts/9990/to_phone_number" \
    rejected "$n" 422 /contacts/9990/to_phone_number=E164

n=$(echo_count)
req /spill "$T/bodies/large_bad.json" application/json
check "same, spilled to a temporary file" rejected "$n" 422 /contacts/9990/to_phone_number=E164

n=$(echo_count)
req /memory "$T/bodies/large_bad.json" application/json -H 'Expect:'
check "same, held in memory" rejected "$n" 422 /contacts/9990/to_phone_number=E164

n=$(echo_count)
req /campaigns "$T/bodies/large_bad.json" application/json -H 'Transfer-Encoding: chunked'
check "same, chunked" rejected "$n" 422 /contacts/9990/to_phone_number=E164

n=$(echo_count)
req /campaigns "$E/campaign_create_invalid.json" application/json -H 'Transfer-Encoding: chunked'
check "invalid chunked body: 422 with all 6 pointers" rejected "$n" 422 "${INVALID_POINTERS[@]}"

n=$(echo_count)
req /infile "$E/campaign_create_invalid.json" application/json
check "invalid body with client_body_in_file_only: 422" rejected "$n" 422 "${INVALID_POINTERS[@]}"

n=$(echo_count)
req /campaigns "$E/campaign_create_malformed.json" application/json
check "malformed JSON (trailing comma): 400 problem+json" rejected "$n" 400 -=JSON_TRAILING_COMMA
check "  ... type malformed-json" \
    grep -q '"type":"https://campval.dev/problems/malformed-json"' "$T/body"

n=$(echo_count)
req /status400 "$E/campaign_create_malformed.json" application/json
check "malformed JSON is 400 whatever campval_status says" rejected "$n" 400 -=JSON_TRAILING_COMMA

n=$(echo_count)
req /campaigns "$T/bodies/dup.json" application/json
check "duplicate member name: 400 JSON_DUPLICATE_KEY" rejected "$n" 400 /launch=JSON_DUPLICATE_KEY

n=$(echo_count)
req /campaigns "$T/bodies/empty.json" application/json
check "empty body: 400 JSON_EMPTY" rejected "$n" 400 -=JSON_EMPTY

n=$(echo_count)
req /campaigns "$T/bodies/deep.json" application/json
check "nesting deeper than the limit: 413 LIMIT_DEPTH" rejected "$n" 413 -=LIMIT_DEPTH
check "  ... type payload-too-large" type_is payload-too-large

n=$(echo_count)
req /campaigns "$T/bodies/many.json" application/json
check "more values than the workspace holds: 413 LIMIT_TOKENS" rejected "$n" 413 -=LIMIT_TOKENS
check "  ... type payload-too-large" type_is payload-too-large

n=$(echo_count)
req /backtrack "$D/backtracking_body.json" application/json
check "pattern match limit after a violation: 422 LIMIT_REGEX, not malformed JSON" \
    rejected "$n" 422 /count=TYPE /name=LIMIT_REGEX
check "  ... type validation-limit, title says validation was stopped" \
    eval 'type_is validation-limit && grep -q "\"title\":\"Validation of the request body was stopped" "$T/body"'

n=$(echo_count)
req /backtrack-status400 "$D/backtracking_body.json" application/json
check "same with campval_status 400 and max_errors 1: still 422 validation-limit" \
    eval 'rejected "$n" 422 /count=TYPE && type_is validation-limit'

n=$(echo_count)
req /recursion "$D/nested_100.json" application/json
check "evaluation limit (recursive rules, 100 levels): 422 LIMIT_EVALUATION" \
    eval 'rejected "$n" 422 "$(printf "/0%.0s" $(seq 80))=LIMIT_EVALUATION" && type_is validation-limit'

n=$(echo_count)
req /recursion "$D/nested_200.json" application/json
check "same rules, 200 levels: 413 LIMIT_DEPTH before any rule runs" \
    eval 'rejected "$n" 413 -=LIMIT_DEPTH && type_is payload-too-large'

n=$(echo_count)
req /status400 "$E/campaign_create_invalid.json" application/json
check "campval_status 400: HTTP 400 and \"status\":400 in the document" \
    rejected "$n" 400 "${INVALID_POINTERS[@]}"

n=$(echo_count)
req /first "$E/campaign_create_invalid.json" application/json
check "campval_first_error on: only the first error" rejected "$n" 422 /launch=TYPE

n=$(echo_count)
req /max2 "$E/campaign_create_invalid.json" application/json
check "campval_max_errors 2: two errors listed" rejected "$n" 422 /launch /max_concurent_calls
check "  ... detail still counts all 6" grep -q '"detail":"6 errors found' "$T/body"

n=$(echo_count)
req /outer "$E/campaign_create_invalid.json" application/json
check "enclosing location still validates" rejected "$n" 422 "${INVALID_POINTERS[@]}"

n=$(echo_count)
req /contact "$T/bodies/contact_bad.json" application/json
check "rules file with a relative \$ref: bad number rejected" \
    rejected "$n" 422 /to_phone_number=E164

# ---- warnings: counted for the upstream, refused only with campval_fail_on warning -------------

upstream_warnings() { # upstream_warnings VALUE: the upstream got Campval-Warnings: VALUE ("" none)
    local got
    got=$(tr -d '\r' < "$T/headers" | sed -n 's/^[Ee]cho-[Cc]ampval-[Ww]arnings: //p')
    [ "$got" = "$1" ] || { echo "   upstream saw Campval-Warnings \"$got\", expected \"$1\"" >&2; return 1; }
}
warnings_listed() { # warnings_listed POINTER...: the problem's "warnings" pointers, in order
    "$PY" - "$T/body" "$@" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
got = [w["pointer"] for w in doc.get("warnings", [])]
if got != sys.argv[2:]:
    print("   warnings %s" % got, file=sys.stderr)
    sys.exit(1)
PY
}

req /sev "$SV/warning.json" application/json
check "warning only: passes (200 from the upstream, body unchanged)" echoed "$SV/warning.json"
check "  ... and the upstream got Campval-Warnings: 1" upstream_warnings 1

req /sev "$SV/clean.json" application/json
check "no warning: passes without a Campval-Warnings header" \
    eval 'echoed "$SV/clean.json" && upstream_warnings ""'

req /sev "$SV/clean.json" application/json -H 'Campval-Warnings: 99'
check "a client's own Campval-Warnings reaches the upstream as 0" \
    eval 'echoed "$SV/clean.json" && upstream_warnings 0'

req /sev "$SV/warning.json" application/json -H 'campval-warnings: 99'
check "  ... and as campval's count when there are warnings" \
    eval 'echoed "$SV/warning.json" && upstream_warnings 1'

req /sev-first "$SV/warning.json" application/json
check "campval_first_error on: a passing body still has its warnings counted" \
    eval 'echoed "$SV/warning.json" && upstream_warnings 1'

n=$(echo_count)
req /sev "$SV/error.json" application/json
check "error and warning: 422 listing the error in errors" rejected "$n" 422 -=REQUIRED
check "  ... and the warning in warnings" warnings_listed /contacts

n=$(echo_count)
req /sev-strict "$SV/warning.json" application/json
check "campval_fail_on warning: a warning-only body is refused with 422" rejected "$n" 422
check "  ... its problem: invalid-payload, warnings listed, detail counts them" \
    eval 'type_is invalid-payload && warnings_listed /contacts &&
        grep -q "\"detail\":\"1 warning found in the request body\",\"errors\":\[\]" "$T/body"'
ID=$(tr -d '\r' < "$T/headers" | sed -n 's/^[Xx]-[Rr]equest-[Ii]d: //p')
check "  ... logged with the warning" \
    grep -q "campval: request $ID rejected (422) by rules \"$SV/rules.json\": 0 errors, 1 warning: \"/contacts\": .*\[MIN_ITEMS, warning\]" \
    "$T/error.log"

req /sev-strict "$SV/clean.json" application/json
check "campval_fail_on warning: a body without warnings passes" echoed "$SV/clean.json"

n=$(echo_count)
req /sev-strict/inner "$SV/warning.json" application/json
check "campval_fail_on is inherited by a nested location" rejected "$n" 422

req /sev-strict/lenient "$SV/warning.json" application/json
check "campval_fail_on error in a nested location lets warnings through again" \
    eval 'echoed "$SV/warning.json" && upstream_warnings 1'

n=$(echo_count)
req /sev-strict "$SV/error.json" application/json
check "campval_fail_on warning, error and warning: 422 with both" \
    eval 'rejected "$n" 422 -=REQUIRED && warnings_listed /contacts'

# ---- campval_suppress: a do-not-call list ------------------------------------------------------

warnings_of() { # the Campval-Warnings count the upstream got, 0 when none
    local got
    got=$(tr -d '\r' < "$T/headers" | sed -n 's/^[Ee]cho-[Cc]ampval-[Ww]arnings: //p')
    echo "${got:-0}"
}

n=$(echo_count)
req /dnc "$T/bodies/dnc_hit.json" application/json
check "campval_suppress: a contact on the list is 422 SUPPRESSED at its number" \
    rejected "$n" 422 /contacts/0/to_phone_number=SUPPRESSED
check "  ... type invalid-payload, detail names the list" \
    eval 'type_is invalid-payload && grep -q "do-not-call list" "$T/body"'

req /dnc "$T/bodies/dnc_miss.json" application/json
check "campval_suppress: a contact not on the list passes (200, unchanged)" \
    echoed "$T/bodies/dnc_miss.json"

req /campaigns "$T/bodies/dnc_hit.json" application/json
check "the list belongs to its location: the same body passes where there is none" \
    echoed "$T/bodies/dnc_hit.json"
base=$(warnings_of)

req /dnc/off "$T/bodies/dnc_hit.json" application/json
check "campval_suppress off in a nested location drops the inherited list" \
    eval 'echoed "$T/bodies/dnc_hit.json" && [ "$(warnings_of)" = "$base" ]'

req /dnc/warn "$T/bodies/dnc_hit.json" application/json
check "campval_suppress_severity warning: passes (200, unchanged), list inherited" \
    echoed "$T/bodies/dnc_hit.json"
check "  ... and the upstream got one more Campval-Warnings than without the list (>= 1)" \
    eval 'w=$(warnings_of); [ "$w" -ge 1 ] && [ "$w" -eq $((base + 1)) ] ||
        { echo "   Campval-Warnings $w, $base without the list" >&2; false; }'

n=$(echo_count)
req /dnc-strict "$T/bodies/dnc_hit.json" application/json
check "campval_suppress_severity warning with campval_fail_on warning: 422, listed in warnings" \
    eval 'rejected "$n" 422 && grep -q "\"warnings\":\[.*\"code\":\"SUPPRESSED\"" "$T/body"'

n=$(echo_count)
req /dnc "$E/campaign_create.json" application/json
check "the example body, two of its three contacts on the list: 422 at each of them" \
    rejected "$n" 422 /contacts/0/to_phone_number=SUPPRESSED /contacts/2/to_phone_number=SUPPRESSED

# ---- content type, size ------------------------------------------------------------------------

for ct in text/plain application/x-www-form-urlencoded text/json 'application/json; charset=iso-8859-1' \
    application/jsonx; do
    n=$(echo_count)
    req /campaigns "$E/campaign_create.json" "$ct"
    check "Content-Type $ct: 415 problem+json" rejected "$n" 415
done
n=$(echo_count)
STATUS=$(curl -s -o "$T/body" -D "$T/headers" -w '%{http_code}' -H 'Content-Type:' \
    --data-binary "@$E/campaign_create.json" "$URL/campaigns")
check "no Content-Type: 415" rejected "$n" 415

n=$(echo_count)
req /small-limit "$T/bodies/large.json" application/json
check "body over client_max_body_size: nginx's own 413" \
    eval 'status_is 413 && grep -qi "^content-type: text/html" "$T/headers" && [ "$(echo_count)" -eq "$n" ]'

req /small-limit "$T/bodies/large.json" application/json -H 'Transfer-Encoding: chunked'
check "chunked body over client_max_body_size: 413" status_is 413

# ---- connections -------------------------------------------------------------------------------

codes=$(curl -s -o /dev/null -w '%{http_code} %{num_connects}\n' \
    -H 'Content-Type: application/json' --data-binary "@$E/campaign_create_invalid.json" \
    "$URL/campaigns" --next -o /dev/null -w '%{http_code} %{num_connects}\n' \
    -H 'Content-Type: application/json' --data-binary "@$E/campaign_create.json" "$URL/campaigns")
check "keep-alive: a valid request after a rejected one on the same connection" \
    [ "$(echo $codes)" = "422 1 200 0" ]

# Pipelined: three 16 KB requests in one write. Each body starts in the header buffer (1k) and
# is read into a block of the module's (ngx_http_campval_one_block); the next request must
# still be found right after it.
pipelined() {
    PYTHONPATH="$here" "$PY" - "$PORT" "$T/bodies/c100.json" "$T/bodies/c100_bad.json" <<'EOF' &&
import sys

from raw_http import connect, post, responses

port, good, bad = int(sys.argv[1]), open(sys.argv[2], "rb").read(), open(sys.argv[3], "rb").read()
s = connect(port)
s.sendall(post(good) + post(bad) + post(good))
got = responses(s, 3)
ok = [g[0] for g in got] == [b"200", b"422", b"200"] and got[0][1] == good == got[2][1]
ok = ok and b"/contacts/99/to_phone_number" in got[1][1]
if not ok:
    sys.exit("   got %s" % [(g[0], len(g[1])) for g in got])
EOF
        [ "$(grep -Ec "campval body: ($C100_SIZES) bytes in [0-9]+ buffers of one block" \
            "$T/memory.log")" -eq 3 ]
}
check "pipelined: 16 KB bodies, valid, invalid, valid, in one write, each read into one block" \
    pipelined

# The same block filled over several reads: headers with the start of the body, a pause, more,
# a pause, the rest; then the next request on the connection.
split_writes() {
    PYTHONPATH="$here" "$PY" - "$PORT" "$T/bodies/c100.json" <<'EOF'
import sys
import time

from raw_http import connect, post, responses

port, body = int(sys.argv[1]), open(sys.argv[2], "rb").read()
req = post(body)
cut = req.index(b"\r\n\r\n") + 4 + 300
s = connect(port)
for part in (req[:cut], req[cut:cut + 5000], req[cut + 5000:]):
    s.sendall(part)
    time.sleep(0.2)
s.sendall(req)
got = responses(s, 2)
if [g for g in got if g != (b"200", body)]:
    sys.exit("   got %s" % [(g[0], len(g[1])) for g in got])
EOF
}
check "16 KB body in three writes, then a second request on the connection" split_writes

# 50 different bodies at once, every third one invalid at its last contact
pids=()
for i in $(seq 1 50); do
    curl -s -o "$T/out/$i.body" -w '%{http_code}' -H 'Content-Type: application/json' \
        --data-binary "@$T/bodies/par$i.json" "$URL/spill" > "$T/out/$i.status" &
    pids+=($!)
done
par_ok=1
for pid in "${pids[@]}"; do
    wait "$pid" || par_ok=0
done
for i in $(seq 1 50); do
    if [ $((i % 3)) -eq 0 ]; then
        [ "$(cat "$T/out/$i.status")" = 422 ] &&
            "$PY" "$T/problem.py" "$T/out/$i.body" 422 "/contacts/$((i - 1))/to_phone_number=E164" ||
            par_ok=0
    else
        [ "$(cat "$T/out/$i.status")" = 200 ] && cmp -s "$T/out/$i.body" "$T/bodies/par$i.json" ||
            par_ok=0
    fi
done
check "50 concurrent requests (34 valid echoed unchanged, 16 rejected at their own pointer)" \
    [ "$par_ok" = 1 ]

# ---- logging -----------------------------------------------------------------------------------

req /quiet "$E/campaign_create_invalid.json" application/json
check "campval_log_level info (default) is not written to a notice log" \
    eval '[ "$STATUS" = 422 ] && ! grep -q campval "$T/quiet.log"'
req /loud "$E/campaign_create_invalid.json" application/json
ID=$(tr -d '\r' < "$T/headers" | sed -n 's/^[Xx]-[Rr]equest-[Ii]d: //p')
check "campval_log_level warn is written to a warn log, with the request id" \
    grep -q "\[warn\].*campval: request $ID rejected (422)" "$T/loud.log"

req /campaigns "$T/bodies/ctl_name.json" application/json
check "control characters of member names do not reach the log raw" \
    grep -q 'rejected (422).*"/x?y": ' "$T/error.log"

# reload with a changed directive: the module is unloaded and loaded again, rules recompiled
sed -i 's/campval_status 400;/campval_status 409;/' "$T/nginx.conf"
kill -HUP "$NGINX_PID"
for _ in $(seq 100); do
    req /status400 "$E/campaign_create_invalid.json" application/json
    [ "$STATUS" = 409 ] && break
    sleep 0.1
done
check "reload (SIGHUP) with campval_status 409: 409 and \"status\":409" \
    problem 409 "${INVALID_POINTERS[@]}"
req /spill "$T/bodies/large.json" application/json
check "  ... and valid bodies still pass after the reload" echoed "$T/bodies/large.json"
n=$(echo_count)
req /dnc "$T/bodies/dnc_hit.json" application/json
check "  ... and the do-not-call list, loaded again, still applies" \
    rejected "$n" 422 /contacts/0/to_phone_number=SUPPRESSED

check "no worker crashed (no alerts or signals in error.log)" \
    eval '! grep -E "\[(alert|emerg|crit)\]|exited on signal" "$T/error.log" "$T/stderr.log"'

# ---- configuration errors ----------------------------------------------------------------------

conf_test() { # conf_test RULES: nginx -t output for a location using those rules
    { conf_head; printf '    server {\n        listen 127.0.0.1:%s;\n        location / {\n            campval_rules %s;\n        }\n    }\n}\n' "$PORT" "$1"; } > "$T/bad.conf"
    "$NGINX_BIN" -t -p "$T" -c "$T/bad.conf" > "$T/t.out" 2>&1 && return 1
    return 0
}
if conf_test "$T/rules/syntax.json" &&
    grep -q "campval_rules \"$T/rules/syntax.json\": $T/rules/syntax.json:3:.*\[RULES_SYNTAX\] in $T/bad.conf:" "$T/t.out"; then
    ok "nginx -t: rules that are not JSON fail with file:line:column"
else
    bad "nginx -t: rules that are not JSON fail with file:line:column"
    sed 's/^/   /' "$T/t.out"
fi
if conf_test "$T/rules/keyword.json" &&
    grep -q "$T/rules/keyword.json:3:[0-9]*: .*(at \"/properties/a/minLength\") \[RULES_BAD_KEYWORD\]" "$T/t.out"; then
    ok "nginx -t: a bad keyword fails with file, position and keyword location"
else
    bad "nginx -t: a bad keyword fails with file, position and keyword location"
    sed 's/^/   /' "$T/t.out"
fi
if conf_test no_such_rules && grep -q 'cannot read .*no_such_rules.* not a built-in' "$T/t.out"; then
    ok "nginx -t: an unknown rules name fails"
else
    bad "nginx -t: an unknown rules name fails"
    sed 's/^/   /' "$T/t.out"
fi
{ conf_head; printf '    server {\n        listen 127.0.0.1:%s;\n        location / {\n            campval_rules campaign_create;\n            campval_fail_on bogus;\n        }\n    }\n}\n' "$PORT"; } > "$T/bad.conf"
if ! "$NGINX_BIN" -t -p "$T" -c "$T/bad.conf" > "$T/t.out" 2>&1 && grep -q 'invalid value "bogus"' "$T/t.out"; then
    ok "nginx -t: campval_fail_on bogus fails"
else
    bad "nginx -t: campval_fail_on bogus fails"
    sed 's/^/   /' "$T/t.out"
fi
{ conf_head; printf '    campval_fail_on warning;\n    server {\n        listen 127.0.0.1:%s;\n        campval_fail_on error;\n        location / { campval_rules campaign_create; campval_fail_on warning; }\n    }\n}\n' "$PORT"; } > "$T/fail_on.conf"
check "nginx -t: campval_fail_on in http, server and location" "$NGINX_BIN" -t -q -p "$T" -c "$T/fail_on.conf"
{ conf_head; printf '    server {\n        listen 127.0.0.1:%s;\n    }\n}\n' "$PORT"; } > "$T/unused.conf"
suppress_conf() { # suppress_conf FILE [SEVERITY]: nginx -t output for a location with that list
    { conf_head; printf '    server {\n        listen 127.0.0.1:%s;\n        location / {\n            campval_rules campaign_create;\n            campval_suppress %s;\n            campval_suppress_severity %s;\n        }\n    }\n}\n' "$PORT" "$1" "${2:-error}"; } > "$T/bad.conf"
    "$NGINX_BIN" -t -p "$T" -c "$T/bad.conf" > "$T/t.out" 2>&1 && return 1
    return 0
}
if suppress_conf "$T/dnc_bad.txt" &&
    grep -q "campval_suppress \"$T/dnc_bad.txt\": $T/dnc_bad.txt:3: .*\[NUMBERS_SYNTAX\] in $T/bad.conf:" "$T/t.out"; then
    ok "nginx -t: a do-not-call list with a bad line fails with file:line"
else
    bad "nginx -t: a do-not-call list with a bad line fails with file:line"
    sed 's/^/   /' "$T/t.out"
fi
if suppress_conf "$T/no_such_dnc.txt" &&
    grep -q "campval_suppress \"$T/no_such_dnc.txt\": $T/no_such_dnc.txt: No such file or directory \[IO\]" "$T/t.out"; then
    ok "nginx -t: a missing do-not-call list fails, naming the file and the reason"
else
    bad "nginx -t: a missing do-not-call list fails, naming the file and the reason"
    sed 's/^/   /' "$T/t.out"
fi
if suppress_conf "$T/dnc.txt" bogus && grep -q 'invalid value "bogus"' "$T/t.out"; then
    ok "nginx -t: campval_suppress_severity bogus fails"
else
    bad "nginx -t: campval_suppress_severity bogus fails"
    sed 's/^/   /' "$T/t.out"
fi
{ conf_head; printf '    campval_suppress %s;\n    campval_suppress_severity warning;\n    server {\n        listen 127.0.0.1:%s;\n        campval_suppress_severity error;\n        location / { campval_rules campaign_create; campval_suppress off; }\n        location /b { campval_rules campaign_create; campval_suppress %s; }\n    }\n}\n' "$T/dnc.txt" "$PORT" "$T/dnc.txt"; } > "$T/suppress.conf"
check "nginx -t: campval_suppress and campval_suppress_severity in http, server and location" \
    "$NGINX_BIN" -t -q -p "$T" -c "$T/suppress.conf"
check "nginx -t: module loaded but not used" "$NGINX_BIN" -t -q -p "$T" -c "$T/unused.conf"
{ conf_head; printf '    server {\n        listen 127.0.0.1:%s;\n        location / { campval on; }\n    }\n}\n' "$PORT"; } > "$T/bad.conf"
if ! "$NGINX_BIN" -t -p "$T" -c "$T/bad.conf" > "$T/t.out" 2>&1 && grep -q 'needs "campval_rules"' "$T/t.out"; then
    ok "nginx -t: campval on without rules fails"
else
    bad "nginx -t: campval on without rules fails"
    sed 's/^/   /' "$T/t.out"
fi

finish
