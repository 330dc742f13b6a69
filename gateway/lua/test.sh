#!/usr/bin/env bash
# End-to-end tests of lua/campval.lua (LuaJIT FFI) in Debian's nginx with libnginx-mod-http-lua.
#
# Usage: gateway/lua/test.sh [LIBCAMPVAL.so [CAMPVAL_ROOT]]
#   LIBCAMPVAL.so  default $CAMPVAL_LIB, else CAMPVAL_ROOT/build/libcampval.so.0
# Builds nothing; installs nginx, libnginx-mod-http-lua and curl when missing. Starts
# /usr/sbin/nginx with a configuration in a temporary directory, listening on 127.0.0.1 only:
# a server whose /campaigns locations run `rules:access()` in access_by_lua and proxy to an
# upstream server (nginx too) that answers 200. Prints one line per check and ends with
# "N passed, N failed"; exits non-zero when a check failed. KEEP_TMP=1 keeps the directory.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
ROOT=${2:-${CAMPVAL_ROOT:-$(cd "$here/../.." && pwd)}}
LIB=${1:-${CAMPVAL_LIB:-$ROOT/build/libcampval.so.0}}
. "$here/../nginx/common.sh" "" "$ROOT"
here=$(cd "$(dirname "$0")" && pwd)
LUA_MOD=/usr/lib/nginx/modules/ngx_http_lua_module.so
NDK_MOD=/usr/lib/nginx/modules/ndk_http_module.so
[ -e "$LUA_MOD" ] || need_pkg=1
if [ "${need_pkg:-0}" = 1 ]; then
    echo "installing libnginx-mod-http-lua"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q libnginx-mod-http-lua >/dev/null 2>&1 ||
        { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q libnginx-mod-http-lua >/dev/null 2>&1; }
fi

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok    $*"; }
bad() { failed=$((failed + 1)); echo "FAIL  $*"; }
finish() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit
}

for f in "$LIB" "$NGINX_BIN" "$LUA_MOD" "$NDK_MOD" "$ROOT/lua/campval.lua"; do
    if [ ! -e "$f" ]; then
        bad "missing $f"
        finish
    fi
done
LIB=$(cd "$(dirname "$LIB")" && pwd)/$(basename "$LIB")

scratch lua-test

read -r PORT UP_PORT < <(free_ports 2)

E=$ROOT/examples
mkdir -p "$T/bodies"
"$PY" "$ROOT/gateway/nginx/gen-body.py" 100 "$T/bodies/c100.json"
"$PY" "$ROOT/gateway/nginx/gen-body.py" 100 "$T/bodies/c100_bad.json" --bad 99
"$PY" "$ROOT/gateway/nginx/gen-body.py" 2000 "$T/bodies/c2000.json"
# the C module's limit bodies (gateway/nginx/test.sh): deeper than the default depth 128, and
# more values than the default 262,144 tokens
"$PY" -c 'print("[" * 200 + "]" * 200)' > "$T/bodies/deep.json"
"$PY" -c 'print("[" + "0," * 270000 + "0]")' > "$T/bodies/many.json"
# a do-not-call list, a bad one, and one-contact bodies on and off it (US number, a window in
# federal calling hours, no timezone: no calling-hours warning on any day the test runs)
printf '# do-not-call\n+1 415-555-0123\n' > "$T/dnc.txt"
dnc_fixtures "$T"

