"""Runs a Google Benchmark binary and returns the median of three repetitions of each benchmark
(shared by report.py and crowd_report.py)."""
from __future__ import annotations

import json
import subprocess
import sys

UNIT_US = {"ns": 1e-3, "us": 1.0, "ms": 1e3, "s": 1e6}  # Google Benchmark time units -> microseconds


def median_runs(binary: str, min_time: str) -> list[dict]:
    """One JSON record per benchmark (its median over 3 repetitions), errored ones left out."""
    try:
        raw = subprocess.run([binary, "--benchmark_format=json", f"--benchmark_min_time={min_time}",
                              "--benchmark_repetitions=3", "--benchmark_report_aggregates_only=true"],
                             check=True, capture_output=True, text=True).stdout
    except FileNotFoundError:
        sys.exit(f"{binary} not found: build it with -DVOCALSYNTH_BUILD_BENCH=ON (tools/run_tests.sh does)")
    return [b for b in json.loads(raw)["benchmarks"]
            if b.get("aggregate_name") == "median" and not b.get("error_occurred")]


def real_time_us(record: dict) -> float:
    return record["real_time"] * UNIT_US[record["time_unit"]]
