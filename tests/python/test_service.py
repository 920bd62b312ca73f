"""The TTS service over real HTTP on localhost: contract, exact timings, bad input, auth, logs."""
from __future__ import annotations

import base64
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import requests
import soundfile as sf

from conftest import free_port
from vocalsynth.localhost import wait_until_ready
import vocalsynth as vs
from vocalsynth import presets

ROOT = Path(__file__).resolve().parents[2]
API_KEY = "test-secret-5f1c9e2a"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("service")
    voices = folder / "voices"
    voices.mkdir()
    custom = presets.Preset.from_archetype("ghoul", name="innkeeper_ghoul", roughness=0.3)
    custom.speech["base_pitch_hz"] = 140.0
    custom.save(voices / "innkeeper.json")
    key_file = folder / "key.txt"
    key_file.write_text(API_KEY)
    port = free_port()
    log_path = folder / "server.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen([sys.executable, "-m", "vocalsynth", "serve", "--port", str(port), "--workers", "2",
                                 "--voices", str(voices), "--api-key-file", str(key_file)],
                                stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    base = f"http://127.0.0.1:{port}"
    if not wait_until_ready(base + "/readyz", timeout_s=60):
        proc.kill()
        pytest.fail("server did not become ready:\n" + log_path.read_text())
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {API_KEY}"
    yield base, session, log_path
    proc.terminate()
    proc.wait(timeout=20)


def _generate(server, **body):
    base, session, _ = server
    return session.post(base + "/api/tts/generate", json=body, timeout=60)


def test_contract_fields_and_types(server):
    r = _generate(server, text="Good evening, traveller. Are you lost?", voice_id="vampire", format="wav",
                  sample_rate=44100, personality_traits=["proud"], emotion="menace")
    assert r.status_code == 200, r.text
    d = r.json()
    assert set(d) >= {"audio", "duration", "word_timings", "lipsync"}
    assert isinstance(d["audio"], str) and isinstance(d["duration"], float)
    assert [w["word"] for w in d["word_timings"]] == ["good", "evening", "traveller", "are", "you", "lost"]
    for w in d["word_timings"]:
        assert set(w) == {"word", "start_time", "duration"} and isinstance(w["start_time"], float)
    for p in d["lipsync"]["phonemes"]:
        assert set(p) == {"phoneme", "start_time", "duration"}
    for v in d["lipsync"]["visemes"]:
        assert set(v) == {"viseme", "start_time", "duration"}
    audio, rate = sf.read(io.BytesIO(base64.b64decode(d["audio"])), dtype="float32")
    assert rate == 44100 and len(audio) / rate == pytest.approx(d["duration"], abs=1e-6)
    assert r.headers["X-Request-ID"]


def test_timings_are_monotonic_and_cover_the_audio(server):
    d = _generate(server, text="Stay away from the river, stranger.", voice_id="zombie", sample_rate=22050).json()
    for key in ("phonemes", "visemes"):
        items = d["lipsync"][key]
        assert items[0]["start_time"] == 0.0
        for a, b in zip(items, items[1:]):
            assert b["start_time"] == pytest.approx(a["start_time"] + a["duration"], abs=1e-9)
        assert items[-1]["start_time"] + items[-1]["duration"] == pytest.approx(d["duration"], abs=1e-6)
    starts = [w["start_time"] for w in d["word_timings"]]
    assert starts == sorted(starts)


def test_word_timings_match_the_audio_energy(server):
    """Words separated by pauses: each word's span must match where the energy is, within 30 ms."""
    d = _generate(server, text="One. Nine. Moon. Eleven.", voice_id="human", sample_rate=48000).json()
    audio, rate = sf.read(io.BytesIO(base64.b64decode(d["audio"])), dtype="float32")
    frame = rate // 1000  # 1 ms frames
    rms = np.sqrt(np.convolve(audio ** 2, np.ones(5 * frame) / (5 * frame), mode="same"))[::frame]
    active = rms > rms.max() * 10 ** (-35 / 20)
    edges = np.flatnonzero(np.diff(active.astype(int)))
    segments = list(zip(edges[::2] / 1000.0, edges[1::2] / 1000.0))
    assert len(segments) == 4, segments
    for word, (on, off) in zip(d["word_timings"], segments):
        assert abs(word["start_time"] - on) < 0.030, (word, on)
        assert abs(word["start_time"] + word["duration"] - off) < 0.030, (word, off)


@pytest.mark.parametrize("fmt, rate", [("flac", 16000), ("ogg", 48000)])
def test_other_formats_and_rates(server, fmt, rate):
    d = _generate(server, text="Who goes there?", voice_id="innkeeper_ghoul", format=fmt, sample_rate=rate).json()
    audio, got = sf.read(io.BytesIO(base64.b64decode(d["audio"])))
    assert got == rate and len(audio) > rate // 2