cat > "$T/nginx.conf" <<EOF
load_module $NDK_MOD;
load_module $LUA_MOD;
pid $T/nginx.pid;
error_log $T/error.log info;
worker_processes 2;
env CAMPVAL_LIB;
events { worker_connections 256; }
http {
    access_log $T/access.log;
    client_body_temp_path $T/body_temp;
    proxy_temp_path $T/proxy_temp;
    fastcgi_temp_path $T/fastcgi_temp;
    uwsgi_temp_path $T/uwsgi_temp;
    scgi_temp_path $T/scgi_temp;
    lua_package_path "$ROOT/lua/?.lua;;";
    init_by_lua_block {
        campval = require "campval"
        rules = assert(campval.builtin("campaign_create"))
        small = assert(campval.builtin("campaign_create", { max_tokens = 1000 }))
        local f = assert(io.open("$ROOT/tests/data/severity/rules.json"))
        sev = assert(campval.compile(f:read("*a")))   -- "contacts" must not be empty: a warning
        f:close()
        dnc = assert(campval.numbers("$T/dnc.txt"))   -- loaded once, shared by the workers
    }

    server {
        listen 127.0.0.1:$UP_PORT;
        location / {
            return 200 "upstream \$request_method \$content_length warnings=\$http_campval_warnings\n";
        }
    }
    server {
        listen 127.0.0.1:$PORT;
        client_max_body_size 64k;
        client_body_buffer_size 64k;
        location /campaigns {
            access_by_lua_block { rules:access() }
            proxy_pass http://127.0.0.1:$UP_PORT;
        }
        location /spill {
            # bodies over 1 KiB go to a temporary file: check_file reads it
            client_body_buffer_size 1k;
            access_by_lua_block { rules:access() }
            proxy_pass http://127.0.0.1:$UP_PORT;
        }
        location /infile {
            client_body_in_file_only clean;
            access_by_lua_block {
                ngx.req.read_body()
                assert(ngx.req.get_body_data() == nil and ngx.req.get_body_file(), "not in a file")
                rules:access()
            }
            proxy_pass http://127.0.0.1:$UP_PORT;
        }
        location /big {
            client_max_body_size 2m;
            client_body_buffer_size 2m;
            access_by_lua_block { rules:access() }
            proxy_pass http://127.0.0.1:$UP_PORT;
        }
        location /small {
            access_by_lua_block { small:access() }
            proxy_pass http://127.0.0.1:$UP_PORT;
        }
        location = /bad-max-tokens {
            content_by_lua_block {
                ngx.say(select(2, pcall(campval.builtin, "campaign_create", { max_tokens = 0 })))
            }
        }
        location /sev {
            access_by_lua_block { sev:access() }
            proxy_pass http://127.0.0.1:$UP_PORT;
        }
        location /sev-strict {
            access_by_lua_block { sev:access({ fail_on = "warning" }) }
            proxy_pass http://127.0.0.1:$UP_PORT;
        }
        location /dnc {
            access_by_lua_block { rules:access({ suppress = dnc }) }
            proxy_pass http://127.0.0.1:$UP_PORT;
        }
        location /dnc-warn {
            access_by_lua_block { rules:access({ suppress = dnc, suppress_severity = "warning" }) }
            proxy_pass http://127.0.0.1:$UP_PORT;
        }
        location = /numbers {
            content_by_lua_block {
                local list, err = campval.numbers(ngx.unescape_uri(ngx.var.arg_path or ""))
                ngx.say(list and ("loaded " .. list:count() .. " " ..
                    tostring(list:contains("+14155550123"))) or err)
            }
        }
        location = /dnc-bad-opts {
            content_by_lua_block {
                ngx.say(select(2, pcall(rules.check, rules, "{}", { suppress = "dnc.txt" })))
                ngx.say(select(2, pcall(rules.check, rules, "{}",
                    { suppress = dnc, suppress_severity = "bogus" })))
            }
        }
        location = /sev-check {
            # rules:check's answers, one per line: ok, status, warnings, then the problem
            content_by_lua_block {
                ngx.req.read_body()
                local opts = ngx.var.arg_fail_on and { fail_on = ngx.var.arg_fail_on } or nil
                local r = { pcall(sev.check, sev, ngx.req.get_body_data(), opts) }
                if not r[1] then ngx.say("raised ", r[2]) return end
                ngx.say(tostring(r[2]), " ", r[4], " ", r[5])
                ngx.say(r[3] or "")
            }
        }
        location = /compile {
            content_by_lua_block {
                local r, err = campval.compile(ngx.unescape_uri(ngx.var.arg_text or ""))
                ngx.say(r and "compiled" or err)
            }
        }
    }
}
EOF

if "$NGINX_BIN" -t -p "$T" -c "$T/nginx.conf" >"$T/t.out" 2>&1; then
    ok "nginx -t accepts the configuration (lua module, require campval, builtin rules)"
else
    bad "nginx -t accepts the configuration"
    sed 's/^/   /' "$T/t.out"
    finish
fi
CAMPVAL_LIB=$LIB "$NGINX_BIN" -p "$T" -c "$T/nginx.conf" -g 'daemon off;' 2>>"$T/stderr.log" &
NGINX_PID=$!
up=0
for _ in $(seq 100); do
    if curl -s -o /dev/null "http://127.0.0.1:$PORT/compile"; then up=1; break; fi
    sleep 0.1
