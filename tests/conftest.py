"""Shared fixtures: the real knowledge base, loaded once, and copies to break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.dialog import Dialog, Knowledge
from tests.bot_process import BotProcess
from tests.fake_bot_api import FakeBotAPI

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


def copy_knowledge(folder: Path) -> Path:
    """A writable copy of the knowledge base folder, inside ``folder``."""
    target = folder / "knowledge"
    shutil.copytree(KNOWLEDGE, target)
    return target


@pytest.fixture()
def kb_copy(tmp_path: Path) -> Path:
    return copy_knowledge(tmp_path)


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


@pytest.fixture(scope="module")
def server():
    """A fake Bot API server for one test module (end-to-end tests)."""
    with FakeBotAPI(bot_username="treaty_test_bot") as fake:
        yield fake


@pytest.fixture(scope="module")
def bot(server):
    """The real bot process, polling ``server``; the token must never reach its logs."""
    with BotProcess(server) as process:
        yield process
    assert server.token not in process.logs()
