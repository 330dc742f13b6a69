"""Compare campval with the jsonschema package on the same rules and payload (not a test).

usage: PYTHONPATH=build/python python3 python/bench.py [CONTACTS] [SECONDS]
Needs python3-jsonschema (Debian). Rules: rules/campaign_create.schema.json for both. The
payload measured: examples/campaign_create.json with CONTACTS contacts (default 100) whose
numbers are in New York, the campaign's time zone, so that a valid request with no finding at
all is what is measured; the day is pinned to Monday 2026-12-07 12:00 UTC (validate's ``at``),
so the calling-hours check gives the same answer whatever day the script runs. A second figure
is for the same payload with the example's California number (+1415...): its windows are
06:00-09:00 there, so every contact gets a CALLING_HOURS warning and campval builds one warning
object per contact (jsonschema knows nothing of calling hours and does the same work as for the
first payload). jsonschema gets the document already parsed (json.loads is timed with it, as a
server would have to do).
"""
import importlib.metadata
import json
import pathlib
import sys
import time

# python/ (this script's folder) holds the campval sources without the built extension
sys.path = [p for p in sys.path if pathlib.Path(p or ".").resolve() != pathlib.Path(__file__).resolve().parent]
import campval  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[1]


def rate(fn, seconds):
    n, start = 0, time.perf_counter()
    while True:
        fn()
        n += 1
        el = time.perf_counter() - start
        if el >= seconds:
            return n / el


MONDAY_NOON_UTC = 1796644800  # 2026-12-07 12:00 UTC


def payload(contacts, area):
    doc = json.loads((ROOT / "examples/campaign_create.json").read_text())
    one = doc["contacts"][0]
    doc["contacts"] = [dict(one, to_phone_number="+1%s555%04d" % (area, i)) for i in range(contacts)]
    return json.dumps(doc).encode()


def main():
    contacts = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 1.0
    rules = campval.Rules.builtin("campaign_create")
    try:
        import jsonschema
    except ImportError:
        sys.exit("bench.py: needs jsonschema (apt-get install python3-jsonschema)")
    schema = json.loads((ROOT / "rules/campaign_create.schema.json").read_text())
    cls = jsonschema.validators.validator_for(schema)
    validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
    print(f"jsonschema {importlib.metadata.version('jsonschema')}, {seconds:g} s per figure")

    for label, area, want_warnings in (
            ("valid request, no finding (New York numbers)", "212", 0),
            ("with a CALLING_HOURS warning per contact (California numbers)", "415", contacts)):
        body = payload(contacts, area)
        res = rules.validate(body, at=MONDAY_NOON_UTC)
        assert res.valid and res.error_count == 0, res.errors[:3]
        assert res.warning_count == want_warnings, (res.warning_count, res.warnings[:3])
        if list(validator.iter_errors(json.loads(body))):
            print("note: jsonschema does not accept the payload (format or keyword differences)")
        c = rate(lambda: rules.validate(body, at=MONDAY_NOON_UTC), seconds)
        j = rate(lambda: list(validator.iter_errors(json.loads(body))), seconds)
        print(f"\n{label}: {len(body)} bytes, {contacts} contacts, "
              f"{res.warning_count} warnings")
        print(f"  campval    {c:10.0f} validations/s")
        print(f"  jsonschema {j:10.0f} validations/s")
        print(f"  ratio      {c / j:10.1f}x")


if __name__ == "__main__":
    main()
