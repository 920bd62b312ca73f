"""The ``vocalsynth`` command: bake archetype previews, list archetypes and parameters."""
from __future__ import annotations

import argparse
import logging
import os
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from . import _core, emotions, presets
from .audio_io import (FORMATS, AudioError, audio_files_in, check_sample_rate, make_folder, output_format, read_mono,
                       write_atomic, write_text_atomic)
from .engine import parse_morph_time, process, resolve_params
from .hints import did_you_mean, error_message
from .presets import Preset, PresetError


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


def _read_json(path: str, what: str) -> object:
    """A JSON file the command reads, or a CliError naming it and what was expected there."""
    import json

    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CliError(f"{path}: file not found (expected {what})") from None
    except UnicodeDecodeError:
        raise CliError(f"{path}: not a text file (expected {what})") from None
    except OSError as exc:
        raise CliError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise CliError(f"{path}: broken JSON at line {exc.lineno}, column {exc.colno}: {exc.msg} (expected {what})") from None


def _seed_arg(text: str) -> int:
    """--seed: a preset file's seed range (32-bit, the schema's), refused with the range."""
    try:
        seed = int(text)
    except ValueError:
        seed = -1
    if not 0 <= seed <= presets.SEED_MAX:
        raise argparse.ArgumentTypeError(f"'{text}' is not a seed: give a whole number from 0 to {presets.SEED_MAX}")
    return seed


DEFAULT_LINE = "Good evening, traveller. Do you hear the bells?"


def _default_anchor(sample_rate: int, args: argparse.Namespace) -> np.ndarray:
    """The built-in anchor: the built-in synthesizer speaking --text in the plain human voice, or
    (--anchor vowels) a sung vowel phrase with natural vibrato, jitter and shimmer."""
    if args.anchor == "vowels":
        return _core.render_anchor(float(sample_rate), args.seconds, f0_hz=118.0, vibrato_depth=0.012,
                                   vibrato_rate_hz=5.2, jitter=0.004, shimmer=0.03, vowels="aeiou",
                                   peak_level=0.5, seed=7)
    from . import speech

    return speech.synthesize(args.text, "human", sample_rate=sample_rate, seed=7, archetype_chain=False).audio


def _level_db(x: np.ndarray) -> tuple[float, float]:
    peak = float(np.max(np.abs(x))) if x.size else 0.0
    rms = float(np.sqrt(np.mean(np.square(x, dtype=np.float64)))) if x.size else 0.0
    to_db = lambda v: 20.0 * np.log10(v) if v > 0 else float("-inf")  # noqa: E731
    return to_db(peak), to_db(rms)


def _voice_specs(args: argparse.Namespace, overrides: dict[str, float]) -> list[tuple[str, _core.VoiceParams, int | None]]:
    """(output name, parameters, preset seed) for every archetype name or preset file asked for."""
    specs = list(args.archetype or []) + list(args.preset or [])
    if args.all or not specs:
        specs = _core.archetype_names() + [s for s in specs if presets.is_preset_file(s)]
    voices: list[tuple[str, _core.VoiceParams, int | None]] = []
    for spec in specs:
        # Under --emotion: the preset's overrides, then what the emotion does to any voice, as `say`
        # and the game speak it (an archetype's name used to ignore --emotion).
        if presets.is_preset_file(spec):
            preset = presets.load(spec)
            voices.append((preset.name, resolve_params(emotions.voice_params(preset, args.emotion), overrides),
                           preset.seed))
        else:  # the engine's own built-in: an unknown name is its KeyError, listing the archetypes
            params = _core.archetype(spec, args.emotion) if args.emotion else _core.archetype(spec)
            if args.emotion:
                params = _core.with_emotion(params, args.emotion)
            voices.append((spec.lower(), resolve_params(params, overrides), None))
    return voices


def _audio_inputs(inputs: Sequence[str]) -> list[str]:
    """Every audio file asked for, in order: files as given (spelt as given), folders by their
    WAV/FLAC/OGG files (by name); a file asked for twice, once."""
    files: list[str] = []
    for spec in inputs:
        path = Path(spec)
        for file in map(str, audio_files_in(path)) if path.is_dir() else [spec]:
            if Path(file).resolve() not in (Path(f).resolve() for f in files):
                files.append(file)
    return files


def _bake_inputs(inputs: list[str]) -> list[Path]:
    """Every anchor file asked for (_audio_inputs); each read once here, so a missing, corrupt or
    unsupported one fails before anything is baked."""
    files = [Path(file) for file in _audio_inputs(inputs)]
    by_stem: dict[str, Path] = {}
    for file in files:
        read_mono(file)
        if file.stem in by_stem:
            raise CliError(f"{by_stem[file.stem]} and {file} would both bake to {file.stem}_ARCHETYPE: "
                           "rename one, or bake them in two runs with different --out folders")
        by_stem[file.stem] = file
    return files


# --lufs takes the build farm's range (a manifest's loudness.target_lufs, farm.py).
LUFS_RANGE = (-40.0, -5.0)
TRUE_PEAK_CEILING_DB = -1.0


