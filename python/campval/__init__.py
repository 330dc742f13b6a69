"""campval: strict JSON and JSON Schema validation of campaign API payloads.

    import campval
    rules = campval.Rules.builtin("campaign_create")
    result = rules.validate(body)          # bytes or str
    if not result.valid:
        for e in result.errors:
            print(e.pointer, e.message)
    for w in result.warnings:              # "x-severity": "warning" rules: never invalid
        print("warning:", w.pointer, w.message)

One Rules object may be shared by any number of threads: each thread validates in its own
workspace (made on first use) and the GIL is released while campval_validate runs. An invalid
payload is a Result, never an exception; RulesError means the rules do not compile, InputError
that a file could not be read.
"""

from __future__ import annotations

import os
from typing import Iterator, List, NamedTuple, Optional, Tuple, Union

from . import _campval

__all__ = ["Rules", "Result", "Error", "RulesError", "InputError", "CODES", "BUILTINS",
           "__version__"]

__version__ = _campval.version

#: Every code name campval reports and its stable number, from the C header's list.
CODES = _campval.codes()
#: Built-in rules sets: name -> one-line description.
BUILTINS = dict(_campval.builtins())


class RulesError(ValueError):
    """The rules do not compile. Attributes: message, line, column, location, code, offset."""

    def __init__(self, message: str, line: int = 0, column: int = 0, location: str = "",
                 code: str = "RULES_SYNTAX", offset: int = 0) -> None:
        super().__init__(message, line, column, location, code, offset)
        self.message = message
        self.line = line
        self.column = column
        self.location = location
        self.code = code
        self.offset = offset

    def __str__(self) -> str:
        where = f" at {self.location}" if self.location else ""
        return f"rules:{self.line}:{self.column}: {self.message}{where} [{self.code}]"


class InputError(OSError):
    """A rules or payload file could not be read."""


_campval._set_exceptions(RulesError)


class Error(NamedTuple):
    """One finding in a payload, an error or a warning (copied out of the C workspace)."""

    code: str               # stable code name, e.g. "TYPE", "JSON_TRAILING_COMMA"
    pointer: str            # RFC 6901 JSON Pointer to the offending value ("" for the root)
    line: int               # 1-based
    column: int             # 1-based, in bytes
    message: str            # human message with the specifics
    keyword: str            # JSON Schema keyword ("" for syntax errors)
    keyword_location: str   # where in the rules
    offset: int             # byte offset in the payload
    #: "error", or "warning" for a finding under a subschema marked "x-severity": "warning"
    severity: str = "error"


class Result:
    """The outcome of one validation. ``valid`` is True when the payload has no error (it may
    have warnings).

    errors, warnings: the recorded findings of each severity, in document order (``findings``
    has both, interleaved). error_count, warning_count: how many of each were found, recorded or
    not, so ``valid`` is ``error_count == 0``. errors_dropped: findings of either severity that
    were found but not recorded (the workspace's error limit).
    """

    __slots__ = ("valid", "code", "status", "findings", "errors", "warnings", "error_count",
                 "warning_count", "errors_dropped", "_problem")

    def __init__(self, raw: tuple) -> None:
        valid, code, status, dropped, problem, findings, nerrors, nwarnings = raw
        self.valid: bool = valid
        self.code: str = code              # "OK" or the code of the first error
        self.status: int = status          # HTTP status a gateway would answer
        self.errors_dropped: int = dropped
        self._problem: str = problem
        self.findings: List[Error] = [Error(*e) for e in findings]
        self.errors: List[Error] = [e for e in self.findings if e.severity == "error"]
        self.warnings: List[Error] = [e for e in self.findings if e.severity == "warning"]
        self.error_count: int = nerrors
        self.warning_count: int = nwarnings

    def __bool__(self) -> bool:
        return self.valid

    def problem(self) -> str:
        """The RFC 9457 application/problem+json document (campval_write_result)."""
        return self._problem

    def __repr__(self) -> str:
        return (f"<campval.Result valid={self.valid} code={self.code} errors={self.error_count}"
                f" warnings={self.warning_count}>")


