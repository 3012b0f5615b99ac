"""`python -m bot.knowledge`: write knowledge/schema.json from the model (a test checks it is fresh)."""

import json
from pathlib import Path

from bot.knowledge.model import Document

SCHEMA_PATH = Path(__file__).resolve().parent.parent.parent / "knowledge" / "schema.json"


def schema_text() -> str:
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **Document.model_json_schema(),
              "title": "treaty-bot knowledge base (a YAML file of it)"}
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    SCHEMA_PATH.write_text(schema_text(), encoding="utf-8")
    print(f"wrote {SCHEMA_PATH}")