def _check_lufs(target: float | None) -> None:
    if target is not None and not LUFS_RANGE[0] <= target <= LUFS_RANGE[1]:
        raise CliError(f"--lufs: {target:g} is out of range: {LUFS_RANGE[0]:g} to {LUFS_RANGE[1]:g} LUFS "
                       "(-23 is EBU R128 broadcast; -16 to -20 is usual for game dialogue)")


def _morph_target(args: argparse.Namespace) -> tuple[Preset, tuple[float, float] | None] | None:
    """The voice --morph-to names and --morph-time's START:END (None: the whole line), checked
    before any work; None without --morph-to."""
    if args.morph_to is None:
        if args.morph_time is not None:
            raise CliError("--morph-time needs --morph-to: name the voice to morph into")
        return None
    try:
        target = presets.from_spec(args.morph_to)
    except (KeyError, PresetError) as exc:
        raise CliError(f"--morph-to: {error_message(exc)}") from None
    if args.morph_time is None:
        return target, None
    return target, parse_morph_time(args.morph_time)  # a ValueError names --morph-time


def _note_unfinished_morph(span: tuple[float, float] | None, seconds: float, what: str) -> None:
    """Says so when --morph-time runs past the end of the line: the voice is part-way at its end."""
    if span is not None and span[1] > seconds:
        done = 0.0 if seconds <= span[0] else (seconds - span[0]) / (span[1] - span[0])
        print(f"note: --morph-time ends at {span[1]:g} s, after {what} ({seconds:.2f} s): "
              f"its end is {done:.0%} of the way there", file=sys.stderr)


def _to_loudness(audio: np.ndarray, rate: int, target: float | None) -> tuple[np.ndarray, str]:
    """The line at `target` integrated loudness (BS.1770, as the build farm normalises), its true
    peak held under -1 dBTP, and a note of what it measures now ("" without a target)."""
    if target is None:
        return audio, ""
    import pyloudnorm

    from .farm import normalize_loudness

    if len(audio) < int(0.4 * rate):
        return audio, "shorter than 0.4 s, too short to measure loudness: level kept"
    levelled = normalize_loudness(audio, rate, target, TRUE_PEAK_CEILING_DB)
    measured = pyloudnorm.Meter(rate).integrated_loudness(levelled.astype(np.float64))
    if not np.isfinite(measured):
        return levelled, "silent: level kept"
    held = f", held by the {TRUE_PEAK_CEILING_DB:g} dBTP ceiling" if measured < target - 0.5 else ""
    return levelled, f"{measured:.1f} LUFS{held}"


def cmd_bake(args: argparse.Namespace) -> int:
    _check_lufs(args.lufs)
    overrides = _parse_overrides(args.set or [])
    voices = _voice_specs(args, overrides)  # validates everything before writing anything
    morph = _morph_target(args)
    anchors: list[tuple[Path | None, str]] = [(file, file.stem + "_") for file in _bake_inputs(args.input or [])]
    if not anchors:
        check_sample_rate(args.sample_rate, "--sample-rate")
        anchors = [(None, "")]
    out_dir = make_folder(args.out)  # before the work: a file in the way fails at once
    results = []
    audio_seconds = 0.0
    start = time.perf_counter()
    for file, stem in anchors:
        if file is not None:
            audio, rate = read_mono(file)
        else:
            rate = args.sample_rate
            audio = _default_anchor(rate, args)
        if morph is not None:
            _note_unfinished_morph(morph[1], len(audio) / rate, str(file or "the built-in anchor"))
        for name, params, preset_seed in voices:
            seed = args.seed if args.seed is not None else (preset_seed or 0)
            rendered = process(audio, rate, params, seed=seed, proximity=args.proximity, environment=args.environment,
                               morph_to=None if morph is None else emotions.voice_params(morph[0], args.emotion),
                               morph_seconds=None if morph is None else morph[1])
            rendered, loudness = _to_loudness(rendered, rate, args.lufs)
            if morph is not None:
                name = f"{name}_to_{morph[0].name}"
            path = write_atomic(out_dir / f"{stem}{name}.{args.format}", rendered, rate, args.format)
            results.append((name, path, *_level_db(rendered), loudness))
        audio_seconds += len(audio) / rate * len(voices)
    elapsed = time.perf_counter() - start
    for name, path, peak, rms, loudness in results:
        print(f"{name:<10} {str(path):<40} peak {peak:6.1f} dBFS  rms {rms:6.1f} dBFS" + (f"  {loudness}" if loudness else ""))
    print(f"baked {len(results)} file(s), {audio_seconds:.1f} s of audio in {elapsed:.3g} s "
          f"({audio_seconds / max(elapsed, 1e-9):.0f}x real time)")
    return 0


def _output_file(out: str | None, default_name: str) -> Path:
    """Where a command that writes one file writes it: --out, or `default_name` in this folder; and
    when --out names a folder (one that exists, or any name ending in a slash: `-o lines/`), the
    default name inside it, as bake's --out is a folder. Without this, `-o lines/` wrote a WAV file
    called `lines`, and an existing folder was refused (or, for a preset, 'exists; use --force')."""
    if not out:
        return Path(default_name)
    if out.endswith(("/", os.sep)) or Path(out).is_dir():
        return Path(out) / default_name
    return Path(out)


