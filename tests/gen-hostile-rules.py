#!/usr/bin/env python3
"""Write hostile rules files that a quadratic rules compiler would take seconds or minutes on.

Usage: gen-hostile-rules.py CASE OUTPUT [N]
       gen-hostile-rules.py --all DIR [N]

Cases (N defaults to 100,000; output is deterministic):
  refchain     $defs a0 -> a1 -> ... -> a(N-1) by "#/$defs/..." pointers, the root refs a0
  refcycle     the same chain with the last link back to a0 (a compile error)
  props        N properties and the same N names in required
  anchors      N $defs, even ones with $anchor, odd ones with $id; the root's anyOf refs each
  dynanchors   N $defs with a $dynamicAnchor each, the root's anyOf $dynamicRefs each
  enum         one enum of N strings
  deep         "items" nested N levels (at most 500: the depth limit is 512)
  deepwide     N properties under a 5.5 KB path (keyword locations would take N * 4 KiB)
  patterns     patternProperties with N patterns
  allof        allOf with N empty-ish subschemas ({"type": "string"})
Used by tests/test_compile.c (through meson) and by hand for timing:
  time ./build/campval check --rules FILE payload.json
"""
import json
import sys

DEFAULT_N = 100000


def refchain(n, cycle=False):
    defs = {}
    for i in range(n - 1):
        defs["a%d" % i] = {"$ref": "#/$defs/a%d" % (i + 1)}
    defs["a%d" % (n - 1)] = {"$ref": "#/$defs/a0"} if cycle else {"type": "object"}
    return {"$defs": defs, "$ref": "#/$defs/a0"}


def props(n):
    names = ["p%d" % i for i in range(n)]
    return {"type": "object", "properties": {k: {"type": "string"} for k in names},
            "required": names}


def anchors(n):
    defs, refs = {}, []
    for i in range(n):
        if i % 2 == 0:
            defs["d%d" % i] = {"$anchor": "a%d" % i, "type": "string"}
            refs.append({"$ref": "#a%d" % i})
        else:
            uri = "https://example.com/d%d" % i
            defs["d%d" % i] = {"$id": uri, "type": "integer"}
            refs.append({"$ref": uri})
    return {"$defs": defs, "anyOf": refs}


def dynanchors(n):
    defs = {"d%d" % i: {"$dynamicAnchor": "a%d" % i, "type": "string"} for i in range(n)}
    return {"$defs": defs, "anyOf": [{"$dynamicRef": "#a%d" % i} for i in range(n)]}


def enum(n):
    return {"enum": ["value-%d" % i for i in range(n)]}


def deep(n):
    schema = {"type": "string"}
    for _ in range(n):
        schema = {"items": schema}
    return schema


def deepwide(n):
    # 250 levels of "properties"/<10-letter name> (a 5.5 KB path), then n properties there: every
    # keyword location would repeat the long path.
    schema = {"properties": {"p%d" % i: {"type": "string"} for i in range(n)}}
    for _ in range(250):
        schema = {"properties": {"abcdefghij": schema}}
    return schema


def patterns(n):
    return {"type": "object",
            "patternProperties": {"^p%d-[a-z]+$" % i: {"type": "string"} for i in range(n)}}


def allof(n):
    return {"allOf": [{"type": "string"} for _ in range(n)]}


CASES = {"refchain": refchain, "refcycle": lambda n: refchain(n, True), "props": props,
         "anchors": anchors, "dynanchors": dynanchors, "enum": enum, "deep": deep,
         "deepwide": deepwide,
         "patterns": patterns, "allof": allof}


def write(case, path, n):
    if case == "deep":
        n = min(n, 500)  # the depth limit (512) applies to the JSON itself
    with open(path, "w") as f:
        # Nested schemas are built iteratively; json.dumps recurses, so lift its limit.
        sys.setrecursionlimit(10000)
        json.dump(CASES[case](n), f, separators=(",", ":"))


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    n = int(sys.argv[3]) if len(sys.argv) > 3 else DEFAULT_N
    if sys.argv[1] == "--all":
        for case in CASES:
            write(case, "%s/hostile_%s.json" % (sys.argv[2], case), n)
    else:
        write(sys.argv[1], sys.argv[2], n)


if __name__ == "__main__":
    main()
