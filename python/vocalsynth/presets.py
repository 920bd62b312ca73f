"""Voice presets as files: one JSON format (with a published JSON Schema) for designers, the
build farm, the engine's built-in archetypes and the UE data asset.

A preset names its archetype base and carries every engine parameter, the speech voice, emotion
overrides, a seed and free-text notes. Loading validates everything at once and reports each
problem with its field, value and allowed range; files written by older versions are migrated
(never silently misread); saving writes a temporary file and renames it.
"""
from __future__ import annotations

import copy
import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import numpy as np

from . import _core
from .audio_io import write_text_atomic
from .hints import describe_schema_error

FORMAT = "vocalsynth-preset"
VERSION = 1
PRESET_DIR = Path(__file__).resolve().parent / "presets"
SCHEMA_PATH_IN_REPO = "schema/vocalsynth-preset.schema.json"
SEED_MAX = 4294967295  # a preset file's seed is 32-bit (the schema's range; --seed takes the same)

EMOTIONS = ("neutral", "fear", "rage", "sorrow", "menace", "whisper")

# Version 0 is the layout of the seed system's presets (AI Core). Each old field maps to new
# parameters: (new name, scale). Documented as data so a migration is reviewable.
V0_FIELD_MAP: dict[str, list[tuple[str, float]]] = {
    "breath": [("breathiness", 1.0)],
    "hollow": [("hollowness", 1.0)],
    "tension": [("tension", 1.0)],
    "pressure": [("pressure", 1.0)],
    "roughness": [("roughness", 1.0)],
    "irregularity": [("jitter", 1.0), ("shimmer", 1.0), ("pulse_dropout", 0.5)],
    "wet": [("wet_pops", 1.0)],
    "growl": [("subharmonic_octave", 1.0)],
    "whisper": [("whisper", 1.0)],
    "heartbeat_bpm": [("heartbeat_bpm", 1.0)],
}
V0_FORMANT_MAP = {"shift_hz": "formant_shift_hz", "scale": "formant_scale", "bandwidth": "bandwidth_scale"}


class PresetError(Exception):
    """A preset file is invalid. `errors` lists every problem, each naming its field."""

    def __init__(self, source: str, errors: list[str]):
        self.source = source
        self.errors = errors
        super().__init__(f"{source}: " + "; ".join(errors) if len(errors) == 1 else
                         f"{source}: {len(errors)} problems:\n" + "\n".join(f"  - {e}" for e in errors))


def _param_info() -> dict[str, dict[str, Any]]:
    return {p["name"]: p for p in _core.param_info()}


def float32_value(value: float) -> float:
    """The value as the engine stores it (float32), written back as the shortest decimal that
    round-trips: file -> engine -> file loses nothing."""
    return float(np.format_float_positional(np.float32(value), unique=True, trim="-"))


# Speech voice parameters (the built-in speech synthesizer reads them), from the engine's own table
# (which clamps to the same ranges): name -> (min, max, default, unit, what).
SPEECH_PARAMS: dict[str, tuple[float, float, float, str, str]] = {
    info["name"]: (float32_value(info["min"]), float32_value(info["max"]), float32_value(info["default"]), info["unit"],
                   info["description"])
    for info in _core.speaker_info()
}

# --------------------------------------------------------------------------------------------
# Schema (generated from the engine's parameter table; published at schema/).

def _range_schema(lo: float, hi: float, unit: str, what: str) -> dict[str, Any]:
    # Bounds as the shortest decimals of the engine's float32 limits, so "0.3" in a file is
    # exactly at the bound the engine enforces.
    unit_text = f" ({unit})" if unit else " (0-1)"
    return {"type": "number", "minimum": float32_value(lo), "maximum": float32_value(hi), "description": what + unit_text}


