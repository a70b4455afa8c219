"""Data checked against the schema, pydantic's first problem as one line: the dotted key,
what was expected, what was got (an unknown key names the allowed ones)."""

from __future__ import annotations

import dataclasses
import difflib
import types
import typing
from typing import Annotated, Any, TypeVar

import pydantic
from pydantic_core import ErrorDetails

from bot.config.values import describe, expected_got

_T = TypeVar("_T")


class Invalid(Exception):
    """A problem at a dotted key; `load_config` adds the file name."""

    def __init__(self, key: str, problem: str) -> None:
        super().__init__(f"{key}: {problem}" if key else problem)
        self.key, self.problem = key, problem


_EXPECTED = {
    "int_type": "an integer",
    "bool_type": "true or false",
    "string_type": "a string",
    "float_type": "a number",
    "tuple_type": "a list",
    "list_type": "a list",
    "dataclass_type": "a mapping of keys",
    "dict_type": "a mapping of keys",
}
_UNKNOWN = {"unexpected_keyword_argument", "extra_forbidden", "invalid_key"}


def _key(loc: tuple[int | str, ...]) -> str:
    """('daily', 'subscriptions', 1, 'time') -> 'daily.subscriptions[1].time'"""
    key = ""
    for part in loc:
        key += f"[{part}]" if isinstance(part, int) else f".{part}" if key else part
    return key


def _schema_at(cls: Any, loc: tuple[int | str, ...]) -> Any:
    """The dataclass whose keys are at `loc` (a mapping's place in the file)."""
    for part in loc:
        hint = cls if isinstance(part, int) else typing.get_type_hints(cls)[part]
        while typing.get_origin(hint) in (Annotated, tuple, types.UnionType):
            hint = next(a for a in typing.get_args(hint) if a is not type(None))
        cls = hint
    return cls


def _unknown(root: Any, loc: tuple[int | str, ...]) -> Invalid:
    *at, name = loc
    fields = [f.name for f in dataclasses.fields(_schema_at(root, tuple(at)))]
    close = difflib.get_close_matches(str(name), fields, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    key = f"{_key(tuple(at))}.{name}" if at else str(name)
    return Invalid(key, f"unknown key{hint}; allowed keys: {', '.join(fields)}")


def _invalid(root: Any, error: ErrorDetails) -> Invalid:
    kind, loc, value = error["type"], error["loc"], error["input"]
    if kind in _UNKNOWN:
        return _unknown(root, loc)
    if kind == "missing":
        return Invalid(_key(loc), "missing required key")
    if kind == "value_error":  # a check above: its message is the line
        return Invalid(_key(loc), str((error.get("ctx") or {})["error"]))
    if kind == "finite_number":
        return Invalid(_key(loc), f"expected a finite number, got {value!r}")
    if kind in _EXPECTED:
        return Invalid(_key(loc), expected_got(_EXPECTED[kind], value))
    return Invalid(
        _key(loc), f"{error['msg'][:1].lower()}{error['msg'][1:]}, got {describe(value)}"
    )


_ADAPTERS: dict[type, pydantic.TypeAdapter[Any]] = {}  # built on first use (~50 ms for Config)


def _adapter(cls: type[_T]) -> pydantic.TypeAdapter[_T]:
    if cls not in _ADAPTERS:
        _ADAPTERS[cls] = pydantic.TypeAdapter(cls)
    return _ADAPTERS[cls]


def validate(cls: type[_T], raw: object) -> _T:
    """A `cls` from YAML data; the first problem (an unknown key before others) as `Invalid`."""
    try:
        return _adapter(cls).validate_python({} if raw is None else raw)
    except pydantic.ValidationError as e:
        errors = sorted(e.errors(), key=lambda err: err["type"] not in _UNKNOWN)
        raise _invalid(cls, errors[0]) from None


def override(obj: Any, path: list[str], value: str) -> Any:
    """`obj` with the dotted `path` set to `value`, checked as the file's value would be."""
    name, fields = path[0], {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}
    if len(path) > 1:
        return dataclasses.replace(obj, **{name: override(fields[name], path[1:], value)})
    return validate(type(obj), fields | {name: value})
