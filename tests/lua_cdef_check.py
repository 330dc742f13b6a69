#!/usr/bin/env python3
"""The LuaJIT FFI declarations in lua/campval.lua must lay out the structs Lua allocates exactly
as include/campval.h does: a struct that grows in the header but not in the cdef lets the library
write past the end of Lua's copy (a crash under load). Compares field names and order.

The numeric constants campval.lua writes out (`local CAMPVAL_NAME = 327`) must be the header's:
each is looked up among the codes of the CAMPVAL_CODES list (X(NAME, number, ...) gives
CAMPVAL_NAME), the enumerators of the header's enums and its integer #defines, and must exist
there with the same value. A Lua constant the header does not define fails too.

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


def header_constants(text):
    """Name -> value of every integer constant in the header (comments already removed)."""
    values = {}
    for name, num in re.findall(r"X\(\s*(\w+)\s*,\s*(\d+)\s*,", text):
        values["CAMPVAL_" + name] = int(num)

    def evaluate(expr):
        expr = re.sub(r"\b(0[xX][0-9a-fA-F]+|\d+)[uUlL]*\b", r"\1", expr.strip())
        expr = re.sub(r"\(\s*(?:size_t|uint32_t|int)\s*\)", "", expr)
        expr = re.sub(r"\bCAMPVAL_\w+\b", lambda m: str(values[m.group(0)]), expr)
        if not re.fullmatch(r"[0-9a-fA-FxX()<>|&+\-* ]+", expr):
            raise ValueError(expr)
        return int(eval(expr, {"__builtins__": {}}))

    for body in re.findall(r"\benum\s+\w*\s*\{(.*?)\}", text, re.S):
        nxt = 0
        for item in body.split(","):
            m = re.match(r"\s*(CAMPVAL_\w+)\s*(?:=\s*(.+?))?\s*$", item, re.S)
            if not m:
                continue
            try:
                nxt = evaluate(m.group(2)) if m.group(2) else nxt
            except (KeyError, ValueError, SyntaxError):
                continue
            values[m.group(1)] = nxt
            nxt += 1
    for name, expr in re.findall(r"^#define\s+(CAMPVAL_\w+)[ \t]+(.+)$", text, re.M):
        try:
            values.setdefault(name, evaluate(expr))
        except (KeyError, ValueError, SyntaxError):
            pass  # not an integer constant (strings, macros with arguments, build values)
    return values


passed = failed = 0
for struct in re.findall(r"typedef struct (campval_\w+) \{", lua):
    want, got = fields(header, struct), fields(lua, struct)
    if want == got:
        passed += 1
    else:
        failed += 1
        print("%s: header %s, lua %s" % (struct, want, got))

have = header_constants(header)
lua_code = re.sub(r"--\[\[.*?\]\]", "", lua, flags=re.S)
lua_consts = re.findall(r"^\s*local\s+(CAMPVAL_\w+)\s*=\s*(0[xX][0-9a-fA-F]+|\d+)\b", lua_code, re.M)
if not lua_consts:
    failed += 1
    print("no `local CAMPVAL_NAME = number` constants found in lua/campval.lua")
for name, num in lua_consts:
    if name not in have:
        failed += 1
        print("%s = %s in lua/campval.lua: the header defines no such constant" % (name, num))
    elif have[name] != int(num, 0):
        failed += 1
        print("%s = %s in lua/campval.lua, %d in include/campval.h" % (name, num, have[name]))
    else:
        passed += 1
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
