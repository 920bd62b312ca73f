"""Development server for the dialogue contract (openapi/dialogue-api.json), with the offline
generator behind it, so tests and designers can run the full path over real HTTP on localhost.
It also answers OpenAI-style /v1/chat/completions. With faults enabled, POST /dev/faults sets a
plan the next API requests follow in order: "ok", "sleep:SECONDS", "status:CODE", "malformed"."""
from __future__ import annotations

import asyncio
import hmac
import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse
from pydantic import BaseModel, Field

from .. import request_errors
from .models import JsonInt, JsonNumber, LineRequest, LineResponse
from .offline import OfflineDialogue


class FaultPlan(BaseModel):
    plan: list[str]


class ChatMessage(BaseModel):
    role: str
    content: str


class ChatRequest(BaseModel):
    model: str = "offline"
    messages: list[ChatMessage]
    max_tokens: JsonInt = Field(80, ge=1, le=4096)
    temperature: JsonNumber = Field(0.7, ge=0.0, le=2.0)


def create_dev_app(api_key: str | None = None, script: str | None = None, faults: bool = False) -> FastAPI:
    offline = OfflineDialogue(script)
    plan: list[str] = []
    app = FastAPI(title="VocalSynthesis dialogue service (development server)", version="1",
                  description="Request an NPC line; the answer carries the text, an emotion with intensity, and an id.")

    @app.middleware("http")
    async def guard(request: Request, call_next):
        if request.url.path.startswith("/v1/"):
            if api_key:
                header = request.headers.get("authorization", "")
                given = header[7:] if header.lower().startswith("bearer ") else ""
                if not hmac.compare_digest(given.encode(), api_key.encode()):
                    return JSONResponse(status_code=401, content={"error": "missing or wrong API key"})
            if faults and plan:
                step = plan.pop(0)
                if step.startswith("sleep:"):
                    await asyncio.sleep(float(step.split(":", 1)[1]))
                elif step.startswith("status:"):
                    return JSONResponse(status_code=int(step.split(":", 1)[1]), content={"error": "injected fault"})
                elif step == "malformed":
                    return PlainTextResponse("<html>this is not json", status_code=200, media_type="application/json")
        return await call_next(request)

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError):
        return JSONResponse(status_code=422, content={"error": request_errors.describe(exc.errors())})

    errors: dict[int | str, dict[str, Any]] = {
              400: {"description": "The body cannot be decoded (not UTF-8)."}, 401: {"description": "Missing or wrong API key."},
              422: {"description": "The body is not JSON, or does not match the contract; the message names the field."}}

    @app.post("/v1/dialogue/line", response_model=LineResponse, responses=errors)
    def line(body: LineRequest) -> LineResponse:
        return offline.line(body)

    @app.post("/v1/chat/completions", responses=errors)
    def chat(body: ChatRequest) -> dict[str, Any]:
        system = next((m.content for m in body.messages if m.role == "system"), "")
        npc = system.split("You are ", 1)[1].split(",", 1)[0] if "You are " in system else "npc"
        archetype = next((a for a in ("vampire", "zombie", "werewolf", "wraith", "ghoul", "lich", "banshee", "golem",
                                      "swarm") if f" {a} " in system), "human")
        user = [m.content for m in body.messages if m.role == "user"]
        line = offline.line(LineRequest(npc_id=npc, archetype=archetype, player_line=user[-1] if user else ""))
        content = f"[{line.emotion.tag} {line.emotion.intensity:.1f}] {line.text}"
        return {"id": f"chatcmpl-{uuid.uuid4().hex[:12]}", "object": "chat.completion", "model": body.model,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}]}

    if faults:
        @app.post("/dev/faults", include_in_schema=False)
        def set_faults(body: FaultPlan) -> dict[str, int]:
            plan.clear()
            plan.extend(body.plan)
            return {"planned": len(plan)}

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app
