"""Client for the AI Core dialogue backend.

Two protocols: the service's own contract (POST {base}/v1/dialogue/line, openapi/dialogue-api.json)
and OpenAI-compatible chat completions (POST {base}/v1/chat/completions), for which an NPC profile
becomes a system prompt and the line and its emotion are parsed from the answer.

Configuration by file (JSON) and environment; the API key is never logged or written anywhere.
Connect/read timeouts, retries with exponential backoff on 429/5xx (urllib3 Retry, honouring
Retry-After), clear errors for 401/403/404/malformed answers, and a circuit breaker: when the
backend is down, lines come from the offline generator and the result says so.
"""
from __future__ import annotations

import html
import json
import logging
import os
import re
import time
import uuid
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import requests
from pydantic import ValidationError
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError, ReadTimeoutError
from urllib3.util.retry import Retry

from .. import emotions
from .models import Emotion, LineRequest, LineResponse
from .offline import OfflineDialogue

log = logging.getLogger("vocalsynth.dialogue")

DialogueRequest = LineRequest
NpcLine = LineResponse


class DialogueError(Exception):
    """The backend answered in a way no retry will fix; the message says what to check."""


class DialogueAuthError(DialogueError):
    pass


class DialogueProtocolError(DialogueError):
    pass


@dataclass
class DialogueConfig:
    base_url: str = ""                      # empty: offline only
    protocol: Literal["vocalsynth", "openai"] = "vocalsynth"
    model: str = "default"                  # for the OpenAI protocol
    api_key: str = field(default="", repr=False)
    connect_timeout_s: float = 2.0
    read_timeout_s: float = 15.0
    retries: int = 2
    backoff_s: float = 0.25
    circuit_failures: int = 3               # consecutive failures that open the circuit
    circuit_cooldown_s: float = 30.0
    script: str = ""                        # offline dialogue script (project file)

    def __repr__(self) -> str:  # the key never appears in logs or tracebacks
        shown = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "api_key"}
        return f"DialogueConfig({shown}, api_key={'<set>' if self.api_key else '<none>'})"

    @classmethod
    def load(cls, path: str | os.PathLike[str] | None = None) -> "DialogueConfig":
        """Defaults, then the JSON file (if any), then VOCALSYNTH_DIALOGUE_* environment variables."""
        values: dict[str, Any] = {}
        if path:
            p = Path(path)
            try:
                values.update(json.loads(p.read_text(encoding="utf-8")))
            except FileNotFoundError:
                raise DialogueError(f"{p}: dialogue config not found") from None
            except json.JSONDecodeError as exc:
                raise DialogueError(f"{p}: line {exc.lineno}: not valid JSON ({exc.msg})") from None
            if "api_key" in values:
                raise DialogueError(f"{p}: do not store api_key in the config file; set VOCALSYNTH_DIALOGUE_API_KEY")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise DialogueError(f"{path}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known - {'api_key'}))}")
        env = {"base_url": "URL", "protocol": "PROTOCOL", "model": "MODEL", "api_key": "API_KEY",
               "connect_timeout_s": "CONNECT_TIMEOUT", "read_timeout_s": "READ_TIMEOUT", "retries": "RETRIES"}
        for name, suffix in env.items():
            value = os.environ.get(f"VOCALSYNTH_DIALOGUE_{suffix}")
            if value:
                values[name] = value
        config = cls(**values)
        for name in ("connect_timeout_s", "read_timeout_s", "backoff_s", "circuit_cooldown_s"):
            setattr(config, name, float(getattr(config, name)))
        config.retries = int(config.retries)
        if config.protocol not in ("vocalsynth", "openai"):
            raise DialogueError(f"protocol '{config.protocol}' unknown; use 'vocalsynth' or 'openai'")
        return config


@dataclass
class DialogueResult:
    line: LineResponse
    fallback_reason: str = ""               # non-empty when the offline generator answered instead


