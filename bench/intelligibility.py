#!/usr/bin/env python3
"""Intelligibility benchmark: word accuracy of an offline recognizer (pocketsphinx, which ships its
en-us model in the wheel) on the built-in synthesizer's Human voice, next to espeak-ng (Debian
package, GPL: run only as an external reference program here, never linked or shipped).

Three judges: a JSGF grammar over the closed sentence set (sharp; rejects noise), the open
language model (harsh on synthetic speech), and the phone recognizer (allphone: each sound of a
line, without the word model's guesses). The open model and the phones judge 40 lines (LINES: the
12 sentences and 28 more); --phones adds each phone's share heard right and what it was heard as.
Usage: python3 bench/intelligibility.py [--no-espeak] [--phones] [--stops]

--stops lists the phones heard on STOP_LINES instead: 60 short lines dense in stops (~260 of them,
~85 /k/), in two halves, so that a change tuned on one half can be checked on the other (the
40 lines hold only ~20 /k/ and ~5 /p/; one of them is 5%).

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

# Lines dense in stops, for the per-phone table (--stops): a tuning half and a checking half.
STOP_LINES = [
    "keep the cat in the cage", "go back to the camp", "the cook got a big pig", "take the key to the gate",
    "pick up the cup", "the goat kicked the bucket", "put the pot on the peg", "the captain gave the order",
    "a good cook can bake cake", "get the dog a bag", "the book is in the box", "park the cart by the dock",
    "come quickly", "the guard caught the thief", "keep going", "pack the gear", "the pig ate the grapes",
    "the ghost came back", "ask the queen", "tape the paper to the cup", "a big black bug", "the king's coat",
    "the cold cave", "kill the ghoul", "the creek goes past the church", "copper and gold", "go get the cook",
    "paint the pole", "a deep pit", "the cap is gray",
] + [
    "the captain is dead", "put down your weapon", "the tavern keeper knows", "take this coin",
    "the baker bakes bread", "go to the gate keeper", "i can pay you tomorrow", "the great hall is cold",
    "keep quiet", "the cart broke down", "pick a card", "the guards are coming", "a cup of tea",
    "dig the grave deep", "the cook is asleep", "back to the keep", "a big pot of soup", "the clock stopped",
    "get out of my tower", "a quick death", "the black cat", "bake the pie", "my pig is sick",
    "ask the guide", "the tapestry is torn", "the gods are angry", "drink the potion", "count the coins",
    "the pit is deep", "kick the door",
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


def phones_heard(source, lines: list[str] = LINES) -> tuple[float, dict[str, Counter]]:
    """Phone accuracy over the lines (edit distance over all their phones; by default the 40), and
    for each phone the front end said, what the recognizer heard in its place ('-': nothing)."""
    decoder = intelligibility.phone_decoder()
    errors = total = 0
    heard: dict[str, Counter] = defaultdict(Counter)
    for line in lines:
        said = intelligibility.line_phones(line)
        pairs = intelligibility.aligned(said, intelligibility.recognize_phones(decoder, *source(line)))
        errors += sum(s != h for s, h in pairs)  # the edit distance
        total += len(said)
        for s, h in pairs:
            if s != "-":  # (an inserted phone was said nowhere)
                heard[s][h] += 1
    return 1.0 - errors / total, heard


def print_phone_table(heard: dict[str, Counter]) -> None:
    for said, counts in sorted(heard.items(), key=lambda kv: kv[1][kv[0]] / sum(kv[1].values())):
        n = sum(counts.values())
        others = ", ".join(f"{h} {c}" for h, c in counts.most_common(4) if h != said)
        print(f"    {said:<3} {counts[said] / n:5.0%} of {n:3}   heard as: {others}")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-espeak", action="store_true")
    ap.add_argument("--archetypes", action="store_true", help="also every archetype, as heard and size-normalised")
    ap.add_argument("--phones", action="store_true", help="each phone's share heard right, and what it was heard as")
    ap.add_argument("--stops", action="store_true", help="the table over STOP_LINES' two halves (implies --phones)")
    args = ap.parse_args()
    systems = [("vocalsynth (human)", vocalsynth_audio)]
    if not args.no_espeak and shutil.which("espeak-ng"):
        systems.append(("espeak-ng (reference)", espeak_audio))
    print(f"{'system':<24} {'grammar':>8} {'open LM':>8} {'phones':>8}")
    for name, source in systems:
        phones, heard = phones_heard(source)
        print(f"{name:<24} {evaluate(source, True):8.1%} {evaluate(source, False):8.1%} {phones:8.1%}")
        if args.stops:
            half = len(STOP_LINES) // 2
            for label, lines in (("tuning half", STOP_LINES[:half]), ("checking half", STOP_LINES[half:])):
                phones, heard = phones_heard(source, lines)
                print(f"  STOP_LINES, {label}: {phones:.1%} of phones heard")
                print_phone_table(heard)
        elif args.phones:
            print_phone_table(heard)
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
