#!/bin/sh
# campval quick start: install what is missing (Debian 12, as root), build, then
#   scripts/quickstart.sh example   validate the bundled example payload
#   scripts/quickstart.sh test      run the whole test suite
set -eu
cd "$(dirname "$0")/.."

need="meson ninja-build pkg-config gcc g++ python3 libjsmn-dev libpcre2-dev libphonenumber-dev libcriterion-dev"
missing=""
for p in $need; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "quickstart: installing$missing" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

if [ -f build/build.ninja ]; then
    meson setup --reconfigure build >/dev/null
else
    meson setup build >/dev/null
fi
ninja -C build >/dev/null

case "${1:-example}" in
example)
    # Exit status 0: the example is valid.
    ./build/campval check examples/campaign_create.json
    ;;
test)
    meson test -C build --print-errorlogs
    ;;
*)
    echo "usage: scripts/quickstart.sh example|test" >&2
    exit 2
    ;;
esac
