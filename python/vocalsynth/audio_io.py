"""Audio file reading and writing with clear errors and no half-written files."""
from __future__ import annotations

import os
import struct
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import soundfile as sf

from . import _core

FORMATS = {"wav": ("WAV", "PCM_24"), "flac": ("FLAC", "PCM_24"), "ogg": ("OGG", "VORBIS")}
# Names that promise another audio format: writing WAV bytes under them would mislead every tool
# that trusts the name.
OTHER_AUDIO_SUFFIXES = {"mp3", "aiff", "aif", "aifc", "opus", "oga", "m4a", "aac", "wma", "caf", "wv", "au", "snd"}
# Float input louder than this (+48 dBFS) is a conversion mistake, not a hot take: int16 samples
# stored as floats peak near 32767 (+90 dBFS). Floats a little over 1 (a hot float WAV) are fine.
MAX_INPUT_PEAK = 256.0
# What a folder of lines is searched for (the formats every tool here writes and reads).
AUDIO_SUFFIXES = {".wav", ".flac", ".ogg"}


class AudioError(Exception):
    """A file could not be used; the message names it and says how to fix it."""


def wav_data_shortfall(path: str | os.PathLike[str]) -> tuple[int, int] | None:
    """(bytes its header promises, bytes present) of a RIFF/WAVE file's data chunk when the file
    ends before it (a partial copy, an interrupted export), else None. libsndfile reads such a file
    without a word, up to where it ends."""
    with open(path, "rb") as f:
        head = f.read(12)
        if len(head) < 12 or head[:4] not in (b"RIFF", b"RIFX") or head[8:12] != b"WAVE":
            return None
        order = "<" if head[:4] == b"RIFF" else ">"
        size = os.fstat(f.fileno()).st_size
        position = 12
        while position + 8 <= size:
            f.seek(position)
            chunk = f.read(8)
            (length,) = struct.unpack(order + "I", chunk[4:])
            if chunk[:4] == b"data":
                present = size - (position + 8)
                # 0 and 0xFFFFFFFF: streaming writers that could not go back to fill the length in.
                return (length, present) if length not in (0, 0xFFFFFFFF) and length > present else None
            position += 8 + length + (length & 1)
    return None


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
    shortfall = wav_data_shortfall(p)
    if shortfall is not None:
        promised, present = shortfall
        seconds = data.shape[0] / rate
        raise AudioError(f"{p}: the file ends early: its header promises {seconds * promised / max(present, 1):.2f} s "
                         f"of audio, {seconds:.2f} s is there (a partial copy or an interrupted export); "
                         "copy or export it again")
    check_sample_rate(rate, str(p))
    mono = data.mean(axis=1).astype(np.float32) if data.shape[1] > 1 else data[:, 0].copy()
    bad = int(np.count_nonzero(~np.isfinite(mono)))
    if bad:
        raise AudioError(f"{p}: {bad} samples are NaN or infinite; re-export the file")
    peak = float(np.max(np.abs(mono)))
    if peak > MAX_INPUT_PEAK:
        raise AudioError(f"{p}: its float samples peak at {peak:g} (+{20 * np.log10(peak):.0f} dBFS), not within [-1, 1]: "
                         "integer PCM stored as floats? Re-export it with the samples scaled")
    return mono, int(rate)


def audio_files_in(folder: Path) -> list[Path]:
    """The WAV/FLAC/OGG files directly in `folder`, by name; an error naming it when there are none."""
    found = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in AUDIO_SUFFIXES)
    if not found:
        raise AudioError(f"{folder}: no WAV/FLAC/OGG files in this folder")
    return found


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


def make_folder(folder: str | os.PathLike[str]) -> Path:
    """Create a folder and its parents (as mkdir -p); an existing file in the way is an AudioError
    naming it, not an OSError about the folder."""
    p = Path(folder)
    for part in (p, *p.parents):
        if part.exists() and not part.is_dir():
            raise AudioError(f"{part}: is a file, not a folder; choose another output folder or move the file")
    p.mkdir(parents=True, exist_ok=True)
    return p


@contextmanager
def _temporary_beside(target: Path) -> Iterator[str]:
    """A temporary file in the target's folder, renamed over the target when the block succeeds and
    removed when it fails: a crash or kill mid-write leaves the old file or none, never half a file."""
    if target.is_dir():
        raise AudioError(f"{target}: is a folder; give a file name inside it or elsewhere")
    make_folder(target.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        yield tmp
        publish(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_text_atomic(path: str | os.PathLike[str], text: str) -> Path:
    """Write text atomically (see _temporary_beside)."""
    p = Path(path)
    with _temporary_beside(p) as tmp:
        Path(tmp).write_text(text, encoding="utf-8")
    return p


def output_format(path: str | os.PathLike[str], fmt: str | None = None, default: str | None = None) -> str:
    """The format to write `path` in: `fmt` when asked (and the name does not promise another audio
    format), else the one its suffix names, else `default`. Raises AudioError naming the file."""
    p = Path(path)
    suffix = p.suffix.lower().lstrip(".")
    known = ", ".join(f".{name}" for name in FORMATS)
    if fmt is not None:
        fmt = fmt.lower()
        if fmt not in FORMATS:
            raise AudioError(f"{p}: unsupported output format '{fmt}'; use one of {', '.join(FORMATS)}")
        if suffix != fmt and (suffix in FORMATS or suffix in OTHER_AUDIO_SUFFIXES):
            raise AudioError(f"{p}: the name says .{suffix} but the format asked is {fmt}; "
                             f"name the file .{fmt}, or ask for the format its name says ({known})")
        return fmt
    if suffix in FORMATS:
        return suffix
    if default is not None and suffix not in OTHER_AUDIO_SUFFIXES:
        return default
    what = f"'.{suffix}'" if suffix else "no suffix"
    raise AudioError(f"{p}: unsupported output format ({what}); end the name in one of {known}")


def write_atomic(path: str | os.PathLike[str], audio: np.ndarray, rate: int, fmt: str | None = None) -> Path:
    """Write audio atomically (see _temporary_beside) as WAV, FLAC or OGG: the format asked, or the
    one the name's suffix says (see output_format)."""
    p = Path(path)
    fmt = output_format(p, fmt)
    container, subtype = FORMATS[fmt]
    with _temporary_beside(p) as tmp:
        sf.write(tmp, np.asarray(audio, dtype=np.float32), rate, format=container, subtype=subtype)
    return p
