#!/usr/bin/env bash
# How another project sees campval: an install into a staging directory (soname, exported
# symbols, each of them named in campval(3), pkg-config, static linking, man pages, rules, the
# nginx module in <prefix>/lib/nginx/modules and its modules-available snippet loading it) and a
# separate meson project that uses campval as a subproject. The nginx checks need a build with
# the module (-Dnginx=enabled, nginx-dev); without it they are reported as skipped. Ends with
# "N passed, N failed" (", N skipped" appended when a check was skipped).
#
# usage: tests/packaging.sh BUILD_DIR SOURCE_ROOT
set -u
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
skipped=0
check() { # name, command...
    local name=$1
    shift
    if "$@" >"$tmp/out" 2>&1; then
        pass=$((pass + 1))
        echo "ok   $name"
    else
        fail=$((fail + 1))
        echo "FAIL $name"
        sed 's/^/     /' "$tmp/out" | head -20
    fi
}

stage=$tmp/stage
check "meson install --destdir" meson install -C "$build" --destdir "$stage" --no-rebuild
prefix=$(meson introspect "$build" --buildoptions | python3 -c \
    'import json,sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"]=="prefix"))')
libdir=$(meson introspect "$build" --buildoptions | python3 -c \
    'import json,sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"]=="libdir"))')
case $libdir in /*) ;; *) libdir=$prefix/$libdir ;; esac
root=$stage$prefix
lib=$stage$libdir

check "versioned SONAME libcampval.so.0" sh -c "readelf -d '$lib/libcampval.so.0' | grep -q 'SONAME.*\\[libcampval.so.0\\]'"
check "exports campval_* only" sh -c "! nm -D --defined-only '$lib/libcampval.so.0' | awk '{print \$3}' | grep -v '^campval_' | grep -Ev '^CAMPVAL_0(\.[0-9]+)?\$' | grep ."
check "header, version header, LICENSE, rules, man pages installed" sh -c \
    "test -f '$root/include/campval.h' && test -f '$root/include/campval/version.h' &&
     test -f '$root/share/doc/campval/LICENSE' &&
     test -f '$root/share/campval/rules/campaign_create.schema.json' &&
     test -f '$root/share/man/man3/campval.3' && test -f '$root/share/man/man1/campval.1' &&
     test -f '$root/share/bash-completion/completions/campval'"
check "campval(1) and campval(3) render without warnings" sh -c \
    "groff -man -ww -z '$root/share/man/man1/campval.1' '$root/share/man/man3/campval.3' 2>&1 | (! grep .)"

# every exported function is named in campval(3): a new export without a word there fails
check "campval(3) names every exported symbol (nm -D)" sh -c \
    "syms=\$(nm -D --defined-only '$lib/libcampval.so.0' | awk '\$3 ~ /^campval_/ {sub(/@.*/, \"\", \$3); print \$3}' | sort -u)
     [ -n \"\$syms\" ] || { echo 'no campval_* symbols exported'; exit 1; }
     missing=''
     for s in \$syms; do grep -qw \"\$s\" '$root/share/man/man3/campval.3' || missing=\"\$missing \$s\"; done
     [ -z \"\$missing\" ] || { echo \"not in campval(3):\$missing\"; exit 1; }"

# the nginx module and its modules-available snippet, where Debian's nginx looks for them; only
# when this build has the module (-Dnginx=enabled, or auto with nginx-dev installed)
if meson introspect "$build" --targets | python3 -c \
    'import json,sys; sys.exit(not any(t["name"] == "ngx_http_campval_module" for t in json.load(sys.stdin)))'; then
    module=$prefix/lib/nginx/modules/ngx_http_campval_module.so
    snippet=$root/share/nginx/modules-available/mod-http-campval.conf
    check "nginx module installed in <prefix>/lib/nginx/modules" test -f "$stage$module"
    check "modules-available/mod-http-campval.conf loads the installed module" sh -c \
        "test -f '$snippet' || { echo 'no $snippet'; exit 1; }
         lines=\$(grep -c '^[[:space:]]*load_module' '$snippet')
         path=\$(sed -n 's/^[[:space:]]*load_module[[:space:]]*\\([^;[:space:]]*\\);.*/\\1/p' '$snippet')
         [ \"\$lines\" = 1 ] && [ \"\$path\" = '$module' ] ||
             { echo \"load_module lines: \$lines, path: \$path, installed: $module\"; cat '$snippet'; exit 1; }"
else
    skipped=$((skipped + 1))
    echo "SKIP nginx module and snippet install paths (this build has no nginx module: -Dnginx=enabled needs nginx-dev)"
fi

export PKG_CONFIG_PATH=$lib/pkgconfig
pc() { pkg-config --define-variable=prefix="$root" "$@" campval; }
check "pkg-config finds campval" pc --modversion
check "shared link through pkg-config" sh -c \
    "cc -o '$tmp/dyn' '$src/tests/consumer/main.c' \$(pkg-config --define-variable=prefix='$root' --cflags --libs campval) &&
     LD_LIBRARY_PATH='$lib' '$tmp/dyn' '$src/examples/campaign_create.json'"
check "fully static link through pkg-config --static" sh -c \
    "cc -static -o '$tmp/static' '$src/tests/consumer/main.c' \
        \$(pkg-config --define-variable=prefix='$root' --static --cflags --libs campval) 2>'$tmp/ld.log' &&
     '$tmp/static' '$src/examples/campaign_create.json' && ! ldd '$tmp/static' >/dev/null 2>&1"
check "the static program says invalid for an invalid payload" sh -c \
    "'$tmp/static' '$src/examples/campaign_create_invalid.json'; test \$? -eq 1"

# A separate meson project with campval as a subproject: dependency('campval') resolves through
# meson.override_dependency, only include/ is on its path, nothing of campval installs.
unset PKG_CONFIG_PATH
proj=$tmp/consumer
cp -r "$src/tests/consumer" "$proj"
mkdir -p "$proj/subprojects"
ln -s "$src" "$proj/subprojects/campval"
check "subproject: configure and build" sh -c \
    "meson setup '$proj/build' '$proj' --force-fallback-for=campval -Dcampval:tests=disabled &&
     ninja -C '$proj/build'"
check "subproject: the program validates the example" "$proj/build/consumer" "$src/examples/campaign_create.json"
check "subproject: installs nothing of campval" sh -c \
    "meson install -C '$proj/build' --destdir '$tmp/sub-stage' >/dev/null; ! find '$tmp/sub-stage' -type f | grep -q ."
check "subproject: only campval's include/ is on the program's include path" python3 -c '
import json, sys
cmds = [c["command"] for c in json.load(open(sys.argv[1])) if c["file"].endswith("main.c")]
assert cmds, "no compile command for main.c"
flags = [f for f in cmds[0].split() if f.startswith("-I")]
assert any(f.endswith("subprojects/campval/include") for f in flags), flags
assert not any("campval/src" in f for f in flags), flags
' "$proj/build/compile_commands.json"

# the last line is what CI reads: "N passed, N failed" (then ", N skipped" when a check was skipped)
if [ "$skipped" -gt 0 ]; then
    echo "$pass passed, $fail failed, $skipped skipped"
else
    echo "$pass passed, $fail failed"
fi
[ "$fail" -eq 0 ]
