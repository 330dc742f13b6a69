#!/bin/sh
# The checked-in generated tables match their generators: src/tz_names.inc and
# src/region_zones.inc (from the system's tzdata) and src/tz_prefixes.inc (from the Python
# phonenumbers package). Each is regenerated into a scratch directory and compared, when the
# source it was made from is installed in the same version as the file's header records; a
# different version is reported and not compared (rerun the generator to update). Exits 77
# (skipped) when nothing could be compared.
#
# usage: tests/generated_tables.sh SOURCE_ROOT
set -u

root=$1
zi=${TZDIR:-/usr/share/zoneinfo}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
compared=0
failed=0

check() { # name generated checked-in
    if cmp -s "$2" "$3"; then
        echo "ok: $1"
    else
        echo "FAIL: $1 differs from its generator's output:"
        diff "$3" "$2" | head -20
        failed=1
    fi
    compared=$((compared + 1))
}

# tzdata version in a header: "from tzdata 2025b"
recorded() { sed -n 's/.*from tzdata \([^ ]*\) .*/\1/p' "$1" | head -n 1; }

sysver=$(sed -n 's/^# version \([^ ]*\)$/\1/p' "$zi/tzdata.zi" 2>/dev/null | head -n 1)
if [ -z "$sysver" ]; then
    echo "skip: no $zi/tzdata.zi"
else
    for t in tz_names region_zones; do
        ver=$(recorded "$root/src/$t.inc")
        if [ "$ver" != "$sysver" ]; then
            echo "skip: src/$t.inc is from tzdata $ver, the system has $sysver"
            continue
        fi
        if [ $t = tz_names ]; then
            sh "$root/scripts/gen-tz-names.sh" "$zi/tzdata.zi" "$tmp/$t.inc" || failed=1
        else
            sh "$root/scripts/gen-region-zones.sh" "$zi" "$tmp/$t.inc" "$root/src/tz_names.inc" ||
                failed=1
        fi
        check "src/$t.inc" "$tmp/$t.inc" "$root/src/$t.inc"
    done
fi

# phonenumbers: any python3 on PATH, or the system's (Debian's python3-phonenumbers)
want=$(sed -n 's/.*from phonenumbers \([^ ]*\) .*/\1/p' "$root/src/tz_prefixes.inc" | head -n 1)
py=
for p in python3 /usr/bin/python3; do
    if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import phonenumbers' >/dev/null 2>&1; then
        py=$p
        break
    fi
done
if [ -z "$py" ]; then
    echo "skip: src/tz_prefixes.inc (no python3 with phonenumbers; apt-get install python3-phonenumbers)"
else
    have=$("$py" -c 'import phonenumbers; print(phonenumbers.__version__)')
    if [ "$have" != "$want" ]; then
        echo "skip: src/tz_prefixes.inc is from phonenumbers $want, $py has $have"
    else
        "$py" "$root/scripts/gen-tz-prefixes.py" "$tmp/tz_prefixes.inc" "$root/src/tz_names.inc" ||
            failed=1
        check "src/tz_prefixes.inc" "$tmp/tz_prefixes.inc" "$root/src/tz_prefixes.inc"
    fi
fi

[ $failed -eq 0 ] || exit 1
[ $compared -gt 0 ] || exit 77
exit 0
