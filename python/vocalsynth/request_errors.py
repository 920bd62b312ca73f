"""One wording for a request the package's HTTP servers cannot take (the TTS service and the
dialogue development server): each problem names its field, and a body that is not JSON says so."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


def _union_member(part: object) -> bool:
    """A loc element pydantic adds for each member of a union ('list[str]', 'dict[str,any]', 'str'):
    the kind of value tried, not a field of the request."""
    return isinstance(part, str) and ("[" in part or part in {"str", "int", "float", "bool", "list", "dict", "none"})


def describe(errors: Iterable[Mapping[str, Any]]) -> str:
    """FastAPI's RequestValidationError.errors() as one line: 'field: problem; ...'. A field that
    takes one of several kinds says once what it should be ('a valid list or a valid dictionary'),
    not once per kind under the kinds' type names."""
    parts: list[str] = []
    unions: dict[str, list[str]] = {}
    for err in errors:
        loc = tuple(err.get("loc", ()))
        if len(loc) > 1 and _union_member(loc[-1]) and err.get("type") != "json_invalid":
            where = ".".join(str(p) for p in loc[:-1] if p != "body") or "body"
            if where not in unions:
                unions[where] = []
                parts.append(where)  # placeholder, filled below in order of first appearance
            unions[where].append(str(err.get("msg", "invalid")))
            continue
        loc = tuple(err.get("loc", ()))
        if err.get("type") == "json_invalid":  # its loc is ("body", character), not a field
            detail = (err.get("ctx") or {}).get("error", "")
            at = loc[1] if len(loc) > 1 else 0
            parts.append(f"body: not valid JSON at character {at}" + (f" ({detail})" if detail else "")
                         + "; send a JSON object")
            continue
        where = ".".join(str(p) for p in loc if p != "body") or "body"
        parts.append(f"{where}: {err.get('msg', 'invalid')}".replace("Value error, ", ""))
    for where, messages in unions.items():
        kinds = [m.removeprefix("Input should be ") for m in messages]
        parts[parts.index(where)] = f"{where}: Input should be " + " or ".join(kinds)
    return "; ".join(parts)
