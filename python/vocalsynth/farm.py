"""Build-farm baking: every voiced line of a game from one manifest, incremental, reproducible,
parallel on one machine or distributed on a Dask cluster.

    vocalsynth bake-all manifest.yaml [--cluster tcp://scheduler:8786] [--junit bake.xml] [--report bake.json]

Each line's output is rebuilt only when its inputs change: a content hash of the resolved voice
(preset, overrides, emotion), the text or the anchor file's bytes, seed, sample rate, format,
loudness settings and the engine version. Outputs and the cache are written atomically (temporary
file + rename), so a killed worker or run never leaves a corrupt file; a re-run finishes the job.
One bad line (unknown phoneme, broken WAV, bad preset) fails alone with its message.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
import xml.etree.ElementTree as ET
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable

import jsonschema
import numpy as np

from . import _core, emotions, presets
from .audio_io import write_text_atomic
from .engine import morph_span
from .hints import describe_schema_error, did_you_mean, error_message

CACHE_NAME = ".vocalsynth-bake.json"

MANIFEST_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "vocalsynth-manifest-v1",
    "title": "VocalSynthesis bake manifest",
    "type": "object",
    "additionalProperties": False,
    "required": ["version", "voices", "lines"],
    "properties": {
        "version": {"const": 1},
        "output": {"type": "string", "description": "Output folder, relative to the manifest (default: baked)."},
        "sample_rate": {"type": "integer", "minimum": 16000, "maximum": 48000},
        "format": {"enum": ["wav", "flac", "ogg"]},
        "loudness": {
            "type": "object", "additionalProperties": False,
            "properties": {"target_lufs": {"type": ["number", "null"], "minimum": -40, "maximum": -5},
                           "true_peak_db": {"type": "number", "minimum": -12, "maximum": 0}},
        },
        "voices": {
            "type": "object", "minProperties": 1,
            # An NPC's name is the folder of its lines under the output: a plain name, never "..".
            "propertyNames": {"pattern": "^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,99}$"},
            "additionalProperties": {
                "type": "object", "additionalProperties": False, "required": ["preset"],
                "properties": {"preset": {"type": "string", "description": "Archetype name or preset file."},
                               "overrides": {"type": "object", "additionalProperties": {"type": "number"}}},
            },
        },
        "lines": {
            "type": "array", "minItems": 1,
            "items": {
                "type": "object", "additionalProperties": False, "required": ["id", "npc"],
                "properties": {
                    "id": {"type": "string", "pattern": "^[A-Za-z0-9_.-]{1,100}$"},
                    "npc": {"type": "string"},
                    "text": {"type": "string", "minLength": 1},
                    "anchor": {"type": "string", "description": "Source WAV/FLAC/OGG, relative to the manifest."},
                    "emotion": {"type": "string", "description": "Default: the one the text's stage directions "
                                                                 "imply (*whispers*), else neutral."},
                    "intensity": {"type": "number", "minimum": 0, "maximum": 1},
                    "overrides": {"type": "object", "additionalProperties": {"type": "number"}},
                    "seed": {"type": "integer", "minimum": 0},
                    "morph_to": {"type": "string", "description": "An NPC under voices whose voice the line turns "
                                                                  "into while it plays (a transformation)."},
                    "morph_seconds": {"type": "array", "items": {"type": "number", "minimum": 0}, "minItems": 2,
                                      "maxItems": 2, "description": "Start and end of the morph in seconds "
                                                                    "(default: the whole line)."},
                },
                "oneOf": [{"required": ["text"]}, {"required": ["anchor"]}],
            },
        },
    },
}

# The build gate's rules (`bake-all --gate gate.json`), checked before any line is baked: a typo
# found after an hour of baking, or a key line that silently went unjudged, costs a build.
GATE_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "vocalsynth-gate-v1",
    "title": "VocalSynthesis build gate",
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "max_clicks": {"type": "integer", "minimum": 0, "description": "Most clicks a line may have."},
        "max_true_peak_dbtp": {"type": "number", "minimum": -60, "maximum": 0,
                               "description": "Highest true peak a line may reach (dBTP)"},
        "bands": {"type": "boolean", "description": "Each line within its archetype's QA bands."},
        "min_intelligibility": {"type": "number", "minimum": 0, "maximum": 1,
                                "description": "Lowest word accuracy of a judged line (0-1)"},
        "key_lines": {"type": "array", "items": {"type": "string"}, "minItems": 1,
                      "description": "Line ids judged for intelligibility (default: every text line)."},
        "normalize_voice_size": {"type": "boolean",
                                 "description": "Judge with the voice's formant scale undone too (default true)."},
    },
}


class ManifestError(Exception):
    pass


class ClusterError(Exception):
    """The Dask scheduler named by --cluster cannot be used (a malformed address, or none answers)."""


@dataclass(frozen=True)
class Job:
    id: str
    npc: str
    out_path: str
    key: str
    voice_json: str = ""        # resolved preset (with overrides) as JSON; "" when the voice is broken
    text: str = ""
    anchor_path: str = ""
    emotion: str = "neutral"
    intensity: float = 1.0
    seed: int = 0
    sample_rate: int = 48000
    format: str = "wav"
    target_lufs: float | None = -23.0
    true_peak_db: float = -1.0
    error: str = ""             # known before rendering (bad preset, missing anchor)
    morph_json: str = ""        # the voice the line turns into (resolved preset as JSON), "" for none
    morph_seconds: tuple[float, float] | None = None  # None: the whole line


@dataclass
class LineResult:
    id: str
    npc: str
    status: str                 # baked | skipped | failed
    out_path: str
    key: str = ""
    seconds: float = 0.0
    audio_seconds: float = 0.0
    message: str = ""


@dataclass
class Summary:
    baked: int = 0
    skipped: int = 0
    failed: int = 0
    seconds: float = 0.0
    audio_seconds: float = 0.0
    results: list[LineResult] = field(default_factory=list)

    @property
    def realtime_factor(self) -> float:
        return self.audio_seconds / self.seconds if self.seconds > 0 else 0.0


# --- Manifest -> jobs ----------------------------------------------------------------------

def load_manifest(path: str | os.PathLike[str]) -> dict[str, Any]:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ManifestError(f"{p}: manifest not found") from None
    try:
        if p.suffix.lower() in (".yaml", ".yml"):
            import yaml

            data = yaml.safe_load(text)
        else:
            data = json.loads(text)
    except Exception as exc:  # YAML and JSON parse errors both name the place
        raise ManifestError(f"{p}: cannot parse: {exc}") from None
    errors = sorted(jsonschema.Draft202012Validator(MANIFEST_SCHEMA).iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        lines = [describe_schema_error(e) for e in errors]
        raise ManifestError(f"{p}: {len(lines)} problem(s):\n" + "\n".join(f"  - {line}" for line in lines))
    ids = [line["id"] for line in data["lines"]]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ManifestError(f"{p}: duplicate line id(s): {', '.join(duplicates)}")
    return data


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def plan(manifest_path: str | os.PathLike[str]) -> tuple[list[Job], Path]:
    """Resolve voices and lines into jobs with content keys. Voice problems become per-line errors."""
    manifest_path = Path(manifest_path).resolve()
    data = load_manifest(manifest_path)
    base = manifest_path.parent
    out_dir = (base / data.get("output", "baked")).resolve()
    rate, fmt = int(data.get("sample_rate", 48000)), data.get("format", "wav")
    loudness = data.get("loudness", {})
    target = loudness.get("target_lufs", -23.0)
    ceiling = float(loudness.get("true_peak_db", -1.0))
    voices: dict[str, tuple[presets.Preset | None, str]] = {}
    for npc, spec in data["voices"].items():
        try:
            ref = spec["preset"]
            loaded = presets.load(base / ref) if ref.lower().endswith(".json") else presets.builtin(ref)
            if spec.get("overrides"):
                loaded.params.update({k: presets.float32_value(v) for k, v in spec["overrides"].items()})
                loaded.voice_params()  # names and ranges checked here
            voices[npc] = (loaded, "")
        except (presets.PresetError, KeyError, ValueError) as exc:
            voices[npc] = (None, f"voice '{npc}': {error_message(exc)}")
    jobs = []
    for line in data["lines"]:
        preset, error = voices.get(line["npc"], (None, f"npc '{line['npc']}' has no entry under voices"))
        voice_json = ""
        if preset is not None:
            p = _with_overrides(preset, line.get("overrides", {}))
            try:
                p.voice_params()
                voice_json = p.dumps()
            except (KeyError, ValueError) as exc:
                error = f"overrides: {exc.args[0] if exc.args else exc}"
        anchor_path, anchor_hash = "", ""
        if "anchor" in line:
            anchor_file = (base / line["anchor"]).resolve()
            anchor_path = str(anchor_file)
            if anchor_file.is_file():
                anchor_hash = _sha256_file(anchor_file)
            elif not error:
                error = f"anchor {line['anchor']}: file not found"
        try:
            emotion = emotions.for_line(line.get("emotion"), line.get("text", ""))  # or its stage directions'
        except ValueError as exc:
            emotion, error = "neutral", error or str(exc)
        seed = int(line.get("seed", preset.seed if preset else 0))
        intensity = float(line.get("intensity", 1.0))
        morph_json, morph_seconds, morph_error = _morph_of(line, voices)
        error = error or morph_error
        key_material = json.dumps({"engine": _core.engine_version, "voice": voice_json, "text": line.get("text", ""),
                                   "anchor": anchor_hash, "emotion": emotion, "intensity": intensity, "seed": seed,
                                   "rate": rate, "format": fmt, "lufs": target, "ceiling": ceiling,
                                   "morph": morph_json, "morph_seconds": morph_seconds}, sort_keys=True)
        out_path = out_dir / line["npc"] / f"{line['id']}.{fmt}"
        jobs.append(Job(id=line["id"], npc=line["npc"], out_path=str(out_path),
                        key=hashlib.sha256(key_material.encode()).hexdigest(), voice_json=voice_json,
                        text=line.get("text", ""), anchor_path=anchor_path, emotion=emotion, intensity=intensity,
                        seed=seed, sample_rate=rate, format=fmt, target_lufs=target, true_peak_db=ceiling, error=error,
                        morph_json=morph_json, morph_seconds=morph_seconds))
    return jobs, out_dir


def _morph_of(line: dict[str, Any], voices: dict[str, tuple[presets.Preset | None, str]]
              ) -> tuple[str, tuple[float, float] | None, str]:
    """A line's morph_to (the voice as JSON) and morph_seconds, or the error that fails the line."""
    span = None
    if "morph_seconds" in line:
        try:
            span = morph_span(line["morph_seconds"], 0.0, "morph_seconds")
        except ValueError as exc:
            return "", None, str(exc)
    if "morph_to" not in line:
        return "", None, "morph_seconds needs morph_to: the NPC under voices whose voice the line turns into" if span else ""
    name = line["morph_to"]
    if name not in voices:
        return "", None, f"morph_to '{name}' has no entry under voices" + did_you_mean(name, voices)
    target, error = voices[name]
    if target is None:
        return "", None, f"morph_to: {error}"  # the voice's own problem ("voice 'x': ..."), named
    return target.dumps(), span, ""


