"""Emotion tags as the AI Core and designers write them, mapped to the speech engine's emotion
styles. Documented as data; the TTS service and the dialogue command share it."""
from __future__ import annotations

import re

STYLES = ("neutral", "fear", "rage", "sorrow", "menace", "whisper")

# Tag (lower case) -> speech style. Unknown tags are an error naming the known ones.
ALIASES: dict[str, str] = {
    **{s: s for s in STYLES},
    "calm": "neutral", "happy": "neutral", "joy": "neutral", "curious": "neutral",
    "afraid": "fear", "scared": "fear", "terrified": "fear", "anxious": "fear",
    "angry": "rage", "anger": "rage", "furious": "rage", "hostile": "rage",
    "sad": "sorrow", "sadness": "sorrow", "grief": "sorrow", "mournful": "sorrow",
    "threatening": "menace", "sinister": "menace", "cold": "menace", "disgust": "menace",
    "whispering": "whisper", "secretive": "whisper", "hushed": "whisper",
}

# Stage directions a dialogue model writes around a line ("*whispers*", "(snarling)"): word stems
# -> the speech style they imply, for a line that comes without an emotion tag.
DIRECTION_STEMS: dict[str, str] = {
    "whisper": "whisper", "murmur": "whisper", "breath": "whisper", "hush": "whisper",
    "growl": "rage", "snarl": "rage", "roar": "rage", "shout": "rage", "yell": "rage", "scream": "rage",
    "bellow": "rage", "bark": "rage", "spit": "rage", "furious": "rage", "angr": "rage",
    "sob": "sorrow", "weep": "sorrow", "cries": "sorrow", "crying": "sorrow", "sigh": "sorrow", "mourn": "sorrow",
    "groan": "sorrow", "moan": "sorrow", "wail": "sorrow", "howl": "rage", "cackl": "menace", "chuckl": "menace",
    "trembl": "fear", "shak": "fear", "stammer": "fear", "stutter": "fear", "gasp": "fear", "cower": "fear",
    "flinch": "fear", "panic": "fear",
    "hiss": "menace", "sneer": "menace", "smirk": "menace", "glare": "menace", "leer": "menace",
    "narrow": "menace", "grin": "menace", "coldly": "menace",
}


# A chat model's or a script's stage directions: *sighs* (one asterisk each side, opening at a word's
# start and closing at a word's end, so "A*B" and "5 * 3" open none; **x** is emphasis),
# [laughs] or <whispers> (letters at both ends, as the C++ front end drops them: "[rage 0.8]" is a
# tag) anywhere, or a parenthesis at the start of the line, "(whispering) Come closer."
_ACTION = re.compile(r"(?<![*A-Za-z0-9])\*(?![*\s])([^*\n]{0,117}[^*\s])\*(?!\*)"
                     r"|\[([A-Za-z](?:[^\[\]\n]{0,116}[A-Za-z])?)\]"
                     r"|<([A-Za-z](?:[^<>\n]{0,116}[A-Za-z])?)>")
# Keys to press, which are read ("Press [E]", "[LMB]", "[Esc]"): one of these names in any case, or
# one to three capitals, as the C++ front end's keySaid. "[LAUGHS]" is a direction.
_KEYS = {"space", "enter", "shift", "tab", "esc", "escape", "ctrl", "control", "alt", "return", "backspace",
         "del", "delete", "ins", "insert", "home", "end", "pgup", "pgdn", "capslock", "up", "down", "left", "right"}


def _is_key(inside: str) -> bool:
    return inside.lower() in _KEYS or (len(inside) <= 3 and inside.isascii() and inside.isalpha() and inside.isupper())


# Markup a line can carry (SSML, HTML, UMG rich text), which the C++ front end neither reads nor
# takes for a stage direction (frontend.cpp's markupTagLength): these names in any case, one-letter
# ones in lower case only ("Press <E>" names a key), and dotted style names (<RichText.Bold>).
_MARKUP_NAMES = {"speak", "break", "prosody", "emphasis", "say-as", "sub", "phoneme", "voice", "mark", "lang", "audio",
                 "br", "em", "strong", "span", "font", "small", "big", "sup", "del", "ins", "div", "bold", "italic",
                 "underline", "color", "colour"}


