#!/usr/bin/env python3
"""Total the individual test cases of a meson test run.

usage: count-tests.py BUILD_DIR...
Reads each BUILD_DIR/meson-logs/testlog.json. Criterion executables report
"Synthesis: Tested: T | Passing: P | Failing: F | Crashing: C"; campval's own runners end
with "N passed, N failed" or a "total P F" row. Any other test counts as one, by its result.
Prints "P F" (two numbers).
"""
import json
import re
import sys

CRITERION = re.compile(r"Synthesis: Tested: (\d+) \| Passing: (\d+) \| Failing: (\d+) \| Crashing: (\d+)")
PLAIN = re.compile(r"^(\d+) passed, (\d+) failed", re.M)
TOTAL = re.compile(r"^total\s+(\d+)\s+(\d+)\s*$", re.M)


def count(build):
    passed = failed = 0
    with open(build + "/meson-logs/testlog.json") as f:
        for line in f:
            t = json.loads(line)
            out = (t.get("stdout") or "") + (t.get("stderr") or "")
            ok = t.get("result") == "OK"
            m = CRITERION.findall(out)
            rows = TOTAL.findall(out) or PLAIN.findall(out)
            if m:
                p, f_ = int(m[-1][1]), int(m[-1][0]) - int(m[-1][1])
            elif rows:
                p, f_ = int(rows[-1][0]), int(rows[-1][1])
            else:
                p, f_ = int(ok), int(not ok)
            if not ok and f_ == 0:
                f_ = 1  # the executable failed beyond its own count (crash, timeout)
            passed += p
            failed += f_
    return passed, failed


if __name__ == "__main__":
    P = F = 0
    for b in sys.argv[1:]:
        p, f = count(b)
        P += p
        F += f
    print(P, F)
