"""Offline dialogue: per-archetype line templates and scripted lines from a project file, so every
command works with no backend. Deterministic: the same NPC, prompt and history give the same line."""
from __future__ import annotations

import hashlib
import json
import re
import uuid
from pathlib import Path
from typing import Any

from .. import emotions
from .models import LineRequest, LineResponse, Emotion

# (text, emotion, intensity) per archetype; {player} is filled in when the player spoke.
TEMPLATES: dict[str, list[tuple[str, str, float]]] = {
    "human": [("Good day to you. What brings you here?", "neutral", 0.3),
              ("Mind the road after dark, friend.", "fear", 0.4),
              ("I have nothing more to say to you.", "menace", 0.3)],
    "vampire": [("Good evening. You are far from home, are you not?", "menace", 0.6),
                ("Come closer. I do not bite... often.", "menace", 0.8),
                ("The night is young, and so are you.", "whisper", 0.5)],
    "zombie": [("Hungry... so hungry...", "sorrow", 0.7), ("Braaains... give me... brains!", "rage", 0.8),
               ("Where... where am I?", "fear", 0.5)],
    "werewolf": [("Run while you still can!", "rage", 0.9), ("The moon is rising. Leave. Now.", "menace", 0.7),
                 ("I can smell your fear.", "menace", 0.8)],
    "wraith": [("You should not have come here.", "whisper", 0.8), ("I have waited so long...", "sorrow", 0.7),
               ("Turn back, living one.", "fear", 0.6)],
    "ghoul": [("Fresh meat wanders in.", "menace", 0.7), ("Leave the dead to their feast!", "rage", 0.6),
              ("Bones, bones, lovely bones.", "neutral", 0.4)],
    "lich": [("Your mortal tricks do not amuse me.", "menace", 0.8), ("Kneel before eternity.", "rage", 0.6),
             ("I have seen empires turn to dust.", "sorrow", 0.4)],
    "banshee": [("Death comes for your house tonight!", "fear", 0.9), ("Weep with me, stranger.", "sorrow", 0.8),
                ("Can you not hear the wailing?", "whisper", 0.6)],
    "golem": [("Intruder. State your purpose.", "neutral", 0.6), ("This gate. Is. Sealed.", "menace", 0.5),
              ("I. Guard. Forever.", "neutral", 0.4)],
    "swarm": [("We are many. We are hungry.", "menace", 0.7), ("Join us. Join us. Join us.", "whisper", 0.6),
              ("Scatter! The light burns!", "fear", 0.8)],
}


class OfflineDialogue:
    """The built-in line source. `script` (a project file) adds scripted lines per NPC:
    {"npcs": {"innkeeper": {"lines": [{"match": "room", "text": "...", "emotion": "neutral", "intensity": 0.3}]}}}"""

    def __init__(self, script: str | Path | dict[str, Any] | None = None):
        self.script: dict[str, Any] = {"npcs": {}}
        if isinstance(script, dict):
            self.script = script
        elif script:
            path = Path(script)
            try:
                self.script = json.loads(path.read_text(encoding="utf-8"))
            except FileNotFoundError:
                raise ValueError(f"{path}: dialogue script not found") from None
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}: line {exc.lineno}: not valid JSON ({exc.msg})") from None
        for npc, entry in self.script.get("npcs", {}).items():
            for i, line in enumerate(entry.get("lines", [])):
                if "text" not in line:
                    raise ValueError(f"dialogue script: npcs.{npc}.lines[{i}]: missing 'text'")
                emotions.resolve(line.get("emotion"))

    def line(self, request: LineRequest) -> LineResponse:
        scripted = self.script.get("npcs", {}).get(request.npc_id, {}).get("lines", [])
        player = request.player_line.lower()
        for line in scripted:
            pattern = line.get("match", "")
            if not pattern or re.search(rf"\b{re.escape(pattern.lower())}\b", player):
                return self._response(request, line["text"], line.get("emotion", "neutral"), line.get("intensity", 0.5))
        options = TEMPLATES.get(request.archetype.lower(), TEMPLATES["human"])
        key = f"{request.npc_id}|{request.player_line}|{len(request.history)}".encode()
        text, emotion, intensity = options[int(hashlib.sha256(key).hexdigest(), 16) % len(options)]
        return self._response(request, text, emotion, intensity)

    @staticmethod
    def _response(request: LineRequest, text: str, emotion: str, intensity: float) -> LineResponse:
        line_id = uuid.uuid5(uuid.NAMESPACE_URL, f"{request.npc_id}/{text}/{len(request.history)}").hex
        return LineResponse(id=line_id, npc_id=request.npc_id, text=text,
                            emotion=Emotion(tag=emotions.resolve(emotion), intensity=float(intensity)), source="offline")
