import os
from typing import Dict, Iterator, List, Literal, NamedTuple, Optional, Tuple, Union

__version__: str
CODES: Dict[str, int]
BUILTINS: Dict[str, str]

Body = Union[bytes, bytearray, memoryview, str]

class RulesError(ValueError):
    message: str
    line: int
    column: int
    location: str
    code: str
    offset: int
    def __init__(self, message: str, line: int = ..., column: int = ..., location: str = ...,
                 code: str = ..., offset: int = ...) -> None: ...

class InputError(OSError): ...

class Error(NamedTuple):
    code: str
    pointer: str
    line: int
    column: int
    message: str
    keyword: str
    keyword_location: str
    offset: int
    severity: Literal["error", "warning"] = ...

class Result:
    valid: bool
    code: str
    status: int
    findings: List[Error]
    errors: List[Error]
    warnings: List[Error]
    error_count: int
    warning_count: int
    errors_dropped: int
    def __bool__(self) -> bool: ...
    def problem(self) -> str: ...

class Rules:
    name: str
    def __init__(self, text: Union[str, bytes], *, base_uri: Optional[str] = ...) -> None: ...
    @classmethod
    def builtin(cls, name: str) -> Rules: ...
    @classmethod
    def from_file(cls, path: Union[str, os.PathLike[str]]) -> Rules: ...
    def validate(self, body: Body, *, first_error: bool = ..., warnings: bool = ...,
                 at: Optional[int] = ...) -> Result: ...
    def validate_file(self, path: Union[str, os.PathLike[str]], *,
                      first_error: bool = ..., warnings: bool = ...,
                      at: Optional[int] = ...) -> Result: ...
    def validate_ndjson(self, path: Union[str, os.PathLike[str]], *,
                        first_error: bool = ..., warnings: bool = ...,
                        at: Optional[int] = ...) -> Iterator[Tuple[int, Result]]: ...
    def memory(self) -> int: ...
