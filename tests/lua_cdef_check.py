#!/usr/bin/env python3
"""The LuaJIT FFI declarations in lua/campval.lua must lay out the structs Lua allocates exactly
as include/campval.h does: a struct that grows in the header but not in the cdef lets the library
write past the end of Lua's copy (a crash under load). Compares field names and order.

usage: lua_cdef_check.py SOURCE_ROOT      prints "N passed, N failed"
"""
import re
import sys

root = sys.argv[1]
header = open(root + "/include/campval.h").read()
lua = open(root + "/lua/campval.lua").read()
header = re.sub(r"/\*.*?\*/", "", header, flags=re.S)


def fields(text, name):
    m = re.search(r"typedef struct %s \{(.*?)\} %s;" % (name, name), text, re.S)
    if not m:
        return None
    body = re.sub(r"\[[^\]]*\]", "", m.group(1))
    return [f.split()[-1].lstrip("*") for f in body.replace("\n", " ").split(";") if f.strip()]


passed = failed = 0
for struct in re.findall(r"typedef struct (campval_\w+) \{", lua):
    want, got = fields(header, struct), fields(lua, struct)
    if want == got:
        passed += 1
    else:
        failed += 1
        print("%s: header %s, lua %s" % (struct, want, got))
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
