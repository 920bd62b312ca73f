"""The TTS service the AI Core's UE5 dialogue client already calls:

    POST /api/tts/generate {text, voice_id, format, sample_rate, personality_traits?, emotion?}
      -> {audio (base64), duration, word_timings[{word, start_time, duration}],
          lipsync{phonemes[{phoneme, start_time, duration}], visemes[{viseme, start_time, duration}]}}

Timings come from the synthesizer's own timeline (exact, not estimated); the archetype chain is
latency-compensated. Run it with `vocalsynth serve` (uvicorn, several worker processes).
"""
from __future__ import annotations

import base64
import hmac
import io
import json
import logging
import os
import sys
import time
import uuid
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Literal

import soundfile as sf
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, field_validator
from starlette.exceptions import HTTPException as StarletteHTTPException

from . import _core, emotions, presets, request_errors, speech
from .audio_io import FORMATS
from .engine import morph_span
from .hints import did_you_mean

MAX_TEXT_CHARS = 2000
MAX_BODY_BYTES = 64 * 1024
VISEMES = _core.phone_visemes()

log = logging.getLogger("vocalsynth.server")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: what log shippers expect."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {"ts": round(record.created, 3), "level": record.levelname.lower(), "msg": record.getMessage()}
        entry.update(getattr(record, "fields", {}))
        return json.dumps(entry)


