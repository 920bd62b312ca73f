"""Editor tasks as plain Python (no `unreal` here): the UE editor scripts in Content/Python call
these and only do the asset plumbing themselves. Tested like the rest of the package."""
from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import emotions, presets, speech
from .audio_io import write_atomic, write_text_atomic
from .engine import parse_morph_time
from .hints import error_message

PREVIEW_LINE = "Good evening, traveller. Do you hear the bells?"


def safe_asset_name(name: str) -> str:
    """An asset-safe name: letters, digits and underscores."""
    cleaned = re.sub(r"[^A-Za-z0-9_]+", "_", name).strip("_")
    return cleaned or "Voice"


def bake_previews(preset_json: dict[str, str], out_dir: str | Path, text: str = PREVIEW_LINE,
                  sample_rate: int = 48000) -> dict[str, Path]:
    """{asset name: preset JSON (as UVocalVoicePreset::ExportJson writes it)} -> preview WAVs.
    Raises PresetError naming the asset when a preset is invalid; writes nothing in that case."""
    loaded = {name: presets.from_json(json.loads(text_), f"asset {name}")[0] for name, text_ in preset_json.items()}
    out: dict[str, Path] = {}
    for name, preset in loaded.items():
        audio = speech.speak(text, preset, sample_rate=sample_rate)
        out[name] = write_atomic(Path(out_dir) / f"VS_Preview_{safe_asset_name(name)}.wav", audio, sample_rate)
    return out


@dataclass
class LineSpec:
    npc: str
    voice: str      # archetype name or preset file (relative to the sheet's folder)
    text: str
    emotion: str = "neutral"
    intensity: float = 1.0
    sheet_dir: Path | None = field(default=None, compare=False)  # where a relative preset path starts
    morph_to: str = ""     # a voice the line turns into (a transformation), as `voice` is given; "" for none
    morph_time: str = ""   # START:END seconds of the morph; "" for the whole line

    def load_voice(self) -> presets.Preset:
        return presets.from_spec(self.voice, self.sheet_dir)

    def load_morph(self) -> tuple[presets.Preset | None, tuple[float, float] | None]:
        """The voice the line turns into and the span (None: the whole line); (None, None) for none.
        A ValueError or PresetError says what is wrong with the two columns."""
        if not self.morph_to:
            if self.morph_time:
                raise ValueError("morph_time needs morph_to: the voice the line turns into")
            return None, None
        try:
            target = presets.from_spec(self.morph_to, self.sheet_dir)
        except KeyError as exc:
            raise ValueError(f"morph_to: {error_message(exc)}") from None
        return target, parse_morph_time(self.morph_time, "morph_time") if self.morph_time else None


def fetched_line(npc: str, voice: str, line) -> LineSpec:
    """A dialogue line (vocalsynth.dialogue's LineResponse) as a sheet row, keeping the emotion and
    intensity the backend gave it (a fetched "[rage 0.8] Get out!" was written down as neutral)."""
    return LineSpec(npc=npc, voice=voice, text=line.text, emotion=emotions.resolve(line.emotion.tag),
                    intensity=float(line.emotion.intensity))


def read_line_sheet(path: str | Path) -> list[LineSpec]:
    """A CSV dialogue sheet with columns npc, voice, text[, emotion, intensity, morph_to, morph_time].
    Every bad row is named in one ValueError (a designer fixes the sheet once, not once per row)."""
    rows: list[LineSpec] = []
    problems: list[str] = []
    try:
        with open(path, newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            missing = {"npc", "voice", "text"} - set(reader.fieldnames or [])
            if missing:
                raise ValueError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
            for number, row in enumerate(reader, start=2):
                try:
                    if not (row.get("npc") or "").strip():
                        raise ValueError("npc is empty")
                    if not (row.get("text") or "").strip():
                        raise ValueError("text is empty")
                    emotion = emotions.for_line(row.get("emotion"), row.get("text") or "")  # or its stage directions'
                    intensity = float(row.get("intensity") or 1.0)
                    if not 0.0 <= intensity <= 1.0:
                        raise ValueError(f"intensity {intensity:g} is outside 0-1")
                    line = LineSpec(row["npc"], (row.get("voice") or "").strip(), row["text"], emotion, intensity,
                                    sheet_dir=Path(path).parent, morph_to=(row.get("morph_to") or "").strip(),
                                    morph_time=(row.get("morph_time") or "").strip())
                    line.load_voice()  # an unknown archetype or a missing preset file: said here, with its row
                    line.load_morph()
                except (ValueError, KeyError, OSError, presets.PresetError) as exc:
                    problems.append(f"row {number}: {error_message(exc)}")
                    continue
                rows.append(line)
    except UnicodeDecodeError:
        raise ValueError(f"{path}: not UTF-8 text; save the sheet as CSV UTF-8") from None
    if problems:
        raise ValueError(f"{path}: " + problems[0] if len(problems) == 1 else
                         f"{path}: {len(problems)} bad rows:\n" + "\n".join(f"  - {p}" for p in problems))
    return rows


LINE_SHEET_COLUMNS = ["npc", "voice", "text", "emotion", "intensity", "morph_to", "morph_time"]


def append_lines(path: str | Path, lines: list[LineSpec]) -> Path:
    """Adds lines to a CSV dialogue sheet (created with its header when missing), atomically:
    the sheet is rewritten beside itself and renamed, so a crash never leaves half a sheet."""
    target = Path(path)
    existing = read_line_sheet(target) if target.exists() else []
    rows = [LINE_SHEET_COLUMNS] + [[l.npc, l.voice, l.text, l.emotion, f"{l.intensity:g}", l.morph_to, l.morph_time]
                                   for l in existing + lines]
    import io

    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    target.parent.mkdir(parents=True, exist_ok=True)
    return write_text_atomic(target, buffer.getvalue())


def line_sheets(folder: str | Path) -> list[Path]:
    """The CSV dialogue sheets in a folder, in name order (none when the folder is missing)."""
    base = Path(folder)
    return sorted(base.glob("*.csv")) if base.is_dir() else []


def voice_lines(lines: list[LineSpec], out_dir: str | Path, sample_rate: int = 48000) -> list[Path]:
    """Speak every line in its voice and emotion; one WAV per line, named npc_index."""
    written = []
    for index, line in enumerate(lines):
        voice = line.load_voice()
        target, span = line.load_morph()
        audio = speech.synthesize(line.text, voice, line.emotion, sample_rate=sample_rate, intensity=line.intensity,
                                  morph_to=target, morph_seconds=span).audio
        written.append(write_atomic(Path(out_dir) / f"VS_{safe_asset_name(line.npc)}_{index:03d}.wav", audio, sample_rate))
    return written


def validate_presets(preset_json: dict[str, str]) -> dict[str, list[str]]:
    """{asset name: problems} for every preset that is invalid ({} when all are valid)."""
    problems: dict[str, list[str]] = {}
    for name, text in preset_json.items():
        try:
            presets.from_json(json.loads(text), f"asset {name}")
        except presets.PresetError as exc:
            problems[name] = exc.errors
        except json.JSONDecodeError as exc:
            problems[name] = [f"not valid JSON: {exc.msg}"]
    return problems