def _preset_arg(spec: str) -> Preset:
    return presets.from_spec(spec)


def cmd_preset_new(args: argparse.Namespace) -> int:
    out = _output_file(args.out, f"{args.name}.json")
    if out.exists() and not args.force:
        raise CliError(f"{out} exists; use --force to overwrite")
    base = _preset_arg(args.source)
    overrides = _parse_overrides(args.set or [])
    # The built-in speech's settings are set as speech.NAME (speech.base_pitch_hz=60); a name only
    # speech has may go bare (base_pitch_hz, rate). They were "unknown parameter".
    speech: dict[str, float] = {}
    chain_names = set(base.params)
    for name in list(overrides):
        bare = name.removeprefix("speech.")
        if name.startswith("speech.") or (name not in chain_names and name in presets.SPEECH_PARAMS):
            if bare not in presets.SPEECH_PARAMS:
                raise CliError(f"unknown speech setting '{bare}'"
                               + did_you_mean(bare, presets.SPEECH_PARAMS)
                               + f"; known speech settings: {', '.join(presets.SPEECH_PARAMS)}")
            lo, hi, _default, unit, _what = presets.SPEECH_PARAMS[bare]
            value = overrides.pop(name)
            if not lo <= value <= hi:
                raise CliError(f"speech setting '{bare}' = {value:g} is out of range: allowed {lo:g} to {hi:g}"
                               + (f" {unit}" if unit else ""))
            speech[bare] = value
    resolve_params(base.voice_params(), overrides)  # names and ranges checked here
    preset = Preset(name=args.name, archetype=base.archetype, params={**base.params, **overrides},
                    speech={**base.speech, **speech},
                    emotions=base.emotions, seed=base.seed, description=base.description,
                    notes=args.notes or f"made from {args.source}" + (f" with {', '.join(args.set)}" if args.set else ""))
    presets.from_json(preset.to_json(), str(out))  # the file we write always validates
    print(f"wrote {preset.save(out)}")
    return 0


def cmd_preset_validate(args: argparse.Namespace) -> int:
    failed = 0
    for path in args.files:
        try:
            preset, notes = presets.load_with_notes(path)
            print(f"{path}: ok ({preset.name}, archetype {preset.archetype})" + "".join(f"; {n}" for n in notes))
        except PresetError as exc:
            failed += 1
            print(str(exc), file=sys.stderr)
    if failed:
        print(f"{failed} of {len(args.files)} preset(s) invalid", file=sys.stderr)
    return 1 if failed else 0


def cmd_preset_show(args: argparse.Namespace) -> int:
    preset = _preset_arg(args.file)
    base = presets.Preset.from_archetype(preset.archetype)
    print(f"{preset.name}: archetype {preset.archetype}, seed {preset.seed}")
    if preset.description:
        print(f"  {preset.description}")
    print(f"\n{'parameter':<20} {'value':>9} {'unit':<5} {'archetype':>9}  {'range':<16}")
    for info in _core.param_info():
        name = info["name"]
        mark = "*" if preset.params[name] != base.params[name] else " "
        unit = info["unit"] or "0-1"
        print(f"{name:<20} {preset.params[name]:>9g} {unit:<5} {base.params[name]:>9g}{mark} "
              f"{info['min']:g} .. {info['max']:g}")
    print(f"\n{'speech':<20} {'value':>9} {'unit':<5}")
    for name, (lo, hi, _d, unit, _w) in presets.SPEECH_PARAMS.items():
        print(f"{name:<20} {preset.speech[name]:>9g} {unit or '0-1':<5} {'':>9}  {lo:g} .. {hi:g}")
    for emotion, overrides in preset.emotions.items():
        print(f"\nemotion {emotion}: " + ", ".join(f"{k}={v:g}" for k, v in overrides.items()))
    if preset.notes:
        print(f"\nnotes: {preset.notes}")
    return 0


def cmd_preset_morph(args: argparse.Namespace) -> int:
    a, b = _preset_arg(args.a), _preset_arg(args.b)
    # Into a folder, the file is named after the morph: --name, else both presets and the amount.
    out = _output_file(args.out, f"{args.name or f'{a.name}-{b.name}-{args.amount:g}'}.json")
    if out.exists() and not args.force:  # a designer's preset, maybe one of the two being morphed
        raise CliError(f"{out} exists; use --force to overwrite")
    mixed = presets.morph(a, b, args.amount, name=args.name or out.stem)
    print(f"wrote {mixed.save(out)}")
    return 0


def cmd_preset_diff(args: argparse.Namespace) -> int:
    a, b = _preset_arg(args.a), _preset_arg(args.b)
    changes = presets.diff(a, b)
    for field_name, va, vb in changes:
        print(f"{field_name:<32} {va!s:>12} -> {vb!s}")
    if not changes:
        print("no differences")
    return 1 if changes else 0


def cmd_preset_list(_args: argparse.Namespace) -> int:
    for name in presets.builtin_names():
        print(f"{name:<10} {presets.PRESET_DIR / (name + '.json')}")
    return 0


