#!/usr/bin/env python3
"""Write the large campaign_create test case: 10,000 contacts, exactly one bad phone number.

Usage: gen-large-case.py [OUTPUT]
Default OUTPUT: tests/data/cases/create_10000_contacts_one_bad.json next to this script's
repository root. The output is deterministic (no randomness), so the file is byte-identical on
every run. Expected result (tests/data/cases/manifest.json):
    E164 at /contacts/5000/to_phone_number, and nothing else.
About 1.4 MB and ~90,000 JSON tokens (values plus member names), within campval's default workspace of 262,144 tokens.
"""
import json
import os
import sys

COUNT = 10000
BAD_INDEX = 5000
BAD_NUMBER = "+44 20 7946 0958"  # spaces: not E.164

# (country code, national-number prefix, digits after the prefix): valid E.164 shapes.
COUNTRIES = [
    ("1", "415555", 4),    # US: +1 415 555 xxxx
    ("33", "6", 8),        # FR mobile: +33 6 xxxx xxxx
    ("44", "7911", 6),     # UK mobile: +44 7911 xxxxxx
    ("49", "151", 8),      # DE mobile: +49 151 xxxx xxxx
    ("81", "90", 8),       # JP mobile: +81 90 xxxx xxxx
    ("55", "11", 9),       # BR: +55 11 9xxxx xxxx
    ("61", "4", 8),        # AU mobile: +61 4xx xxx xxx
]
FIRST_NAMES = ["Dana", "Léa", "Oliver", "Jürgen", "Haruto", "João", "Mia", "Zoë", "Ana", "Sam"]


def contact(i):
    cc, prefix, width = COUNTRIES[i % len(COUNTRIES)]
    number = "+" + cc + prefix + str(i).zfill(width)
    if i == BAD_INDEX:
        number = BAD_NUMBER
    return {
        "to_phone_number": number,
        "prompt_variables": {
            "first_name": FIRST_NAMES[i % len(FIRST_NAMES)],
            "customer_ref": "CUST-%06d" % i,
        },
    }


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        root, "tests", "data", "cases", "create_10000_contacts_one_bad.json")
    body = {
        "assistant_id": "182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e",
        "name": "Large import: 10,000 contacts",
        "launch": False,
        "max_concurrent_calls": 20,
        "contacts": [contact(i) for i in range(COUNT)],
        "call_retry_config": {
            "allowed_days": ["monday", "tuesday", "wednesday", "thursday", "friday"],
            "calling_windows": [
                # 10:00-13:00 local time is legal in every region of COUNTRIES (France:
                # 10:00-13:00 and 14:00-20:00), so the calling-hours check finds nothing.
                {"calling_window_start_time": "10:00", "calling_window_end_time": "1pm",
                 "retry_delay_seconds": 7200}
            ],
            "max_retry_attempts": 3,
        },
    }
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    tmp = out + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        json.dump(body, f, ensure_ascii=False, indent=1)
        f.write("\n")
    os.replace(tmp, out)


if __name__ == "__main__":
    main()