def _with_overrides(preset: presets.Preset, overrides: dict[str, float]) -> presets.Preset:
    if not overrides:
        return preset
    copy = presets.from_json(json.loads(preset.dumps()), preset.name)[0]
    copy.params.update({k: presets.float32_value(v) for k, v in overrides.items()})
    return copy


# --- One line (runs in a worker process, local or on a Dask worker) ---------------------------

def true_peak(audio: np.ndarray) -> float:
    """4x oversampled peak (ITU-R BS.1770 style true-peak estimate)."""
    import scipy.signal as ss

    if audio.size == 0:
        return 0.0
    return float(np.max(np.abs(ss.resample_poly(audio.astype(np.float64), 4, 1))))


def normalize_loudness(audio: np.ndarray, rate: int, target_lufs: float | None, ceiling_db: float) -> np.ndarray:
    """Gain to the target integrated loudness (EBU R128 / BS.1770 via pyloudnorm), limited so the
    true peak stays under the ceiling. Lines shorter than a loudness block (0.4 s) keep their level."""
    if target_lufs is None or len(audio) < int(0.4 * rate):
        gain = 1.0
    else:
        import pyloudnorm

        loudness = pyloudnorm.Meter(rate).integrated_loudness(audio.astype(np.float64))
        gain = 10 ** ((target_lufs - loudness) / 20.0) if np.isfinite(loudness) else 1.0
    ceiling = 10 ** (ceiling_db / 20.0)
    peak = true_peak(audio) * gain
    if peak > ceiling:
        gain *= ceiling / peak
    return (audio * gain).astype(np.float32)


