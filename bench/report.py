#!/usr/bin/env python3
"""Runs the Google Benchmark binary and prints the per-archetype table: microseconds per voice
per 50 ms of 48 kHz audio, real-time factor, voices per core, and the ratio to the reference
(a plain copy of the same block) measured in the same run.

    python3 bench/report.py [path/to/vocalsynth_bench] [--target-us 25]
"""
from __future__ import annotations

import argparse

from gbench import median_runs, real_time_us

ap = argparse.ArgumentParser()
ap.add_argument("binary", nargs="?", default="build/test-release/vocalsynth_bench")
ap.add_argument("--target-us", type=float, default=25.0, help="goal in us per voice per 50 ms")
ap.add_argument("--min-time", default="0.2")
args = ap.parse_args()

rows = {b["run_name"]: b for b in median_runs(args.binary, args.min_time)}
us = {name: real_time_us(b) for name, b in rows.items()}
reference = us["BM_Reference_CopyBlock"]
print(f"reference (copy 2400 samples): {reference:.3f} us\n")
print(f"{'block':<30} {'us/50ms':>9} {'x realtime':>11} {'voices/core':>12} {'x reference':>12} {'vs target':>10}")
for name, value in us.items():
    if name == "BM_Reference_CopyBlock" or name.startswith(("BM_Svf", "BM_Speech", "BM_MetaSoundBlocks")):
        continue
    label = name.replace("BM_Archetype/", "archetype ").replace("BM_Block/", "block ").replace("BM_Silent/", "silent (idle) ")
    print(f"{label:<30} {value:9.1f} {50000.0 / value:11.0f} {50000.0 / value:12.0f} {value / reference:12.0f} "
          f"{value / args.target_us:9.1f}x")

if "BM_MetaSoundBlocks/polled" in us:
    ratio = us["BM_MetaSoundBlocks/polled"] / us["BM_MetaSoundBlocks/voice"]
    print(f"\nMetaSound node (pins polled per 256-sample block) vs the plain voice, same blocks: x{ratio:.3f}")

speech = {name: b for name, b in rows.items() if name.startswith("BM_Speech")}
if speech:
    print()
    render = speech.get("BM_Speech_Render")
    first = speech.get("BM_Speech_TimeToFirstBlock")
    if render:
        print(f"speech synthesizer: {render['realtime_x']:.0f}x real time per voice (goal >= 200x)")
    if first:
        print(f"speech text -> first 256-sample block: {real_time_us(first) / 1000:.2f} ms (goal < 20 ms)")
