"""Voice QA: objective measures of a voiced line, archetype bands as data, conformity scores and
run-to-run regression. Established implementations do the measuring: praat-parselmouth (F0,
jitter, shimmer, HNR, formants, intensity), pyloudnorm (BS.1770 loudness), 4x oversampling for
true peak."""
from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .audio_io import AudioError, read_mono

BANDS_PATH = Path(__file__).resolve().parent / "qa_bands.json"
SILENCE_DBFS = -50.0
# Praat's analyses need a few periods of their floors (pitch 3 of 50 Hz, intensity 6.4 of 75 Hz).
MIN_VOICE_ANALYSIS_S = 0.1


def _praat(audio: np.ndarray, rate: int):
    import parselmouth

    return parselmouth.Sound(np.asarray(audio, dtype=np.float64), rate)


def count_clicks(audio: np.ndarray, rate: int) -> int:
    """Discontinuities: samples whose second difference stands far above its local level (a step
    or spike the waveform cannot produce smoothly). Events closer than 10 ms count once."""
    import scipy.ndimage as nd

    x = np.asarray(audio, dtype=np.float64)
    if len(x) < 3:
        return 0
    d2 = np.abs(np.diff(x, 2))
    local = nd.median_filter(d2, size=max(3, int(0.02 * rate)), mode="nearest")
    scale = np.percentile(d2, 99) + 1e-9
    hits = np.flatnonzero((d2 > 20.0 * (local + 0.05 * scale)) & (d2 > 0.05))
    if hits.size == 0:
        return 0
    gap = int(0.01 * rate)
    return int(1 + np.count_nonzero(np.diff(hits) > gap))


def speaking_rate(audio: np.ndarray, rate: int) -> float:
    """Syllable nuclei per second of speech: intensity peaks at least 2 dB above their dips, within
    25 dB of the loudest, in voiced frames (after de Jong & Wempe 2009)."""
    snd = _praat(audio, rate)
    intensity = snd.to_intensity(minimum_pitch=75, time_step=0.01)
    values, times = intensity.values[0], intensity.xs()
    pitch = snd.to_pitch(0.01, 60, 500)
    threshold = values.max() - 25.0
    peaks = 0
    last_dip = values[0]
    for i in range(1, len(values) - 1):
        last_dip = min(last_dip, values[i])
        if values[i] >= values[i - 1] and values[i] > values[i + 1] and values[i] > threshold and values[i] - last_dip >= 2.0:
            if pitch.get_value_at_time(times[i]) == pitch.get_value_at_time(times[i]):  # voiced (not NaN)
                peaks += 1
                last_dip = values[i]
    speech_seconds = np.count_nonzero(values > threshold) * 0.01
    return peaks / speech_seconds if speech_seconds > 0 else 0.0


