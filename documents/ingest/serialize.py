"""A ``ParsedDocument`` as JSON and back (pure: no Django).

An upload is parsed once and previewed before anything is written; the parse is kept as JSON
(``StagedImport.parsed``) until the editor confirms it. The conversion follows the dataclasses'
type hints, so a field the parser adds later is carried without a change here: dates become ISO
strings, tuples and lists JSON arrays, nested dataclasses objects; reading turns each back into
the type its hint names. A stored parse that lacks a newer field gets the field's default, and a
key no field has any more is ignored, so parses staged before a parser change still load.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from functools import cache
from typing import Any

from .types import ParsedDocument


def parsed_to_json(parsed: ParsedDocument) -> dict:
    """``parsed`` as plain JSON values (dicts, lists, strings, numbers, null)."""
    return _encode(parsed)


def parsed_from_json(data: dict) -> ParsedDocument:
    """The ``ParsedDocument`` that ``parsed_to_json`` gave ``data`` for, equal field by field."""
    return _decode_dataclass(ParsedDocument, data)


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dt.date):  # datetime included: isoformat keeps the time
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_encode(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _encode(item) for key, item in value.items()}
    return value


@cache
def _hints(cls: type) -> dict[str, Any]:
    # The types module uses ``from __future__ import annotations``: its hints are strings until resolved.
    return typing.get_type_hints(cls)


def _decode_dataclass(cls: type, data: dict) -> Any:
    hints = _hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    return cls(**{name: _decode(hints[name], value) for name, value in data.items() if name in names})


def _decode(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        (inner,) = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return _decode(inner, value)
    if origin is tuple:
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode(args[0], item) for item in value)
        return tuple(_decode(arg, item) for arg, item in zip(args, value, strict=True))
    if origin is list:
        (item_hint,) = typing.get_args(hint)
        return [_decode(item_hint, item) for item in value]
    if origin is dict:
        _, value_hint = typing.get_args(hint)
        return {key: _decode(value_hint, item) for key, item in value.items()}
    if dataclasses.is_dataclass(hint):
        return _decode_dataclass(hint, value)
    if hint is dt.datetime:
        return dt.datetime.fromisoformat(value)
    if hint is dt.date:
        return dt.date.fromisoformat(value)
    return value
