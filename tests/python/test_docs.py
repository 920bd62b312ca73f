"""The README's parameter and archetype tables are generated from the engine; they must match."""
from pathlib import Path

from vocalsynth.docs import render_readme

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_tables_match_the_engine():
    text = README.read_text(encoding="utf-8")
    assert render_readme(text) == text, "README tables are stale: run python3 tools/update_docs.py"
