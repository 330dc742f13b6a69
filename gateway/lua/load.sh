#!/usr/bin/env bash
# Short load comparison: lua/campval.lua (LuaJIT FFI) vs the C module, same nginx, loopback.
#
# Usage: gateway/lua/load.sh [LIBCAMPVAL.so [NGX_MODULE.so [CAMPVAL_ROOT]]]
#   defaults: build/libcampval.so.0, build/gateway/nginx/ngx_http_campval_module.so
# Environment: DURATION (2s per side), THREADS (2), CONNECTIONS (16), KEEP_TMP=1.
# One nginx, one worker: a proxy validating with the C module, one validating with
# rules:access() in access_by_lua, and an upstream answering 200. wrk POSTs a 100-contact body
# (~16 KB) to each and the script prints each side's requests/s, wrk's error count and the ratio.
# .ci/run runs it after the Lua tests and prints the ratio; it fails the stage only when the
# script fails or wrk counted errors, never on the figures, which depend on the machine and on
# what else runs on it.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
ROOT=${3:-${CAMPVAL_ROOT:-$(cd "$here/../.." && pwd)}}
LIB=${1:-$ROOT/build/libcampval.so.0}
MODULE=${2:-$ROOT/build/gateway/nginx/ngx_http_campval_module.so}
. "$here/../nginx/common.sh" "$MODULE" "$ROOT"
DURATION=${DURATION:-2s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-16}
need wrk wrk
for f in "$LIB" "$MODULE" /usr/lib/nginx/modules/ngx_http_lua_module.so; do
    [ -e "$f" ] || { echo "load.sh: missing $f" >&2; exit 2; }
done
LIB=$(cd "$(dirname "$LIB")" && pwd)/$(basename "$LIB")
MODULE=$(cd "$(dirname "$MODULE")" && pwd)/$(basename "$MODULE")

scratch lua-load

read -r P_C P_LUA P_UP < <(free_ports 3)
"$PY" "$ROOT/gateway/nginx/gen-body.py" 100 "$T/c100.json"

{
    cat <<EOF
load_module $MODULE;
load_module /usr/lib/nginx/modules/ndk_http_module.so;
load_module /usr/lib/nginx/modules/ngx_http_lua_module.so;
pid $T/nginx.pid;
error_log $T/error.log warn;
worker_processes 1;
env CAMPVAL_LIB;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $T/body_temp;
    proxy_temp_path $T/proxy_temp;
    fastcgi_temp_path $T/fastcgi_temp;
    uwsgi_temp_path $T/uwsgi_temp;
    scgi_temp_path $T/scgi_temp;
    client_body_buffer_size 64k;
    keepalive_requests 100000;
    lua_package_path "$ROOT/lua/?.lua;;";
    init_by_lua_block { rules = assert(require("campval").builtin("campaign_create")) }
    upstream upstream { server 127.0.0.1:$P_UP; keepalive 64; }
    server { listen 127.0.0.1:$P_UP; location / { return 200 "{\"id\":\"c_1\"}\n"; } }
EOF
    proxy_server "$P_C" "campval_rules campaign_create;"
    proxy_server "$P_LUA" "access_by_lua_block { rules:access() }"
    echo "}"
} > "$T/nginx.conf"

CAMPVAL_LIB=$LIB "$NGINX_BIN" -p "$T" -c "$T/nginx.conf" -g 'daemon off;' &
NGINX_PID=$!
for _ in $(seq 100); do
    curl -s -o /dev/null "http://127.0.0.1:$P_UP/" && break
    sleep 0.1
done
cat > "$T/c100.lua" <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = assert(io.open("$T/c100.json", "rb"))
wrk.body = f:read("*a")
f:close()
function done(summary)
    local e = summary.errors
    io.write(string.format("RESULT %.0f %d\n", summary.requests / (summary.duration / 1e6),
        e.status + e.connect + e.read + e.write + e.timeout))
end
EOF
for p in "$P_C" "$P_LUA"; do
    code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
        --data-binary "@$T/c100.json" "http://127.0.0.1:$p/campaigns")
    [ "$code" = 200 ] || { echo "load.sh: port $p answered $code" >&2; exit 1; }
done
run() {
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -s "$T/c100.lua" "http://127.0.0.1:$1/campaigns" 2>&1 |
        sed -n 's/^RESULT //p'
}
read -r c_rps c_err < <(run "$P_C")
read -r l_rps l_err < <(run "$P_LUA")
echo "100-contact body ($(wc -c < "$T/c100.json") bytes), $DURATION each, 1 worker"
printf 'C module    %8s req/s  (%s errors)\n' "$c_rps" "$c_err"
printf 'Lua FFI     %8s req/s  (%s errors)\n' "$l_rps" "$l_err"
"$PY" -c 'import sys; print("lua / C     %8.2f" % (float(sys.argv[2]) / float(sys.argv[1])))' "$c_rps" "$l_rps"
