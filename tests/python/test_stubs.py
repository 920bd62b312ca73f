"""The extension's type stub (python/vocalsynth/_core.pyi) matches the module and type-checks code."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from vocalsynth import _core

ROOT = Path(__file__).resolve().parents[2]
STUB = ROOT / "python" / "vocalsynth" / "_core.pyi"


def _stub_names() -> dict[str, set[str]]:
    tree = ast.parse(STUB.read_text())
    names: dict[str, set[str]] = {"": set()}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names[""].add(node.name)
        if isinstance(node, ast.ClassDef):
            names[node.name] = {n.name for n in node.body if isinstance(n, ast.FunctionDef)}
    return names


def test_stub_lists_every_public_name_of_the_module():
    stub = _stub_names()
    public = {n for n in dir(_core) if not n.startswith("_") and (callable(getattr(_core, n)))}
    assert public - stub[""] == set(), "regenerate the stub: python3 tools/gen_core_stub.py"
    for cls in ("Crowd", "Voice", "VoiceParams", "Lexicon", "Utterance", "CrowdVoice"):
        members = {n for n in vars(getattr(_core, cls)) if not n.startswith("_")}
        assert members - stub[cls] == set(), f"{cls}: regenerate the stub (python3 tools/gen_core_stub.py)"


def test_stub_types_user_code(tmp_path):
    good = tmp_path / "good.py"
    good.write_text("import numpy as np\nfrom vocalsynth import _core\n"
                    "crowd = _core.Crowd(48000.0, 256, 16)\nout: np.ndarray = crowd.render(256)\n")
    bad = tmp_path / "bad.py"
    bad.write_text("from vocalsynth import _core\ncrowd = _core.Crowd(48000.0, 256, 16)\nn: int = crowd.render(256)\n")
    run = lambda f: subprocess.run([sys.executable, "-m", "mypy", "--ignore-missing-imports", "--no-incremental",
                                    str(f)], capture_output=True, text=True, cwd=tmp_path)
    assert run(good).returncode == 0, run(good).stdout
    result = run(bad)
    assert result.returncode == 1 and "Incompatible types in assignment" in result.stdout


def test_the_package_type_checks():
    """mypy over the whole vocalsynth package, with the extension typed by its stub."""
    result = subprocess.run([sys.executable, "-m", "mypy", "--config-file", str(ROOT / "mypy.ini"), "--no-incremental",
                             "-p", "vocalsynth"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