def check_base_url(url: str) -> None:
    """An empty URL means offline; anything else must be an http(s) URL with a host (requests
    would otherwise fail at the first line with its own wording, e.g. 'No scheme supplied')."""
    if not url:
        return
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in url:
        raise DialogueError(f"backend URL '{url}' is not an http(s) URL with a host; "
                            "give one such as http://localhost:8000 (or none, for offline lines)")


class DialogueClient:
    def __init__(self, config: DialogueConfig | None = None):
        self.config = config or DialogueConfig()
        check_base_url(self.config.base_url)
        self.offline = OfflineDialogue(self.config.script or None)
        self.session = requests.Session()
        retry = Retry(total=self.config.retries, connect=self.config.retries, read=0, status=self.config.retries,
                      backoff_factor=self.config.backoff_s, status_forcelist=(429, 500, 502, 503, 504),
                      allowed_methods=frozenset({"POST"}), respect_retry_after_header=True, raise_on_status=False)
        self.session.mount("http://", HTTPAdapter(max_retries=retry))
        self.session.mount("https://", HTTPAdapter(max_retries=retry))
        self._failures = 0
        self._open_until = 0.0

    # --- public ---------------------------------------------------------------------------
    def line(self, request: LineRequest) -> DialogueResult:
        """An NPC line from the backend, or from the offline generator when there is none or it is
        down (the result's fallback_reason says why)."""
        if not self.config.base_url:
            return DialogueResult(self.offline.line(request), "no backend configured (offline mode)")
        if time.monotonic() < self._open_until:
            return DialogueResult(self.offline.line(request), "backend unavailable (circuit open); using offline lines")
        try:
            line = self._call(request)
        except (requests.ConnectionError, requests.Timeout, _Unavailable) as exc:
            self._failures += 1
            if self._failures >= self.config.circuit_failures:
                self._open_until = time.monotonic() + self.config.circuit_cooldown_s
            reason = f"backend unavailable ({_describe(exc)}); using offline lines"
            log.warning(reason)
            return DialogueResult(self.offline.line(request), reason)
        self._failures = 0
        return DialogueResult(line)

    # --- protocol -------------------------------------------------------------------------
    def _call(self, request: LineRequest) -> LineResponse:
        headers = {"Content-Type": "application/json", "X-Request-ID": uuid.uuid4().hex}
        if self.config.api_key:
            headers["Authorization"] = f"Bearer {self.config.api_key}"
        base = self.config.base_url.rstrip("/")
        if self.config.protocol == "openai":
            url, body = f"{base}/v1/chat/completions", self._chat_body(request)
        else:
            url, body = f"{base}/v1/dialogue/line", request.model_dump()
        response = self.session.post(url, json=body, headers=headers,
                                     timeout=(self.config.connect_timeout_s, self.config.read_timeout_s))
        if response.status_code in (401, 403):
            raise DialogueAuthError(f"{url}: {response.status_code} {response.reason}: the backend refused the "
                                    "credentials; check VOCALSYNTH_DIALOGUE_API_KEY")
        if response.status_code == 404:
            raise DialogueError(f"{url}: 404 Not Found: check base_url and protocol ({self.config.protocol})")
        if response.status_code == 429 or response.status_code >= 500:
            raise _Unavailable(f"HTTP {response.status_code} after {self.config.retries} retries")
        if response.status_code >= 400:
            raise DialogueError(f"{url}: {response.status_code}: {response.text[:300]}")
        try:
            payload = response.json()
        except ValueError:
            raise DialogueProtocolError(f"{url}: the answer is not JSON: {response.text[:120]!r}") from None
        if self.config.protocol == "openai":
            return self._parse_chat(payload, request, url)
        try:
            line = LineResponse.model_validate(payload)
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
            raise DialogueProtocolError(f"{url}: malformed answer: {problems}") from None
        line.emotion.tag = emotions.resolve(line.emotion.tag)
        line.source = "backend"
        spoken, directions = emotions.split_directions(line.text)
        if directions:
            if not spoken:
                raise DialogueProtocolError(f"{url}: the answer holds no spoken line, only {directions}")
            line.text, line.directions = spoken, line.directions + directions
        return line

    def _chat_body(self, request: LineRequest) -> dict[str, Any]:
        system = (f"You are {request.npc_id}, a {request.archetype} in a dark fantasy horror game. "
                  f"Scene: {request.scene or 'unspecified'}. Stay in character. Answer with ONE short spoken line "
                  f"(under 25 words), prefixed by your emotion and its intensity 0-1 in brackets, for example "
                  f"[menace 0.7] Leave this place. Emotions: {', '.join(emotions.STYLES)}.")
        messages = [{"role": "system", "content": system}]
        for turn in request.history:
            messages.append({"role": "user" if turn.speaker == "player" else "assistant", "content": turn.text})
        messages.append({"role": "user", "content": request.player_line or "(the player approaches in silence)"})
        return {"model": self.config.model, "messages": messages, "max_tokens": request.max_tokens,
                "temperature": request.temperature}

    @staticmethod
    def _parse_chat(payload: Any, request: LineRequest, url: str) -> LineResponse:
        try:
            content = payload["choices"][0]["message"]["content"]
        except (KeyError, IndexError, TypeError):
            raise DialogueProtocolError(f"{url}: malformed answer: expected choices[0].message.content") from None
        if not isinstance(content, str) or not content.strip():
            raise DialogueProtocolError(f"{url}: malformed answer: choices[0].message.content is empty")
        return parse_tagged_line(content, request.npc_id, str(payload.get("id") or uuid.uuid4().hex))