def render_job(job: Job) -> LineResult:
    start = time.perf_counter()
    result = LineResult(id=job.id, npc=job.npc, status="failed", out_path=job.out_path, key=job.key)
    if job.error:
        result.message = job.error
        return result
    try:
        from . import speech
        from .audio_io import read_mono, write_atomic
        from .engine import process

        preset = presets.from_json(json.loads(job.voice_json), job.npc)[0]
        target = presets.from_json(json.loads(job.morph_json), job.npc)[0] if job.morph_json else None
        if job.text:  # synthesize builds both voices' chains under the emotion itself
            audio = speech.synthesize(job.text, preset, job.emotion, sample_rate=job.sample_rate, seed=job.seed,
                                      intensity=job.intensity, morph_to=target, morph_seconds=job.morph_seconds).audio
        else:
            anchor, anchor_rate = read_mono(job.anchor_path)
            if anchor_rate != job.sample_rate:
                import soxr

                anchor = soxr.resample(anchor, anchor_rate, job.sample_rate).astype(np.float32)
            params = emotions.voice_params(preset, job.emotion, job.intensity)
            target_params = None if target is None else emotions.voice_params(target, job.emotion, job.intensity)
            audio = process(anchor, job.sample_rate, params, seed=job.seed, morph_to=target_params,
                            morph_seconds=job.morph_seconds)
        audio = normalize_loudness(audio, job.sample_rate, job.target_lufs, job.true_peak_db)
        write_atomic(job.out_path, audio, job.sample_rate, job.format)
        result.status = "baked"
        result.audio_seconds = len(audio) / job.sample_rate
    except Exception as exc:  # one bad line fails alone, with its message
        result.message = f"{type(exc).__name__}: {exc}"
    result.seconds = time.perf_counter() - start
    return result


