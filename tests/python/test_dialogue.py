"""Dialogue from the AI Core backend over real HTTP against the development server on localhost:
success, timeout, 5xx then success, 401, malformed JSON, server down (fallback), no leaked secret."""
from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

import vocalsynth as vs
from conftest import free_port, SR, hnr_db
from vocalsynth.localhost import wait_until_ready
from vocalsynth import emotions, presets
from vocalsynth.dialogue import (DialogueAuthError, DialogueClient, DialogueConfig, DialogueError, DialogueProtocolError,
                                 DialogueRequest)
from vocalsynth.dialogue.client import parse_tagged_line

ROOT = Path(__file__).resolve().parents[2]
KEY = "dlg-secret-93ab71"


@pytest.fixture(scope="module")
def backend(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dialogue")
    (folder / "key").write_text(KEY)
    script = folder / "script.json"
    script.write_text(json.dumps({"npcs": {"innkeeper": {"lines": [
        {"match": "room", "text": "A room is two silver a night.", "emotion": "neutral", "intensity": 0.2},
        {"match": "cellar", "text": "*leans closer* The cellar... *whispers* is not empty.", "emotion": "fear",
         "intensity": 0.4}]}}}))
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "vocalsynth", "dialogue-server", "--port", str(port), "--faults",
                             "--api-key-file", str(folder / "key"), "--script", str(script)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    wait_until_ready(base + "/healthz", timeout_s=10, interval_s=0.1)
    yield base, script
    proc.terminate()
    proc.wait(timeout=10)


def _client(base: str, **overrides) -> DialogueClient:
    config = DialogueConfig(base_url=base, api_key=KEY, connect_timeout_s=1.0, read_timeout_s=2.0, retries=2,
                            backoff_s=0.05, circuit_failures=2, circuit_cooldown_s=60.0)
    for k, v in overrides.items():
        setattr(config, k, v)
    return DialogueClient(config)


def _plan(base: str, *steps: str) -> None:
    requests.post(base + "/dev/faults", json={"plan": list(steps)}, timeout=5).raise_for_status()


REQUEST = DialogueRequest(npc_id="varga", archetype="vampire", scene="a ruined chapel at midnight",
                          player_line="Who are you?")


@pytest.mark.parametrize("protocol", ["vocalsynth", "openai"])
def test_success(backend, protocol):
    result = _client(backend[0], protocol=protocol).line(REQUEST)
    assert result.fallback_reason == ""
    assert result.line.source == "backend" and result.line.npc_id == "varga"
    assert result.line.text and result.line.emotion.tag in emotions.STYLES
    assert 0.0 <= result.line.emotion.intensity <= 1.0 and result.line.id


def test_scripted_line_from_the_project_file(backend):
    line = _client(backend[0]).line(DialogueRequest(npc_id="innkeeper", player_line="Have you a room?")).line
    assert line.text == "A room is two silver a night." and line.emotion.tag == "neutral"


@pytest.mark.parametrize("protocol", ["vocalsynth", "openai"])
def test_stage_directions_are_taken_out_of_the_spoken_line(backend, protocol):
    # A model's actions ("*whispers*") were spoken aloud: they go to directions, for animation.
    line = _client(backend[0], protocol=protocol).line(
        DialogueRequest(npc_id="innkeeper", player_line="What is in the cellar?")).line
    assert line.text == "The cellar... is not empty." and line.directions == ["leans closer", "whispers"]
    assert (line.emotion.tag, line.emotion.intensity) == ("fear", 0.4)  # the backend's own emotion stands


def test_timeout_falls_back_and_says_so(backend):
    _plan(backend[0], "sleep:3")
    start = time.perf_counter()
    result = _client(backend[0], read_timeout_s=0.5).line(REQUEST)
    assert time.perf_counter() - start < 2.5
    assert result.line.source == "offline" and "timed out" in result.fallback_reason


def test_5xx_then_success_is_retried(backend):
    _plan(backend[0], "status:503", "status:502")
    result = _client(backend[0]).line(REQUEST)
    assert result.line.source == "backend" and result.fallback_reason == ""


def test_5xx_beyond_the_retries_falls_back(backend):
    _plan(backend[0], "status:500", "status:500", "status:500")
    result = _client(backend[0]).line(REQUEST)
    assert result.line.source == "offline" and "HTTP 500 after 2 retries" in result.fallback_reason


def test_wrong_key_is_a_clear_error(backend):
    with pytest.raises(DialogueAuthError, match="401 .* check VOCALSYNTH_DIALOGUE_API_KEY"):
        _client(backend[0], api_key="wrong").line(REQUEST)


def test_malformed_json_is_a_clear_error(backend):
    _plan(backend[0], "malformed")
    with pytest.raises(DialogueProtocolError, match="the answer is not JSON"):
        _client(backend[0]).line(REQUEST)


def test_the_dev_server_names_what_is_wrong_with_a_request(backend):
    headers = {"Authorization": f"Bearer {KEY}", "content-type": "application/json"}
    broken = requests.post(backend[0] + "/v1/chat/completions", data=b'{"model": ', headers=headers, timeout=10)
    assert broken.status_code == 422 and broken.json()["error"].startswith("body: not valid JSON at character 10"), broken.text
    wrong = requests.post(backend[0] + "/v1/chat/completions", json={"messages": "hello"}, headers=headers, timeout=10)
    assert wrong.status_code == 422 and wrong.json()["error"].startswith("messages: "), wrong.text


def test_a_backend_url_that_is_not_one_is_a_clear_error_and_a_fallback_is_said_once(tmp_path):
    for url in ("not a url", "localhost:8000", "ftp://host/x", "http://"):
        with pytest.raises(DialogueError, match=f"backend URL '{re.escape(url)}' is not an http\\(s\\) URL with a host"):
            DialogueClient(DialogueConfig(base_url=url))
    run = lambda *a: subprocess.run([sys.executable, "-m", "vocalsynth", "dialogue", "--npc", "guard", *a],  # noqa: E731
                                    capture_output=True, text=True, timeout=120, cwd=tmp_path)
    bad = run("--backend", "not a url")
    assert bad.returncode == 2 and "backend URL 'not a url' is not an http(s) URL" in bad.stderr, bad.stderr
    down = run("--backend", f"http://127.0.0.1:{free_port()}")
    assert down.returncode == 0 and "(offline)" in down.stdout
    assert down.stderr.count("backend unavailable") == 1, down.stderr


def test_server_down_falls_back_and_opens_the_circuit():
    client = _client(f"http://127.0.0.1:{free_port()}")
    first = client.line(REQUEST)
    assert first.line.source == "offline" and "connection refused" in first.fallback_reason
    client.line(REQUEST)
    start = time.perf_counter()
    third = client.line(REQUEST)
    assert "circuit open" in third.fallback_reason and time.perf_counter() - start < 0.05


def test_chat_answers_are_parsed():
    line = parse_tagged_line('[emotion: angry 0.9] "Get out of my chapel!"', "varga", "x")
    assert (line.text, line.emotion.tag, line.emotion.intensity) == ("Get out of my chapel!", "rage", 0.9)
    line = parse_tagged_line("varga: Welcome.", "varga", "y")
    assert (line.text, line.emotion.tag) == ("Welcome.", "neutral")
    with pytest.raises(DialogueProtocolError):
        parse_tagged_line("[rage 0.5]", "varga", "z")
    # Stage directions leave the text; an untagged line takes the emotion they imply.
    line = parse_tagged_line('varga: \u201c*hisses* You should not have come, **mortal**.\u201d', "varga", "w")
    assert (line.text, line.directions) == ("You should not have come, **mortal**.", ["hisses"])  # emphasis stays
    assert (line.emotion.tag, line.emotion.intensity) == ("menace", 0.6)
    line = parse_tagged_line("(trembling) Please, no.", "varga", "v")
    assert (line.text, line.directions, line.emotion.tag) == ("Please, no.", ["trembling"], "fear")
    line = parse_tagged_line("[whispers] Come closer. <leans in> Closer.", "varga", "s")  # a script's brackets too
    assert (line.text, line.directions, line.emotion.tag) == ("Come closer. Closer.", ["whispers", "leans in"],
                                                              "whisper")
    line = parse_tagged_line("Press [E] or [Space] to flee. [laughs]", "varga", "r")  # keys to press are said
    assert (line.text, line.directions) == ("Press [E] or [Space] to flee.", ["laughs"])
    line = parse_tagged_line("[WHISPERS] Hold [LMB], then [esc]. [L M B]", "varga", "q")  # as the C++ front end
    assert (line.text, line.directions, line.emotion.tag) == ("Hold [LMB], then [esc].", ["WHISPERS", "L M B"],
                                                              "whisper")
    line = parse_tagged_line("A*B is 5 * 3. *sighs* Fine.", "varga", "p")  # stars inside words or sums open none
    assert (line.text, line.directions) == ("A*B is 5 * 3. Fine.", ["sighs"])
    line = parse_tagged_line("I *told* you. *sighs* Go.", "varga", "o")  # one word inside a sentence: emphasis
    assert (line.text, line.directions) == ("I *told* you. Go.", ["sighs"])
    line = parse_tagged_line("Press [Jump], use the [Interact] key. [laughs]", "varga", "w")  # controls are read
    assert (line.text, line.directions) == ("Press [Jump], use the [Interact] key.", ["laughs"])
    line = parse_tagged_line("[menace] Salt &amp; iron won&#39;t save you.<|eot_id|>", "varga", "x")  # escapes
    assert (line.text, line.emotion.tag) == ("Salt & iron won't save you.", "menace")
    line = parse_tagged_line("*Never* again. *nods* Do it *again*.", "varga", "v")  # at an edge: emphasis unless an action
    assert (line.text, line.directions) == ("*Never* again. Do it *again*.", ["nods"])
    line = parse_tagged_line("[sorrow 0.3] *growls* Leave.", "varga", "u")  # a tag wins over directions
    assert (line.text, line.emotion.tag, line.emotion.intensity) == ("Leave.", "sorrow", 0.3)
    with pytest.raises(DialogueProtocolError):
        parse_tagged_line("*stares silently*", "varga", "t")


def test_no_secret_in_logs_or_outputs(backend, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    env = {**os.environ, "VOCALSYNTH_DIALOGUE_API_KEY": KEY, "VOCALSYNTH_DIALOGUE_URL": backend[0]}
    out = tmp_path / "varga.wav"
    result = subprocess.run([sys.executable, "-m", "vocalsynth", "dialogue", "--npc", "varga", "--archetype", "vampire",
                             "--prompt", "Who are you?", "--out", str(out)], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "(backend)" in result.stdout and out.stat().st_size > 10000
    assert KEY not in result.stdout + result.stderr
    assert KEY.encode() not in out.read_bytes()
    config = DialogueConfig.load()
    assert KEY not in repr(config) + str(config)
    _client(backend[0], api_key="wrong")  # errors and logs go through caplog
    with pytest.raises(DialogueAuthError) as info:
        _client(backend[0], api_key=KEY + "x").line(REQUEST)
    assert KEY not in str(info.value) and KEY not in caplog.text


def test_config_file_and_environment(tmp_path, monkeypatch):
    cfg = tmp_path / "dialogue.json"
    cfg.write_text(json.dumps({"base_url": "http://127.0.0.1:9", "retries": 5}))
    monkeypatch.setenv("VOCALSYNTH_DIALOGUE_READ_TIMEOUT", "3.5")
    config = DialogueConfig.load(cfg)
    assert config.base_url == "http://127.0.0.1:9" and config.retries == 5 and config.read_timeout_s == 3.5
    cfg.write_text(json.dumps({"api_key": "oops"}))
    with pytest.raises(Exception, match="do not store api_key in the config file"):
        DialogueConfig.load(cfg)
    cfg.write_text(json.dumps({"base_ur": "x"}))
    with pytest.raises(Exception, match="unknown setting"):
        DialogueConfig.load(cfg)


def test_emotion_changes_the_voice():
    """Rage at full intensity roughens the voice (lower HNR) compared with the neutral line."""
    preset = presets.builtin("human")
    spoken = vs.synthesize("I will not ask you again.", preset, archetype_chain=False).audio
    calm = vs.process(spoken, SR, emotions.voice_params(preset, "neutral"))
    rage = vs.process(spoken, SR, emotions.voice_params(preset, "angry", 1.0))
    assert hnr_db(rage) < hnr_db(calm) - 3.0
    half = emotions.voice_params(preset, "rage", 0.5)
    assert half.roughness == pytest.approx(0.5 * emotions.VOICE_OFFSETS["rage"]["roughness"])


def test_published_contract_matches_the_dev_server():
    from vocalsynth.dialogue.devserver import create_dev_app

    assert json.loads((ROOT / "openapi" / "dialogue-api.json").read_text()) == create_dev_app().openapi()


def test_dev_server_conforms_to_its_openapi_file(backend, tmp_path):
    """schemathesis generates requests from openapi/dialogue-api.json and checks every answer.
    It runs in a temporary folder: it leaves a .schemathesis cache where it runs."""
    result = subprocess.run([sys.executable, "-m", "schemathesis.cli", "run", str(ROOT / "openapi" / "dialogue-api.json"),
                             "--url", backend[0], "-H", f"Authorization: Bearer {KEY}", "-n", "10", "--seed", "1",
                             "--max-time", "40", "-c", "all"], capture_output=True, text=True, timeout=120,
                            cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-3000:]


def test_wrong_path_is_a_clear_404(backend):
    with pytest.raises(Exception, match="404 Not Found: check base_url and protocol"):
        _client(backend[0] + "/not-the-api").line(REQUEST)


def test_action_words_are_the_same_in_python_and_the_cpp_front_end():
    """A word between stars at a sentence's edge: the C++ front end (what is spoken) and
    split_directions (what becomes a direction) must agree, for every form of every action verb
    and for words that are no actions."""
    from vocalsynth import speech
    from vocalsynth.emotions import ACTION_VERBS, is_action_word, split_directions

    forms = {verb: sorted({verb, verb + "s", verb + "ing", verb + "ed"}) for verb in ACTION_VERBS}
    for verb, words in forms.items():
        for word in words:
            if not is_action_word(word):
                continue  # e.g. "sobing": not a form of the verb, checked below as any other word
            spoken = [w for w, _ in speech.to_phonemes(f"*{word}* Fine.")]
            assert spoken == ["fine"], (word, spoken)
            assert split_directions(f"*{word}* Fine.") == ("Fine.", [word]), word
    for word in ("Never", "again", "this", "nobody", "Human", "anything"):
        assert not is_action_word(word)
        spoken = [w for w, _ in speech.to_phonemes(f"*{word}* then.")]
        assert spoken[0] == word.lower(), (word, spoken)
        assert split_directions(f"*{word}* then.") == (f"*{word}* then.", []), word
