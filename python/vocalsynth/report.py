"""`vocalsynth report DIR`: a self-contained HTML page (PNG plots embedded) with a table per
archetype and, per line, its waveform and a spectrogram with F0 and formant tracks, plus band
charts - designers look rather than read."""
from __future__ import annotations

import base64
import html
import io
import math
from pathlib import Path
from typing import Any

import numpy as np

from . import _core, qa
from .audio_io import AUDIO_SUFFIXES, AudioError, read_mono, write_text_atomic

COLUMNS = [("f0_median_hz", "F0 Hz"), ("jitter_local_pct", "jitter %"), ("shimmer_local_pct", "shimmer %"),
           ("hnr_db", "HNR dB"), ("f1_hz", "F1"), ("f2_hz", "F2"), ("lufs", "LUFS"), ("true_peak_dbtp", "TP dBTP"),
           ("clicks", "clicks"), ("conformity", "conformity")]


def _archetype_of(path: Path, known: list[str]) -> str:
    for part in [path.stem.lower(), path.parent.name.lower()]:
        for name in known:
            if part == name or part.endswith("_" + name) or part.startswith(name + "_"):
                return name
    return "unassigned"


def _png(fig) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=80, bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def line_plot(audio: np.ndarray, rate: int, title: str) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    snd = qa._praat(audio, rate)
    fig, (wave, spec) = plt.subplots(2, 1, figsize=(9, 4.2), sharex=True, gridspec_kw={"height_ratios": [1, 2.2]})
    t = np.arange(len(audio)) / rate
    wave.plot(t, audio, linewidth=0.4, color="#333")
    wave.set_ylim(-1, 1)
    wave.set_title(title, fontsize=10)
    if len(audio) >= 0.02 * rate:  # two 10 ms windows
        spectrogram = snd.to_spectrogram(window_length=0.01, maximum_frequency=5000)
        power = 10 * np.log10(np.maximum(spectrogram.values, 1e-12))
        spec.pcolormesh(spectrogram.xs(), spectrogram.ys(), power, vmin=power.max() - 70, cmap="magma", shading="auto")
    if len(audio) >= qa.MIN_VOICE_ANALYSIS_S * rate:  # formant and pitch tracks, as qa.measure
        formant = snd.to_formant_burg(0.01, 5, 5000, 0.025, 50)
        ft = formant.xs()
        for i, colour in zip((1, 2, 3), ("#0f0", "#0ff", "#fff")):
            spec.plot(ft, [formant.get_value_at_time(i, x) for x in ft], ".", markersize=1.2, color=colour)
        pitch = snd.to_pitch(0.01, 50, 500)
        f0 = pitch.selected_array["frequency"]
        f0 = np.where(f0 > 0, f0, np.nan)
        twin = spec.twinx()
        twin.plot(pitch.xs(), f0, color="#4af", linewidth=1.2)
        twin.set_ylim(50, 500)
        twin.set_ylabel("F0 Hz", fontsize=8)
    spec.set_ylabel("Hz", fontsize=8)
    spec.set_xlabel("s", fontsize=8)
    return _png(fig)


def band_chart(rows: list[dict[str, Any]], archetype: str) -> str | None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    bands = qa.load_bands().get(archetype)
    if not bands:
        return None
    names = list(bands)
    fig, axes = plt.subplots(1, len(names), figsize=(2.8 * len(names), 2.8))
    axes = np.atleast_1d(axes)
    for ax, name in zip(axes, names):
        low, high = bands[name]
        values = [r.get(name, math.nan) for r in rows]
        finite = [v for v in values if v == v]
        span = [v for v in finite + [low, high] if v is not None]
        lo, hi = (min(span), max(span)) if span else (0, 1)
        pad = 0.15 * (hi - lo or 1)
        ax.axhspan(low if low is not None else lo - pad, high if high is not None else hi + pad, color="#cfc")
        ax.plot(range(len(values)), values, "o", color="#a00")
        ax.set_ylim(lo - pad, hi + pad)
        ax.set_title(name, fontsize=8)
        ax.set_xticks([])
    fig.suptitle(f"{archetype}: measures (dots) against bands (green)", fontsize=9)
    fig.tight_layout(rect=(0, 0, 1, 0.88))
    return _png(fig)