def _is_markup(name: str) -> bool:
    if len(name) == 1:
        return name in "ibusp"
    return name.lower() in _MARKUP_NAMES or "." in name or ":" in name


_PRESS_WORDS = {"press", "hold", "tap", "hit", "click", "use", "release"}
_CONTROL_NOUNS = {"key", "keys", "button", "buttons"}


def _is_control(inside: str, before: str, after: str) -> bool:
    """A control named in brackets where a key is meant ("Press [Interact]", "the [Jump] button"):
    one or two words, after a verb of pressing or before "key" / "button" (frontend.cpp alike)."""
    if not re.fullmatch(r"[A-Za-z]+(?: [A-Za-z]+)?", inside):
        return False
    previous = re.findall(r"[A-Za-z]+", before)[-1:]
    following = re.match(r"[A-Za-z]+", after)
    return (bool(previous) and previous[0].lower() in _PRESS_WORDS) or (
        following is not None and following.group(0).lower() in _CONTROL_NOUNS)


_LEADING_ASIDE = re.compile(r"^\s*\(([^()]{1,118})\)\s*")
_QUOTES = "\"'\u201c\u201d\u2018\u2019 "


# Verbs whose forms between stars are actions (*sighs*, *cough*, *nodding*), not emphasis: the
# same list as the C++ front end's isActionWord (frontend.cpp).
ACTION_VERBS = (
    "sigh laugh cough gasp groan moan growl snarl hiss sob weep cry scream shout yell whisper murmur mutter "
    "mumble grumble chuckle cackle giggle snicker smirk grin smile frown glare sneer nod shrug wink yawn sniff "
    "sniffle blush facepalm hug wave bow gulp shudder shiver tremble grunt hiccup burp sneeze whistle clap pout "
    "cringe snort scoff wheeze choke hum whimper wail howl roar purr huff pant stare gag sip stretch blink bark "
    "spit stammer stutter flinch cower leer bellow breathe inhale exhale pause beat shush slurp gurgle rasp croak "
    "retch cheer"
).split()


def _action_forms(verb: str) -> set[str]:
    stem = verb[:-1] if verb.endswith("e") else verb  # smile -> smiling
    doubled = verb + verb[-1]  # nod -> nodding
    forms = {verb, verb + "s", verb + "es", verb + "ing", stem + "ing", stem + "ed", verb + "ed", doubled + "ing",
             doubled + "ed"}
    if verb.endswith("y"):
        forms |= {verb[:-1] + "ies", verb[:-1] + "ied"}  # cry -> cries, cried
    return forms


_ACTION_WORDS = frozenset(form for verb in ACTION_VERBS for form in _action_forms(verb))


def is_action_word(word: str) -> bool:
    """Whether one word between stars names an action (*sighs*, *Cough*, *nodding*)."""
    return word.lower() in _ACTION_WORDS


# Markdown's __bold__ and _italic_ (a chat model's): its **stars** and *stars*, as the C++ front end
# reads them (frontend.cpp's foldToAscii): opening at a word's start, closing at a word's end, on
# one line; snake_case is left alone.
_MARKDOWN_BOLD = re.compile(r"(?<![A-Za-z0-9_])__(?=[A-Za-z0-9])((?:(?!__)[^\n]){0,117}[A-Za-z0-9])__(?![A-Za-z0-9_])")
_MARKDOWN_ITALIC = re.compile(r"(?<![A-Za-z0-9_])_(?=[A-Za-z0-9])([^_\n]{0,116}[A-Za-z0-9])_(?![A-Za-z0-9_])")