done
if [ "$up" -ne 1 ]; then
    bad "nginx starts"
    sed 's/^/   /' "$T/error.log" "$T/stderr.log" 2>/dev/null | tail -20
    finish
fi

URL=http://127.0.0.1:$PORT
STATUS=""
post() { # post PATH FILE [CONTENT-TYPE]: sets STATUS, body in $T/out, headers in $T/hdr
    STATUS=$(curl -s -o "$T/out" -D "$T/hdr" -w '%{http_code}' -H "Content-Type: ${3:-application/json}" \
        --data-binary "@$2" "$URL$1")
}
expect() { # expect NAME STATUS [POINTER ...]: STATUS, and for problems exactly these pointers
    local name=$1 want=$2
    shift 2
    if [ "$STATUS" != "$want" ]; then
        bad "$name (status $STATUS, want $want)"
        head -c 300 "$T/out" | sed 's/^/   /'
        return
    fi
    if [ "$want" != 200 ] && [ "$want" != 413 ]; then
        if ! grep -qi '^content-type: application/problem+json' "$T/hdr" ||
            ! "$PY" -c '
import json, sys
doc = json.load(open(sys.argv[1]))
got = [e["pointer"] for e in doc.get("errors", [])]
want = [p if p != "-" else "" for p in sys.argv[3:]]
sys.exit(0 if doc["status"] == int(sys.argv[2]) and (not want or got == want) else 1)' "$T/out" "$want" "$@"; then
            bad "$name (problem+json: $(head -c 300 "$T/out"))"
            return
        fi
    elif [ "$want" = 200 ] && ! grep -q '^upstream POST' "$T/out"; then
        bad "$name (not proxied: $(head -c 200 "$T/out"))"
        return
    fi
    ok "$name"
}

post /campaigns "$E/campaign_create.json"
expect "valid example: proxied, 200 from the upstream" 200
post /campaigns "$E/campaign_create_invalid.json"
expect "invalid example: 422 problem+json with every pointer" 422 /launch /max_concurent_calls \
    /contacts/0/to_phone_number /contacts/1/prompt_variables/seats \
    /call_retry_config/allowed_days/0 /call_retry_config/timezone
post /campaigns "$E/campaign_create_malformed.json"
expect "malformed JSON: 400" 400 -
: > "$T/bodies/empty.json"
post /campaigns "$T/bodies/empty.json"
expect "empty body: 400" 400 -
post /campaigns "$T/bodies/c2000.json"
expect "body over client_max_body_size: 413" 413
post /campaigns "$E/campaign_create.json" text/plain
expect "Content-Type text/plain: 415" 415
post /campaigns "$E/campaign_create.json" "application/json; charset=utf-8"
expect "Content-Type application/json; charset=utf-8: accepted" 200
post /spill "$T/bodies/c100.json"
expect "16 KB body buffered to a temp file (client_body_buffer_size 1k): valid, 200" 200
post /spill "$T/bodies/c100_bad.json"
expect "16 KB body in a temp file, bad last contact: 422 at its pointer" 422 /contacts/99/to_phone_number
post /infile "$E/campaign_create_invalid.json"
expect "client_body_in_file_only: check_file, 422" 422 /launch /max_concurent_calls \
    /contacts/0/to_phone_number /contacts/1/prompt_variables/seats \
    /call_retry_config/allowed_days/0 /call_retry_config/timezone
post /big "$T/bodies/c2000.json"
expect "2000 contacts (300 KB, in the default workspace): 200" 200
post /campaigns "$E/campaign_create.json"
expect "small body after a big one (same workspace): 200" 200

