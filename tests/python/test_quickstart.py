"""The README's quick start, run as written: every command exits 0 and writes what it names."""
from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import soundfile as sf

README = Path(__file__).resolve().parents[2] / "README.md"


def quick_start_commands() -> list[list[str]]:
    text = README.read_text(encoding="utf-8")
    block = re.search(r"Quick start.*?```bash\n(.*?)```", text, re.S)
    assert block, "the README has no quick start block"
    commands = []
    for line in block.group(1).splitlines():
        line = line.split("  #", 1)[0].strip()
        if line:
            commands.append(shlex.split(line))
    return commands


def test_the_quick_start_runs_as_written(tmp_path):
    commands = quick_start_commands()
    assert len(commands) >= 5
    for argv in commands:
        assert argv[0] == "vocalsynth", argv
        done = subprocess.run([sys.executable, "-m", "vocalsynth", *argv[1:]], cwd=tmp_path, capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, (argv, done.stderr)
        for flag in ("-o", "--out"):
            if flag in argv:
                written = tmp_path / argv[argv.index(flag) + 1]
                assert written.exists(), (argv, written)
                if written.suffix == ".wav":
                    audio, rate = sf.read(written)
                    assert rate >= 16000 and len(audio) > rate // 2 and abs(audio).max() > 0.01, argv
