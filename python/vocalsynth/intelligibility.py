"""Offline intelligibility judge: pocketsphinx (its en-us model ships in the wheel) decoding with a
JSGF grammar over a closed set of sentences, which is sharp on synthetic speech and rejects noise
(its open language model is weak there). Word accuracy = 1 - word edit distance / words."""
from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Sequence

import numpy as np


def normalize_words(text: str) -> str:
    from . import _core

    words = re.sub(r"[^a-z' ]+", " ", _core.normalize_text(text).lower())
    return " ".join(words.split())


def decoder(sentences: Sequence[str] | None = None):
    """A decoder over a closed sentence set (grammar), or the open language model when None."""
    try:
        from pocketsphinx import Decoder, get_model_path
    except ImportError:
        raise RuntimeError("intelligibility needs pocketsphinx: pip install pocketsphinx") from None
    model = get_model_path()
    kwargs = dict(hmm=os.path.join(model, "en-us", "en-us"), dict=os.path.join(model, "en-us", "cmudict-en-us.dict"),
                  loglevel="FATAL")
    if sentences:
        fd, path = tempfile.mkstemp(suffix=".gram")
        with os.fdopen(fd, "w") as f:
            choices = sorted({normalize_words(s) for s in sentences if normalize_words(s)})
            f.write("#JSGF V1.0;\ngrammar lines;\npublic <line> = " + " | ".join(choices) + ";\n")
        kwargs["jsgf"] = path
    else:
        kwargs["lm"] = os.path.join(model, "en-us", "en-us.lm.bin")
    return Decoder(**kwargs)


def _heard(audio: np.ndarray, rate: int, formant_scale: float) -> bytes:
    """The line as the recognizer takes it: 16 kHz 16-bit PCM, peak-normalised, 0.3 s of silence
    either side (the same framing for every system), with the voice's formant scale undone."""
    import scipy.signal as ss

    if not 0.3 <= formant_scale <= 3.0:
        raise ValueError(f"formant_scale {formant_scale} is outside 0.3-3")
    heard_rate = int(round(rate / formant_scale))  # the samples, played at this rate, undo the scale
    pcm = (ss.resample_poly(np.asarray(audio, dtype=np.float64), 16000, heard_rate) if heard_rate != 16000
           else np.asarray(audio, np.float64))
    pcm = np.clip(pcm / (np.max(np.abs(pcm)) + 1e-9) * 0.7, -1, 1)
    pad = np.zeros(4800)
    return (np.concatenate([pad, pcm, pad]) * 32767).astype(np.int16).tobytes()


def _decoded(dec, audio: np.ndarray, rate: int, formant_scale: float):
    """The decoder, having decoded the line as heard (a bad scale is refused before it is used)."""
    pcm = _heard(audio, rate, formant_scale)
    dec.start_utt()
    dec.process_raw(pcm, full_utt=True)
    dec.end_utt()
    return dec


def recognize(dec, audio: np.ndarray, rate: int, formant_scale: float = 1.0) -> str:
    """The decoder's reading of a line. formant_scale: how far the voice moved every formant
    (voice_formant_scale); the line is heard with that undone, played 1 / formant_scale times as
    fast, as a listener adapts to a speaker's size (vocal-tract length normalisation, Lee & Rose
    1996). The recognizer has no such adaptation: a golem's formants at x0.59 defeat it (8% on a
    closed set) while the same line scaled back is read at 77%."""
    hyp = _decoded(dec, audio, rate, formant_scale).hyp()
    return hyp.hypstr if hyp else ""


def phone_decoder():
    """pocketsphinx's phone recognizer (allphone search over its en-us phone language model): it
    hears phones rather than words, so it judges each sound of a line without the word model's
    guesses, a finer measure than word accuracy for tuning the synthesizer's phones."""
    try:
        from pocketsphinx import Decoder, get_model_path
    except ImportError:
        raise RuntimeError("intelligibility needs pocketsphinx: pip install pocketsphinx") from None
    model = get_model_path()
    return Decoder(hmm=os.path.join(model, "en-us", "en-us"), allphone=os.path.join(model, "en-us", "en-us-phone.lm.bin"),
                   lw=2.0, beam=1e-20, pbeam=1e-20, loglevel="FATAL")


