#!/usr/bin/env python3
"""Instructions per sample of the archetype chain, counted by callgrind (valgrind): a measure
that a busy VM does not blur, for tracking the chain's cost (issue #2) between changes.

    python3 bench/profile_chain.py [build/test-release/vocalsynth_profile] [--archetype zombie ...] [--top 8]

Prints, per archetype and level of detail, instructions per output sample and the functions
that spend them. The driver's own anchor rendering is measured separately and subtracted.
"""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SAMPLES = 3 * 48000  # the driver renders one second, three times


def callgrind(binary: str, args: list[str], top: int) -> tuple[int, list[tuple[int, str]]]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "cg.out"
        subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", binary, *args],
                       check=True, capture_output=True)
        text = subprocess.run(["callgrind_annotate", str(out)], check=True, capture_output=True, text=True).stdout
    total = int(re.search(r"([\d,]+) \([^)]*\)\s+PROGRAM TOTALS", text).group(1).replace(",", ""))
    rows = []
    for line in text.splitlines():
        m = re.match(r"\s*([\d,]+) \([^)]*\)\s+\S*?:(vocalsynth::[^\s(]+)", line)
        if m:
            rows.append((int(m.group(1).replace(",", "")), m.group(2)))
    return total, rows[:top]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("binary", nargs="?", default="build/test-release/vocalsynth_profile")
    ap.add_argument("--archetype", action="append", help="repeatable (default: human, zombie, vampire, werewolf)")
    ap.add_argument("--top", type=int, default=6)
    ap.add_argument("--detail", action="append", choices=("near", "mid", "far"),
                    help="repeatable (default: all three)")
    args = ap.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed (apt-get install valgrind)")
    if not Path(args.binary).exists():
        sys.exit(f"{args.binary} not found: build with -DVOCALSYNTH_BUILD_BENCH=ON (tools/run_tests.sh does)")
    # The driver starts up, renders its anchor and prepares the voice before the chain runs:
    # count that alone and take it off every measurement.
    baseline, _ = callgrind(args.binary, ["--baseline"], args.top)
    for archetype in args.archetype or ["human", "zombie", "vampire", "werewolf"]:
        for detail, name in enumerate(("near", "mid", "far")):
            if args.detail and name not in args.detail:
                continue
            total, rows = callgrind(args.binary, [archetype, str(detail)], args.top)
            per_sample = (total - baseline) / SAMPLES
            print(f"{archetype:<9} {name:<5} {per_sample:7.0f} instructions/sample")
            for count, function in rows:
                if not function.startswith(("vocalsynth::renderAnchor", "vocalsynth::Voice::prepare")):
                    print(f"    {count / SAMPLES:7.1f}  {function}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