def build_report(folder: str | Path, out: str | Path | None = None) -> Path:
    """Write the HTML report of every audio file under `folder` (files it cannot read are listed in
    it, not measured; build_report_with_problems() also returns them)."""
    return build_report_with_problems(folder, out)[0]


def build_report_with_problems(folder: str | Path, out: str | Path | None = None) -> tuple[Path, dict[str, str]]:
    """build_report(), and each unreadable file (its name under `folder`) with why."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ValueError(f"{folder}: folder not found (give the folder of baked lines to report on)")
    files = sorted(p for p in folder.rglob("*") if p.suffix.lower() in AUDIO_SUFFIXES)
    if not files:
        raise ValueError(f"{folder}: no WAV/FLAC/OGG files to report on")
    known = _core.archetype_names()
    groups: dict[str, list[dict[str, Any]]] = {}
    unreadable: dict[str, str] = {}
    for path in files:
        try:
            audio, rate = read_mono(path)
        except AudioError as exc:  # one bad take does not cost the batch its report
            unreadable[str(path.relative_to(folder))] = str(exc)
            continue
        row: dict[str, Any] = {"file": str(path.relative_to(folder)), **qa.measure(audio, rate)}
        archetype = _archetype_of(path, known)
        if archetype != "unassigned":
            row["conformity"], results = qa.check_bands(row, archetype)
            row["failed_bands"] = [r.describe() for r in results if not r.passed]
        row["plot"] = line_plot(audio, rate, row["file"])
        groups.setdefault(archetype, []).append(row)
    parts = ["<!DOCTYPE html><html><head><meta charset='utf-8'><title>VocalSynthesis voice report</title>",
             "<style>body{font-family:sans-serif;margin:24px;color:#222}table{border-collapse:collapse;margin:8px 0}"
             "td,th{border:1px solid #bbb;padding:3px 7px;font-size:13px;text-align:right}th{background:#eee}"
             "td.f{text-align:left}.bad{background:#fcc}.good{background:#cfc}img{max-width:100%}</style></head><body>",
             f"<h1>Voice report</h1><p>{len(files)} line(s) in {html.escape(str(folder))}, engine {_core.engine_version}</p>"]
    if unreadable:
        parts.append(f"<h2 id='unreadable'>Unreadable ({len(unreadable)})</h2>")
        parts.extend(f"<p class='bad'>{html.escape(why)}</p>" for why in unreadable.values())  # why names the file
    for archetype, rows in sorted(groups.items()):
        parts.append(f"<h2 id='{archetype}'>{html.escape(archetype)}</h2><table><tr><th>file</th>"
                     + "".join(f"<th>{label}</th>" for _, label in COLUMNS) + "</tr>")
        for row in rows:
            cells = []
            for key, _ in COLUMNS:
                value = row.get(key)
                css = ""
                if key == "conformity" and value is not None:
                    css = " class='good'" if value >= 0.999 else " class='bad'"
                cells.append(f"<td{css}>{'' if value is None else f'{value:.3g}'}</td>")
            parts.append(f"<tr><td class='f'>{html.escape(row['file'])}</td>{''.join(cells)}</tr>")
        parts.append("</table>")
        for row in rows:
            for failure in row.get("failed_bands", []):
                parts.append(f"<p class='bad'>{html.escape(row['file'])}: {html.escape(failure)}</p>")
        chart = band_chart(rows, archetype)
        if chart:
            parts.append(f"<img alt='bands {archetype}' src='{chart}'>")
        for row in rows:
            parts.append(f"<h3>{html.escape(row['file'])}</h3><img alt='{html.escape(row['file'])}' src='{row['plot']}'>")
    parts.append("<script>window.addEventListener('load',()=>{document.body.dataset.imagesLoaded="
                 "[...document.images].filter(i=>i.complete&&i.naturalWidth>0).length;});</script></body></html>")
    return write_text_atomic(Path(out or folder / "report.html"), "".join(parts)), unreadable
