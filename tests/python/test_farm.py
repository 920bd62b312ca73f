"""Build-farm baking: incremental, reproducible, isolated failures, killed runs, Dask, reports."""
from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import parselmouth
import pyloudnorm
import pytest
import soundfile as sf

import vocalsynth as vs
from vocalsynth import farm

LINES = [("varga", "Good evening, traveller.", "menace"), ("varga", "Leave this place at once.", "rage"),
         ("wolf", "Run while you still can!", "angry"), ("wolf", "The moon is rising.", "neutral"),
         ("ghost", "You should not have come here.", "whisper"), ("ghost", "I have waited so long.", "sorrow")]


def write_manifest(folder: Path, lines=LINES, extra_lines=(), output="baked", **top) -> Path:
    sf.write(folder / "anchor.wav", vs.render_anchor(22050, 1.2, vowels="ao"), 22050)
    data = {"version": 1, "output": output, "sample_rate": 48000, "format": "wav",
            "loudness": {"target_lufs": -23, "true_peak_db": -1},
            "voices": {"varga": {"preset": "vampire"}, "wolf": {"preset": "werewolf", "overrides": {"roughness": 0.7}},
                       "ghost": {"preset": "wraith"}},
            "lines": [{"id": f"{npc}_{i}", "npc": npc, "text": text, "emotion": emotion} for i, (npc, text, emotion) in enumerate(lines)]
            + [{"id": "wolf_anchor", "npc": "wolf", "anchor": "anchor.wav"}] + list(extra_lines)}
    data.update(top)
    path = folder / "manifest.json"
    path.write_text(json.dumps(data, indent=1))
    return path


def digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*.wav"))}


def test_incremental_rebuilds_only_what_changed(tmp_path):
    manifest = write_manifest(tmp_path)
    first = farm.bake_all(manifest, workers=2)
    assert (first.baked, first.skipped, first.failed) == (7, 0, 0)
    again = farm.bake_all(manifest, workers=2)
    assert (again.baked, again.skipped) == (0, 7)
    (tmp_path / "baked" / "wolf" / "wolf_2.wav").unlink()
    assert (farm.bake_all(manifest).baked, farm.bake_all(manifest).baked) == (1, 0)
    data = json.loads(manifest.read_text())
    data["lines"][0]["text"] = "Good evening, stranger."
    data["voices"]["ghost"]["overrides"] = {"whisper": 0.5}
    manifest.write_text(json.dumps(data))
    changed = farm.bake_all(manifest)
    assert sorted(r.id for r in changed.results if r.status == "baked") == ["ghost_4", "ghost_5", "varga_0"]


