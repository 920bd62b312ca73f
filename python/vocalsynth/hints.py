"""Error hints: the name probably meant, for a misspelt field or parameter (difflib's ratio)."""
from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import jsonschema


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """' (did you mean 'jitter'?)' for 'jiter', or '' when nothing known is close."""
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.7)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _number(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


# The name patterns the schemas use (preset names, manifest line ids, NPC folder names): they
# become file and folder names. The second form may not start with '.' (so never "..").
_NAME_PATTERN = re.compile(r"\^\[A-Za-z0-9_\.-\]\{1,(\d+)\}\$")
_FOLDER_PATTERN = re.compile(r"\^\[A-Za-z0-9_-\]\[A-Za-z0-9_\.-\]\{0,(\d+)\}\$")


def describe_schema_error(error: jsonschema.ValidationError) -> str:
    """One line for a JSON Schema violation, in the words of the file it is about: where, what was
    there, what is allowed (jsonschema's own messages quote regexes and Python reprs)."""
    where = ".".join(str(part) for part in error.absolute_path) or "(top level)"
    schema, value = error.schema, error.instance
    if error.validator in ("minimum", "maximum"):
        described = schema.get("description", "")
        unit = described.rsplit("(", 1)[-1].rstrip(")") if described.endswith(")") else ""
        unit = "" if unit in ("0-1", "") else f" {unit}"
        lo, hi = schema.get("minimum"), schema.get("maximum")
        allowed = (f"{_number(lo)} to {_number(hi)}" if lo is not None and hi is not None
                   else f"at least {_number(lo)}" if lo is not None else f"at most {_number(hi)}")
        return f"{where}: {value!r} is out of range: allowed {allowed}{unit}"
    if error.validator == "additionalProperties":
        known = sorted(schema.get("properties", {}))
        unknown = sorted(set(value) - set(known))
        named = ", ".join(repr(u) + did_you_mean(u, known) for u in unknown)
        return f"{where}: unknown field{'s' if len(unknown) > 1 else ''} {named}; known: {', '.join(known)}"
    if error.validator == "enum":
        return f"{where}: {value!r} is not one of {', '.join(map(str, schema['enum']))}"
    if error.validator == "type":
        wanted = schema["type"] if isinstance(schema["type"], str) else " or ".join(schema["type"])
        return f"{where}: {value!r} is not a {wanted}"
    if error.validator == "const":
        return f"{where}: {value!r} must be {schema['const']!r}"
    if error.validator == "oneOf" and all(set(option) == {"required"} for option in schema["oneOf"]):
        fields = " or ".join(repr(field) for option in schema["oneOf"] for field in option["required"])
        present = [repr(f) for option in schema["oneOf"] for f in option["required"] if f in value]
        return f"{where}: give exactly one of {fields}" + (f" (it has {' and '.join(present)})" if present else "")
    if error.validator == "pattern":
        name = _NAME_PATTERN.fullmatch(str(schema["pattern"]))
        folder = _FOLDER_PATTERN.fullmatch(str(schema["pattern"]))
        if name:
            return (f"{where}: {value!r} is not a usable name: it names a file, so use only letters, digits, "
                    f"'_', '.' and '-', 1 to {name.group(1)} of them (no spaces or folders)")
        if folder:
            return (f"{where}: {value!r} is not a usable name: it names a folder, so use only letters, digits, "
                    f"'_', '.' and '-', 1 to {int(folder.group(1)) + 1} of them, not starting with '.' "
                    "(no spaces or paths)")
    return f"{where}: {error.message}"


def error_message(exc: BaseException) -> str:
    """What an error says, for a person: a KeyError's message without the quotes str() wraps it in."""
    return str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc)