def split_directions(text: str) -> tuple[str, list[str]]:
    """'*sighs* Fine. [laughs] (quietly) no' -> ('Fine. (quietly) no', ['sighs', 'laughs']): the spoken
    line (actions and a leading aside taken out, quotes around it removed; **emphasis** stays, the
    speech leans on it) and the directions, in order."""
    directions: list[str] = []
    text = _MARKDOWN_ITALIC.sub(r"*\1*", _MARKDOWN_BOLD.sub(r"**\1**", text.strip()))
    aside = _LEADING_ASIDE.match(text)
    if aside:
        directions.append(aside.group(1).strip())
        text = text[aside.end():]
    def take(match: re.Match[str]) -> str:
        direction = next(g for g in match.groups() if g is not None)
        before, after = match.string[:match.start()].rstrip(" \t"), match.string[match.end():].lstrip(" \t")
        if match.group(1) is None and _is_key(direction):
            return match.group(0)  # "Press [E]", "[Space]": a key to press is read
        if match.group(2) is not None and re.match(r"\(\S+\)", match.string[match.end():]):
            return match.group(0)  # a Markdown link, "[the map](https://...)": C++ says its text
        if match.group(3) is not None and _is_markup(direction):
            return match.group(0)  # "<Emphasis>No!</>", "<i>": markup, which C++ drops unread
        if match.group(2) is not None and _is_control(direction, before, after):
            return match.group(0)  # "Press [Interact]", "the [Jump] button": read, as in C++
        letter_before, letter_after = before[-1:].isalpha(), after[:1].isalpha()
        one_word = match.group(1) is not None and re.fullmatch(r"[A-Za-z']+", direction) is not None
        if one_word and ((letter_before and letter_after)
                         or ((letter_before or letter_after) and not is_action_word(direction))):
            # "I *told* you": one word inside a sentence is emphasis, as in C++; so is one at a
            # sentence's edge ("*Never* again.") unless it names an action ("*sighs* Fine.").
            return match.group(0)
        directions.append(direction.strip())
        return " "

    text = _ACTION.sub(take, text)
    text = re.sub(r"\s+", " ", text).strip().strip(_QUOTES).strip()
    return text, directions


def from_directions(directions: list[str]) -> str | None:
    """The speech style stage directions imply ('*whispers*' -> whisper), or None."""
    for direction in directions:
        for word in re.findall(r"[a-z]+", direction.lower()):
            for stem, style in DIRECTION_STEMS.items():
                if word.startswith(stem):
                    return style
    return None


def for_line(tag: str | None, text: str) -> str:
    """The style a line is spoken in: its tag's, or when it has none the one its stage directions
    imply ("*whispers* Come closer." -> whisper), else neutral. The TTS service, `vocalsynth say`,
    build-farm manifests and editor line sheets all choose so."""
    if tag is not None and str(tag).strip():
        return resolve(tag)
    return from_directions(split_directions(text)[1]) or "neutral"


def resolve(tag: str | None) -> str:
    """Emotion tag -> speech style; None or '' is neutral."""
    if tag is None or not str(tag).strip():
        return "neutral"
    key = str(tag).strip().lower()
    if key not in ALIASES:
        raise ValueError(f"unknown emotion '{tag}'; known: {', '.join(sorted(ALIASES))}")
    return ALIASES[key]

# Emotion -> archetype parameters: offsets added at intensity 1 (scaled by the line's intensity,
# clamped to each parameter's range), on top of a preset's own emotion overrides. The table lives in
# the core (withEmotion), so the game's components, the tools and the service apply the same one.
# Prosody (rate, pitch, range, effort) comes from the speech style of the same name.
def _voice_offsets() -> dict[str, dict[str, float]]:
    from . import _core

    table: dict[str, dict[str, float]] = {"neutral": {}}
    table.update(_core.emotion_offsets())
    return table


VOICE_OFFSETS: dict[str, dict[str, float]] = _voice_offsets()


def voice_params(preset, tag: str | None, intensity: float = 1.0):
    """The VoiceParams a preset speaks with under an emotion tag at an intensity (0-1)."""
    from . import _core

    style = resolve(tag)
    return _core.with_emotion(preset.voice_params(style), style, min(1.0, max(0.0, float(intensity))))
