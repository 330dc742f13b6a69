import json
import os
import pathlib
import sys
import threading
import time

import pytest

import campval

ROOT = pathlib.Path(os.environ.get("CAMPVAL_ROOT", pathlib.Path(__file__).resolve().parents[2]))
EX = ROOT / "examples"


@pytest.fixture(scope="module")
def rules():
    return campval.Rules.builtin("campaign_create")


def big_body(contacts):
    doc = json.loads((EX / "campaign_create.json").read_text())
    one = doc["contacts"][0]
    doc["contacts"] = [dict(one, to_phone_number="+1415555%04d" % (i % 10000))
                       for i in range(contacts)]
    return json.dumps(doc).encode()


def test_builtin_example_valid(rules):
    r = rules.validate_file(EX / "campaign_create.json")
    assert r.valid and bool(r)
    assert r.errors == []
    assert r.code == "OK" and r.status == 200


def test_invalid_example_errors(rules):
    r = rules.validate_file(EX / "campaign_create_invalid.json")
    assert not r.valid
    ptrs = [e.pointer for e in r.errors]
    assert "/launch" in ptrs
    assert "/contacts/0/to_phone_number" in ptrs
    launch = r.errors[ptrs.index("/launch")]
    assert launch.code == "TYPE"
    assert launch.severity == "error"
    assert launch.keyword == "type"
    assert (launch.line, launch.column) == (4, 13)
    assert "expected boolean" in launch.message
    assert r.status == 422


def test_problem_json(rules):
    r = rules.validate_file(EX / "campaign_create_invalid.json")
    p = json.loads(r.problem())
    assert p["status"] == 422
    assert {e["pointer"] for e in p["errors"]} >= {"/launch", "/contacts/0/to_phone_number"}


def test_malformed(rules):
    r = rules.validate_file(EX / "campaign_create_malformed.json")
    assert not r.valid
    assert r.code == "JSON_TRAILING_COMMA"
    assert r.errors[0].pointer == ""
    assert r.errors[0].keyword == ""
    assert json.loads(r.problem())["status"] == 400


def test_str_and_bytes(rules):
    text = (EX / "campaign_create.json").read_text()
    assert rules.validate(text).valid
    assert rules.validate(text.encode()).valid
    assert rules.validate(bytearray(text.encode())).valid
    assert rules.validate(memoryview(text.encode())).valid
    r = rules.validate('{"launch": "yes"}')
    assert not r.valid and any(e.pointer == "/launch" for e in r.errors)


def test_codes_from_header():
    assert campval.CODES["OK"] == 0
    assert campval.CODES["JSON_TRAILING_COMMA"] == 111
    assert campval.CODES["TYPE"] == 300
    assert "campaign_create" in campval.BUILTINS


def test_rules_text():
    rules = campval.Rules('{"type": "object", "required": ["a"]}')
    assert rules.validate(b'{"a": 1}').valid
    r = rules.validate(b"{}")
    assert [e.code for e in r.errors] == ["REQUIRED"]


def test_rules_compile_error():
    with pytest.raises(campval.RulesError) as ei:
        campval.Rules('{\n  "type": "object",\n  "minLength": "x"\n}')
    e = ei.value
    assert e.code == "RULES_BAD_KEYWORD"
    assert e.line == 3
    assert e.column > 0
    assert e.location == "/minLength"
    assert "rules:3:" in str(e)


def test_rules_syntax_error():
    with pytest.raises(campval.RulesError) as ei:
        campval.Rules('{"type": "object",}')
    assert ei.value.code == "RULES_SYNTAX"
    assert ei.value.line == 1


def test_unknown_builtin():
    with pytest.raises(campval.RulesError) as ei:
        campval.Rules.builtin("nope")
    assert ei.value.code == "RULES_UNKNOWN_BUILTIN"


def test_from_file(tmp_path):
    p = tmp_path / "r.json"
    p.write_text('{"type": "array"}')
    rules = campval.Rules.from_file(p)
    assert rules.validate("[]").valid
    assert not rules.validate("{}").valid


def test_from_file_missing(tmp_path):
    with pytest.raises(campval.InputError):
        campval.Rules.from_file(tmp_path / "missing.json")