def cmd_say(args: argparse.Namespace) -> int:
    from . import speech

    if args.text == ["-"]:  # the line on standard input: a script's output, a file (`< line.txt`)
        raw = sys.stdin.buffer.read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CliError(f"standard input: not UTF-8 text (byte {exc.start}); save the line as UTF-8") from None
    else:
        text = " ".join(args.text)
    if args.phonemes:
        for word, phones in speech.to_phonemes(text):
            print(f"{word:<16} {' '.join(phones)}")
        return 0
    check_sample_rate(args.sample_rate, "--sample-rate")
    _check_lufs(args.lufs)
    if not 0.0 <= args.variation <= 1.0:
        raise CliError(f"--variation: {args.variation} is out of range: allowed 0 to 1")
    voice = args.preset or args.archetype
    morph = _morph_target(args)
    voice_name = Path(str(voice)).stem + ("" if morph is None else f"_to_{morph[0].name}")
    out = _output_file(args.out, f"{voice_name}.{args.format or 'wav'}")
    fmt = output_format(out, args.format, default="wav")  # before the work: a bad name fails at once
    # No --emotion: the line's stage directions say how it is spoken ("*whispers* Come closer."), as
    # the TTS service does.
    emotion = emotions.for_line(args.emotion, text)
    result = speech.synthesize(text, voice, emotion, sample_rate=args.sample_rate, seed=args.seed, variation=args.variation,
                               morph_to=None if morph is None else morph[0], morph_seconds=None if morph is None else morph[1])
    audio, loudness = _to_loudness(result.audio, args.sample_rate, args.lufs)
    if morph is not None:
        _note_unfinished_morph(morph[1], len(audio) / args.sample_rate, "the line")
    write_atomic(out, audio, args.sample_rate, fmt)
    seconds = len(audio) / args.sample_rate
    words = f"{len(result.words)} word" + ("" if len(result.words) == 1 else "s")
    print(f"{out}: {seconds:.2f} s, {words}, voice {voice_name.replace('_to_', ' into ')}, emotion {emotion}"
          + (f", {loudness}" if loudness else ""))
    if args.timings:
        for w in result.words:
            print(f"  {w.start_time:7.3f} {w.duration:6.3f}  {w.label}")
    return 0


def _check_listen(host: str, port: int) -> None:
    """CliError unless a server can listen on host:port now. Checked before uvicorn starts: a port
    out of range was an OverflowError traceback, a port in use an error from every worker."""
    import errno
    import socket

    if not 0 < port < 65536:
        raise CliError(f"--port: {port} is out of range: 1 to 65535")
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind((host, port))
        except OSError as exc:
            hint = {errno.EADDRINUSE: "another server is on that port: stop it or choose another --port",
                    errno.EACCES: "ports below 1024 need privileges: choose one above 1023"}.get(
                exc.errno or 0, "give an address of this machine: 127.0.0.1, 0.0.0.0 (every interface) or one of its own")
            raise CliError(f"--host {host} --port {port}: cannot listen there ({exc.strerror or exc}); {hint}") from None


def cmd_serve(args: argparse.Namespace) -> int:
    import os

    import uvicorn

    _check_listen(args.host, args.port)
    if args.workers < 1:
        raise CliError(f"--workers: {args.workers} is out of range: at least 1")
    if args.voices:
        from .server import VoiceRegistry

        VoiceRegistry(args.voices)  # fail now, with the preset's errors, not in every worker
        os.environ["VOCALSYNTH_VOICES_DIR"] = str(Path(args.voices).resolve())
    if args.api_key_file:
        if not Path(args.api_key_file).is_file():
            raise CliError(f"{args.api_key_file}: API key file not found")
        os.environ["VOCALSYNTH_API_KEY_FILE"] = str(Path(args.api_key_file).resolve())
    uvicorn.run("vocalsynth.server:create_app_from_env", factory=True, host=args.host, port=args.port,
                workers=args.workers, log_level="warning", access_log=False)
    return 0


