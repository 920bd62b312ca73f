#!/usr/bin/env python3
"""Build-farm throughput: lines per second for a 500-line manifest on one machine, local process
pool vs a Dask LocalCluster (several worker processes), measured in the same run.

    python3 bench/farm_bench.py [--lines 500] [--workers 2]
"""
from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from vocalsynth import farm

TEXTS = ["Good evening, traveller.", "Leave this place at once.", "Run while you still can!", "The moon is rising.",
         "You should not have come here.", "Bring me the head of the wolf.", "Do you hear the bells?"]
VOICES = {"varga": "vampire", "wolf": "werewolf", "ghost": "wraith", "brute": "zombie", "lich": "lich"}


def manifest(folder: Path, lines: int, output: str) -> Path:
    npcs = list(VOICES)
    data = {"version": 1, "output": output, "sample_rate": 48000, "format": "wav",
            "voices": {npc: {"preset": preset} for npc, preset in VOICES.items()},
            "lines": [{"id": f"line_{i:04d}", "npc": npcs[i % len(npcs)], "text": TEXTS[i % len(TEXTS)], "seed": i}
                      for i in range(lines)]}
    path = folder / f"{output}.json"
    path.write_text(json.dumps(data))
    return path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=500)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        local = farm.bake_all(manifest(folder, args.lines, "local"), workers=args.workers)
        local_s = time.perf_counter() - start
        from distributed import Client, LocalCluster

        with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
                Client(cluster) as client:
            start = time.perf_counter()
            dask = farm.bake_all(manifest(folder, args.lines, "dask"), client=client)
            dask_s = time.perf_counter() - start
        rerun_start = time.perf_counter()
        nothing = farm.bake_all(folder / "local.json", workers=args.workers)
        rerun_s = time.perf_counter() - rerun_start
    print(f"{args.lines} lines, {args.workers} workers")
    print(f"local processes : {args.lines / local_s:6.1f} lines/s  ({local.audio_seconds / local_s:.0f}x real time, "
          f"failed {local.failed})")
    print(f"Dask LocalCluster: {args.lines / dask_s:6.1f} lines/s  ({dask.audio_seconds / dask_s:.0f}x real time, "
          f"failed {dask.failed}); ratio dask/local {local_s / dask_s:.2f}")
    print(f"incremental re-run with nothing changed: {rerun_s:.2f} s ({nothing.skipped} skipped, {nothing.baked} baked)")


if __name__ == "__main__":
    main()
