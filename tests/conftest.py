"""Shared fixtures: the real knowledge base, loaded once, and copies to break; for the
end-to-end tests the fake Bot API server, the bot process, and the checks they share."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.chat.dialog import Dialog, Knowledge
from tests.bot_process import BotProcess
from tests.fake_bot_api import FakeBotAPI, SentMessage

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
    """The real bot process, polling ``server``, logging at DEBUG; the token must never reach its logs."""
    with BotProcess(server, LOG_LEVEL="DEBUG") as process:
        yield process
    assert_secrets_not_logged(process.logs(), server.token)


@pytest.fixture()
def accepted(server):
    """After the test: Telegram would have accepted every request the bot made during it."""
    start = len(server.rejections)
    yield
    assert server.rejections[start:] == [], server.rejections[start:]


def assert_secrets_not_logged(logs: str, token: str, *secrets: str) -> None:
    """Neither the bot token, nor its secret half on its own, nor any of ``secrets`` is in ``logs``."""
    hidden = [token, token.split(":", 1)[-1], *secrets]
    leaks = [line for line in logs.splitlines() if any(secret in line for secret in hidden)]
    assert not leaks, "a secret is in the logs:\n" + "\n".join(leaks[:10])


# ----------------------------------------------------------------------------- proving silence

PROBE_QUESTION = "When was the declaration with Tajikistan signed?"
PROBE_ANSWER = "23 May 2024"


def assert_no_reply(server: FakeBotAPI, updates: list[dict], chats: list[int], *, probe_chat: int,
                    user: dict | None = None, chat_type: str = "private", question: str = PROBE_QUESTION,
                    answer: str = PROBE_ANSWER, allowed: list[SentMessage] = (),
                    deliver: Callable[[dict], None] | None = None) -> SentMessage:
    """Prove that ``updates`` made the bot send nothing to ``chats``; return the probe's reply.

    Waiting proves nothing (the bot may just be slow), so: wait until the bot has confirmed
    every one of ``updates`` (a getUpdates with a higher offset: it has them), only then ask
    ``question`` in ``probe_chat`` (as ``user``), and wait for the reply containing
    ``answer``, which is thus later than every confirmation. The bot handles updates in
    the order it receives them, so the silent ones were handled first, and what they sent
    went through the same limiter first. Then ``chats`` must have got nothing since the
    first of ``updates`` was queued but the probe's reply and ``allowed``.

    ``deliver`` hands the probe update to the bot another way (a webhook); ``updates``
    must then have been delivered, and answered, already.
    """
    ids = [update["update_id"] for update in updates]
    if deliver is None:
        server.wait_until(lambda: all(server.confirmed_at(i) is not None for i in ids), timeout=15,
                          what="the bot to confirm the updates that must get no reply")
    since = min(server.queued_at(i) for i in ids)
    mark = len(server.sent)
    probe = server.send_text(probe_chat, question, user=user, chat_type=chat_type)
    if deliver is not None:
        deliver(probe)
    reply = server.wait_for(lambda m: m.chat_id == probe_chat and answer in m.plain_text, since=mark, timeout=15)
    expected = {id(message) for message in (reply, *allowed)}
    unexpected = [m for chat in chats for m in server.replies_to(chat) if m.time >= since and id(m) not in expected]
    assert not unexpected, "replies where none was due: " + repr([(m.chat_id, m.plain_text[:80]) for m in unexpected])
    return reply
