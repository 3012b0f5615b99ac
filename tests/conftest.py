"""Shared fixtures: the real knowledge base, loaded once, and copies to break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.dialog import Dialog, Knowledge

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"
KB_FILE = "azerbaijan-uzbekistan.yaml"


@pytest.fixture(scope="session")
def knowledge() -> Knowledge:
    return Knowledge.load(KNOWLEDGE)


@pytest.fixture(scope="session")
def index(knowledge: Knowledge):
    return knowledge.index


@pytest.fixture()
def dialog(knowledge: Knowledge) -> Dialog:
    return Dialog(knowledge, bot_username="treaty_test_bot")


@pytest.fixture()
def kb_copy(tmp_path: Path) -> Path:
    """A writable copy of the knowledge base folder."""
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, target)
    return target


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace text in a YAML file, failing loudly if the text is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    """1-based line number of the first line containing ``needle``."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not found in {path}")
