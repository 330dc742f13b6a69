#!/usr/bin/env python3
"""Write a campaign_create request body with COUNT contacts, all valid unless --bad is given.

Usage: gen-body.py COUNT OUTPUT [--bad INDEX] [--compact] [--no-retry]

Deterministic (same bytes on every run), like scripts/gen-large-case.py, whose phone number
shapes it reuses: valid E.164 numbers from seven countries. --bad INDEX gives contact INDEX a
number with spaces (E164 at /contacts/INDEX/to_phone_number, and nothing else). Pretty-printed
with indent 1 unless --compact; --no-retry leaves call_retry_config out. 10,000 contacts make
about 1.6 MB, 100 about 16 KB; 2 contacts compact without call_retry_config about 380 bytes.
"""
import argparse
import json

COUNTRIES = [
    ("1", "415555", 4), ("33", "6", 8), ("44", "7911", 6), ("49", "151", 8),
    ("81", "90", 8), ("55", "11", 9), ("61", "4", 8),
]
FIRST_NAMES = ["Dana", "Léa", "Oliver", "Jürgen", "Haruto", "João", "Mia", "Zoë", "Ana", "Sam"]
PLANS = ["Starter", "Pro", "Team", "Enterprise"]


def contact(i, bad):
    cc, prefix, width = COUNTRIES[i % len(COUNTRIES)]
    number = "+" + cc + prefix + str(i % 10 ** width).zfill(width)
    if i == bad:
        number = "+44 20 7946 0958"
    return {
        "to_phone_number": number,
        "prompt_variables": {
            "first_name": FIRST_NAMES[i % len(FIRST_NAMES)],
            "customer_ref": "CUST-%06d" % i,
            "plan": PLANS[i % len(PLANS)],
        },
    }


def make_body(count, bad=-1, retry=True):
    body = {
        "assistant_id": "182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e",
        "name": "Gateway test: %d contacts" % count,
        "launch": False,
        "max_concurrent_calls": 20,
        "contacts": [contact(i, bad) for i in range(count)],
    }
    if retry:
        body["call_retry_config"] = {
            "allowed_days": ["monday", "tuesday", "wednesday", "thursday", "friday"],
            "calling_windows": [
                {"calling_window_start_time": "09:00", "calling_window_end_time": "6pm",
                 "retry_delay_seconds": 7200}
            ],
            "max_retry_attempts": 3,
        }
    return body


def write(body, path, compact=False):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        if compact:
            json.dump(body, f, ensure_ascii=False, separators=(",", ":"))
        else:
            json.dump(body, f, ensure_ascii=False, indent=1)
            f.write("\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("count", type=int)
    ap.add_argument("output")
    ap.add_argument("--bad", type=int, default=-1)
    ap.add_argument("--compact", action="store_true")
    ap.add_argument("--no-retry", action="store_true")
    a = ap.parse_args()
    write(make_body(a.count, a.bad, not a.no_retry), a.output, a.compact)


if __name__ == "__main__":
    main()
