"""knowledge/schema.json: generated from the model, fresh, named by every YAML file, as strict as the loader."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from bot.knowledge.__main__ import SCHEMA_PATH, schema_text
from tests.conftest import KNOWLEDGE

MODELINE = "# yaml-language-server: $schema=schema.json"
YAML_FILES = sorted(KNOWLEDGE.glob("*.yaml"))


def as_json(value: object) -> object:
    """YAML values as JSON would carry them (a date is its ISO text)."""
    if isinstance(value, dict):
        return {key: as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    return value.isoformat() if isinstance(value, dt.date) else value


def test_the_checked_in_schema_is_the_one_the_model_generates():
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_text(), "run: python -m bot.knowledge"


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda path: path.name)
def test_every_yaml_file_names_the_schema_for_editors(path: Path):
    assert path.read_text(encoding="utf-8").splitlines()[0] == MODELINE


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda path: path.name)
def test_the_shipped_files_satisfy_the_schema(path: Path):
    jsonschema.validate(as_json(yaml.safe_load(path.read_text(encoding="utf-8"))), json.loads(schema_text()))


@pytest.mark.parametrize("mistake", [
    {"entries": [{"id": "x", "kind": "pact"}]},
    {"entries": [{"id": "x", "kind": "area", "title": "T", "quote": "Q", "citation": {"source": "s", "section": "S"},
                  "quote_i18n": {"ru": "a", "az": "b", "uz": "c"}, "summary": "unknown field"}]},
    {"concepts": {"treaty": {"forms": ["treaty"], "signal": "yes"}}},
    {"stopwords": {"de": ["und"]}},
    {"glossary": {}},
])
def test_the_schema_refuses_what_the_loader_refuses(mistake: dict):
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(mistake, json.loads(schema_text()))
