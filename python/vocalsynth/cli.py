"""The ``vocalsynth`` command: bake archetype previews, list archetypes and parameters."""
from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from . import _core
from .audio_io import FORMATS, AudioError, check_sample_rate, read_mono, write_atomic
from .engine import process, resolve_params


class CliError(Exception):
    """A usage problem reported as 'vocalsynth: error: ...' with exit code 2."""


def _parse_overrides(items: Sequence[str]) -> dict[str, float]:
    overrides: dict[str, float] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep:
            raise CliError(f"--set expects NAME=VALUE, got '{item}'")
        try:
            overrides[name.strip()] = float(value)
        except ValueError:
            raise CliError(f"--set {name}: '{value}' is not a number") from None
    return overrides


def _default_anchor(sample_rate: int, seconds: float) -> np.ndarray:
    """The built-in anchor: a voice-like vowel phrase the engine synthesises itself."""
    return _core.render_anchor(float(sample_rate), seconds, f0_hz=118.0, vibrato_depth=0.012,
                               vibrato_rate_hz=5.2, jitter=0.004, shimmer=0.03, vowels="aeiou",
                               peak_level=0.5, seed=7)


def _level_db(x: np.ndarray) -> tuple[float, float]:
    peak = float(np.max(np.abs(x))) if x.size else 0.0
    rms = float(np.sqrt(np.mean(np.square(x, dtype=np.float64)))) if x.size else 0.0
    to_db = lambda v: 20.0 * np.log10(v) if v > 0 else float("-inf")  # noqa: E731
    return to_db(peak), to_db(rms)


def cmd_bake(args: argparse.Namespace) -> int:
    names = list(args.archetype or [])
    if args.all or not names:
        names = _core.archetype_names()
    overrides = _parse_overrides(args.set or [])
    for name in names:
        resolve_params(name, overrides)  # validate everything before writing anything
    if args.input:
        audio, rate = read_mono(args.input)
        stem = Path(args.input).stem + "_"
    else:
        rate = args.sample_rate
        check_sample_rate(rate, "--sample-rate")
        audio = _default_anchor(rate, args.seconds)
        stem = ""
    out_dir = Path(args.out)
    results = []
    start = time.perf_counter()
    for name in names:
        rendered = process(audio, rate, name, overrides=overrides, seed=args.seed,
                           proximity=args.proximity, environment=args.environment)
        path = write_atomic(out_dir / f"{stem}{name.lower()}.{args.format}", rendered, rate, args.format)
        results.append((name, path, *_level_db(rendered)))
    elapsed = time.perf_counter() - start
    audio_seconds = len(audio) / rate * len(names)
    for name, path, peak, rms in results:
        print(f"{name:<10} {str(path):<40} peak {peak:6.1f} dBFS  rms {rms:6.1f} dBFS")
    print(f"baked {len(results)} file(s), {audio_seconds:.1f} s of audio in {elapsed:.2f} s "
          f"({audio_seconds / max(elapsed, 1e-9):.0f}x real time)")
    return 0


def cmd_archetypes(_args: argparse.Namespace) -> int:
    for name in _core.archetype_names():
        print(f"{name:<10} {_core.archetype_description(name)}")
    return 0


def cmd_params(_args: argparse.Namespace) -> int:
    for p in _core.param_info():
        unit = p["unit"] or "0-1"
        print(f"{p['name']:<20} {unit:<4} {p['min']:>7g} .. {p['max']:<7g} default {p['default']:<6g} {p['description']}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="vocalsynth", description="VocalSynthesis: archetype voices for game NPCs.")
    parser.add_argument("--version", action="version", version=f"vocalsynth {_core.engine_version}")
    sub = parser.add_subparsers(dest="command", required=True)

    bake = sub.add_parser("bake", help="render an anchor (a file or the built-in one) through archetypes")
    bake.add_argument("--archetype", "-a", action="append", help="archetype name (repeatable); default: all")
    bake.add_argument("--all", action="store_true", help="bake every built-in archetype")
    bake.add_argument("--input", "-i", help="anchor audio file (WAV/FLAC/OGG, mono or mixed down); default: built-in anchor")
    bake.add_argument("--out", "-o", default="previews", help="output folder (default: previews)")
    bake.add_argument("--format", "-f", choices=sorted(FORMATS), default="wav")
    bake.add_argument("--sample-rate", type=int, default=48000, help="rate of the built-in anchor (16000-96000)")
    bake.add_argument("--seconds", type=float, default=3.0, help="length of the built-in anchor")
    bake.add_argument("--seed", type=int, default=0, help="noise seed: same seed, same output")
    bake.add_argument("--proximity", type=float, default=0.5, help="0 = far (subtle) .. 1 = close (intense)")
    bake.add_argument("--environment", type=float, default=0.5, help="0 = dry .. 1 = wet")
    bake.add_argument("--set", action="append", metavar="NAME=VALUE", help="override a parameter (repeatable)")
    bake.set_defaults(func=cmd_bake)

    sub.add_parser("archetypes", help="list the built-in archetypes").set_defaults(func=cmd_archetypes)
    sub.add_parser("params", help="list every parameter with unit and range").set_defaults(func=cmd_params)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except (CliError, AudioError, KeyError, ValueError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
        print(f"vocalsynth: error: {message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
