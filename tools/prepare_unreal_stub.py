#!/usr/bin/env python3
"""Makes the UE5 Python API stubs (PyPI `unreal-stub`, one generated unreal.py) usable by mypy:
its default values like ((Left=0.000000,Top=...)) are not Python, so they become `...`, and the
result is saved as build/stubs/unreal.pyi (mypy.ini puts that folder on mypy_path)."""
from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "build" / "stubs" / "unreal.pyi"


def main() -> int:
    spec = importlib.util.find_spec("unreal")
    if spec is None or not spec.submodule_search_locations:
        print("pip install unreal-stub (the UE5 Python API stubs)", file=sys.stderr)
        return 1
    source = Path(list(spec.submodule_search_locations)[0]) / "unreal.py"
    text = re.sub(r"\(\((?:\w+=[-\d.]+,?)+\)\)", "...", source.read_text(encoding="utf-8"))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    if not OUT.exists() or OUT.read_text(encoding="utf-8") != text:
        OUT.write_text(text, encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)} ready")
    return 0


if __name__ == "__main__":
    sys.exit(main())