def cmd_dialogue(args: argparse.Namespace) -> int:
    from . import speech
    from .dialogue import DialogueClient, DialogueConfig, DialogueError
    from .dialogue.models import HistoryTurn, LineRequest

    # The client logs a fallback for applications; this command prints it as a note itself (with
    # no handler configured, Python's last-resort handler printed it a second time).
    logging.getLogger("vocalsynth.dialogue").addHandler(logging.NullHandler())
    config = DialogueConfig.load(args.config)
    if args.backend:
        config.base_url = args.backend
    if args.protocol:
        config.protocol = args.protocol
    if args.offline:
        config.base_url = ""
    if args.script:
        config.script = args.script
    history = []
    if args.history:
        turns = _read_json(args.history, "a JSON list of {speaker, text}")
        try:
            if not isinstance(turns, list):
                raise TypeError(f"got a JSON {type(turns).__name__}")
            history = [HistoryTurn(**turn) for turn in turns]
        except (ValueError, TypeError) as exc:
            raise CliError(f"{args.history}: history must be a JSON list of {{speaker, text}} ({exc})") from None
    voice = presets.load(args.preset) if args.preset else presets.builtin(args.archetype)
    if not args.npc.strip():
        raise CliError("--npc: give the NPC's id (it names the line's speaker and, without --out, its file)")
    # Without --out the file is named after the NPC, in this folder: an id is data from a game or
    # a backend ("guards/captain", "../x"), so anything but a plain file name is replaced.
    out = _output_file(args.out, f"{re.sub(r'[^A-Za-z0-9_.-]', '_', args.npc.strip()).lstrip('.') or 'npc'}.wav")
    output_format(out)  # a name that cannot be written fails before the backend is asked
    check_sample_rate(args.sample_rate, "--sample-rate")  # so does a rate (it failed after the answer)
    _check_lufs(args.lufs)
    request = LineRequest(npc_id=args.npc, archetype=voice.archetype, scene=args.scene or "",
                          player_line=args.prompt or "", history=history)
    try:
        result = DialogueClient(config).line(request)
    except DialogueError as exc:
        raise CliError(str(exc)) from None
    line = result.line
    if result.fallback_reason:
        print(f"note: {result.fallback_reason}", file=sys.stderr)
    style = emotions.resolve(line.emotion.tag)
    audio = speech.synthesize(line.text, voice, style, sample_rate=args.sample_rate,
                              intensity=line.emotion.intensity).audio
    audio, loudness = _to_loudness(audio, args.sample_rate, args.lufs)
    write_atomic(out, audio, args.sample_rate)
    directions = "".join(f" *{d}*" for d in line.directions)
    print(f'{args.npc}:{directions} "{line.text}"  [{style} {line.emotion.intensity:.2f}] ({line.source}) -> {out}'
          + (f", {loudness}" if loudness else ""))
    return 0


def cmd_dialogue_server(args: argparse.Namespace) -> int:
    import os

    import uvicorn

    from .dialogue.devserver import create_dev_app

    _check_listen(args.host, args.port)
    key = os.environ.get("VOCALSYNTH_DIALOGUE_API_KEY") or None
    if args.api_key_file:
        if not Path(args.api_key_file).is_file():
            raise CliError(f"{args.api_key_file}: API key file not found")
        key = Path(args.api_key_file).read_text(encoding="utf-8").strip()
    app = create_dev_app(api_key=key, script=args.script, faults=args.faults)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


def cmd_analyze(args: argparse.Namespace) -> int:
    import json as _json

    from . import qa

    # A folder stands for its WAV/FLAC/OGG files, as bake's --input and report take one (it was
    # "not a regular file").
    files = _audio_inputs(args.files)
    texts: dict[str, str] = {}
    if args.texts:
        loaded = _read_json(args.texts, "a JSON object {file: expected text}")
        if not isinstance(loaded, dict) or not all(isinstance(t, str) for t in loaded.values()):
            raise CliError(f"{args.texts}: expected a JSON object {{file: expected text}}")
        # Keyed by the path as analysed, or by the file's name alone ("line1.wav") where that is unique.
        by_name: dict[str, list[str]] = {}
        for file in files:
            by_name.setdefault(Path(file).name, []).append(file)
        for key, text in loaded.items():
            named = by_name.get(key, [])
            texts[named[0] if key not in files and len(named) == 1 else key] = text
    if args.text:
        texts.update({f: args.text for f in files})
    rows = qa.analyze_files(files, archetype=args.archetype, texts=texts or None)
    keys = ["f0_median_hz", "jitter_local_pct", "shimmer_local_pct", "hnr_db", "f1_hz", "f2_hz", "lufs", "true_peak_dbtp", "clicks"]
    print(f"{'file':<28} " + " ".join(f"{k.split('_')[0] + ('_' + k.split('_')[1] if k.count('_') > 1 else ''):>9}" for k in keys)
          + ("   intell" if texts else "") + ("  conform" if args.archetype else ""))
    for row in rows:
        if "error" in row:
            print(f"{Path(row['file']).name[:28]:<28} ERROR {row['error']}")
            continue
        line = f"{Path(row['file']).name[:28]:<28} " + " ".join(f"{row[k]:9.3g}" for k in keys)
        if "intelligibility" in row:
            line += f" {row['intelligibility']:8.0%}"
        if args.archetype:
            line += f" {row['conformity']:8.2f}"
        print(line)
        for band in row.get("bands", []):
            if not band["passed"]:
                result = qa.BandResult(**band)
                print(f"    FAIL {args.archetype}: {result.describe()}")
    if args.json:
        write_text_atomic(args.json, _json.dumps(rows, indent=1))
    failed = sum(1 for r in rows if r.get("passed") is False)
    unreadable = sum(1 for r in rows if "error" in r)
    if unreadable:
        print(f"{unreadable} of {len(rows)} file(s) could not be read", file=sys.stderr)
    return 1 if failed else 0


