#!/usr/bin/env python3
"""Intelligibility benchmark: word accuracy of an offline recognizer (pocketsphinx, which ships its
en-us model in the wheel) on the built-in synthesizer's Human voice, next to espeak-ng (Debian
package, GPL: run only as an external reference program here, never linked or shipped).

Three judges: a JSGF grammar over the closed sentence set (sharp; rejects noise), the open
language model (harsh on synthetic speech), and the phone recognizer (allphone: each sound of a
line, without the word model's guesses). The open model and the phones judge 40 lines (LINES: the
12 sentences and 28 more); --phones adds each phone's share heard right and what it was heard as.
Usage: python3 bench/intelligibility.py [--no-espeak] [--phones]

--archetypes adds every archetype's built-in speech on the closed set, as heard, with the voice's
formant scale undone (intelligibility.voice_formant_scale), and the better of the two per line
(what the build gate scores by default).
"""
from __future__ import annotations

import argparse
import shutil
from collections import Counter, defaultdict
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
# The open model's and the phone recognizer's lines: more words, so one word or phone moves the
# score less (one phone is ~0.25%).
LINES = SENTENCES + [
    "the merchant sold me a broken sword", "keep your hands where i can see them",
    "there is something moving in the forest", "nobody leaves this village tonight",
    "my children are hungry", "the bridge collapsed last winter", "fetch water from the well",
    "i remember the fire", "run before they find you", "the doctor never came back",
    "this door leads to the cellar", "she sings to the dead", "we buried him near the church",
    "light the torches", "the old mill is haunted", "leave the lantern by the door",
    "my brother went into the mine", "do not trust the priest", "the soldiers took everything",
    "he paid me in silver", "the wind carries voices", "close the shutters quickly",
    "you should not be here", "the baker knows the secret", "wolves came down from the hills",
    "bring the cart around", "the map is wrong", "listen to the bells ring",
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
    """Word accuracy: on the 12 sentences with the grammar, on the 40 lines with the open model."""
    decoder = _decoder(grammar)
    scores = [word_accuracy(s, recognize(decoder, *source(s))) for s in (SENTENCES if grammar else LINES)]
    return float(np.mean(scores))


def phones_heard(source) -> tuple[float, dict[str, Counter]]:
    """Phone accuracy over the 40 lines (edit distance over all their phones), and for each phone
    the front end said, what the recognizer heard in its place ('-': nothing)."""
    decoder = intelligibility.phone_decoder()
    errors = total = 0
    heard: dict[str, Counter] = defaultdict(Counter)
    for line in LINES:
        said = intelligibility.line_phones(line)
        pairs = intelligibility.aligned(said, intelligibility.recognize_phones(decoder, *source(line)))
        errors += sum(s != h for s, h in pairs)  # the edit distance
        total += len(said)
        for s, h in pairs:
            if s != "-":  # (an inserted phone was said nowhere)
                heard[s][h] += 1
    return 1.0 - errors / total, heard


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-espeak", action="store_true")
    ap.add_argument("--archetypes", action="store_true", help="also every archetype, as heard and size-normalised")
    ap.add_argument("--phones", action="store_true", help="each phone's share heard right, and what it was heard as")
    args = ap.parse_args()
    systems = [("vocalsynth (human)", vocalsynth_audio)]
    if not args.no_espeak and shutil.which("espeak-ng"):
        systems.append(("espeak-ng (reference)", espeak_audio))
    print(f"{'system':<24} {'grammar':>8} {'open LM':>8} {'phones':>8}")
    for name, source in systems:
        phones, heard = phones_heard(source)
        print(f"{name:<24} {evaluate(source, True):8.1%} {evaluate(source, False):8.1%} {phones:8.1%}")
        if args.phones:
            for said, counts in sorted(heard.items(), key=lambda kv: kv[1][kv[0]] / sum(kv[1].values())):
                n = sum(counts.values())
                others = ", ".join(f"{h} {c}" for h, c in counts.most_common(4) if h != said)
                print(f"    {said:<3} {counts[said] / n:5.0%} of {n:3}   heard as: {others}")
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