def test_validate_file_missing(rules, tmp_path):
    with pytest.raises(campval.InputError):
        rules.validate_file(tmp_path / "missing.json")
    with pytest.raises(campval.InputError):
        list(rules.validate_ndjson(tmp_path / "missing.ndjson"))


def test_ndjson(rules):
    want = []
    for i, line in enumerate((EX / "campaigns.ndjson").read_bytes().splitlines(), 1):
        if line.strip():
            want.append((i, rules.validate(line).valid))
    got = [(n, r.valid) for n, r in rules.validate_ndjson(EX / "campaigns.ndjson")]
    assert got == want
    assert len(got) == 3


def test_ndjson_lines(rules, tmp_path):
    p = tmp_path / "x.ndjson"
    good = (EX / "campaign_create.json").read_bytes().replace(b"\n", b"")
    p.write_bytes(good + b"\n\n{\"launch\": 1}\r\n" + good)  # last line without newline
    got = [(n, r.valid) for n, r in rules.validate_ndjson(p)]
    assert got == [(1, True), (3, False), (4, True)]


def test_big_body_grows_workspace(rules):
    body = big_body(20000)  # more tokens than the default workspace holds
    r = rules.validate(body)
    assert r.valid, r.errors[:3]


def test_threads_share_rules(rules):
    good = (EX / "campaign_create.json").read_bytes()
    bad = (EX / "campaign_create_invalid.json").read_bytes()
    expect_bad = [(e.pointer, e.message) for e in rules.validate(bad).errors]
    failures = []

    def work():
        try:
            for i in range(200):
                if i % 2:
                    r = rules.validate(good)
                    assert r.valid
                else:
                    r = rules.validate(bad)
                    assert [(e.pointer, e.message) for e in r.errors] == expect_bad
        except AssertionError as e:  # pragma: no cover
            failures.append(e)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures


def test_gil_released(rules):
    # With a switch interval far longer than the test, the interpreter never takes the GIL from
    # a running thread: another thread can run only where the GIL is given up voluntarily. The
    # main thread wakes a helper thread and, without giving the GIL up anywhere in Python, calls
    # one long validate() (about 20 ms of C validation); the helper can only have set its Event
    # by the time validate() returns if campval_validate ran with the GIL released. Nothing is
    # timed: a loaded machine can at worst delay the helper past one call, so up to 5 tries.
    body = big_body(20000)
    old = sys.getswitchinterval()
    ran_during = []
    try:
        sys.setswitchinterval(1000.0)
        for _ in range(5):
            go, progressed = threading.Event(), threading.Event()

            def helper():
                go.wait()  # blocks with the GIL released, until the main thread sets go
                progressed.set()

            t = threading.Thread(target=helper)
            t.start()
            time.sleep(0.05)  # lets the helper reach go.wait() (sleep releases the GIL)
            go.set()
            r = rules.validate(body, warnings=False)
            ran_during.append(progressed.is_set())  # read before anything releases the GIL
            t.join()
            assert r.valid, r.errors[:3]
            if ran_during[-1]:
                break
    finally:
        sys.setswitchinterval(old)
    assert any(ran_during), "no thread ran during validate(): the GIL was held (%s)" % ran_during


def test_validate_at_pins_the_day():
    # 10:00-12:00 in New York is 08:00-10:00 in Phoenix in December (legal) and 07:00-09:00 in
    # July (Arizona keeps standard time): at decides which; each call sets its own day
    rules = campval.Rules.builtin("campaign_create")
    doc = json.loads((EX / "campaign_create.json").read_text())
    doc["contacts"] = [dict(doc["contacts"][0], to_phone_number="+16025550123")]
    doc["call_retry_config"].update(allowed_days=["monday"], calling_windows=[
        {"calling_window_start_time": "10:00", "calling_window_end_time": "12:00",
         "retry_delay_seconds": 3600}])
    body = json.dumps(doc)
    dec_7, jul_6 = 1796644800, 1783339200  # Mondays 2026-12-07 and 2026-07-06, 12:00 UTC
    july = rules.validate(body, at=jul_6)
    assert july.valid
    assert [(w.code, w.pointer) for w in july.warnings] == [("CALLING_HOURS", "/contacts/0/to_phone_number")]
    assert "America/Phoenix on Monday 2026-07-06" in july.warnings[0].message
    assert rules.validate(body, at=dec_7).warnings == []
    assert rules.validate(body.encode(), at=jul_6).warnings == july.warnings
    with pytest.raises(TypeError):
        rules.validate(body, at=1.5)
    # a day the zone data has no answer for would skip the check: refused instead
    for bad in (-1, 253402300800, 10**15):
        with pytest.raises(ValueError):
            rules.validate(body, at=bad)


