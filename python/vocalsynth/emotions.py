"""Emotion tags as the AI Core and designers write them, mapped to the speech engine's emotion
styles. Documented as data; the TTS service and the dialogue command share it."""
from __future__ import annotations

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


def resolve(tag: str | None) -> str:
    """Emotion tag -> speech style; None or '' is neutral."""
    if tag is None or not str(tag).strip():
        return "neutral"
    key = str(tag).strip().lower()
    if key not in ALIASES:
        raise ValueError(f"unknown emotion '{tag}'; known: {', '.join(sorted(ALIASES))}")
    return ALIASES[key]
