"""Documentation tables generated from the engine's own parameter table and presets, so the
README can never drift from the code (tests/python/test_docs.py checks it)."""
from __future__ import annotations

import re
from pathlib import Path

from . import _core


def parameter_table() -> str:
    rows = ["| parameter | unit | range | default | what it does to the sound |", "|---|---|---|---|---|"]
    for p in _core.param_info():
        unit = p["unit"] or "0-1"
        rows.append(f"| `{p['name']}` | {unit} | {p['min']:g} .. {p['max']:g} | {p['default']:g} | {p['description']} |")
    return "\n".join(rows)


def archetype_table() -> str:
    defaults = {p["name"]: p["default"] for p in _core.param_info()}
    rows = ["| archetype | character | parameters (non-default) |", "|---|---|---|"]
    for name in _core.archetype_names():
        values = _core.archetype(name).to_dict()
        changed = ", ".join(f"{k}={values[k]:.3g}" for k in values if values[k] != defaults[k]) or "all neutral"
        rows.append(f"| {name} | {_core.archetype_description(name)} | {changed} |")
    return "\n".join(rows)


SECTIONS = {"PARAMETERS": parameter_table, "ARCHETYPES": archetype_table}


def render_readme(text: str) -> str:
    """Replace every <!-- BEGIN NAME --> ... <!-- END NAME --> block with the generated table."""
    for name, make in SECTIONS.items():
        pattern = re.compile(rf"(<!-- BEGIN {name} -->\n).*?(<!-- END {name} -->)", re.S)
        if not pattern.search(text):
            raise ValueError(f"README has no <!-- BEGIN {name} --> ... <!-- END {name} --> block")
        text = pattern.sub(lambda m: m.group(1) + make() + "\n" + m.group(2), text)
    return text


def update_readme(path: str | Path) -> bool:
    """Rewrite the generated sections in place; returns True when something changed."""
    p = Path(path)
    old = p.read_text(encoding="utf-8")
    new = render_readme(old)
    if new != old:
        p.write_text(new, encoding="utf-8")
    return new != old
