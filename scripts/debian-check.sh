#!/usr/bin/env bash
# Builds the Debian packages from a clean export of HEAD (dpkg-buildpackage -b -us -uc),
# installs them on this machine, and uses them as a user would: the installed CLI on the
# example, a C program built against libcampval-dev with pkg-config, `man campval`, and the
# installed nginx module with `nginx -t` and one request on 127.0.0.1. Run as root on Debian 12.
# Ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
src=$(pwd)
work=$(mktemp -d)
pass=0
fail=0
check() {
    local name=$1
    shift
    if "$@" >"$work/out" 2>&1; then
        pass=$((pass + 1)); echo "ok   $name"
    else
        fail=$((fail + 1)); echo "FAIL $name"; sed 's/^/     /' "$work/out" | tail -25
    fi
}
export DEBIAN_FRONTEND=noninteractive
need="dpkg-dev debhelper nginx nginx-dev libssl-dev zlib1g-dev meson ninja-build pkg-config libjsmn-dev libpcre2-dev libphonenumber-dev groff-base man-db curl"
missing=""
for p in $need; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -n "$missing" ] && apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing >/dev/null

git archive --format=tar --prefix=campval/ HEAD | tar x -C "$work"
check "dpkg-buildpackage -b -us -uc" sh -c \
    "cd '$work/campval' && DEB_BUILD_OPTIONS='nocheck parallel=2' dpkg-buildpackage -b -us -uc"
debs=$(ls "$work"/*.deb 2>/dev/null | grep -v dbgsym)
check "four packages built" sh -c "for p in libcampval0 libcampval-dev campval libnginx-mod-http-campval; do
    ls '$work'/\${p}_*.deb >/dev/null || exit 1; done"
check "apt-get install the packages" apt-get install -y -qq --no-install-recommends $debs

check "installed CLI validates the example" /usr/bin/campval check "$src/examples/campaign_create.json"
check "installed CLI rejects the invalid example" sh -c \
    "/usr/bin/campval check '$src/examples/campaign_create_invalid.json'; test \$? -eq 1"
check "man campval opens" sh -c "man -w campval && MANPAGER=cat man campval | grep -q 'campval check'"
check "man 3 campval opens" sh -c "MANPAGER=cat man 3 campval | grep -q campval_validate"
check "a C program built with pkg-config against libcampval-dev" sh -c \
    "cc -o '$work/consumer' '$src/tests/consumer/main.c' \$(pkg-config --cflags --libs campval) &&
     '$work/consumer' '$src/examples/campaign_create.json' && ldd '$work/consumer' | grep -Eq 'libcampval.so.0 => (/usr)?/lib/'"
check "readelf shows the versioned SONAME" sh -c \
    "readelf -d /usr/lib/*/libcampval.so.0 | grep -q 'SONAME.*libcampval.so.0'"
check "the module is enabled in modules-enabled" sh -c "ls /etc/nginx/modules-enabled/ | grep -q campval"

# nginx with the installed module, on a port of its own, its own prefix; the system nginx is
# not started or touched.
port=$((20000 + RANDOM % 20000))
mkdir -p "$work/ngx/logs"
# load_module paths are relative to the prefix: Debian's is /usr/share/nginx, whose modules/
# links to /usr/lib/nginx/modules; this prefix gets the same link.
ln -s /usr/lib/nginx/modules "$work/ngx/modules"
cat >"$work/ngx/nginx.conf" <<CONF
include /etc/nginx/modules-enabled/*campval*.conf;
worker_processes 1;
pid $work/ngx/nginx.pid;
error_log $work/ngx/logs/error.log;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path $work/ngx/body;
    proxy_temp_path $work/ngx/proxy;
    fastcgi_temp_path $work/ngx/fcgi;
    uwsgi_temp_path $work/ngx/uwsgi;
    scgi_temp_path $work/ngx/scgi;
    server {
        listen 127.0.0.1:$port;
        # validation runs before the content phase: an upstream, since "return" would skip it
        location = /campaigns { campval_rules campaign_create; proxy_pass http://127.0.0.1:$port/upstream; }
        location = /upstream { return 200 "accepted\n"; }
    }
}
CONF
check "nginx -t with the installed module" nginx -t -p "$work/ngx" -c "$work/ngx/nginx.conf"
if nginx -p "$work/ngx" -c "$work/ngx/nginx.conf" 2>"$work/ngx/start.err"; then
    sleep 0.5
    check "one valid request passes" sh -c "curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
        --data-binary @'$src/examples/campaign_create.json' http://127.0.0.1:$port/campaigns | grep -qx 200"
    check "one invalid request gets 422 problem+json" sh -c "curl -s -D - -H 'Content-Type: application/json' \
        --data-binary @'$src/examples/campaign_create_invalid.json' http://127.0.0.1:$port/campaigns |
        grep -qi 'content-type: application/problem+json'"
    nginx -p "$work/ngx" -c "$work/ngx/nginx.conf" -s stop 2>/dev/null
else
    fail=$((fail + 1)); echo "FAIL nginx did not start"; cat "$work/ngx/start.err"
fi
# leave the machine as it was: the packages go again
apt-get purge -y -qq campval libcampval-dev libnginx-mod-http-campval libcampval0 >/dev/null 2>&1
rm -rf "$work"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
