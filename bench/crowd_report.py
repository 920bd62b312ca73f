#!/usr/bin/env python3
"""Crowd benchmark report: runs vocalsynth_bench_crowd (Google Benchmark) and prints, per tier
and SIMD path, the cost of one 256-sample block against the number of voices, the voices one
core renders in real time, and the speed-up over the scalar path measured in the same run.
Saves the scaling curve (cost vs voice count) as a PNG.

    python3 bench/crowd_report.py [path/to/vocalsynth_bench_crowd] [--png bench/crowd_scaling.png]

Goals (issue #8): Near >= 400, Mid >= 1000, Far >= 4000 voices within one core's real time.
"""
from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

from gbench import median_runs, real_time_us

BLOCK_US = 256 / 48000 * 1e6  # one block of audio, in microseconds
GOALS = {"near": 400, "mid": 1000, "far": 4000}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("binary", nargs="?", default="build/test-release/vocalsynth_bench_crowd")
    ap.add_argument("--png", default="bench/crowd_scaling.png")
    ap.add_argument("--min-time", default="0.1")
    args = ap.parse_args()

    # cost[(tier, path)][voices] = us per block (wall clock, median of 3)
    cost: dict[tuple[str, str], dict[int, float]] = defaultdict(dict)
    for b in median_runs(args.binary, args.min_time):
        _, path, tier, voices = b["run_name"].split("/")
        cost[(tier, path)][int(voices)] = real_time_us(b)
    if not cost:
        sys.exit("no crowd benchmark produced a result")

    paths = sorted({p for _, p in cost}, key=lambda p: ["scalar", "sse2", "neon", "avx2", "avx512"].index(p))
    print(f"one block = 256 samples at 48 kHz = {BLOCK_US:.0f} us of audio; voices/core = voices * {BLOCK_US:.0f} / cost")
    print(f"\n{'tier':<5} {'path':<7} {'voices':>7} {'us/block':>10} {'voices/core':>12} {'x scalar':>9}")
    best: dict[str, tuple[float, str]] = {}
    for tier in ("near", "mid", "far"):
        for path in paths:
            for voices, us in sorted(cost.get((tier, path), {}).items()):
                per_core = voices * BLOCK_US / us
                scalar = cost.get((tier, "scalar"), {}).get(voices)
                ratio = f"{scalar / us:8.1f}x" if scalar else "       -"
                print(f"{tier:<5} {path:<7} {voices:7d} {us:10.1f} {per_core:12.0f} {ratio}")
                # Capacity: judged at the largest voice count measured (fixed costs amortised).
                if voices == max(cost[(tier, path)]) and per_core > best.get(tier, (0.0, ""))[0]:
                    best[tier] = (per_core, path)
        print()
    print("goals (voices within one core's real time, best path, largest count measured):")
    ok = True
    for tier, goal in GOALS.items():
        if tier not in best:
            continue
        value, path = best[tier]
        ok &= value >= goal
        print(f"  {tier:<5} {value:8.0f} with {path:<7} goal >= {goal:<5} {'met' if value >= goal else 'NOT MET'}")

    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib not installed: no PNG written")
        return 0 if ok else 1
    fig, ax = plt.subplots(figsize=(8, 5))
    colours = {"near": "tab:red", "mid": "tab:orange", "far": "tab:blue"}
    styles = {"scalar": ":", "sse2": "--", "neon": "--", "avx2": "-", "avx512": "-."}
    for (tier, path), series in sorted(cost.items()):
        xs = sorted(series)
        ax.plot(xs, [series[x] for x in xs], styles.get(path, "-"), color=colours[tier], marker="o", ms=3,
                label=f"{tier} / {path}")
    ax.axhline(BLOCK_US, color="black", lw=1)
    ax.text(20, BLOCK_US * 1.1, "one core's real time", fontsize=8)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("voices")
    ax.set_ylabel("cost of one 256-sample block (us)")
    ax.set_title("VocalSynthesis crowd: cost vs voice count per tier and SIMD path")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7, ncol=3)
    fig.tight_layout()
    out = Path(args.png)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp.png")
    fig.savefig(tmp, dpi=120)
    tmp.replace(out)  # never leave a half-written PNG
    print(f"\nscaling curve: {out}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
