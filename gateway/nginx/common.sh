# Shared by test.sh and load.sh (sourced): paths, and installing what the scripts run.
# Sets here, ROOT (campval checkout), MODULE (the .so), NGINX_BIN, PY; defines need().

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
