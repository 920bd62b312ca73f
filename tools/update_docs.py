#!/usr/bin/env python3
"""Regenerates what is derived from the code: the README's parameter and archetype tables, the
published preset JSON Schema and the service's OpenAPI file (tests fail while any is stale)."""
import json
from pathlib import Path

from vocalsynth.docs import update_readme
from vocalsynth.presets import SCHEMA_PATH_IN_REPO, json_schema

root = Path(__file__).resolve().parent.parent
print("README.md updated" if update_readme(root / "README.md") else "README.md already up to date")
from vocalsynth.server import create_app

openapi_path = root / "openapi" / "vocalsynth-api.json"
openapi_text = json.dumps(create_app().openapi(), indent=2) + "\n"
if not openapi_path.exists() or openapi_path.read_text() != openapi_text:
    openapi_path.parent.mkdir(parents=True, exist_ok=True)
    openapi_path.write_text(openapi_text)
    print("openapi/vocalsynth-api.json updated")
from vocalsynth.dialogue.devserver import create_dev_app

dialogue_path = root / "openapi" / "dialogue-api.json"
dialogue_text = json.dumps(create_dev_app().openapi(), indent=2) + "\n"
if not dialogue_path.exists() or dialogue_path.read_text() != dialogue_text:
    dialogue_path.write_text(dialogue_text)
    print("openapi/dialogue-api.json updated")
from vocalsynth.farm import GATE_SCHEMA, MANIFEST_SCHEMA

for name, farm_schema in (("manifest", MANIFEST_SCHEMA), ("gate", GATE_SCHEMA)):
    farm_schema_path = root / "schema" / f"vocalsynth-{name}.schema.json"
    farm_schema_text = json.dumps(farm_schema, indent=2) + "\n"
    if not farm_schema_path.exists() or farm_schema_path.read_text() != farm_schema_text:
        farm_schema_path.write_text(farm_schema_text)
        print(f"schema/vocalsynth-{name}.schema.json updated")
schema_path = root / SCHEMA_PATH_IN_REPO
text = json.dumps(json_schema(), indent=2) + "\n"
if not schema_path.exists() or schema_path.read_text() != text:
    schema_path.parent.mkdir(parents=True, exist_ok=True)
    schema_path.write_text(text)
    print(f"{SCHEMA_PATH_IN_REPO} updated")