def test_reruns_and_other_machines_give_bit_identical_files(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    farm.bake_all(write_manifest(a), workers=2)
    farm.bake_all(write_manifest(b), workers=1)  # another "machine": other folder, other parallelism
    first = digests(a / "baked")
    farm.bake_all(a / "manifest.json", force=True, workers=2)
    assert digests(a / "baked") == first == digests(b / "baked")
    assert len(first) == 7


def test_loudness_is_normalized_with_a_true_peak_ceiling(tmp_path):
    farm.bake_all(write_manifest(tmp_path))
    for path in (tmp_path / "baked").rglob("*.wav"):
        audio, rate = sf.read(path)
        assert farm.true_peak(audio) <= 10 ** (-1 / 20) + 1e-3, path.name
        loudness = pyloudnorm.Meter(rate).integrated_loudness(audio)
        assert loudness <= -23 + 0.5, path.name  # at target, or below when the peak ceiling limited it
        if farm.true_peak(audio) < 0.85:
            assert loudness == pytest.approx(-23, abs=0.5), path.name


def test_a_corrupt_line_fails_alone_and_reports_say_so(tmp_path):
    (tmp_path / "corrupt.wav").write_bytes(b"RIFF\x00\x00\x00\x00WAVEjunk")
    manifest = write_manifest(tmp_path, extra_lines=[{"id": "bad_anchor", "npc": "varga", "anchor": "corrupt.wav"},
                                                     {"id": "bad_text", "npc": "wolf", "text": "{HH QQ1}"},
                                                     {"id": "no_voice", "npc": "nobody", "text": "Hello."}])
    junit, report = tmp_path / "bake.xml", tmp_path / "bake.json"
    result = subprocess.run([sys.executable, "-m", "vocalsynth", "bake-all", str(manifest), "--junit", str(junit),
                             "--report", str(report), "--no-progress"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    assert "baked 7, skipped 0, failed 3" in result.stdout
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None and suite.get("tests") == "10" and suite.get("failures") == "3"
    failures = {case.get("name"): case.find("failure").get("message") for case in suite.iter("testcase") if case.find("failure") is not None}
    assert "corrupt.wav: cannot decode audio" in failures["bad_anchor"]
    assert "unknown phoneme 'QQ1'" in failures["bad_text"]
    assert "npc 'nobody' has no entry under voices" in failures["no_voice"]
    summary = json.loads(report.read_text())["summary"]
    assert (summary["baked"], summary["failed"]) == (7, 3)


def test_a_killed_run_leaves_no_corrupt_file_and_a_rerun_finishes(tmp_path):
    # Long enough that the kill always lands mid-run (a short one can finish between two polls).
    manifest = write_manifest(tmp_path, lines=LINES * 6)
    total = len(LINES) * 6 + 1  # and the anchor line
    proc = subprocess.Popen([sys.executable, "-m", "vocalsynth", "bake-all", str(manifest), "--workers", "1", "--no-progress"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    # Killed once the cache records three finished lines: a line's file is renamed into place before
    # its cache entry is written, so killing at the third file could land between the two (the
    # rerun then rightly bakes that line again, and skipped only 2 on a fast machine).
    cache = tmp_path / "baked" / farm.CACHE_NAME
    deadline = time.time() + 120
    while time.time() < deadline and len(farm._read_cache(cache.parent)) < 3:
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    done = list((tmp_path / "baked").rglob("*.wav"))
    assert 3 <= len(done) < total
    for path in done:
        sf.read(path)  # every file present is complete
    rerun = farm.bake_all(manifest, workers=2)
    assert rerun.failed == 0 and rerun.baked + rerun.skipped == total and rerun.skipped >= 3
    assert len(list((tmp_path / "baked").rglob("*.wav"))) == total
    assert not list((tmp_path / "baked").rglob(".*.tmp"))


def test_dask_local_cluster_gives_the_same_bytes_as_local(tmp_path):
    from distributed import Client, LocalCluster

    local, dist = tmp_path / "local", tmp_path / "dask"
    local.mkdir()
    dist.mkdir()
    farm.bake_all(write_manifest(local), workers=2)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, Client(cluster) as client:
        summary = farm.bake_all(write_manifest(dist), client=client)
    assert summary.baked == 7 and summary.failed == 0
    assert digests(local / "baked") == digests(dist / "baked")


def test_manifest_errors_name_the_field(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text("version: 1\nvoices: {a: {preset: human}}\nlines:\n  - {id: 'bad id!', npc: a, text: hi, colour: red}\n")
    with pytest.raises(farm.ManifestError) as info:
        farm.plan(path)
    text = str(info.value)
    assert "m.yaml: 2 problem(s)" in text
    assert ("lines.0.id: 'bad id!' is not a usable name: it names a file, so use only letters, digits, '_', '.' "
            "and '-', 1 to 100 of them") in text
    assert "lines.0: unknown field 'colour'; known: anchor, emotion, id, intensity, morph_seconds, morph_to, npc, overrides, seed, text" in text
    # In the manifest's words, not the validator's (it quoted the regex and said "'formt' was unexpected").
    path.write_text("version: 1\nformt: wav\nvoices: {a: {preset: human, overides: {}}}\n"
                    "lines:\n  - {id: x, npc: a, text: 5, intensity: 3, emotoin: fear}\n")
    with pytest.raises(farm.ManifestError) as info:
        farm.plan(path)
    assert str(info.value).splitlines()[1:] == [
        "  - (top level): unknown field 'formt' (did you mean 'format'?); known: format, lines, loudness, output, "
        "sample_rate, version, voices",
        "  - lines.0: unknown field 'emotoin' (did you mean 'emotion'?); known: anchor, emotion, id, intensity, "
        "morph_seconds, morph_to, npc, overrides, seed, text",
        "  - lines.0.intensity: 3 is out of range: allowed 0 to 1",
        "  - lines.0.text: 5 is not a string",
        "  - voices.a: unknown field 'overides' (did you mean 'overrides'?); known: overrides, preset",
    ]
    path.write_text("version: 1\nvoices: {a: {preset: human}}\nlines:\n  - {id: x, npc: a}\n"
                    "  - {id: y, npc: a, text: hi, anchor: y.wav}\n")
    with pytest.raises(farm.ManifestError) as info:
        farm.plan(path)
    assert str(info.value).splitlines()[1:] == ["  - lines.0: give exactly one of 'text' or 'anchor'",
                                                "  - lines.1: give exactly one of 'text' or 'anchor' (it has 'text' and 'anchor')"]
    path.write_text("version: 1\nvoices: {a: {preset: human}}\nlines:\n  - {id: x, npc: a, text: hi}\n  - {id: x, npc: a, text: ho}\n")
    with pytest.raises(farm.ManifestError, match="duplicate line id"):
        farm.plan(path)
    # An NPC's name is a folder under the output: "../.." baked outside it.
    path.write_text("version: 1\nvoices: {'../../escaped': {preset: human}, '.hidden': {preset: human}}\n"
                    "lines:\n  - {id: x, npc: ../../escaped, text: hi}\n")
    with pytest.raises(farm.ManifestError) as info:
        farm.plan(path)
    assert str(info.value).splitlines()[1:] == [
        f"  - voices: {name!r} is not a usable name: it names a folder, so use only letters, digits, '_', '.' and '-', "
        "1 to 100 of them, not starting with '.' (no spaces or paths)" for name in ("../../escaped", ".hidden")]


def _median_f0(audio, rate, word):
    """Median F0 (Praat) over a word's voiced frames."""
    sound = parselmouth.Sound(audio[int(word.start_time * rate):int((word.start_time + word.duration) * rate)], rate)
    f0 = sound.to_pitch(0.01, 60, 500).selected_array["frequency"]
    return float(np.median(f0[f0 > 0])) if np.any(f0 > 0) else float("nan")


def test_a_line_can_turn_its_npc_into_another_voice(tmp_path):
    """morph_to names another NPC's voice: the line's pitch falls to that speaker's over
    morph_seconds (human 120 Hz into werewolf 90 Hz), measured word by word against the same line
    without it; a change of morph rebakes the line; a morph that cannot work fails its line alone."""
    text = "Stay where you are, stranger. I can smell the fear on you tonight."
    lines = [{"id": "plain", "npc": "man", "text": text, "seed": 3},
             {"id": "turn", "npc": "man", "text": text, "seed": 3, "morph_to": "beast", "morph_seconds": [1.0, 4.0]},
             {"id": "turn_anchor", "npc": "man", "anchor": "anchor.wav", "morph_to": "beast"},
             {"id": "typo", "npc": "man", "text": "Hello.", "morph_to": "beest"},
             {"id": "no_target", "npc": "man", "text": "Hello.", "morph_seconds": [0, 1]},
             {"id": "backwards", "npc": "man", "text": "Hello.", "morph_to": "beast", "morph_seconds": [2, 1]}]
    sf.write(tmp_path / "anchor.wav", vs.render_anchor(48000, 1.5, vowels="ao"), 48000)
    data = {"version": 1, "loudness": {"target_lufs": None}, "lines": lines,
            "voices": {"man": {"preset": "human"}, "beast": {"preset": "werewolf"}}}
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps(data))
    summary = farm.bake_all(manifest)
    status = {r.id: (r.status, r.message) for r in summary.results}
    assert [status[i][0] for i in ("plain", "turn", "turn_anchor")] == ["baked"] * 3, status
    assert status["typo"] == ("failed", "morph_to 'beest' has no entry under voices (did you mean 'beast'?)")
    assert status["no_target"] == ("failed", "morph_seconds needs morph_to: the NPC under voices whose voice the "
                                             "line turns into")
    assert status["backwards"][1] == ("morph_seconds must be a start and an end in seconds with 0 <= start <= end <= 3600, "
                                      "got 2 and 1")
    plain, rate = sf.read(tmp_path / "baked" / "man" / "plain.wav")
    turned, _ = sf.read(tmp_path / "baked" / "man" / "turn.wav")
    words = vs.synthesize(text, "human", seed=3).words
    ratios = [(w.start_time, _median_f0(turned, rate, w) / _median_f0(plain, rate, w)) for w in words]
    before = [r for t, r in ratios if t + 0.5 < 1.0]
    after = [r for t, r in ratios if t > 4.0 and np.isfinite(r)]  # "the" is unvoiced in the growl
    assert before and all(abs(r - 1.0) < 0.02 for r in before), ratios
    # 90 / 120 = 0.75; the werewolf's subharmonic growl pulls a word's Praat median by up to ~10%
    assert len(after) >= 3 and all(0.65 < r < 0.82 for r in after) and 0.7 < np.median(after) < 0.8, ratios
    data["lines"][1]["morph_seconds"] = [1.0, 3.0]
    manifest.write_text(json.dumps(data))
    again = farm.bake_all(manifest)
    assert sorted(r.id for r in again.results if r.status == "baked") == ["turn"]
    data["lines"][2]["morph_to"] = "man"
    manifest.write_text(json.dumps(data))
    assert sorted(r.id for r in farm.bake_all(manifest).results if r.status == "baked") == ["turn_anchor"]


def test_a_cluster_or_worker_count_that_cannot_work_is_a_clear_error(tmp_path):
    """A malformed --cluster was a distributed ValueError traceback; an unreachable scheduler a
    30 s wait and an OSError traceback; --workers 0 quietly meant every core. Each is now one line
    naming the option, exit 2, and the outputs already baked are left as they were."""
    manifest = write_manifest(tmp_path, lines=LINES[:1])
    baked = farm.bake_all(manifest, workers=1)
    assert baked.baked == 2 and baked.failed == 0
    before = digests(tmp_path / "baked")
    run = lambda *a: subprocess.run([sys.executable, "-m", "vocalsynth", "bake-all", str(manifest), "--no-progress", *a],  # noqa: E731
                                    capture_output=True, text=True, timeout=120)
    for args, message in (
            (["--cluster", "scheduler"], "--cluster scheduler: not a scheduler address (missing port number"),
            (["--cluster", "foo://scheduler:8786"], "--cluster foo://scheduler:8786: not a scheduler address (unknown address scheme 'foo'"),
            (["--force", "--cluster", "tcp://127.0.0.1:9", "--cluster-timeout", "1"],
             "--cluster tcp://127.0.0.1:9: no Dask scheduler answered within 1 s"),
            (["--workers", "0"], "--workers: 0 is out of range: at least 1")):
        result = run(*args)
        assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr, (args, result.stderr)
    assert digests(tmp_path / "baked") == before


def test_a_line_without_an_emotion_takes_its_stage_directions(tmp_path):
    manifest = write_manifest(tmp_path, lines=[("varga", "*whispers* The door is open.", None),
                                               ("varga", "*whispers* Run!", "rage"), ("varga", "Good evening.", None)])
    data = json.loads(manifest.read_text())
    for line in data["lines"]:
        if line.get("emotion") is None:
            line.pop("emotion", None)
    manifest.write_text(json.dumps(data))
    jobs = {job.id: job for job in farm.plan(manifest)[0]}
    assert (jobs["varga_0"].emotion, jobs["varga_1"].emotion, jobs["varga_2"].emotion) == ("whisper", "rage", "neutral")


def test_published_manifest_and_gate_schemas_are_current():
    root = Path(__file__).resolve().parents[2]
    assert json.loads((root / "schema" / "vocalsynth-manifest.schema.json").read_text()) == farm.MANIFEST_SCHEMA
    assert json.loads((root / "schema" / "vocalsynth-gate.schema.json").read_text()) == farm.GATE_SCHEMA


def test_gate_fails_the_build_on_its_rules(tmp_path):
    # Key lines in a voice the recognizer follows (at every seed tried); the wraith's whisper
    # defeats it (measured), which is exactly what such a gate reports. ("The king is dead." in
    # this voice passes at only some seeds: not a key line.)
    manifest = write_manifest(tmp_path, extra_lines=[{"id": "clear_1", "npc": "varga", "text": "Stay away from the river."},
                                                     {"id": "clear_2", "npc": "varga", "text": "Bring me the lantern."}])
    rules = tmp_path / "gate.json"
    rules.write_text(json.dumps({"max_clicks": 0, "max_true_peak_dbtp": -0.9, "min_intelligibility": 0.5,
                                 "key_lines": ["clear_1", "clear_2"]}))
    run = lambda *a: subprocess.run([sys.executable, "-m", "vocalsynth", "bake-all", str(manifest), "--no-progress", *a],  # noqa: E731
                                    capture_output=True, text=True, timeout=600)
    passed = run("--gate", str(rules))
    assert passed.returncode == 0 and "gate: passed" in passed.stdout, passed.stderr
    # The wraith's whispered "You should not have come here." defeats the recognizer.
    # (-8 dBTP: four of the lines peak at -7.5 to -6.1; at -6 the rule rested on one line's 0.1 dB.)
    rules.write_text(json.dumps({"max_true_peak_dbtp": -8.0, "min_intelligibility": 0.5, "key_lines": ["ghost_4"]}))
    junit = tmp_path / "gate.xml"
    failed = run("--gate", str(rules), "--junit", str(junit))
    assert failed.returncode == 1 and "gate: FAILED" in failed.stdout
    assert re.search(r"GATE ghost_4: intelligibility \d+% < 50%", failed.stderr) and "dBTP > -8.0" in failed.stderr
    suite = ET.parse(junit).getroot().find("testsuite")
    assert any(c.get("classname") == "gate" for c in suite.iter("testcase"))
    # The werewolf's "The moon is rising.": its formants at x0.75 defeat the recognizer (0%), which
    # a listener adapts to; judged with the voice's size undone (the default) it passes.
    rules.write_text(json.dumps({"min_intelligibility": 0.5, "key_lines": ["wolf_3"]}))
    assert run("--gate", str(rules)).returncode == 0
    rules.write_text(json.dumps({"min_intelligibility": 0.5, "key_lines": ["wolf_3"], "normalize_voice_size": False}))
    raw = run("--gate", str(rules))
    assert raw.returncode == 1 and re.search(r"GATE wolf_3: intelligibility \d+% < 50%", raw.stderr)


def test_a_broken_gate_fails_before_anything_is_baked(tmp_path):
    """The gate was read after the bake: a typo cost the whole bake and then exit 2, a wrong type a
    traceback, and a key line the manifest lacks was silently never judged."""
    manifest = write_manifest(tmp_path)
    rules = tmp_path / "gate.json"
    run = lambda: subprocess.run([sys.executable, "-m", "vocalsynth", "bake-all", str(manifest), "--no-progress",  # noqa: E731
                                  "--gate", str(rules)], capture_output=True, text=True, timeout=600)
    rules.write_text(json.dumps({"max_click": 0, "max_true_peak_dbtp": "-1", "min_intelligibility": 70,
                                 "key_lines": ["varga_0", "varga_9", "ghost4", "wolf_anchor"], "bands": 1}))
    result = run()
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines()[1:] == [
        "  - (top level): unknown field 'max_click' (did you mean 'max_clicks'?); known: bands, key_lines, max_clicks, "
        "max_true_peak_dbtp, min_intelligibility, normalize_voice_size",
        "  - bands: 1 is not a boolean",
        "  - max_true_peak_dbtp: '-1' is not a number",
        "  - min_intelligibility: 70 is out of range: allowed 0 to 1",
    ]
    assert not (tmp_path / "baked").exists()
    rules.write_text(json.dumps({"min_intelligibility": 0.5, "key_lines": ["varga_0", "varga_9", "ghost4", "wolf_anchor"]}))
    result = run()
    assert result.returncode == 2 and "gate.json: gate rules: 3 problem(s)" in result.stderr
    assert "key_lines: 'wolf_anchor' has no text (an anchor line), so its words cannot be judged" in result.stderr
    assert "key_lines: no line 'varga_9' in the manifest" in result.stderr
    assert "key_lines: no line 'ghost4' in the manifest (did you mean 'ghost_4'?)" in result.stderr
    assert not (tmp_path / "baked").exists()
    rules.write_text("{\"max_clicks\": 0,}")
    result = run()
    assert result.returncode == 2 and "gate.json: Expecting property name" in result.stderr
    assert not (tmp_path / "baked").exists()
