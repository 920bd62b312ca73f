"""Audio file reading and writing with clear errors and no half-written files."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np
import soundfile as sf

from . import _core

FORMATS = {"wav": ("WAV", "PCM_24"), "flac": ("FLAC", "PCM_24"), "ogg": ("OGG", "VORBIS")}


class AudioError(Exception):
    """A file could not be used; the message names it and says how to fix it."""


def read_mono(path: str | os.PathLike[str]) -> tuple[np.ndarray, int]:
    """Read an audio file as mono float32, checking rate and content."""
    p = Path(path)
    if not p.exists():
        raise AudioError(f"{p}: file not found")
    if not p.is_file():
        raise AudioError(f"{p}: not a regular file")
    try:
        data, rate = sf.read(str(p), dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError, TypeError, ValueError) as exc:
        raise AudioError(f"{p}: cannot decode audio ({exc}); expected WAV, FLAC or OGG") from exc
    if data.shape[0] == 0:
        raise AudioError(f"{p}: contains no samples")
    check_sample_rate(rate, str(p))
    mono = data.mean(axis=1).astype(np.float32) if data.shape[1] > 1 else data[:, 0].copy()
    bad = int(np.count_nonzero(~np.isfinite(mono)))
    if bad:
        raise AudioError(f"{p}: {bad} samples are NaN or infinite; re-export the file")
    return mono, int(rate)


def check_sample_rate(rate: int, where: str = "sample rate") -> None:
    lo, hi = int(_core.min_sample_rate), int(_core.max_sample_rate)
    if not lo <= rate <= hi:
        raise AudioError(f"{where}: unsupported sample rate {rate} Hz; supported {lo}-{hi} Hz (resample the file)")


def publish(tmp: str, target: str | os.PathLike[str]) -> None:
    """Give a temporary file the usual permissions (mkstemp makes it owner-only) and rename it over
    the target in one step."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    os.replace(tmp, target)


def write_text_atomic(path: str | os.PathLike[str], text: str) -> Path:
    """Write text through a temporary file in the same folder, then rename over the target."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        publish(tmp, p)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return p


def write_atomic(path: str | os.PathLike[str], audio: np.ndarray, rate: int, fmt: str | None = None) -> Path:
    """Write audio through a temporary file in the same folder, then rename over the target.

    A crash or kill mid-write leaves either the old file or no file, never a truncated one.
    """
    p = Path(path)
    fmt = (fmt or p.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise AudioError(f"{p}: unsupported output format '{fmt}'; use one of {', '.join(FORMATS)}")
    container, subtype = FORMATS[fmt]
    p.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent)
    os.close(fd)
    try:
        sf.write(tmp, np.asarray(audio, dtype=np.float32), rate, format=container, subtype=subtype)
        publish(tmp, p)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return p