@pytest.mark.parametrize("body, message", [
    ({"text": "hi", "voice_id": "dragon"}, "unknown voice_id 'dragon'; known voices: banshee"),
    ({"text": "   "}, "text: text is empty"),
    ({"text": ""}, "text: String should have at least 1 character"),
    ({"text": "hi", "sample_rate": 8000}, "sample_rate: Input should be greater than or equal to 16000"),
    ({"text": "hi", "format": "mp3"}, "format: Input should be 'wav', 'flac' or 'ogg'"),
    ({"text": "hi", "emotion": "glee"}, "emotion: unknown emotion 'glee'"),
    ({"text": "x" * 2001}, "text: String should have at most 2000 characters"),
    ({"text": "{HH QQ1}"}, "unknown phoneme 'QQ1'"),
    ({"text": "... \U0001F642"}, "text has no speakable words"),
    ({"voice_id": "human"}, "text: Field required"),
    ({"text": "hi", "morph_to_voice_id": "wereworf"}, "unknown morph_to_voice_id 'wereworf' (did you mean 'werewolf'?)"),
    ({"text": "hi", "morph_to_voice_id": "werewolf", "morph_seconds": [2, 1]},
     "morph_seconds: must be a start and an end in seconds with 0 <= start <= end <= 3600, got 2 and 1"),
    ({"text": "hi", "morph_to_voice_id": "werewolf", "morph_seconds": [1]},
     "morph_seconds: must be a start and an end in seconds, got [1]"),
    ({"text": "hi", "morph_to_voice_id": "werewolf", "morph_seconds": [0, 1e308]}, "<= 3600, got 0 and 1e+308"),
    ({"text": "hi", "morph_seconds": [0, 1]}, "morph_seconds is given without morph_to"),
    # One field that takes either of two kinds: said once, not once per kind under pydantic's
    # type names ("personality_traits.list[str]: ...; personality_traits.dict[str,any]: ...").
    ({"text": "hi", "personality_traits": "grumpy"},
     "personality_traits: Input should be a valid list or a valid dictionary"),
])
def test_bad_input_gets_422_with_a_clear_message(server, body, message):
    r = _generate(server, **body)
    assert r.status_code == 422, r.text
    assert message in r.json()["error"]
    assert "list[str]" not in r.json()["error"]


def test_a_line_can_turn_its_speaker_into_another_voice(server):
    """morph_to_voice_id: the service speaks what the Python API speaks (to 24-bit rounding), the
    custom voices folder included, with the plain line's word timings."""
    line = "Run while you still can, before the moon is full."
    plain = _generate(server, text=line, voice_id="innkeeper_ghoul", sample_rate=48000).json()
    turned = _generate(server, text=line, voice_id="innkeeper_ghoul", morph_to_voice_id="werewolf",
                       morph_seconds=[0.5, 2.0], sample_rate=48000).json()
    assert "warnings" not in turned or not turned["warnings"], turned.get("warnings")
    assert turned["word_timings"] == plain["word_timings"]
    audio, _ = sf.read(io.BytesIO(base64.b64decode(turned["audio"])), dtype="float32")
    innkeeper = presets.Preset.from_archetype("ghoul", name="innkeeper_ghoul", roughness=0.3)
    innkeeper.speech["base_pitch_hz"] = 140.0
    expected = vs.synthesize(line, innkeeper, morph_to="werewolf", morph_seconds=(0.5, 2.0)).audio
    assert len(audio) == len(expected) and np.max(np.abs(audio - expected)) < 2.0 ** -22
    # Up to the phone in which the morph starts (its pitch glides from the phone's start), the plain
    # line, less the chain's look-ahead (the limiter and LPC see that far past each output sample).
    glide = max(p["start_time"] for p in plain["lipsync"]["phonemes"] if p["start_time"] <= 0.5)
    unchanged = int(48000 * glide) - vs.Voice("ghoul", 48000).latency_samples
    before, _ = sf.read(io.BytesIO(base64.b64decode(plain["audio"])), dtype="float32")
    assert unchanged > 12000
    assert np.max(np.abs(audio[:unchanged] - before[:unchanged])) < 2.0 ** -22 < np.max(np.abs(audio - before))