def json_schema() -> dict[str, Any]:
    params = {name: _range_schema(p["min"], p["max"], p["unit"], p["description"]) for name, p in _param_info().items()}
    overrides = {"type": "object", "additionalProperties": False, "properties": params,
                 "description": "Engine parameters; unnamed ones take the archetype's values."}
    speech = {name: _range_schema(lo, hi, unit, what) for name, (lo, hi, _d, unit, what) in SPEECH_PARAMS.items()}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "vocalsynth-preset-v1",
        "title": "VocalSynthesis voice preset",
        "description": "One NPC voice: archetype base, engine parameters, speech voice, emotion overrides, seed, notes.",
        "type": "object",
        "additionalProperties": False,
        "required": ["format", "version", "name", "archetype"],
        "properties": {
            "format": {"const": FORMAT},
            "version": {"const": VERSION},
            "name": {"type": "string", "pattern": "^[A-Za-z0-9_.-]{1,64}$"},
            "archetype": {"enum": _core.archetype_names(), "description": "The built-in archetype this voice starts from."},
            "description": {"type": "string"},
            "params": overrides,
            "speech": {"type": "object", "additionalProperties": False, "properties": speech},
            "emotions": {"type": "object", "additionalProperties": False,
                         "properties": {e: overrides for e in EMOTIONS},
                         "description": "Per-emotion parameter overrides applied on top of params."},
            "seed": {"type": "integer", "minimum": 0, "maximum": SEED_MAX},
            "notes": {"type": "string"},
        },
    }


# --------------------------------------------------------------------------------------------
# The preset object.