# campval's own 413s, as gateway/nginx/test.sh expects them from the C module: problem+json,
# type payload-too-large, one error at the root with the limit's code, nothing proxied
too_large() { # too_large NAME CODE
    if [ "$STATUS" = 413 ] && grep -qi '^content-type: application/problem+json' "$T/hdr" &&
        "$PY" -c '
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if d["type"] == "https://campval.dev/problems/payload-too-large" and d["status"] == 413
         and [(e["pointer"], e["code"]) for e in d["errors"]] == [("", sys.argv[2])] else 1)' "$T/out" "$2" &&
        ! grep -q '^upstream' "$T/out"; then
        ok "$1"
    else
        bad "$1 (status $STATUS: $(head -c 300 "$T/out"))"
    fi
}
post /campaigns "$T/bodies/deep.json"
too_large "nesting deeper than the limit: 413 LIMIT_DEPTH, type payload-too-large" LIMIT_DEPTH
post /big "$T/bodies/many.json"
too_large "more values than the workspace holds (270,001): 413 LIMIT_TOKENS, type payload-too-large" LIMIT_TOKENS
post /small "$T/bodies/c100.json"
too_large "rules with max_tokens = 1000, a 100-contact body: 413 LIMIT_TOKENS" LIMIT_TOKENS
post /small "$E/campaign_create.json"
expect "  ... the example (77 tokens) passes those rules: 200" 200
post /campaigns "$T/bodies/c100.json"
expect "  ... and the same body passes the default limit (a workspace per limit): 200" 200
out=$(curl -s "$URL/bad-max-tokens")
case "$out" in
    *"max_tokens must be an integer from 1 to 1073741823, not 0"*) ok "campval.builtin(name, { max_tokens = 0 }) raises an error" ;;
    *) bad "max_tokens = 0: $out" ;;
esac

# warnings ("x-severity": "warning" in tests/data/severity/rules.json)
SV=$ROOT/tests/data/severity
post /sev "$SV/warning.json"
expect "warning only: proxied, 200 from the upstream" 200
if grep -q 'warnings=1$' "$T/out"; then ok "  ... and the upstream got Campval-Warnings: 1"
else bad "  ... upstream saw: $(cat "$T/out")"; fi
STATUS=$(curl -s -o "$T/out" -w '%{http_code}' -H 'Content-Type: application/json' \
    -H 'Campval-Warnings: 99' --data-binary "@$SV/clean.json" "$URL/sev")
if [ "$STATUS" = 200 ] && grep -q 'warnings=0$' "$T/out"; then
    ok "a client's own Campval-Warnings reaches the upstream as 0"
else bad "client Campval-Warnings: $STATUS $(cat "$T/out")"; fi
post /sev "$SV/clean.json"
if grep -q 'warnings=$' "$T/out"; then ok "no warning: no Campval-Warnings header"
else bad "no warning: upstream saw $(cat "$T/out")"; fi
post /sev-strict "$SV/warning.json"
expect "access({ fail_on = \"warning\" }): a warning-only body is refused, 422" 422
if "$PY" -c '
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if d["errors"] == [] and [w["pointer"] for w in d["warnings"]] == ["/contacts"]
         and d["detail"] == "1 warning found in the request body" else 1)' "$T/out"; then
    ok "  ... the problem lists it in warnings, errors empty"
else bad "  ... problem: $(head -c 300 "$T/out")"; fi
post /sev-strict "$SV/error.json"
expect "fail_on warning, error and warning: 422 with the error" 422 -
post /sev-check "$SV/warning.json"
[ "$(head -1 "$T/out")" = "true 200 1" ] && ok "check(body): true, nil, 200, 1 warning" ||
    bad "check(body): $(cat "$T/out")"
post "/sev-check?fail_on=error" "$SV/warning.json"
[ "$(head -1 "$T/out")" = "true 200 1" ] &&
    ok "check(body, { fail_on = \"error\" }): valid, 1 warning" || bad "fail_on error: $(cat "$T/out")"
post "/sev-check?fail_on=warning" "$SV/warning.json"
[ "$(head -1 "$T/out")" = "false 422 1" ] && grep -q '"warnings":\[{"pointer":"/contacts"' "$T/out" &&
    ok "check(body, { fail_on = \"warning\" }): false, problem, 422, 1" ||
    bad "fail_on warning: $(cat "$T/out")"
post "/sev-check?fail_on=warning" "$SV/clean.json"
[ "$(head -1 "$T/out")" = "true 200 0" ] && ok "check(clean body, fail_on warning): true, nil, 200, 0" ||
    bad "clean: $(cat "$T/out")"
post "/sev-check?fail_on=error" "$SV/error.json"
[ "$(head -1 "$T/out")" = "false 422 1" ] && ok "check(body with an error and a warning): false, 422, 1 warning" ||
    bad "error: $(cat "$T/out")"
post "/sev-check?fail_on=bogus" "$SV/warning.json"
grep -q '^raised .*fail_on must be "error" or "warning", not bogus' "$T/out" &&
    ok "check(body, { fail_on = \"bogus\" }) raises an error" || bad "bogus: $(cat "$T/out")"