# --- The run --------------------------------------------------------------------------------

def _read_cache(out_dir: Path) -> dict[str, str]:
    try:
        return json.loads((out_dir / CACHE_NAME).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def _write_json_atomic(path: Path, data: Any) -> None:
    write_text_atomic(path, json.dumps(data, indent=1, sort_keys=True))


CLUSTER_HINT = "give the scheduler's address (e.g. tcp://scheduler:8786), or leave --cluster out to bake on this machine"


def check_cluster_address(address: str) -> None:
    """ClusterError unless `address` is one Dask can dial (a known scheme; a port where it needs one).
    Checked before any work, even when every line is up to date and no scheduler is called."""
    from distributed.comm.addressing import parse_address, parse_host_port
    from distributed.comm.registry import get_backend

    try:
        scheme, location = parse_address(address)
        get_backend(scheme)
        if scheme in ("tcp", "tls", "ws", "wss"):
            parse_host_port(location)
    except ValueError as exc:
        raise ClusterError(f"--cluster {address}: not a scheduler address ({exc}); {CLUSTER_HINT}") from None


def connect_cluster(address: str, timeout_s: float = 30.0) -> Any:
    """A Dask client for the scheduler at `address` (bake_all has checked it with
    check_cluster_address); ClusterError naming it when nothing answers within `timeout_s`."""
    from distributed import Client

    try:
        return Client(address, timeout=timeout_s)
    except (OSError, TimeoutError) as exc:
        raise ClusterError(f"--cluster {address}: no Dask scheduler answered within {timeout_s:g} s "
                           f"({type(exc).__name__}); {CLUSTER_HINT}") from None


def _results(jobs: list[Job], cluster: str | None, workers: int | None, client: Any = None,
             cluster_timeout_s: float = 30.0) -> Iterable[LineResult]:
    if not jobs:
        return
    if client is not None or cluster:
        from distributed import as_completed as dask_completed

        owned = client is None
        client = client or connect_cluster(str(cluster), cluster_timeout_s)
        try:
            futures = client.map(render_job, jobs, pure=False)
            for future in dask_completed(futures):
                yield future.result()
        finally:
            if owned:
                client.close()
        return
    if (workers or os.cpu_count() or 1) <= 1 or len(jobs) == 1:
        for job in jobs:
            yield render_job(job)
        return
    with ProcessPoolExecutor(max_workers=workers or os.cpu_count()) as pool:
        for future in as_completed([pool.submit(render_job, job) for job in jobs]):
            yield future.result()


def bake_all(manifest: str | os.PathLike[str], *, cluster: str | None = None, client: Any = None,
             workers: int | None = None, force: bool = False, progress: bool = False,
             cluster_timeout_s: float = 30.0) -> Summary:
    if workers is not None and workers < 1:
        raise ValueError(f"workers must be at least 1 (got {workers}); leave it out to use every core")
    if cluster and client is None:
        check_cluster_address(cluster)
    start = time.perf_counter()
    jobs, out_dir = plan(manifest)
    if out_dir.is_dir():  # temporaries of a killed run: never outputs, swept here
        for stale in out_dir.rglob(".*.tmp"):
            stale.unlink(missing_ok=True)
        for stale in out_dir.glob(f".{CACHE_NAME}.*"):
            stale.unlink(missing_ok=True)
    cache = {} if force else _read_cache(out_dir)
    summary = Summary()
    todo = []
    for job in jobs:
        if not job.error and cache.get(job.id) == job.key and Path(job.out_path).is_file():
            summary.skipped += 1
            summary.results.append(LineResult(job.id, job.npc, "skipped", job.out_path, job.key, message="up to date"))
        else:
            todo.append(job)
    bar = None
    if progress and todo:
        from tqdm import tqdm

        bar = tqdm(total=len(todo), unit="line", desc="baking", file=sys.stderr)
    for result in _results(todo, cluster, workers, client, cluster_timeout_s):
        summary.results.append(result)
        if result.status == "baked":
            summary.baked += 1
            summary.audio_seconds += result.audio_seconds
            cache[result.id] = result.key
        else:
            summary.failed += 1
            cache.pop(result.id, None)
        _write_json_atomic(out_dir / CACHE_NAME, cache)  # after every line: a killed run keeps its progress
        if bar:
            bar.update(1)
    if bar:
        bar.close()
    order = {job.id: i for i, job in enumerate(jobs)}
    summary.results.sort(key=lambda r: order[r.id])
    summary.seconds = time.perf_counter() - start
    return summary


def check_gate_rules(rules: Any, jobs: list[Job]) -> dict[str, Any]:
    """The gate's rules as given, or a ManifestError naming every problem: unknown rules (with the
    one probably meant), wrong types or ranges, and key lines the manifest does not have."""
    problems = [describe_schema_error(e) for e in
                sorted(jsonschema.Draft202012Validator(GATE_SCHEMA).iter_errors(rules), key=lambda e: list(map(str, e.path)))]
    if not problems and "key_lines" in rules:
        ids = [job.id for job in jobs]
        texts = {job.id for job in jobs if job.text}
        for key in rules["key_lines"]:
            if key not in ids:
                problems.append(f"key_lines: no line '{key}' in the manifest{did_you_mean(key, ids)}")
            elif key not in texts:
                problems.append(f"key_lines: '{key}' has no text (an anchor line), so its words cannot be judged")
    if problems:
        raise ManifestError(f"gate rules: {len(problems)} problem(s):\n" + "\n".join(f"  - {p}" for p in problems))
    return dict(rules)


def run_gate(summary: Summary, jobs: list[Job], rules: dict[str, Any]) -> list[str]:
    """Measures the baked lines and returns every rule they break (an empty list passes):
    max_clicks, max_true_peak_dbtp, bands (each line against its voice's archetype bands),
    min_intelligibility (for key_lines, or every text line when key_lines is absent), judged with
    the voice's formant scale undone unless normalize_voice_size is false."""
    from . import intelligibility, qa
    from .audio_io import read_mono

    rules = check_gate_rules(rules, jobs)
    by_id = {job.id: job for job in jobs}
    ok = [r for r in summary.results if r.status in ("baked", "skipped")]
    violations: list[str] = []
    loaded = {r.id: read_mono(r.out_path) for r in ok}
    for r in ok:
        audio, rate = loaded[r.id]
        m = qa.measure(audio, rate)
        if "max_clicks" in rules and m["clicks"] > rules["max_clicks"]:
            violations.append(f"{r.id}: {m['clicks']} click(s) > {rules['max_clicks']}")
        if "max_true_peak_dbtp" in rules and m["true_peak_dbtp"] > rules["max_true_peak_dbtp"]:
            violations.append(f"{r.id}: true peak {m['true_peak_dbtp']:.2f} dBTP > {rules['max_true_peak_dbtp']}")
        if rules.get("bands"):
            archetype = json.loads(by_id[r.id].voice_json)["archetype"]
            _score, results = qa.check_bands(m, archetype)
            violations += [f"{r.id}: {archetype} band {b.describe()}" for b in results if not b.passed]
    if "min_intelligibility" in rules:
        keys = rules.get("key_lines") or [r.id for r in ok if by_id[r.id].text]
        judged = [i for i in keys if i in loaded and by_id[i].text]
        items = [(loaded[i][0], loaded[i][1], by_id[i].text) for i in judged]
        scales = None
        if rules.get("normalize_voice_size", True):  # a listener adapts to a golem's size; the recognizer does not
            scales = [intelligibility.speech_formant_scale(presets.from_json(json.loads(by_id[i].voice_json), i)[0],
                                                           by_id[i].emotion, by_id[i].intensity) for i in judged]
        for (line_id, score) in zip(judged, qa.intelligibility_scores(items, scales)):
            if score < rules["min_intelligibility"]:
                violations.append(f"{line_id}: intelligibility {score:.0%} < {rules['min_intelligibility']:.0%}")
    return violations


def write_junit(summary: Summary, path: str | os.PathLike[str], gate: list[str] | None = None) -> None:
    gate = gate or []
    suite = ET.Element("testsuite", name="vocalsynth-bake", tests=str(len(summary.results) + len(gate)),
                       failures=str(summary.failed + len(gate)), skipped=str(summary.skipped), time=f"{summary.seconds:.3f}")
    for r in summary.results:
        case = ET.SubElement(suite, "testcase", classname=f"bake.{r.npc}", name=r.id, time=f"{r.seconds:.3f}")
        if r.status == "failed":
            ET.SubElement(case, "failure", message=r.message).text = r.message
        elif r.status == "skipped":
            ET.SubElement(case, "skipped", message=r.message)
    for i, violation in enumerate(gate):
        case = ET.SubElement(suite, "testcase", classname="gate", name=f"gate_{i:03d}")
        ET.SubElement(case, "failure", message=violation).text = violation
    root = ET.Element("testsuites")
    root.append(suite)
    write_text_atomic(path, ET.tostring(root, encoding="unicode", xml_declaration=True))


def write_report(summary: Summary, path: str | os.PathLike[str], manifest: str) -> None:
    _write_json_atomic(Path(path), {
        "manifest": str(manifest), "engine_version": _core.engine_version,
        "summary": {"baked": summary.baked, "skipped": summary.skipped, "failed": summary.failed,
                    "seconds": round(summary.seconds, 3), "audio_seconds": round(summary.audio_seconds, 3),
                    "realtime_factor": round(summary.realtime_factor, 1)},
        "lines": [asdict(r) for r in summary.results]})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="vocalsynth bake-all", description="Bake every line of a manifest.")
    parser.add_argument("manifest")
    parser.add_argument("--cluster", help="Dask scheduler address, e.g. tcp://scheduler:8786 (default: local processes)")
    parser.add_argument("--cluster-timeout", type=float, default=30.0, metavar="SECONDS",
                        help="how long to wait for the Dask scheduler to answer (default: 30)")
    parser.add_argument("--workers", type=int, help="local worker processes (default: all cores)")
    parser.add_argument("--force", action="store_true", help="rebuild everything")
    parser.add_argument("--junit", help="write a JUnit XML report (Jenkins, TeamCity, Horde)")
    parser.add_argument("--report", help="write a JSON report")
    parser.add_argument("--gate", help="JSON rules that fail the build after baking (see README: build gate)")
    parser.add_argument("--no-progress", action="store_true")
    args = parser.parse_args(argv)
    if args.workers is not None and args.workers < 1:
        parser.error(f"--workers: {args.workers} is out of range: at least 1 (leave it out to use every core)")
    if not args.cluster_timeout > 0:
        parser.error(f"--cluster-timeout: {args.cluster_timeout:g} must be more than 0 seconds")
    rules: dict[str, Any] = {}
    if args.gate:  # before any work: a broken gate found after the bake costs the whole bake
        try:
            jobs = plan(args.manifest)[0]
        except ManifestError as exc:
            print(f"vocalsynth: error: {exc}", file=sys.stderr)
            return 2
        try:
            rules = check_gate_rules(json.loads(Path(args.gate).read_text(encoding="utf-8")), jobs)
        except (OSError, ValueError, ManifestError) as exc:
            print(f"vocalsynth: error: {args.gate}: {exc}", file=sys.stderr)
            return 2
    try:
        summary = bake_all(args.manifest, cluster=args.cluster, workers=args.workers, force=args.force,
                           progress=not args.no_progress and sys.stderr.isatty(), cluster_timeout_s=args.cluster_timeout)
    except (ManifestError, ClusterError) as exc:
        print(f"vocalsynth: error: {exc}", file=sys.stderr)
        return 2
    for r in summary.results:
        if r.status == "failed":
            print(f"FAILED {r.npc}/{r.id}: {r.message}", file=sys.stderr)
    gate: list[str] = []
    if args.gate:
        try:
            gate = run_gate(summary, plan(args.manifest)[0], rules)
        except (OSError, ValueError, ManifestError) as exc:
            print(f"vocalsynth: error: {args.gate}: {exc}", file=sys.stderr)
            return 2
        for violation in gate:
            print(f"GATE {violation}", file=sys.stderr)
    if args.junit:
        write_junit(summary, args.junit, gate)
    if args.report:
        write_report(summary, args.report, args.manifest)
    if summary.baked == 0 and summary.failed == 0:
        print(f"nothing to do: {summary.skipped} line(s) up to date")
    else:
        print(f"baked {summary.baked}, skipped {summary.skipped}, failed {summary.failed} in {summary.seconds:.1f} s "
              f"({summary.audio_seconds:.1f} s of audio, {summary.realtime_factor:.0f}x real time)")
    if args.gate:
        print(f"gate: {'FAILED, ' + str(len(gate)) + ' violation(s)' if gate else 'passed'}")
    return 1 if summary.failed or gate else 0