@dataclass
class Preset:
    name: str
    archetype: str = "human"
    params: dict[str, float] = field(default_factory=dict)      # every engine parameter
    speech: dict[str, float] = field(default_factory=dict)      # every speech parameter
    emotions: dict[str, dict[str, float]] = field(default_factory=dict)
    seed: int = 0
    description: str = ""
    notes: str = ""

    def __post_init__(self) -> None:
        base = _core.archetype(self.archetype).to_dict()
        self.params = {k: float32_value(self.params.get(k, v)) for k, v in base.items()}
        # Speech settings a file leaves out are its archetype's own (a zombie speaks as one).
        voice = _core.archetype_speech(self.archetype)
        self.speech = {k: float32_value(self.speech.get(k, voice[k])) for k in SPEECH_PARAMS}
        self.emotions = {e: {k: float32_value(v) for k, v in o.items()} for e, o in self.emotions.items()}

    @classmethod
    def from_archetype(cls, archetype: str, name: str | None = None, **overrides: float) -> "Preset":
        """The built-in archetype (its parameters, speech voice, emotions and seed) under a new
        name, with parameter overrides."""
        _core.archetype(archetype)  # an unknown name: the engine's error, listing the known ones
        base = builtin(archetype)
        return cls(name=name or archetype.lower(), archetype=archetype.lower(), params={**base.params, **overrides},
                   speech=dict(base.speech), emotions={e: dict(o) for e, o in base.emotions.items()}, seed=base.seed,
                   description=base.description)

    def voice_params(self, emotion: str | None = None) -> _core.VoiceParams:
        values = dict(self.params)
        if emotion and emotion != "neutral":
            if emotion not in EMOTIONS:
                raise KeyError(f"unknown emotion '{emotion}'; known emotions: {', '.join(EMOTIONS)}")
            values.update(self.emotions.get(emotion, {}))
        return _core.VoiceParams.from_dict(values)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"format": FORMAT, "version": VERSION, "name": self.name, "archetype": self.archetype}
        if self.description:
            data["description"] = self.description
        data["params"] = dict(self.params)
        data["speech"] = dict(self.speech)
        if self.emotions:
            data["emotions"] = {e: dict(o) for e, o in self.emotions.items()}
        data["seed"] = int(self.seed)
        if self.notes:
            data["notes"] = self.notes
        return data

    def dumps(self) -> str:
        return json.dumps(self.to_json(), indent=2) + "\n"

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write atomically (temporary file in the same folder, then rename)."""
        return write_text_atomic(path, self.dumps())


# --------------------------------------------------------------------------------------------
# Loading, validation, migration.

def migrate(data: dict[str, Any], source: str = "preset") -> tuple[dict[str, Any], list[str]]:
    """Bring an older preset layout to the current version. Returns (data, notes)."""
    if not isinstance(data, dict):
        raise PresetError(source, ["(top level): a preset is a JSON object"])
    version = data.get("version", 0 if "format" not in data else None)
    if isinstance(version, int) and version > VERSION:
        raise PresetError(source, [f"version: {version} was written by a newer vocalsynth (this one reads up to {VERSION}); upgrade"])
    if version != 0 or "format" in data:
        return data, []
    if isinstance(data.get("params"), dict):
        # The current layout without its header (a hand-written file): version 0 had no "params".
        return {"format": FORMAT, "version": VERSION, **data}, [
            f'no "format"/"version": read as the current layout (the Unreal importer needs them: add '
            f'"format": "{FORMAT}", "version": {VERSION}, or re-save with `vocalsynth preset new NAME --from FILE`)']
    # Version 0 (seed system): flat effect amounts and a nested "formant" block.
    old = copy.deepcopy(data)
    errors: list[str] = []
    new: dict[str, Any] = {"format": FORMAT, "version": VERSION, "name": str(old.pop("name", Path(source).stem)),
                           "archetype": str(old.pop("archetype", "human")).lower(), "params": {}}
    old.pop("version", None)
    for key, value in (old.pop("formant", {}) or {}).items():
        if key not in V0_FORMANT_MAP:
            errors.append(f"formant.{key}: unknown field in a version-0 preset; known: {', '.join(V0_FORMANT_MAP)}")
        else:
            new["params"][V0_FORMANT_MAP[key]] = value
    for key in ("seed", "notes", "description"):
        if key in old:
            new[key] = old.pop(key)
    for key, value in old.items():
        if key not in V0_FIELD_MAP:
            errors.append(f"{key}: unknown field in a version-0 preset; known: {', '.join(sorted(V0_FIELD_MAP))}")
            continue
        for target, scale in V0_FIELD_MAP[key]:
            new["params"][target] = value * scale if isinstance(value, (int, float)) else value
    if errors:
        raise PresetError(source, errors)
    return new, [f"migrated from version 0 (seed-system layout) to version {VERSION} "
                 "(re-save with `vocalsynth preset new NAME --from FILE` for the Unreal importer)"]


def validate(data: Any, source: str = "preset") -> list[str]:
    """Every problem with a (current-version) preset, each naming its field; [] when valid."""
    validator = jsonschema.Draft202012Validator(json_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: (list(map(str, e.absolute_path)), e.validator))
    problems = [describe_schema_error(e) for e in errors]
    if isinstance(data, dict) and isinstance(data.get("params"), dict):
        for name, value in data["params"].items():
            if isinstance(value, float) and not math.isfinite(value):
                problems.append(f"params.{name}: {value!r} is not a finite number")
    return problems


def from_json(data: Any, source: str = "preset") -> tuple[Preset, list[str]]:
    data, notes = migrate(data, source)
    problems = validate(data, source)
    if problems:
        raise PresetError(source, problems)
    preset = Preset(name=data["name"], archetype=data["archetype"], params=data.get("params", {}),
                    speech=data.get("speech", {}), emotions=data.get("emotions", {}), seed=data.get("seed", 0),
                    description=data.get("description", ""), notes=data.get("notes", ""))
    return preset, notes


def load(path: str | os.PathLike[str]) -> Preset:
    """Load, migrate and validate a preset file; raises PresetError naming the file and fields."""
    return load_with_notes(path)[0]


def load_with_notes(path: str | os.PathLike[str]) -> tuple[Preset, list[str]]:
    """load(), with what reading it took (a migration, a missing header) for the validate command."""
    p = Path(path)
    if not p.is_file():
        raise PresetError(str(p), ["file not found"])
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise PresetError(str(p), [f"line {exc.lineno} column {exc.colno}: not valid JSON ({exc.msg})"]) from None
    except UnicodeDecodeError:
        raise PresetError(str(p), ["not a UTF-8 text file"]) from None
    return from_json(data, str(p))


def is_preset_file(spec: str | os.PathLike[str]) -> bool:
    """Whether a voice given on a command line or in code names a preset file (a .json path or
    an existing file) rather than a built-in archetype."""
    return str(spec).lower().endswith(".json") or Path(spec).is_file()


def from_spec(spec: str | os.PathLike[str], base_dir: str | os.PathLike[str] | None = None) -> Preset:
    """The preset a voice names: a preset file (relative to base_dir when given, as a line sheet's
    or manifest's own folder) or a built-in archetype."""
    path = Path(spec)
    if base_dir is not None and not path.is_absolute():
        path = Path(base_dir) / path
    if names_a_file(spec, path):
        return load(path)
    return builtin(str(spec))


def names_a_file(spec: str | os.PathLike[str], path: str | os.PathLike[str] | None = None) -> bool:
    """Whether a voice spec names a preset file (a .json name, or a file that is there at `path`,
    by default the spec itself) rather than a built-in archetype."""
    return str(spec).lower().endswith(".json") or Path(spec if path is None else path).is_file()


def builtin(name: str) -> Preset:
    """A shipped archetype preset (the same values the C++ engine has built in)."""
    path = PRESET_DIR / f"{name.lower()}.json"
    if not path.is_file():
        raise KeyError(f"no built-in preset '{name}'; built-in presets: {', '.join(builtin_names())}")
    return load(path)


def builtin_names() -> list[str]:
    return [line.strip() for line in (PRESET_DIR / "ORDER").read_text().splitlines() if line.strip()]


def morph(a: Preset, b: Preset, amount: float, name: str | None = None) -> Preset:
    """Linear morph of engine and speech parameters (0 gives a, 1 gives b, bit for bit).
    Emotion overrides, seed and archetype base come from the nearer endpoint."""
    if not 0.0 <= amount <= 1.0:
        raise ValueError("morph amount must lie in [0, 1]")
    mixed = _core.morph(a.voice_params(), b.voice_params(), float(amount)).to_dict()
    near = a if amount < 0.5 else b
    speech = {k: (a.speech[k] if amount == 0.0 else b.speech[k] if amount == 1.0 else
                  float(np.float32(a.speech[k] + (b.speech[k] - a.speech[k]) * amount))) for k in a.speech}
    return Preset(name=name or f"{a.name}_{b.name}_{amount:g}", archetype=near.archetype, params=mixed, speech=speech,
                  emotions=copy.deepcopy(near.emotions), seed=near.seed,
                  notes=f"morph of {a.name} and {b.name} at {amount:g}")


def diff(a: Preset, b: Preset) -> list[tuple[str, Any, Any]]:
    """(field, value in a, value in b) for every field that differs."""
    out: list[tuple[str, Any, Any]] = []
    ja, jb = a.to_json(), b.to_json()
    for key in ("name", "archetype", "description", "seed", "notes"):
        if ja.get(key) != jb.get(key):
            out.append((key, ja.get(key), jb.get(key)))
    for section in ("params", "speech"):
        for k in ja[section]:
            if ja[section][k] != jb[section][k]:
                out.append((f"{section}.{k}", ja[section][k], jb[section][k]))
    for emotion in sorted(set(a.emotions) | set(b.emotions)):
        ea, eb = a.emotions.get(emotion, {}), b.emotions.get(emotion, {})
        for k in sorted(set(ea) | set(eb)):
            if ea.get(k) != eb.get(k):
                out.append((f"emotions.{emotion}.{k}", ea.get(k), eb.get(k)))
    return out
