"""NPC dialogue: a client for the AI Core backend (its own contract and OpenAI-compatible chat
completions), an offline generator so everything works without the backend, an emotion -> voice
mapping, and a development server implementing the contract."""
from .client import (DialogueAuthError, DialogueClient, DialogueConfig, DialogueError, DialogueProtocolError,
                     DialogueRequest, NpcLine)
from .offline import OfflineDialogue

__all__ = ["DialogueAuthError", "DialogueClient", "DialogueConfig", "DialogueError", "DialogueProtocolError",
           "DialogueRequest", "NpcLine", "OfflineDialogue"]
