#!/usr/bin/env bash
# Load comparison: the same nginx proxy with and without campval, loopback only.
#
# Usage: gateway/nginx/load.sh [MODULE.so [CAMPVAL_ROOT]]   (arguments as test.sh)
# Environment: NGINX_BIN (default /usr/sbin/nginx), DURATION (10s), THREADS (2),
# CONNECTIONS (32), ROUNDS (3), WORKERS (nginx worker_processes, 1), KEEP_TMP=1 keeps the
# temporary directory.
#
# One nginx: a proxy server with `campval_rules campaign_create`, an identical proxy server
# without it, and an upstream server that reads the body and answers 200 (nginx itself, so the
# upstream is never the bottleneck). wrk POSTs the same body to each proxy, for a small body
# (2 contacts, ~380 B) and a 100-contact body (~16 KB), ROUNDS times each, alternating, and the
# table shows the medians of requests/s and of p50 and p99 latency, the errors (non-2xx answers,
# socket errors and timeouts; 0 expected) and each round's requests/s. For the 100-contact body
# it then prints the time campval adds per request, 1/(req/s with campval) - 1/(req/s plain), and
# its ratio to jsmn alone tokenizing the same body (bench/jsmn_bench.c, built here with cc -O2;
# needs libjsmn-dev), run for JSMN_SECONDS (1) after each of the body's rounds. Issue #19's goal
# is at most 1.6x. Runs about 2 x 2 x ROUNDS x DURATION. Figures depend on the machine and on
# what else runs on it.
set -uo pipefail

. "$(cd "$(dirname "$0")" && pwd)/common.sh"
DURATION=${DURATION:-10s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
WORKERS=${WORKERS:-1}
ROUNDS=${ROUNDS:-3}
JSMN_SECONDS=${JSMN_SECONDS:-1}

need wrk wrk

if [ ! -e "$MODULE" ]; then
    echo "load.sh: no module at $MODULE" >&2
    exit 2
fi
MODULE=$(cd "$(dirname "$MODULE")" && pwd)/$(basename "$MODULE")

scratch nginx-load

read -r P_ON P_OFF P_UP < <(free_ports 3)

"$PY" "$here/gen-body.py" 2 "$T/small.json" --compact --no-retry
"$PY" "$here/gen-body.py" 100 "$T/c100.json"

{
    cat <<EOF
load_module $MODULE;
pid $T/nginx.pid;
error_log $T/error.log warn;
worker_processes $WORKERS;
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
    upstream upstream {
        server 127.0.0.1:$P_UP;
        keepalive 64;
    }
    server {
        listen 127.0.0.1:$P_UP;
        location / { return 200 "{\"id\":\"c_1\"}\n"; }
    }
EOF
    proxy_server "$P_ON" "campval_rules campaign_create;" "reuseport backlog=4096"
    proxy_server "$P_OFF" "" "reuseport backlog=4096"
    echo "}"
} > "$T/nginx.conf"

if ! "$NGINX_BIN" -t -p "$T" -c "$T/nginx.conf" >"$T/t.out" 2>&1; then
    cat "$T/t.out" >&2
    exit 1
fi
"$NGINX_BIN" -p "$T" -c "$T/nginx.conf" -g 'daemon off;' &
NGINX_PID=$!
for _ in $(seq 100); do
    curl -s -o /dev/null "http://127.0.0.1:$P_UP/" && break
    sleep 0.1
done

for b in small c100; do
    for p in "$P_ON" "$P_OFF"; do
        code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
            --data-binary "@$T/$b.json" "http://127.0.0.1:$p/campaigns")
        if [ "$code" != 200 ]; then
            echo "load.sh: $b.json through port $p answered $code, expected 200" >&2
            exit 1
        fi
    done
    cat > "$T/$b.lua" <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = assert(io.open("$T/$b.json", "rb"))
wrk.body = f:read("*a")
f:close()
function done(summary, latency, requests)
    local e = summary.errors
    io.write(string.format("RESULT %.1f %.3f %.3f %d %d\n",
        summary.requests / (summary.duration / 1e6),
        latency:percentile(50) / 1000, latency:percentile(99) / 1000,
        e.status + e.connect + e.read + e.write + e.timeout, summary.requests))
end
EOF
done

# jsmn alone on the same body, the yardstick for what campval adds
JSMN_BENCH=""
if ${CC:-cc} -O2 -o "$T/jsmn_bench" "$ROOT/bench/jsmn_bench.c" 2>"$T/jsmn_cc.out"; then
    JSMN_BENCH=$T/jsmn_bench