Body = Union[bytes, bytearray, memoryview, str]


def _at(at: Optional[int]) -> int:
    """validate's ``at`` as campval_preflight.at: whole Unix seconds, 0 for now."""
    if at is None:
        return 0
    if isinstance(at, bool) or not isinstance(at, int):
        raise TypeError(f"at must be an int (Unix time in seconds) or None, not {type(at).__name__}")
    return at


def _read(path: Union[str, os.PathLike]) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        raise InputError(e.errno, f"{path}: {e.strerror}", os.fspath(path)) from e


class Rules:
    """Compiled rules (immutable; share one instance between threads)."""

    __slots__ = ("_rules", "name")

    def __init__(self, text: Union[str, bytes], *, base_uri: Union[str, None] = None) -> None:
        if isinstance(text, str):
            text = text.encode("utf-8")
        self._rules = _campval._Rules(text, base_uri)
        self.name = "<text>"

    @classmethod
    def _wrap(cls, raw: "_campval._Rules", name: str) -> "Rules":
        self = cls.__new__(cls)
        self._rules = raw
        self.name = name
        return self

    @classmethod
    def builtin(cls, name: str) -> "Rules":
        """A built-in rules set ("campaign_create", "campaign", ...; see BUILTINS)."""
        return cls._wrap(_campval._Rules.builtin(name), name)

    @classmethod
    def from_file(cls, path: Union[str, os.PathLike]) -> "Rules":
        """Rules from a JSON Schema file (only in-document and built-in references resolve)."""
        text = _read(path)
        rules = cls._wrap(_campval._Rules(text, None), os.fspath(path))
        return rules

    def validate(self, body: Body, *, first_error: bool = False, warnings: bool = True,
                 at: Optional[int] = None) -> Result:
        """Validate one payload (bytes-like or str, encoded as UTF-8).

        first_error: stop at the first error (warnings never stop it). warnings=False: skip the
        subschemas marked "x-severity": "warning" (CAMPVAL_NO_WARNINGS), so none is reported;
        ``valid`` is the same either way. at: the day the campaign runs, as a Unix time in
        seconds (the calling-hours check uses its weekday and DST, as ``campval check --at``);
        None or 0: now."""
        if isinstance(body, str):
            body = body.encode("utf-8", "surrogatepass")
        return Result(self._rules.validate(body, first_error, warnings, _at(at)))

    def validate_file(self, path: Union[str, os.PathLike], *, first_error: bool = False,
                      warnings: bool = True, at: Optional[int] = None) -> Result:
        """Validate the payload in a file; InputError when it cannot be read."""
        return Result(self._rules.validate(_read(path), first_error, warnings, _at(at)))

    def validate_ndjson(self, path: Union[str, os.PathLike], *, first_error: bool = False,
                        warnings: bool = True,
                        at: Optional[int] = None) -> Iterator[Tuple[int, Result]]:
        """Yield (line number, Result) for each non-empty line of a newline-delimited file,
        reading one line at a time."""
        when = _at(at)
        try:
            f = open(path, "rb")
        except OSError as e:
            raise InputError(e.errno, f"{path}: {e.strerror}", os.fspath(path)) from e
        with f:
            lineno = 0
            while True:
                try:
                    line = f.readline()
                except OSError as e:
                    raise InputError(e.errno, f"{path}:{lineno + 1}: {e.strerror}") from e
                if not line:
                    return
                lineno += 1
                if line.endswith(b"\n"):
                    line = line[:-1]
                    if line.endswith(b"\r"):
                        line = line[:-1]
                if not line.strip(b" \t"):
                    continue
                yield lineno, Result(self._rules.validate(line, first_error, warnings, when))

    def memory(self) -> int:
        """Bytes the compiled rules hold."""
        return self._rules.memory()

    def __repr__(self) -> str:
        return f"<campval.Rules {self.name}>"