# do-not-call lists (campval.numbers, check's suppress and suppress_severity)
post /dnc "$T/bodies/dnc_hit.json"
expect "suppress = list: a contact on it is 422 at its number" 422 /contacts/0/to_phone_number
grep -q '"code":"SUPPRESSED"' "$T/out" && ok "  ... code SUPPRESSED" || bad "  ... code: $(head -c 300 "$T/out")"
post /dnc "$T/bodies/dnc_miss.json"
expect "suppress = list: a contact not on it passes, 200" 200
post /campaigns "$T/bodies/dnc_hit.json"
expect "the same body passes where no list is given (the workspace keeps none)" 200
base=$(sed -n 's/.*warnings=\([0-9]*\)$/\1/p' "$T/out")
post /dnc-warn "$T/bodies/dnc_hit.json"
expect "suppress_severity = \"warning\": passes, 200" 200
got=$(sed -n 's/.*warnings=\([0-9]*\)$/\1/p' "$T/out")
if [ "${got:-0}" -ge 1 ] && [ "${got:-0}" -eq $((${base:-0} + 1)) ]; then
    ok "  ... and the upstream got Campval-Warnings: one more than without the list ($got)"
else bad "  ... upstream saw Campval-Warnings \"$got\", \"$base\" without the list"; fi
out=$(curl -s -G --data-urlencode "path=$T/dnc.txt" "$URL/numbers")
[ "$out" = "loaded 1 true" ] && ok "campval.numbers: count() and contains()" || bad "numbers: $out"
out=$(curl -s -G --data-urlencode "path=$T/dnc_bad.txt" "$URL/numbers")
case "$out" in
    "$T/dnc_bad.txt:3: "*) ok "campval.numbers: a bad line is nil and \"PATH:LINE: message\"" ;;
    *) bad "campval.numbers bad line: $out" ;;
esac
out=$(curl -s -G --data-urlencode "path=$T/no_such_dnc.txt" "$URL/numbers")
[ "$out" = "$T/no_such_dnc.txt: No such file or directory" ] &&
    ok "campval.numbers: a missing file is nil and \"PATH: reason\"" || bad "campval.numbers missing: $out"
curl -s "$URL/dnc-bad-opts" > "$T/out"
grep -q 'suppress must be a list from campval.numbers, not dnc.txt' "$T/out" &&
    grep -q 'suppress_severity must be "error" or "warning", not bogus' "$T/out" &&
    ok "check: a suppress that is not a list, or a bad suppress_severity, raises an error" ||
    bad "bad suppress opts: $(cat "$T/out")"

out=$(curl -s -G --data-urlencode 'text={"type": "object",
  "minLength": "x"}' "$URL/compile")
case "$out" in
    "rules:2:"*"RULES_BAD_KEYWORD"*) ok "campval.compile: nil and rules:LINE:COL message [CODE]" ;;
    *) bad "campval.compile error: $out" ;;
esac
out=$(curl -s -G --data-urlencode 'text={"type": "object"}' "$URL/compile")
[ "$out" = compiled ] && ok "campval.compile: rules from text" || bad "campval.compile: $out"

# several requests at once, two workers
pids=""
for i in $(seq 20); do
    f=$E/campaign_create.json
    [ $((i % 2)) = 0 ] && f=$E/campaign_create_invalid.json
    curl -s -o /dev/null -w '%{http_code}\n' -H 'Content-Type: application/json' \
        --data-binary "@$f" "$URL/campaigns" >> "$T/par.out" &
    pids="$pids $!"
done
wait $pids
if [ "$(sort "$T/par.out" | uniq -c | tr -s ' ' | tr '\n' ' ')" = " 10 200  10 422 " ]; then
    ok "20 concurrent requests: 10 valid proxied, 10 refused"
else
    bad "concurrent: $(sort "$T/par.out" | uniq -c | tr '\n' ' ')"
fi

if grep -E '\[(alert|emerg|crit)\]|lua entry thread aborted' "$T/error.log" >/dev/null; then
    bad "error.log has no alerts or Lua errors"
    grep -E '\[(alert|emerg|crit)\]|lua entry thread aborted' "$T/error.log" | head -5 | sed 's/^/   /'
else
    ok "error.log has no alerts or Lua errors"
fi
finish