else
    echo "load.sh: cannot build bench/jsmn_bench.c (libjsmn-dev?): no ratio to jsmn" >&2
fi

run() { # run BODY PORT: "req/s p50 p99 errors requests"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -s "$T/$1.lua" "http://127.0.0.1:$2/campaigns" 2>&1 |
        sed -n 's/^RESULT //p'
}

# Rounds alternate off and on so that a neighbour's load hits both alike; medians are shown.
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION x $ROUNDS rounds (medians), nginx worker_processes $WORKERS, $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
for b in small c100; do
    wrk -t"$THREADS" -c"$CONNECTIONS" -d2s -s "$T/$b.lua" "http://127.0.0.1:$P_OFF/campaigns" >/dev/null 2>&1
    wrk -t"$THREADS" -c"$CONNECTIONS" -d2s -s "$T/$b.lua" "http://127.0.0.1:$P_ON/campaigns" >/dev/null 2>&1
    for _ in $(seq "$ROUNDS"); do
        echo "$b off $(run "$b" "$P_OFF")" >> "$T/results"
        echo "$b on $(run "$b" "$P_ON")" >> "$T/results"
        if [ "$b" = c100 ] && [ -n "$JSMN_BENCH" ]; then
            "$JSMN_BENCH" "$JSMN_SECONDS" "$T/c100.json" |
                sed -n 's/.*us_per_op=\([0-9.]*\).*/jsmn \1/p' >> "$T/results"
        fi
    done
done

"$PY" - "$T/results" "$(wc -c < "$T/small.json")" "$(wc -c < "$T/c100.json")" <<'EOF'
import statistics
import sys

rows = {}
jsmn = []
for line in open(sys.argv[1]):
    f = line.split()
    if len(f) == 7:
        rows.setdefault((f[0], f[1]), []).append([float(x) for x in f[2:]])
    elif len(f) == 2 and f[0] == "jsmn":
        jsmn.append(float(f[1]))
sizes = {"small": sys.argv[2], "c100": sys.argv[3]}
labels = {"small": "2 contacts", "c100": "100 contacts"}
fmt = "%-14s %7s  %-7s %10s %9s %9s %8s %s"
print(fmt % ("body", "bytes", "campval", "req/s", "p50 ms", "p99 ms", "errors", "req/s per round"))
for b in ("small", "c100"):
    med = {}
    for mode in ("off", "on"):
        runs = rows.get((b, mode), [])
        if not runs:
            print(fmt % (labels[b], sizes[b], mode, "-", "-", "-", "-", "(no result)"))
            continue
        m = [statistics.median(r[i] for r in runs) for i in range(3)]
        med[mode] = m
        errors = int(sum(r[3] for r in runs))
        print(fmt % (labels[b], sizes[b], mode, "%.0f" % m[0], "%.2f" % m[1], "%.2f" % m[2],
                     errors, " ".join("%.0f" % r[0] for r in runs)))
    if len(med) == 2:
        print("%-14s %7s  %-7s %9.1f%% %+8.2f %+9.2f" % (
            "", "", "change", 100 * (med["on"][0] - med["off"][0]) / med["off"][0],
            med["on"][1] - med["off"][1], med["on"][2] - med["off"][2]))

# What campval adds to one request of the 100-contact body, from the medians and from the best
# rounds, against jsmn alone on the same body (median and best of its runs).
on = [r[0] for r in rows.get(("c100", "on"), [])]
off = [r[0] for r in rows.get(("c100", "off"), [])]
if on and off:
    added = 1e6 / statistics.median(on) - 1e6 / statistics.median(off)
    added_best = 1e6 / max(on) - 1e6 / max(off)
    print("100 contacts: campval adds %.1f us per request (medians; best rounds %.1f us)"
          % (added, added_best))
    if jsmn:
        j, j_best = statistics.median(jsmn), min(jsmn)
        print("jsmn alone on the same body: %.1f us (median of %d runs; best %.1f us)"
              % (j, len(jsmn), j_best))
        print("campval added / jsmn alone: %.2fx (best rounds %.2fx); goal at most 1.6x"
              % (added / j, added_best / j_best))
EOF

if grep -E '\[(alert|emerg|crit)\]|exited on signal' "$T/error.log"; then
    echo "load.sh: nginx logged alerts" >&2
    exit 1
fi
