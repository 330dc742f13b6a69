"""Compare campval with the jsonschema package on the same rules and payload (not a test).

usage: PYTHONPATH=build/python python3 python/bench.py [CONTACTS] [SECONDS]
Needs python3-jsonschema (Debian). Rules: rules/campaign_create.schema.json for both; the
payload: examples/campaign_create.json with CONTACTS contacts (default 100). jsonschema gets
the document already parsed (json.loads is timed with it, as a server would have to do).
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


def main():
    contacts = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 1.0
    doc = json.loads((ROOT / "examples/campaign_create.json").read_text())
    one = doc["contacts"][0]
    doc["contacts"] = [dict(one, to_phone_number="+1415555%04d" % i) for i in range(contacts)]
    body = json.dumps(doc).encode()

    rules = campval.Rules.builtin("campaign_create")
    assert rules.validate(body).valid
    try:
        import jsonschema
    except ImportError:
        sys.exit("bench.py: needs jsonschema (apt-get install python3-jsonschema)")
    schema = json.loads((ROOT / "rules/campaign_create.schema.json").read_text())
    cls = jsonschema.validators.validator_for(schema)
    validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
    ok = not list(validator.iter_errors(json.loads(body)))
    if not ok:
        print("note: jsonschema does not accept the payload (format or keyword differences)")

    c = rate(lambda: rules.validate(body), seconds)
    j = rate(lambda: list(validator.iter_errors(json.loads(body))), seconds)
    print(f"payload {len(body)} bytes, {contacts} contacts")
    print(f"campval    {c:10.0f} validations/s")
    print(f"jsonschema {j:10.0f} validations/s  ({importlib.metadata.version('jsonschema')})")
    print(f"ratio      {c / j:10.1f}x")


if __name__ == "__main__":
    main()