def cmd_analyze_compare(args: argparse.Namespace) -> int:
    from . import qa

    tolerances = _parse_overrides(args.tolerance or [])
    for name in tolerances:
        if name not in qa.COMPARE_TOLERANCES:
            raise CliError(f"--tolerance: unknown measure '{name}'{did_you_mean(name, qa.COMPARE_TOLERANCES)}; "
                           f"known measures: {', '.join(qa.COMPARE_TOLERANCES)}")
    runs = []
    for path in (args.old, args.new):
        rows = _read_json(path, "the JSON of `vocalsynth analyze --json`")
        if not isinstance(rows, list) or not all(isinstance(r, dict) and isinstance(r.get("file"), str) for r in rows):
            raise CliError(f"{path}: expected the JSON of `vocalsynth analyze --json` (a list of rows, each with a 'file')")
        runs.append(rows)
    moved = qa.compare_runs(runs[0], runs[1], tolerances)
    for line in moved:
        print(line)
    print(f"{len(moved)} change(s) beyond tolerance" if moved else "no line moved beyond tolerance")
    return 1 if moved else 0


def cmd_report(args: argparse.Namespace) -> int:
    from .report import build_report_with_problems

    path, unreadable = build_report_with_problems(args.folder, _output_file(args.out, "report.html") if args.out else None)
    print(f"wrote {path}")
    for why in unreadable.values():
        print(f"unreadable: {why}", file=sys.stderr)
    return 1 if unreadable else 0


def _distance_range(text: str) -> tuple[float, float]:
    lo, sep, hi = text.partition(":")
    try:
        return (float(lo), float(hi)) if sep else (float(lo), float(lo))
    except ValueError:
        raise CliError(f"--distance expects MIN:MAX in metres (e.g. 2:60), got '{text}'") from None