def test_malformed_json_oversized_body_and_auth(server):
    base, session, _ = server
    bad = session.post(base + "/api/tts/generate", data=b"{not json", headers={"content-type": "application/json"})
    assert bad.status_code == 422 and bad.json()["error"].startswith("body: not valid JSON at character 1"), bad.text
    # Bytes that are not UTF-8, an unknown path, a wrong method: the same error shape, with the id.
    for answer, status, message in (
            (session.post(base + "/api/tts/generate", data=b"\xff\xfe\x16\x04Q", headers={"content-type": "application/json"}),
             400, "body: cannot be decoded (not UTF-8 JSON)"),
            (session.post(base + "/api/tts/generat", json={"text": "hi"}), 404, "Not Found"),
            (session.get(base + "/api/tts/generate"), 405, "Method Not Allowed")):
        assert answer.status_code == status and answer.json()["error"].startswith(message), answer.text
        assert answer.json()["request_id"] == answer.headers["X-Request-ID"]
    huge = session.post(base + "/api/tts/generate", data=b"x" * 70000, headers={"content-type": "application/json"})
    assert huge.status_code == 413
    anonymous = requests.post(base + "/api/tts/generate", json={"text": "hi"}, timeout=30)
    assert anonymous.status_code == 401 and anonymous.headers["WWW-Authenticate"] == "Bearer"
    wrong = requests.post(base + "/api/tts/generate", json={"text": "hi"}, headers={"Authorization": "Bearer nope"}, timeout=30)
    assert wrong.status_code == 401
    header_key = requests.post(base + "/api/tts/generate", json={"text": "hi"}, headers={"X-API-Key": API_KEY}, timeout=30)
    assert header_key.status_code == 200
    assert requests.get(base + "/healthz", timeout=5).json() == {"status": "ok"}


def test_a_service_that_cannot_start_says_why_in_one_line(server, tmp_path):
    """A port out of range was an OverflowError traceback, a missing --voices folder was ignored,
    a port in use failed in each worker: now each is one line naming the option, exit 2."""
    base = server[0]
    busy = base.rsplit(":", 1)[1]  # the fixture's server holds this port
    for args, message in (
            (["--port", "99999"], "--port: 99999 is out of range: 1 to 65535"),
            (["--port", busy], f"--port {busy}: cannot listen there (Address already in use); another server is on that port"),
            (["--voices", str(tmp_path / "none"), "--port", str(free_port())], "voices folder not found"),
            (["--workers", "0", "--port", str(free_port())], "--workers: 0 is out of range")):
        result = subprocess.run([sys.executable, "-m", "vocalsynth", "serve", *args], capture_output=True, text=True, timeout=60)
        assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr, (args, result.stderr)
    # The dialogue development server checks the same way.
    for args, message in ((["--port", busy], "another server is on that port"),
                          (["--port", str(free_port()), "--api-key-file", str(tmp_path / "none.txt")], "API key file not found")):
        result = subprocess.run([sys.executable, "-m", "vocalsynth", "dialogue-server", *args], capture_output=True, text=True, timeout=60)
        assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr, (args, result.stderr)


def test_unknown_fields_are_named_in_the_answer_and_the_log(server):
    """A client that writes "voice" for "voice_id" used to get a human voice and no word of why."""
    base, session, log_path = server
    r = _generate(server, text="Leave the crypt.", voice="vampire", speed=1.2)
    assert r.status_code == 200, r.text
    d = r.json()
    assert d["voice_id"] == "human"
    assert d["warnings"] == ["unknown field 'speed' ignored",
                             "unknown field 'voice' ignored (did you mean 'voice_id'?)"]
    assert _generate(server, text="Leave the crypt.", voice_id="vampire").json()["warnings"] == []
    time.sleep(0.3)
    lines = [json.loads(line) for line in log_path.read_text().splitlines() if line.startswith("{")]
    assert any(entry.get("level") == "warning" and "did you mean 'voice_id'" in json.dumps(entry) for entry in lines)


def test_stage_directions_are_not_spoken_and_set_the_emotion_when_none_is_given(server):
    directed = _generate(server, text="*whispers* Come closer.", voice_id="vampire").json()
    plain = _generate(server, text="Come closer.", voice_id="vampire", emotion="whisper").json()
    assert directed["emotion"] == "whisper" and plain["emotion"] == "whisper"
    assert [w["word"] for w in directed["word_timings"]] == ["come", "closer"]  # "whispers" is not said
    assert directed["audio"] == plain["audio"]  # the same line, spoken the same way
    given = _generate(server, text="*whispers* Come closer.", voice_id="vampire", emotion="rage").json()
    assert given["emotion"] == "rage"  # the request's own emotion wins
    assert _generate(server, text="Come closer.", voice_id="vampire").json()["emotion"] == "neutral"


def test_logs_are_json_with_request_ids_and_never_the_key(server):
    base, session, log_path = server
    r = session.post(base + "/api/tts/generate", json={"text": "Leave now."}, headers={"X-Request-ID": "trace-42"})
    assert r.headers["X-Request-ID"] == "trace-42"
    time.sleep(0.3)
    lines = [json.loads(line) for line in log_path.read_text().splitlines() if line.startswith("{")]
    assert any(entry.get("request_id") == "trace-42" and entry.get("status") == 200 for entry in lines)
    assert API_KEY not in log_path.read_text()


def test_published_openapi_matches_the_service():
    from vocalsynth.server import create_app

    published = json.loads((ROOT / "openapi" / "vocalsynth-api.json").read_text())
    assert published == create_app().openapi(), "stale: run python3 tools/update_docs.py"
    assert "/api/tts/generate" in published["paths"]
