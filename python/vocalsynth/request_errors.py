"""One wording for a request the package's HTTP servers cannot take (the TTS service and the
dialogue development server): each problem names its field, and a body that is not JSON says so."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


def describe(errors: Iterable[Mapping[str, Any]]) -> str:
    """FastAPI's RequestValidationError.errors() as one line: 'field: problem; ...'."""
    parts = []
    for err in errors:
        loc = tuple(err.get("loc", ()))
        if err.get("type") == "json_invalid":  # its loc is ("body", character), not a field
            detail = (err.get("ctx") or {}).get("error", "")
            at = loc[1] if len(loc) > 1 else 0
            parts.append(f"body: not valid JSON at character {at}" + (f" ({detail})" if detail else "")
                         + "; send a JSON object")
            continue
        where = ".".join(str(p) for p in loc if p != "body") or "body"
        parts.append(f"{where}: {err.get('msg', 'invalid')}".replace("Value error, ", ""))
    return "; ".join(parts)