_TAG = re.compile(r"^\s*\[\s*(?:emotion\s*[:=]\s*)?([A-Za-z]+)\s*(?:[:,]?\s*([01](?:\.\d+)?))?\s*\]\s*")


def parse_tagged_line(content: str, npc_id: str, line_id: str) -> LineResponse:
    """'[rage 0.8] Get out!' -> text 'Get out!', emotion rage 0.8. Surrounding quotes and a leading
    speaker name are removed, and stage directions ('*whispers*') are taken out of the text into
    directions; an untagged line takes the emotion they imply (0.6), else neutral (0.5), as does
    an unknown tag."""
    # A backend's HTML escapes and a language model's special tokens are no part of the line (the
    # game shows the text as a subtitle; the C++ front end reads it the same way).
    content = re.sub(r"<\|[^|<>]{0,36}\|>", " ", html.unescape(content))
    text = content.strip().splitlines()[0] if content.strip() else ""
    tag, intensity, tagged = "neutral", 0.5, False
    match = _TAG.match(text)
    if match and not match.group(2) and match.group(1).lower() not in emotions.ALIASES:
        match = None  # "[whispers] Come closer.": a stage direction (below), not an unknown tag
    if match:
        try:
            tag, tagged = emotions.resolve(match.group(1)), True
        except ValueError:
            tag = "neutral"
        if match.group(2):
            intensity = min(1.0, max(0.0, float(match.group(2))))
        text = text[match.end():]
    text = re.sub(rf"^\s*{re.escape(npc_id)}\s*:\s*", "", text, flags=re.I)
    text, directions = emotions.split_directions(text)
    if not text:
        raise DialogueProtocolError("the model's answer holds no spoken line")
    implied = emotions.from_directions(directions)
    if not tagged and implied:
        tag, intensity = implied, intensity if match and match.group(2) else 0.6
    return LineResponse(id=line_id, npc_id=npc_id, text=text, emotion=Emotion(tag=tag, intensity=intensity),
                        source="backend", directions=directions)


class _Unavailable(Exception):
    pass


def _describe(exc: BaseException) -> str:
    # With urllib3 retries mounted, a read timeout arrives as ConnectionError(MaxRetryError(
    # ReadTimeoutError)): look inside before calling it a refused connection.
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    if isinstance(reason, NewConnectionError):  # a subclass of ConnectTimeoutError in urllib3
        return "connection refused or unreachable"
    if isinstance(exc, requests.Timeout) or isinstance(reason, (ReadTimeoutError, ConnectTimeoutError)):
        return "timed out"
    if isinstance(exc, requests.ConnectionError):
        return "connection refused or unreachable"
    return str(exc)
