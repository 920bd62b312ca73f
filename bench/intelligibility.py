#!/usr/bin/env python3
"""Intelligibility benchmark: word accuracy of an offline recognizer (pocketsphinx, which ships its
en-us model in the wheel) on the built-in synthesizer's Human voice, next to espeak-ng (Debian
package, GPL: run only as an external reference program here, never linked or shipped).

Two judges: a JSGF grammar over the closed sentence set (sharp; rejects noise) and the open
language model (harsh on synthetic speech). Usage: python3 bench/intelligibility.py [--no-espeak]
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile

import numpy as np
import scipy.signal as ss
import soundfile as sf

SENTENCES = [
    "good evening traveller",
    "the gate is closed until dawn",
    "i will not ask you again",
    "bring me the head of the wolf",
    "do you hear the bells",
    "stay away from the river",
    "the king is dead",
    "we have been waiting for you",
    "what do you want from me",
    "the night is cold and dark",
    "follow me to the tower",
    "give me your gold",
]


def _decoder(grammar: bool):
    from pocketsphinx import Decoder, get_model_path

    model = get_model_path()
    kwargs = dict(hmm=os.path.join(model, "en-us", "en-us"), dict=os.path.join(model, "en-us", "cmudict-en-us.dict"),
                  loglevel="FATAL")
    if grammar:
        fd, path = tempfile.mkstemp(suffix=".gram")
        with os.fdopen(fd, "w") as f:
            f.write("#JSGF V1.0;\ngrammar lines;\npublic <line> = " + " | ".join(SENTENCES) + ";\n")
        kwargs["jsgf"] = path
    else:
        kwargs["lm"] = os.path.join(model, "en-us", "en-us.lm.bin")
    return Decoder(**kwargs)


def recognize(decoder, audio: np.ndarray, rate: int) -> str:
    pcm = ss.resample_poly(audio.astype(np.float64), 16000, rate) if rate != 16000 else audio
    pcm = np.clip(pcm / (np.max(np.abs(pcm)) + 1e-9) * 0.7, -1, 1)
    # Same framing for every system: 0.3 s of silence either side, so an utterance that ends
    # abruptly still reaches the end of the grammar.
    pad = np.zeros(4800)
    pcm = np.concatenate([pad, pcm, pad])
    decoder.start_utt()
    decoder.process_raw((pcm * 32767).astype(np.int16).tobytes(), full_utt=True)
    decoder.end_utt()
    hyp = decoder.hyp()
    return hyp.hypstr if hyp else ""


def word_accuracy(ref: str, hyp: str) -> float:
    r, h = ref.split(), hyp.split()
    d = np.zeros((len(r) + 1, len(h) + 1), dtype=int)
    d[:, 0] = range(len(r) + 1)
    d[0, :] = range(len(h) + 1)
    for i in range(1, len(r) + 1):
        for j in range(1, len(h) + 1):
            d[i, j] = min(d[i - 1, j] + 1, d[i, j - 1] + 1, d[i - 1, j - 1] + (r[i - 1] != h[j - 1]))
    return max(0.0, 1.0 - d[len(r), len(h)] / len(r))


def vocalsynth_audio(text: str) -> tuple[np.ndarray, int]:
    import vocalsynth as vs

    return vs.speak(text, "human", sample_rate=16000), 16000


def espeak_audio(text: str) -> tuple[np.ndarray, int]:
    with tempfile.NamedTemporaryFile(suffix=".wav") as f:
        subprocess.run(["espeak-ng", "-w", f.name, text], check=True, capture_output=True)
        audio, rate = sf.read(f.name, dtype="float32")
    return audio, rate


def evaluate(source, grammar: bool) -> float:
    decoder = _decoder(grammar)
    scores = [word_accuracy(s, recognize(decoder, *source(s))) for s in SENTENCES]
    return float(np.mean(scores))


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-espeak", action="store_true")
    args = ap.parse_args()
    systems = [("vocalsynth (human)", vocalsynth_audio)]
    if not args.no_espeak and shutil.which("espeak-ng"):
        systems.append(("espeak-ng (reference)", espeak_audio))
    print(f"{'system':<24} {'grammar':>8} {'open LM':>8}")
    for name, source in systems:
        print(f"{name:<24} {evaluate(source, True):8.1%} {evaluate(source, False):8.1%}")
