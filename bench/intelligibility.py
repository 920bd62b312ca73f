#!/usr/bin/env python3
"""Intelligibility benchmark: word accuracy of an offline recognizer (pocketsphinx, which ships its
en-us model in the wheel) on the built-in synthesizer's Human voice, next to espeak-ng (Debian
package, GPL: run only as an external reference program here, never linked or shipped).

Two judges: a JSGF grammar over the closed sentence set (sharp; rejects noise) and the open
language model (harsh on synthetic speech). Usage: python3 bench/intelligibility.py [--no-espeak]

--archetypes adds every archetype's built-in speech on the closed set, as heard, with the voice's
formant scale undone (intelligibility.voice_formant_scale), and the better of the two per line
(what the build gate scores by default).
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile

import numpy as np
import soundfile as sf

from vocalsynth import intelligibility

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
    return intelligibility.decoder(SENTENCES if grammar else None)


recognize = intelligibility.recognize
word_accuracy = intelligibility.word_accuracy


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
    ap.add_argument("--archetypes", action="store_true", help="also every archetype, as heard and size-normalised")
    args = ap.parse_args()
    systems = [("vocalsynth (human)", vocalsynth_audio)]
    if not args.no_espeak and shutil.which("espeak-ng"):
        systems.append(("espeak-ng (reference)", espeak_audio))
    print(f"{'system':<24} {'grammar':>8} {'open LM':>8}")
    for name, source in systems:
        print(f"{name:<24} {evaluate(source, True):8.1%} {evaluate(source, False):8.1%}")
    if args.archetypes:
        import vocalsynth as vs
        from vocalsynth import presets

        decoder = _decoder(True)
        print(f"\n{'archetype':<10} {'formants':>8} {'as heard':>9} {'size undone':>12} {'better':>7}")
        for name in presets.builtin_names():
            preset = presets.builtin(name)
            scale = intelligibility.speech_formant_scale(preset)
            audio = [vs.speak(s, preset, sample_rate=16000) for s in SENTENCES]
            heard = [word_accuracy(s, recognize(decoder, a, 16000)) for s, a in zip(SENTENCES, audio)]
            undone = [word_accuracy(s, recognize(decoder, a, 16000, scale)) for s, a in zip(SENTENCES, audio)]
            better = np.maximum(heard, undone)  # per line, as the build gate scores it
            print(f"{name:<10} {scale:7.2f}x {np.mean(heard):9.1%} {np.mean(undone):12.1%} {np.mean(better):7.1%}")
