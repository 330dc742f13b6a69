#!/usr/bin/env python3
"""Compare the module signature the headers give with the one in the nginx binary.

Usage: check-signature.py SIGNATURE NGINX_BINARY

SIGNATURE is NGX_MODULE_SIGNATURE as the preprocessor expands it (meson's cc.get_define):
a run of adjacent string literals. nginx refuses to load a module whose signature differs from
its own ("module ... is not binary compatible"), so a mismatch means debian12/ no longer
describes the installed nginx. Exit status: 0 same (or no binary to compare with), 1 different.
"""
import os
import re
import sys


def main():
    sig = "".join(re.findall(r'"([^"]*)"', sys.argv[1])) or sys.argv[1]
    binary = sys.argv[2]
    if not os.path.exists(binary):
        print("no %s to compare with; module signature %s" % (binary, sig))
        return 0
    with open(binary, "rb") as f:
        data = f.read()
    found = sorted(set(m.decode() for m in re.findall(rb"\d+,\d+,\d+,[01]{20,}", data)))
    if sig in found:
        print("module signature %s matches %s" % (sig, binary))
        return 0
    print("module signature %s differs from %s's %s" % (sig, binary, ", ".join(found) or "(none)"))
    return 1


if __name__ == "__main__":
    sys.exit(main())