def cmd_crowd(args: argparse.Namespace) -> int:
    from .crowd import CrowdScene, render_crowd

    check_sample_rate(args.sample_rate, "--sample-rate")
    lo, hi = _distance_range(args.distance)
    out = _output_file(args.out, "crowd.wav")
    output_format(out)  # before the render
    scene = CrowdScene(voices=args.voices, archetypes=args.archetype or ["zombie"], seconds=args.seconds,
                       min_distance_m=lo, max_distance_m=hi, approach_mps=args.approach, style=args.style,
                       sample_rate=args.sample_rate, seed=args.seed, budget_us=args.budget_us, simd=args.simd)
    start = time.perf_counter()
    result = render_crowd(scene)
    elapsed = time.perf_counter() - start
    path = write_atomic(out, result.audio, result.sample_rate)
    tiers = ", ".join(f"{tier} {count}" for tier, count in result.peak_tiers.items())
    print(f"{path}: {args.voices} voices, {args.seconds:g} s, most at once per tier: {tiers}")
    print(f"simd {result.simd_path} ({result.lane_width} lanes), rendered in {elapsed:.3g} s "
          f"({args.seconds / max(elapsed, 1e-9):.0f}x real time), preview gain {result.gain_db:+.1f} dB")
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
    bake.add_argument("--archetype", "-a", action="append",
                      help="archetype name or preset file (repeatable); default: all archetypes")
    bake.add_argument("--preset", "-p", action="append", metavar="FILE", help="preset file (repeatable)")
    bake.add_argument("--emotion", choices=presets.EMOTIONS,
                      help="the voice under an emotion: its preset's overrides, then what the emotion does to any voice")
    bake.add_argument("--all", action="store_true", help="bake every built-in archetype")
    bake.add_argument("--input", "-i", action="append",
                      help="anchor audio file (WAV/FLAC/OGG, mono or mixed down) or a folder of them (repeatable); "
                           "each bakes to OUT/STEM_ARCHETYPE; default: the built-in anchor")
    bake.add_argument("--out", "-o", default="previews", help="output folder (default: previews)")
    bake.add_argument("--format", "-f", choices=sorted(FORMATS), default="wav")
    bake.add_argument("--sample-rate", type=int, default=48000, help="rate of the built-in anchor (16000-96000)")
    bake.add_argument("--anchor", choices=["speech", "vowels"], default="speech",
                      help="built-in anchor when no --input: speech of --text (default) or a vowel phrase")
    bake.add_argument("--text", default=DEFAULT_LINE, help="line the built-in speech anchor says")
    bake.add_argument("--seconds", type=float, default=3.0, help="length of the vowel anchor")
    bake.add_argument("--seed", type=_seed_arg, default=None, help="noise seed (default: the preset's, else 0)")
    bake.add_argument("--proximity", type=float, default=0.5, help="0 = far (subtle) .. 1 = close (intense)")
    bake.add_argument("--environment", type=float, default=0.5, help="0 = dry .. 1 = wet")
    bake.add_argument("--set", action="append", metavar="NAME=VALUE", help="override a parameter (repeatable)")
    bake.add_argument("--lufs", type=float, default=None, metavar="TARGET",
                      help="normalise each file to this integrated loudness (BS.1770, as bake-all's manifests), true peak "
                           "held under -1 dBTP; -40 to -5")
    bake.add_argument("--morph-to", metavar="VOICE",
                      help="turn into this voice (archetype name or preset file) over the line: a transformation; "
                           "writes OUT/STEM_ARCHETYPE_to_VOICE")
    bake.add_argument("--morph-time", metavar="START:END",
                      help="seconds between which --morph-to's morph runs (default: the whole line)")
    bake.set_defaults(func=cmd_bake)

    preset = sub.add_parser("preset", help="create, validate, show, morph and diff voice preset files")
    psub = preset.add_subparsers(dest="preset_command", required=True)
    new = psub.add_parser("new", help="a new preset from an archetype or preset, with overrides")
    new.add_argument("name")
    new.add_argument("--from", dest="source", default="human", help="archetype name or preset file to start from")
    new.add_argument("--set", action="append", metavar="NAME=VALUE",
                     help="override a parameter, or a speech setting as speech.NAME (speech.base_pitch_hz=60) "
                          "(repeatable)")
    new.add_argument("--out", "-o", help="output file or folder (default: NAME.json)")
    new.add_argument("--notes", help="free-text notes stored in the file")
    new.add_argument("--force", action="store_true", help="overwrite an existing file")
    new.set_defaults(func=cmd_preset_new)
    val = psub.add_parser("validate", help="check preset files; lists every problem; exit 1 if any is invalid")
    val.add_argument("files", nargs="+")
    val.set_defaults(func=cmd_preset_validate)
    show = psub.add_parser("show", help="table of parameters with units, ranges and the archetype default")
    show.add_argument("file", help="preset file or archetype name")
    show.set_defaults(func=cmd_preset_show)
    mor = psub.add_parser("morph", help="linear morph of two presets")
    mor.add_argument("a")
    mor.add_argument("b")
    mor.add_argument("--amount", type=float, required=True, help="0 = A .. 1 = B")
    mor.add_argument("--out", "-o", required=True, help="output file or folder")
    mor.add_argument("--name")
    mor.add_argument("--force", action="store_true", help="overwrite an existing file")
    mor.set_defaults(func=cmd_preset_morph)
    dif = psub.add_parser("diff", help="fields that differ between two presets (exit 1 when any)")
    dif.add_argument("a")
    dif.add_argument("b")
    dif.set_defaults(func=cmd_preset_diff)
    psub.add_parser("list", help="the built-in preset files").set_defaults(func=cmd_preset_list)

    say = sub.add_parser("say", help="speak a line with the built-in synthesizer, in an archetype's voice")
    say.add_argument("text", nargs="+",
                     help="the line ('-': read it from standard input); {ARPAbet} in braces gives exact phonemes")
    say.add_argument("--archetype", "-a", default="human", help="archetype name or preset file (default: human)")
    say.add_argument("--preset", "-p", metavar="FILE", help="preset file (overrides --archetype)")
    say.add_argument("--emotion", "-e", choices=presets.EMOTIONS,
                     help="default: the one the line's stage directions imply (*whispers*), else neutral")
    say.add_argument("--out", "-o", help="output file (default: VOICE.wav)")
    say.add_argument("--format", "-f", choices=sorted(FORMATS), default=None,
                     help="output format (default: the one --out's suffix names, else wav)")
    say.add_argument("--sample-rate", type=int, default=48000)
    say.add_argument("--seed", type=_seed_arg, default=None)
    say.add_argument("--variation", type=float, default=0.0, metavar="0-1",
                     help="speak as one individual of the voice, drawn from --seed (the game component's VoiceVariation)")
    say.add_argument("--lufs", type=float, default=None, metavar="TARGET",
                     help="normalise the line to this integrated loudness (BS.1770, as bake-all's manifests), true peak "
                           "held under -1 dBTP; -40 to -5")
    say.add_argument("--morph-to", metavar="VOICE",
                     help="turn into this voice (archetype name or preset file) over the line: a transformation; "
                          "the pitch, formants and chain glide into its own")
    say.add_argument("--morph-time", metavar="START:END",
                     help="seconds between which --morph-to's morph runs (default: the whole line)")
    say.add_argument("--timings", action="store_true", help="print each word's start and duration")
    say.add_argument("--phonemes", action="store_true", help="print the phonemes instead of speaking")
    say.set_defaults(func=cmd_say)

    serve = sub.add_parser("serve", help="run the TTS service (POST /api/tts/generate) for the AI Core")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=4000)
    serve.add_argument("--workers", type=int, default=2, help="worker processes")
    serve.add_argument("--voices", help="folder of extra voice preset files (voice_id = preset name)")
    serve.add_argument("--api-key-file", help="require this key (file content) as a Bearer token; "
                                              "or set VOCALSYNTH_API_KEY")
    serve.set_defaults(func=cmd_serve)

    dia = sub.add_parser("dialogue", help="ask the AI Core (or the offline generator) for an NPC line and voice it")
    dia.add_argument("--npc", required=True, help="NPC id")
    dia.add_argument("--archetype", "-a", default="human", help="the NPC's archetype (voice and tone)")
    dia.add_argument("--preset", "-p", help="voice preset file (instead of --archetype)")
    dia.add_argument("--prompt", default="", help="what the player says")
    dia.add_argument("--scene", default="", help="scene or context")
    dia.add_argument("--history", help="JSON file: [{speaker, text}, ...]")
    dia.add_argument("--config", help="dialogue config file (JSON; the API key comes from VOCALSYNTH_DIALOGUE_API_KEY)")
    dia.add_argument("--backend", help="backend base URL (overrides the config)")
    dia.add_argument("--protocol", choices=["vocalsynth", "openai"])
    dia.add_argument("--offline", action="store_true", help="use the offline generator only")
    dia.add_argument("--script", help="offline dialogue script (JSON project file)")
    dia.add_argument("--out", "-o", help="output file, .wav, .flac or .ogg (default: NPC.wav)")
    dia.add_argument("--sample-rate", type=int, default=48000)
    dia.add_argument("--lufs", type=float, default=None, metavar="TARGET",
                     help="normalise the line to this integrated loudness (BS.1770, as bake-all's manifests), true "
                          "peak held under -1 dBTP; -40 to -5")
    dia.set_defaults(func=cmd_dialogue)

    dsv = sub.add_parser("dialogue-server", help="development server for the dialogue contract (offline generator)")
    dsv.add_argument("--host", default="127.0.0.1")
    dsv.add_argument("--port", type=int, default=8000)
    dsv.add_argument("--script", help="offline dialogue script (JSON project file)")
    dsv.add_argument("--api-key-file", help="require this key as a Bearer token")
    dsv.add_argument("--faults", action="store_true", help="enable POST /dev/faults (tests)")
    dsv.set_defaults(func=cmd_dialogue_server)

    sub.add_parser("bake-all", help="bake every line of a manifest (incremental, parallel, Dask); "
                                   "see `vocalsynth bake-all --help`")
    ana = sub.add_parser("analyze", help="measure voiced lines: F0, jitter, shimmer, HNR, formants, loudness, clicks...")
    ana.add_argument("files", nargs="+", help="WAV/FLAC/OGG files, or folders of them")
    ana.add_argument("--json", help="write every measure to this JSON file")
    ana.add_argument("--archetype", help="check the archetype's bands (exit 1 when a band fails)")
    ana.add_argument("--text", help="expected text (all files): adds intelligibility")
    ana.add_argument("--texts", help="JSON {file: expected text}")
    ana.set_defaults(func=cmd_analyze)
    cmp_ = sub.add_parser("analyze-compare", help="lines whose measures moved between two analyze --json runs")
    cmp_.add_argument("old")
    cmp_.add_argument("new")
    cmp_.add_argument("--tolerance", action="append", metavar="MEASURE=VALUE", help="override a tolerance")
    cmp_.set_defaults(func=cmd_analyze_compare)

    rep = sub.add_parser("report", help="self-contained HTML voice report (tables, spectrograms, band charts)")
    rep.add_argument("folder", help="folder of WAV/FLAC/OGG lines (archetype from file or folder name)")
    rep.add_argument("--out", "-o", help="output HTML (default: FOLDER/report.html)")
    rep.set_defaults(func=cmd_report)

    cro = sub.add_parser("crowd", help="render a crowd (horde, pack, market) with the real-time crowd engine")
    cro.add_argument("--voices", type=int, default=100, help="how many voices (default 100)")
    cro.add_argument("--archetype", action="append", help="archetype name or preset file; repeat to mix (default zombie)")
    cro.add_argument("--seconds", type=float, default=8.0)
    cro.add_argument("--distance", default="2:60", help="MIN:MAX metres from the listener (default 2:60)")
    cro.add_argument("--approach", type=float, default=0.0, help="metres per second the crowd walks closer")
    cro.add_argument("--style", default="chatter", choices=["chatter", "moan", "growl"])
    cro.add_argument("--budget-us", type=float, default=0.0, help="CPU budget per 256-sample block (0 = none)")
    cro.add_argument("--simd", default="auto", help="auto, scalar, sse2, avx2, avx512 or neon")
    cro.add_argument("--sample-rate", type=int, default=48000)
    cro.add_argument("--seed", type=_seed_arg, default=0)
    cro.add_argument("--out", "-o", help="stereo WAV/FLAC/OGG, written atomically (default: crowd.wav; in a folder: crowd.wav there)")
    cro.set_defaults(func=cmd_crowd)

    sub.add_parser("archetypes", help="list the built-in archetypes").set_defaults(func=cmd_archetypes)
    sub.add_parser("params", help="list every parameter with unit and range").set_defaults(func=cmd_params)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    except KeyboardInterrupt:  # Ctrl-C, or a farm job cancelled: files are written whole or not at all
        print("vocalsynth: interrupted; every file written so far is complete, none is half-written",
              file=sys.stderr)
        return 130


def _main(argv: Sequence[str] | None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == ["bake-all"]:  # the build-farm entry point has its own parser
        from . import farm

        return farm.main(args_list[1:])
    parser = build_parser()
    args = parser.parse_args(args_list)
    try:
        return int(args.func(args))
    except (CliError, AudioError, PresetError, KeyError, ValueError) as exc:
        message = error_message(exc)
        print(f"vocalsynth: error: {message}", file=sys.stderr)
        return 2
    except OSError as exc:  # the file system refused (permissions, a full disk, a read-only folder)
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"vocalsynth: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
