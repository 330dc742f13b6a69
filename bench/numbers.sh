#!/bin/sh
# Number lists and time zone data at scale: 10 million random numbers written to
# bench/out/numbers-{random,sorted}.txt (about 150 MB each), loaded with campval_numbers_load
# (time, bytes kept, allocator peak, ns per lookup), the peak RSS of a load alone, and the
# load time of every time zone (bench/tzdb.c). Takes about a minute; two cores are plenty.
#
# usage: bench/numbers.sh [N]        (default 10000000)
# environment: BUILD (default build: libcampval and version.h)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=${BUILD:-$root/build}
out=$here/out
n=${1:-10000000}

[ -f "$build/libcampval.a" ] || { echo "bench/numbers.sh: build $build first" >&2; exit 1; }
mkdir -p "$out"
cc -O2 -std=c11 -I"$root/include" -I"$build/include" -o "$out/numbers" "$here/numbers.c" \
    -L"$build" -Wl,-rpath,"$build" -lcampval
cc -O2 -std=c11 -I"$root/include" -I"$root/src" -I"$build/include" -o "$out/tzdb" \
    "$here/tzdb.c" "$build/libcampval.a" -lpcre2-8

"$out/numbers" "$out/numbers" "$n"
if [ -x /usr/bin/time ]; then
    for kind in random sorted; do
        /usr/bin/time -f "  peak RSS %M KB" "$out/numbers" --load-only "$out/numbers-$kind.txt"
    done
fi
"$out/tzdb"