def test_validate_file_and_ndjson_at(tmp_path):
    rules = campval.Rules.builtin("campaign_create")
    f = tmp_path / "c.json"
    f.write_text((EX / "campaign_create.json").read_text())
    assert "on Monday 2026-07-06" in rules.validate_file(f, at=1783339200).warnings[0].message
    (tmp_path / "c.ndjson").write_text(json.dumps(json.loads(f.read_text())) + "\n")
    [(n, r)] = list(rules.validate_ndjson(tmp_path / "c.ndjson", at=1796644800))
    assert n == 1 and "on Monday 2026-12-07" in r.warnings[0].message


# ---- severity: "x-severity": "warning" subschemas ------------------------------------------------

SEV = ROOT / "tests" / "data" / "severity"


@pytest.fixture(scope="module")
def sev():
    return campval.Rules.from_file(SEV / "rules.json")


def test_warning_only_is_valid(sev):
    r = sev.validate(b'{"name":"x","contacts":[]}')
    assert r.valid and bool(r)
    assert r.code == "OK" and r.status == 200
    assert r.errors == [] and r.error_count == 0
    assert r.warning_count == 1
    (w,) = r.warnings
    assert (w.code, w.severity, w.pointer, w.keyword) == ("MIN_ITEMS", "warning", "/contacts",
                                                          "minItems")
    assert (w.line, w.column, w.offset) == (1, 24, 23)
    assert r.findings == [w]
    problem = json.loads(r.problem())
    assert problem["status"] == 200
    assert [x["pointer"] for x in problem["warnings"]] == ["/contacts"]


def test_error_and_warning(sev):
    r = sev.validate('{"contacts":[]}')
    assert not r.valid
    assert r.code == "REQUIRED" and r.status == 422
    assert (r.error_count, r.warning_count) == (1, 1)
    assert [(e.code, e.severity) for e in r.errors] == [("REQUIRED", "error")]
    assert [(e.code, e.severity) for e in r.warnings] == [("MIN_ITEMS", "warning")]
    assert [e.severity for e in r.findings] == ["error", "warning"]  # document order
    problem = json.loads(r.problem())
    assert [x["code"] for x in problem["errors"]] == ["REQUIRED"]
    assert [x["code"] for x in problem["warnings"]] == ["MIN_ITEMS"]


def test_warnings_false_skips_them(sev):
    r = sev.validate(b'{"name":"x","contacts":[]}', warnings=False)
    assert r.valid and r.findings == [] and r.warning_count == 0
    r = sev.validate(b'{"contacts":[]}', warnings=False)
    assert not r.valid and r.warnings == [] and r.error_count == 1 and r.warning_count == 0


def test_first_error_keeps_warnings_of_a_valid_body(sev):
    r = sev.validate(b'{"name":"x","contacts":[]}', first_error=True)
    assert r.valid and r.warning_count == 1


def test_severity_in_files_and_ndjson(sev, tmp_path):
    assert sev.validate_file(SEV / "warning.json").warning_count == 1
    assert sev.validate_file(SEV / "warning.json", warnings=False).warning_count == 0
    p = tmp_path / "sev.ndjson"
    p.write_bytes(b'{"name":"x","contacts":[]}\n{"contacts":[]}\n{"name":"y"}\n')
    got = [(n, r.valid, r.error_count, r.warning_count) for n, r in sev.validate_ndjson(p)]
    assert got == [(1, True, 0, 1), (2, False, 1, 1), (3, True, 0, 0)]
    got = [r.warning_count for _, r in sev.validate_ndjson(p, warnings=False)]
    assert got == [0, 0, 0]


def test_error_severity_defaults():
    e = campval.Error("TYPE", "/a", 1, 2, "m", "type", "#/type", 0)
    assert e.severity == "error"
    assert campval.Error(*e[:8], "warning").severity == "warning"


def test_result_repr_counts(sev):
    r = sev.validate(b'{"contacts":[]}')
    assert repr(r) == "<campval.Result valid=False code=REQUIRED errors=1 warnings=1>"
