#!/usr/bin/env python3
"""Load benchmark for the TTS service (bounded; loopback only).

Starts `vocalsynth serve` on a free 127.0.0.1 port, runs N concurrent clients for a fixed number
of requests, and reports requests/s, p50/p99 latency, errors, and the servers' resident memory
before and after (growth would mean a leak).

    python3 bench/load_tts.py [--clients 8] [--requests 200] [--workers 2]
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import threading
import time

import psutil
import requests

from vocalsynth.localhost import free_port, wait_until_ready

LINES = ["Good evening, traveller.", "The gate is closed until dawn.", "Bring me the head of the wolf!",
         "Do you hear the bells?", "Stay away from the river, stranger."]
VOICES = ["human", "vampire", "zombie", "werewolf", "wraith"]


def tree_rss(proc: psutil.Process) -> int:
    procs = [proc] + proc.children(recursive=True)
    return sum(p.memory_info().rss for p in procs if p.is_running())


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "vocalsynth", "serve", "--port", str(port), "--workers",
                               str(args.workers)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_ready(base + "/readyz", timeout_s=60)
        handle = psutil.Process(server.pid)
        # Warm every worker, then measure memory as the baseline.
        for i in range(4 * args.workers):
            requests.post(base + "/api/tts/generate", json={"text": LINES[i % 5], "voice_id": VOICES[i % 5]}, timeout=60)
        def run_load() -> tuple[float, list[float], int]:
            latencies: list[float] = []
            errors = 0
            lock = threading.Lock()
            counter = iter(range(args.requests))

            def client() -> None:
                nonlocal errors
                session = requests.Session()
                for i in counter:
                    body = {"text": LINES[i % len(LINES)], "voice_id": VOICES[i % len(VOICES)], "sample_rate": 44100}
                    t0 = time.perf_counter()
                    try:
                        ok = session.post(base + "/api/tts/generate", json=body, timeout=60).status_code == 200
                    except requests.RequestException:
                        ok = False
                    with lock:
                        latencies.append(time.perf_counter() - t0)
                        errors += not ok

            t_start = time.perf_counter()
            threads = [threading.Thread(target=client) for _ in range(args.clients)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            return time.perf_counter() - t_start, sorted(latencies), errors

        # Pass 1 brings every worker to its steady state under concurrency (threadpool,
        # allocator arenas); passes 2 and 3 are measured. Growth from the end of pass 2 to the
        # end of pass 3 (same load again) would be a leak.
        run_load()
        elapsed, lat, errors = run_load()
        rss_before = tree_rss(handle)
        elapsed3, lat3, errors3 = run_load()
        rss_after = tree_rss(handle)
        elapsed, lat, errors = elapsed + elapsed3, sorted(lat + lat3), errors + errors3
        args.requests *= 2
        p = lambda q: 1000 * lat[min(len(lat) - 1, int(q * len(lat)))]  # noqa: E731
        print(f"{args.requests} requests, {args.clients} clients, {args.workers} workers: "
              f"{args.requests / elapsed:.1f} req/s, p50 {p(0.50):.0f} ms, p99 {p(0.99):.0f} ms, errors {errors}")
        growth = (rss_after - rss_before) / 1e6
        print(f"server memory, end of pass 2 -> end of pass 3: {rss_before / 1e6:.0f} MB -> {rss_after / 1e6:.0f} MB "
              f"({growth:+.1f} MB){'  LEAK?' if growth > 5 else ''}")
        return 1 if errors or growth > 5 else 0
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    sys.exit(main())
