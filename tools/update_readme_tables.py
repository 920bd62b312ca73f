#!/usr/bin/env python3
"""Regenerates the parameter and archetype tables in README.md from the engine itself."""
from pathlib import Path

from vocalsynth.docs import update_readme

readme = Path(__file__).resolve().parent.parent / "README.md"
print("README.md updated" if update_readme(readme) else "README.md already up to date")
