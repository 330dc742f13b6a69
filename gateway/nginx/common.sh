# Shared by test.sh and load.sh (sourced): paths, and installing what the scripts run.
# Sets here, ROOT (campval checkout), MODULE (the .so), NGINX_BIN, PY; defines need(),
# scratch(), free_ports() and proxy_server().

here=$(cd "$(dirname "$0")" && pwd)
ROOT=${2:-${CAMPVAL_ROOT:-$(cd "$here/../.." && pwd)}}
MODULE=${1:-${CAMPVAL_NGINX_MODULE:-$ROOT/build/gateway/nginx/ngx_http_campval_module.so}}
NGINX_BIN=${NGINX_BIN:-/usr/sbin/nginx}

need() { # need COMMAND PACKAGE: apt-get install PACKAGE when COMMAND is missing
    command -v "$1" >/dev/null 2>&1 && return 0
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo=sudo
    echo "installing $2"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get install -y -q "$2" >/dev/null 2>&1 ||
        { $sudo apt-get update -q >/dev/null 2>&1 && $sudo apt-get install -y -q "$2" >/dev/null 2>&1; }
}
need curl curl
need python3 python3
[ -x "$NGINX_BIN" ] || need nginx nginx
# the system interpreter: a version manager's shim can take a second per start
PY=${PYTHON:-$(command -v /usr/bin/python3 || command -v python3)}

# scratch NAME: a temporary nginx prefix in $T; on exit the nginx in $NGINX_PID is stopped and $T
# removed (KEEP_TMP=1 keeps it).
cleanup() {
    if [ -n "$NGINX_PID" ]; then
        kill -TERM "$NGINX_PID" 2>/dev/null
        for _ in $(seq 50); do kill -0 "$NGINX_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$NGINX_PID" 2>/dev/null
        wait "$NGINX_PID" 2>/dev/null
    fi
    if [ "${KEEP_TMP:-0}" = 1 ]; then echo "kept $T"; else rm -rf "$T"; fi
}
scratch() {
    T=$(mktemp -d "/tmp/campval-$1.XXXXXX")
    chmod 755 "$T"
    NGINX_PID=""
    trap cleanup EXIT
    trap 'exit 130' INT TERM
}

# free_ports N: N free TCP ports on 127.0.0.1, on one line
free_ports() {
    "$PY" -c '
import socket, sys
ss = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in ss: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in ss])' "$1"
}

# proxy_server PORT DIRECTIVES [LISTEN_OPTIONS]: a server block on 127.0.0.1:PORT that applies
# DIRECTIVES (campval's, Lua's, or none) and proxies to the upstream named "upstream".
proxy_server() {
    cat <<EOF
    server {
        listen 127.0.0.1:$1${3:+ $3};
        location / {
            $2
            proxy_pass http://upstream;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }
    }
EOF
}

# dnc_fixtures DIR: a do-not-call list with a bad line (DIR/dnc_bad.txt) and one-contact bodies
# on and off +1 415-555-0123 (DIR/bodies/dnc_hit.json, dnc_miss.json): a US number, a window
# inside federal calling hours and no timezone, so the built-in rules find nothing else on any
# day the tests run. The nginx and Lua tests share them.
dnc_fixtures() {
    local T=$1 DNC_BODY
    printf '+14155550199\n# next line is bad\n+1 415 555 01x3\n' > "$T/dnc_bad.txt"
    DNC_BODY='{"assistant_id":"182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e","name":"Do-not-call check",'
    DNC_BODY+='"launch":false,"from_phone_number":"+14155550100","max_concurrent_calls":1,'
    DNC_BODY+='"contacts":[{"to_phone_number":"NUMBER","prompt_variables":{"first_name":"Dana"}}],'
    DNC_BODY+='"call_retry_config":{"allowed_days":["monday","tuesday","wednesday","thursday","friday"],'
    DNC_BODY+='"calling_windows":[{"calling_window_start_time":"10:00","calling_window_end_time":"1pm",'
    DNC_BODY+='"retry_delay_seconds":3600}],"max_retry_attempts":1,"call_twice_in_a_row":false}}'
    printf '%s' "${DNC_BODY/NUMBER/+14155550123}" > "$T/bodies/dnc_hit.json"
    printf '%s' "${DNC_BODY/NUMBER/+14155550124}" > "$T/bodies/dnc_miss.json"
}