def _configure_logging() -> None:
    if not any(isinstance(h.formatter, JsonFormatter) for h in log.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False


# --- Contract -------------------------------------------------------------------------------

class TtsRequest(BaseModel):
    # The client may send fields this version does not use: they are kept (not rejected) so that
    # the answer can name them; a misspelt "voice" would otherwise speak as human without a word.
    model_config = ConfigDict(extra="allow")
    text: str = Field(min_length=1, max_length=MAX_TEXT_CHARS,
                      description="The line to speak. It may carry stage directions (*whispers*), SSML "
                                  "(<break time=\"1s\"/>, <emphasis>, <prosody rate=\"slow\">) or rich-text styles, "
                                  "which shape how it is said and are not read aloud.")
    voice_id: str = Field("human", description="A voice preset: a built-in archetype or a preset in the voices folder.")
    format: Literal["wav", "flac", "ogg"] = "wav"
    sample_rate: int = Field(44100, ge=16000, le=48000)
    personality_traits: list[str] | dict[str, Any] | None = Field(None, description="Accepted; not used for synthesis.")
    emotion: str | None = Field(None, description="Emotion tag (e.g. rage, angry, fear, sad, menace, whisper).")
    morph_to_voice_id: str | None = Field(None, description="A voice the speaker turns into while speaking (a "
                                                            "transformation): pitch, formants and archetype glide "
                                                            "into it; the words keep their timing.")
    morph_seconds: tuple[float, float] | None = Field(None, description="Start and end of the transformation in "
                                                                        "seconds (default: the whole line).")

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("text is empty: give the line to speak")
        return value

    @field_validator("emotion")
    @classmethod
    def _known_emotion(cls, value: str | None) -> str | None:
        emotions.resolve(value)
        return value

    @field_validator("morph_seconds", mode="before")
    @classmethod
    def _a_span(cls, value: object) -> tuple[float, float] | None:
        # In the engine's words (pydantic's were "morph_seconds.1: Field required"); the field is
        # named in front of the message already.
        try:
            return None if value is None else morph_span(value, 0.0, "morph_seconds")
        except ValueError as exc:
            raise ValueError(str(exc).removeprefix("morph_seconds ")) from None


class WordTiming(BaseModel):
    word: str
    start_time: float
    duration: float


class PhonemeTiming(BaseModel):
    phoneme: str
    start_time: float
    duration: float


class VisemeTiming(BaseModel):
    viseme: str
    start_time: float
    duration: float


class LipSync(BaseModel):
    phonemes: list[PhonemeTiming]
    visemes: list[VisemeTiming]


class TtsResponse(BaseModel):
    audio: str = Field(description="Base64 of the encoded audio file.")
    duration: float = Field(description="Seconds.")
    word_timings: list[WordTiming]
    lipsync: LipSync
    sample_rate: int
    format: str
    voice_id: str
    emotion: str = Field("neutral", description="The speech style spoken: the request's emotion, else the one its "
                                                "stage directions imply ('*whispers*' -> whisper), else neutral.")
    warnings: list[str] = Field(default_factory=list,
                                description="Request fields this version ignored, with the field probably meant.")


class ErrorResponse(BaseModel):
    error: str
    request_id: str


# --- Voices ---------------------------------------------------------------------------------

class VoiceRegistry:
    """Built-in archetype presets plus every preset file in an optional folder."""

    def __init__(self, folder: str | os.PathLike[str] | None = None):
        self.voices: dict[str, presets.Preset] = {name: presets.builtin(name) for name in presets.builtin_names()}
        if folder:
            if not Path(folder).is_dir():
                raise presets.PresetError(str(folder), ["voices folder not found (a folder of preset .json files)"])
            for path in sorted(Path(folder).glob("*.json")):
                preset = presets.load(path)  # a broken preset stops start-up with its errors
                self.voices[preset.name] = preset

    def get(self, voice_id: str, field: str = "voice_id") -> presets.Preset:
        if voice_id not in self.voices:
            raise ValueError(f"unknown {field} '{voice_id}'{did_you_mean(voice_id, self.voices)}; "
                             f"known voices: {', '.join(sorted(self.voices))}")
        return self.voices[voice_id]


# --- Application ----------------------------------------------------------------------------

def _timings(result: speech.Speech) -> tuple[list[WordTiming], LipSync]:
    words = [WordTiming(word=w.label, start_time=w.start_time, duration=w.duration) for w in result.words]
    phonemes = [PhonemeTiming(phoneme=p.label, start_time=p.start_time, duration=p.duration) for p in result.phones]
    visemes: list[VisemeTiming] = []
    for p in result.phones:
        name = VISEMES[p.label.rstrip("012")]
        if visemes and visemes[-1].viseme == name:  # merge repeats: one event per mouth shape
            visemes[-1].duration = p.start_time + p.duration - visemes[-1].start_time
        else:
            visemes.append(VisemeTiming(viseme=name, start_time=p.start_time, duration=p.duration))
    return words, LipSync(phonemes=phonemes, visemes=visemes)


def create_app(voices_dir: str | None = None, api_key: str | None = None) -> FastAPI:
    _configure_logging()
    registry = VoiceRegistry(voices_dir)
    state = {"ready": False}

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        speech.lexicon()  # load the dictionary and warm the synthesizer before declaring readiness
        speech.synthesize("Ready.", "human", sample_rate=16000)
        state["ready"] = True
        log.info("ready", extra={"fields": {"voices": len(registry.voices), "auth": bool(api_key)}})
        yield

    app = FastAPI(title="VocalSynthesis voice service", version=_core.engine_version, lifespan=lifespan,
                  description="Text to speech in NPC voices, with exact word timings and lip-sync visemes.")

    def _error(status: int, message: str, request: Request) -> JSONResponse:
        rid = getattr(request.state, "request_id", "-")
        return JSONResponse(status_code=status, content={"error": message, "request_id": rid})

    @app.middleware("http")
    async def request_context(request: Request, call_next):
        rid = request.headers.get("x-request-id") or uuid.uuid4().hex
        request.state.request_id = rid
        start = time.perf_counter()
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
            response = _error(413, f"request body over {MAX_BODY_BYTES} bytes", request)
        elif request.url.path.startswith("/api/") and api_key and not _authorized(request, api_key):
            response = _error(401, "missing or wrong API key: send 'Authorization: Bearer <key>'", request)
            response.headers["WWW-Authenticate"] = "Bearer"
        else:
            try:
                response = await call_next(request)
            except Exception as exc:  # never leak a traceback to the client
                log.error("internal error", extra={"fields": {"request_id": rid, "error": type(exc).__name__}})
                response = _error(500, "internal error; quote the request id when reporting it", request)
        response.headers["X-Request-ID"] = rid
        log.info("request", extra={"fields": {"request_id": rid, "method": request.method, "path": request.url.path,
                                             "status": response.status_code,
                                             "ms": round(1000 * (time.perf_counter() - start), 1)}})
        return response

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        # FastAPI's own refusals (a body that is not UTF-8, an unknown path, a wrong method) in the
        # service's error shape, with the request id, instead of {"detail": ...}.
        message = str(exc.detail)
        if exc.status_code == 400 and "parsing the body" in message:
            message = "body: cannot be decoded (not UTF-8 JSON); send a JSON object"
        response = _error(exc.status_code, message, request)
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        return response

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        return _error(422, request_errors.describe(exc.errors()), request)

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", responses={503: {"model": ErrorResponse}})
    def readyz(request: Request):
        if not state["ready"]:
            return _error(503, "starting: lexicon and synthesizer not loaded yet", request)
        return {"status": "ready", "voices": sorted(registry.voices)}

    @app.post("/api/tts/generate", response_model=TtsResponse,
              responses={400: {"model": ErrorResponse}, 401: {"model": ErrorResponse}, 413: {"model": ErrorResponse},
                         422: {"model": ErrorResponse}})
    def generate(body: TtsRequest, request: Request):
        try:
            voice = registry.get(body.voice_id)
            target = None if body.morph_to_voice_id is None else registry.get(body.morph_to_voice_id, "morph_to_voice_id")
            style = emotions.for_line(body.emotion, body.text)  # "*whispers* Come closer." is whispered
            result = speech.synthesize(body.text, voice, style, sample_rate=body.sample_rate, morph_to=target,
                                       morph_seconds=body.morph_seconds)
        except ValueError as exc:  # unknown voice, unknown phoneme in braces, ...
            return _error(422, str(exc), request)
        container, subtype = FORMATS[body.format]
        buffer = io.BytesIO()
        sf.write(buffer, result.audio, body.sample_rate, format=container, subtype=subtype)
        words, lipsync = _timings(result)
        warnings = _ignored_fields(body)
        if warnings:
            log.warning("ignored request fields", extra={"fields": {"request_id": request.state.request_id,
                                                                    "warnings": warnings}})
        log.info("synthesized", extra={"fields": {"request_id": request.state.request_id, "voice_id": body.voice_id,
                                                 "emotion": style, "chars": len(body.text),
                                                 "seconds": round(len(result.audio) / body.sample_rate, 3)}})
        return TtsResponse(audio=base64.b64encode(buffer.getvalue()).decode("ascii"),
                           duration=len(result.audio) / body.sample_rate, word_timings=words, lipsync=lipsync,
                           sample_rate=body.sample_rate, format=body.format, voice_id=body.voice_id,
                           emotion=style, warnings=warnings)

    return app


def _ignored_fields(body: TtsRequest) -> list[str]:
    """One line per field the request carried that this version does not know."""
    known = list(TtsRequest.model_fields)
    lines = []
    for name in sorted(body.model_extra or {}):
        lines.append(f"unknown field '{name}' ignored{did_you_mean(name, known)}")
    return lines


def _authorized(request: Request, api_key: str) -> bool:
    header = request.headers.get("authorization", "")
    given = header[7:] if header.lower().startswith("bearer ") else request.headers.get("x-api-key", "")
    return hmac.compare_digest(given.encode(), api_key.encode())


def create_app_from_env() -> FastAPI:
    """Factory for uvicorn workers: configuration comes from the environment `vocalsynth serve` sets."""
    key = os.environ.get("VOCALSYNTH_API_KEY") or None
    key_file = os.environ.get("VOCALSYNTH_API_KEY_FILE")
    if key_file:
        key = Path(key_file).read_text(encoding="utf-8").strip()
    return create_app(voices_dir=os.environ.get("VOCALSYNTH_VOICES_DIR") or None, api_key=key)