def measure(audio: np.ndarray, rate: int) -> dict[str, float]:
    """Every measure of one line (see the README's QA section for units)."""
    import pyloudnorm
    from parselmouth.praat import call

    from .farm import true_peak

    x = np.asarray(audio, dtype=np.float64)
    nan = math.nan
    if len(x) >= MIN_VOICE_ANALYSIS_S * rate:
        snd = _praat(x, rate)
        pitch = snd.to_pitch(0.01, 50, 500)
        f0 = pitch.selected_array["frequency"]
        points = call(snd, "To PointProcess (periodic, cc)", 50, 500)
        jitter = call(points, "Get jitter (local)", 0, 0, 0.0001, 0.02, 1.3)
        shimmer = call([snd, points], "Get shimmer (local)", 0, 0, 0.0001, 0.02, 1.3, 1.6)
        hnr = call(snd.to_harmonicity_cc(0.01, 50, 0.1, 1.0), "Get mean", 0, 0)
        formant = snd.to_formant_burg(0.01, 5, 5000, 0.025, 50)
        voiced_times = [t for t, f in zip(pitch.xs(), f0) if f > 0]
        formants = [float(np.nanmean([formant.get_value_at_time(i, t) for t in voiced_times])) if voiced_times else nan
                    for i in (1, 2, 3)]
        syllable_rate = speaking_rate(x, rate)
    else:  # too short for a 50 Hz pitch period three times over: no voice measures, the rest still
        f0, jitter, shimmer, hnr, formants, syllable_rate = np.zeros(0), nan, nan, nan, [nan, nan, nan], 0.0
    voiced = f0[f0 > 0]
    frame = max(1, int(0.01 * rate))
    frames = x[: len(x) // frame * frame].reshape(-1, frame) if len(x) >= frame else x.reshape(1, -1)
    frame_db = 20 * np.log10(np.sqrt(np.mean(frames ** 2, axis=1)) + 1e-12)
    loudness = pyloudnorm.Meter(rate).integrated_loudness(x) if len(x) >= int(0.4 * rate) else -math.inf
    return {
        "duration_s": len(x) / rate,
        "f0_median_hz": float(np.median(voiced)) if voiced.size else nan,
        "f0_p5_hz": float(np.percentile(voiced, 5)) if voiced.size else nan,
        "f0_p95_hz": float(np.percentile(voiced, 95)) if voiced.size else nan,
        "voiced_ratio": float(voiced.size / max(1, np.count_nonzero(frame_db > SILENCE_DBFS))) if len(f0) else 0.0,
        "jitter_local_pct": 100.0 * jitter if jitter == jitter else nan,
        "shimmer_local_pct": 100.0 * shimmer if shimmer == shimmer else nan,
        "hnr_db": float(hnr),
        "f1_hz": formants[0], "f2_hz": formants[1], "f3_hz": formants[2],
        "speaking_rate_syl_s": syllable_rate,
        "lufs": float(loudness),
        "true_peak_dbtp": float(20 * np.log10(true_peak(x) + 1e-12)),
        "clipped_samples": int(np.count_nonzero(np.abs(x) >= 0.999)),
        "clicks": count_clicks(x, rate),
        "dc_offset": float(np.mean(x)) if len(x) else 0.0,
        "silence_ratio": float(np.mean(frame_db < SILENCE_DBFS)),
    }


def intelligibility_scores(items: list[tuple[np.ndarray, int, str]],
                           formant_scales: list[float] | None = None) -> list[float]:
    """Word accuracy of each (audio, rate, expected text), judged over the closed set of all
    expected texts of the batch (plus the benchmark's sentences as distractors). formant_scales:
    each line's voice size (intelligibility.voice_formant_scale): the line is then judged both as
    heard and with that scale undone, and scores the better. A listener adapts to a speaker's
    size; the recognizer does not (a golem's lines at x0.59: 8% as heard, 77% undone), and the
    replay's change of pitch and pace throws it on other lines as much as it helps."""
    from . import intelligibility

    distractors = ["good evening traveller", "the gate is closed until dawn", "i will not ask you again",
                   "bring me the head of the wolf", "stay away from the river", "what do you want from me"]
    dec = intelligibility.decoder([text for _, _, text in items] + distractors)
    scales = formant_scales or [1.0] * len(items)
    scores = []
    for (audio, rate, text), scale in zip(items, scales):
        score = intelligibility.word_accuracy(text, intelligibility.recognize(dec, audio, rate))
        if scale != 1.0 and score < 1.0:
            score = max(score, intelligibility.word_accuracy(text, intelligibility.recognize(dec, audio, rate, scale)))
        scores.append(score)
    return scores


# --- Bands ----------------------------------------------------------------------------------

@dataclass
class BandResult:
    measure: str
    value: float
    low: float | None
    high: float | None
    passed: bool
    off_by: float      # how far outside the band (0 when inside)

    def describe(self) -> str:
        bound = f"[{'' if self.low is None else self.low} .. {'' if self.high is None else self.high}]"
        return (f"{self.measure} = {self.value:.3g} {'inside' if self.passed else 'outside'} {bound}"
                + ("" if self.passed else f" by {self.off_by:.3g}"))


def load_bands(path: str | Path | None = None) -> dict[str, dict[str, list[float | None]]]:
    data = json.loads(Path(path or BANDS_PATH).read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


def check_bands(measures: dict[str, float], archetype: str, bands: dict[str, Any] | None = None) -> tuple[float, list[BandResult]]:
    """Conformity score 0-1 (mean per-band score: 1 inside, decaying with distance outside) and
    the result of every band of the archetype (plus the bands every archetype shares)."""
    bands = bands or load_bands()
    if archetype not in bands:
        raise KeyError(f"no QA bands for archetype '{archetype}'; known: {', '.join(k for k in bands if k != 'all')}")
    results, scores = [], []
    for name, (low, high) in {**bands.get("all", {}), **bands[archetype]}.items():
        value = measures.get(name, math.nan)
        if value != value:  # NaN: the measure could not be taken, which fails the band
            results.append(BandResult(name, value, low, high, False, math.inf))
            scores.append(0.0)
            continue
        off = (low - value) if low is not None and value < low else (value - high) if high is not None and value > high else 0.0
        results.append(BandResult(name, float(value), low, high, off == 0.0, float(off)))
        scale = 0.25 * max(abs(low if low is not None else 0.0), abs(high if high is not None else 0.0), 1.0)
        scores.append(math.exp(-off / scale))
    return float(np.mean(scores)) if scores else 1.0, results


def analyze_files(paths: Sequence[str | Path], archetype: str | None = None, texts: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Measures of each file, in order. A file that cannot be read (missing, corrupt, an unsupported
    rate, NaN samples) gets a row with its "error" and "passed": False instead, and the rest are
    still measured: one bad take does not cost a batch its report."""
    rows = []
    loaded = []
    unreadable: dict[str, str] = {}
    for path in paths:
        try:
            audio, rate = read_mono(path)
        except AudioError as exc:
            unreadable[str(path)] = str(exc)
            continue
        loaded.append((str(path), audio, rate))
    accuracy: dict[str, float] = {}
    if texts:
        known = [(a, r, texts[p]) for p, a, r in loaded if p in texts]
        scales = None
        if archetype:  # heard as a listener hears that voice (its built-in speech), as the build gate does
            from . import intelligibility, presets

            scales = [intelligibility.speech_formant_scale(presets.builtin(archetype))] * len(known)
        for (p, _, _), score in zip([x for x in loaded if x[0] in texts], intelligibility_scores(known, scales)):
            accuracy[p] = score
    measured = {path: (audio, rate) for path, audio, rate in loaded}
    for path in map(str, paths):
        if path in unreadable:
            rows.append({"file": path, "error": unreadable[path], "passed": False})
            continue
        audio, rate = measured[path]
        row: dict[str, Any] = {"file": path, **measure(audio, rate)}
        if path in accuracy:
            row["intelligibility"] = accuracy[path]
        if archetype:
            score, results = check_bands(row, archetype)
            row["archetype"] = archetype
            row["conformity"] = score
            row["bands"] = [r.__dict__ for r in results]
            row["passed"] = all(r.passed for r in results)
        rows.append(row)
    return rows


# How far a measure may move between two runs before `analyze-compare` reports the line.
COMPARE_TOLERANCES = {"f0_median_hz": 5.0, "jitter_local_pct": 0.5, "shimmer_local_pct": 3.0, "hnr_db": 2.0, "f1_hz": 60.0,
                      "f2_hz": 100.0, "f3_hz": 150.0, "lufs": 1.0, "true_peak_dbtp": 1.0, "clicks": 0.0,
                      "clipped_samples": 0.0, "duration_s": 0.05, "intelligibility": 0.1}


def compare_runs(old: list[dict[str, Any]], new: list[dict[str, Any]], tolerances: dict[str, float] | None = None) -> list[str]:
    """Lines (matched by file name) whose measures moved beyond their tolerance between two runs."""
    tol = {**COMPARE_TOLERANCES, **(tolerances or {})}
    by_name = {Path(r["file"]).name: r for r in old}
    moved = []
    for row in new:
        name = Path(row["file"]).name
        if name not in by_name:
            moved.append(f"{name}: new line (not in the previous run)")
            continue
        was, now = by_name[name].get("error"), row.get("error")
        if was or now:
            if now and not was:
                moved.append(f"{name}: unreadable in the new run ({now})")
            elif was and not now:
                moved.append(f"{name}: readable again (the previous run could not read it)")
            continue
        for measure_name, limit in tol.items():
            a, b = by_name[name].get(measure_name), row.get(measure_name)
            if a is None or b is None or (a != a and b != b):
                continue
            if (a != a) != (b != b) or abs(b - a) > limit:
                moved.append(f"{name}: {measure_name} {a:.4g} -> {b:.4g} (tolerance {limit:g})")
    return moved
