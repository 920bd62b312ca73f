"""The dialogue contract (also published as openapi/dialogue-api.json)."""
from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, Strict

from .. import emotions


def _json_integer(value):
    """JSON's integers: 5 and 5.0 yes; true, "5" and 5.5 no (pydantic's lax mode would coerce)."""
    if isinstance(value, bool):
        raise ValueError("must be an integer, not a boolean")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


JsonInt = Annotated[int, BeforeValidator(_json_integer), Strict()]
JsonNumber = Annotated[float, Strict()]  # ints allowed, booleans and strings not


class HistoryTurn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    speaker: str = Field(description="'player' or an npc id.")
    text: str


class LineRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    npc_id: str = Field(min_length=1, max_length=128)
    archetype: str = Field("human", description="The NPC's voice archetype (shapes tone and word choice).")
    scene: str = Field("", max_length=2000, description="Where and when: context for the line.")
    player_line: str = Field("", max_length=2000, description="What the player just said.")
    history: list[HistoryTurn] = Field(default_factory=list, max_length=50)
    max_tokens: JsonInt = Field(80, ge=1, le=1024)
    temperature: JsonNumber = Field(0.7, ge=0.0, le=2.0)


class Emotion(BaseModel):
    tag: str = Field(description=f"One of: {', '.join(emotions.STYLES)} (aliases accepted by clients).")
    intensity: float = Field(ge=0.0, le=1.0)


class LineResponse(BaseModel):
    id: str
    npc_id: str
    text: str = Field(min_length=1)
    emotion: Emotion
    source: str = Field(description="'backend' for a model's line, 'offline' for the built-in generator.")
    directions: list[str] = Field(default_factory=list,
                                  description="Stage directions the backend wrote around the line ('*sighs*', "
                                              "'(whispering)'), taken out of text: for animation, never spoken.")