def recognize_phones(dec, audio: np.ndarray, rate: int, formant_scale: float = 1.0) -> list[str]:
    """The phones (ARPAbet, no stress) the phone decoder hears in a line, silences left out."""
    return [seg.word for seg in _decoded(dec, audio, rate, formant_scale).seg() if seg.word not in ("SIL", "+SPN+", "+NSN+", "(NULL)", "<s>", "</s>")]


def line_phones(text: str) -> list[str]:
    """The phones the speech front end says for a line (ARPAbet, no stress)."""
    from . import speech

    return [re.sub(r"\d", "", phone) for _, phones in speech.to_phonemes(text) for phone in phones]


def voice_formant_scale(params, speech_tract_cm: float | None = None) -> float:
    """How far a voice moves every formant: its chain parameters' (VoiceParams) formant scale and
    tract length, and for the built-in speech its speaker's tract (speech_tract_cm; a recorded
    anchor brings its own speaker: None)."""
    scale = params.formant_scale * 17.5 / params.tract_length_cm
    if speech_tract_cm is not None:
        scale *= 17.5 / speech_tract_cm
    return float(scale)


def speech_formant_scale(preset, emotion: str = "neutral", intensity: float = 1.0) -> float:
    """voice_formant_scale of a preset's built-in speech under an emotion (its speaker's tract,
    then the chain's parameters for that emotion and intensity)."""
    from . import emotions

    return voice_formant_scale(emotions.voice_params(preset, emotion, intensity), preset.speech["tract_length_cm"])


def _edit_table(reference: Sequence[str], hypothesis: Sequence[str]) -> np.ndarray:
    """Levenshtein table: [i, j] is the least edits from reference[:i] to hypothesis[:j]."""
    d = np.zeros((len(reference) + 1, len(hypothesis) + 1), dtype=int)
    d[:, 0] = range(len(reference) + 1)
    d[0, :] = range(len(hypothesis) + 1)
    for i in range(1, len(reference) + 1):
        for j in range(1, len(hypothesis) + 1):
            d[i, j] = min(d[i - 1, j] + 1, d[i, j - 1] + 1, d[i - 1, j - 1] + (reference[i - 1] != hypothesis[j - 1]))
    return d


def edit_distance(reference: Sequence[str], hypothesis: Sequence[str]) -> int:
    """Levenshtein distance between two sequences (of words or phones)."""
    return int(_edit_table(reference, hypothesis)[-1, -1])


def aligned(reference: Sequence[str], hypothesis: Sequence[str]) -> list[tuple[str, str]]:
    """A least-edits alignment, in order: (reference item, hypothesis item) pairs, with '-' on the
    side that has nothing (a deletion or an insertion). The pairs that differ are the edit distance."""
    d = _edit_table(reference, hypothesis)
    pairs, i, j = [], len(reference), len(hypothesis)
    while i > 0 or j > 0:
        if i > 0 and j > 0 and d[i, j] == d[i - 1, j - 1] + (reference[i - 1] != hypothesis[j - 1]):
            pairs.append((reference[i - 1], hypothesis[j - 1]))
            i, j = i - 1, j - 1
        elif i > 0 and d[i, j] == d[i - 1, j] + 1:
            pairs.append((reference[i - 1], "-"))
            i -= 1
        else:
            pairs.append(("-", hypothesis[j - 1]))
            j -= 1
    return pairs[::-1]


def word_accuracy(reference: str, hypothesis: str) -> float:
    r, h = normalize_words(reference).split(), normalize_words(hypothesis).split()
    if not r:
        return 0.0
    return max(0.0, 1.0 - edit_distance(r, h) / len(r))

