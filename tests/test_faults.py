"""End to end: the real bot process while the Bot API misbehaves.

Bursts of 429 with retry_after, 5xx answers, responses slower than the client timeout,
connections reset on sendMessage and on getUpdates, and the whole server gone for ten
seconds with updates queued meanwhile. Each scenario runs against its own fake server
and bot (TELEGRAM_TIMEOUT=2, logging at DEBUG), and checks that every question is
answered (exactly once, where the fault cannot have delivered a message twice), that
the bot recovers on its own, that Telegram accepted everything, and that the token
never reaches the logs, not even at DEBUG and while requests fail.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator

import pytest

from bot.chat.dialog import Dialog
from tests.bot_process import BotProcess
from tests.conftest import KNOWLEDGE, assert_secrets_not_logged
from tests.fake_bot_api import FakeBotAPI

BOT = "treaty_test_bot"
TOKEN = "7654321:AAF-harnessSecretHalf_4711"
CLIENT_TIMEOUT = 2  # TELEGRAM_TIMEOUT for every bot in this file

QUESTIONS = {
    "tajikistan": "When was the declaration with Tajikistan signed?",
    "treaty": "When was the treaty signed?",
    "culture": "student exchanges",
    "energy": "energy security",
    "kazakhstan": "when was the declaration with Kazakhstan signed?",
    "weather": "What's the weather in Baku?",
    "zangezur": "zangezur corridor",
}
_ids = itertools.count(71_000)


@pytest.fixture(scope="module")
def expected() -> dict[str, str]:
    """The exact HTML the bot sends for each question or command (one message each, all distinct)."""
    dialog = Dialog.from_path(KNOWLEDGE)
    replies = {key: dialog.ask(question, "en").reply for key, question in QUESTIONS.items()}
    replies |= {f"/{name}": dialog.command(name, "", "en") for name in ("treaty", "agreements", "source")}
    texts = {}
    for key, reply in replies.items():
        parts = reply.html_parts()
        assert len(parts) == 1, f"test setup: the reply to {key!r} takes {len(parts)} messages"
        texts[key] = parts[0]
    assert len(set(texts.values())) == len(texts), "test setup: two questions have the same reply"
    return texts


class Harness:
    def __init__(self, server: FakeBotAPI, bot: BotProcess, expected: dict[str, str]):
        self.server, self.bot, self.expected = server, bot, expected

    def ask(self, chat: int, key: str) -> None:
        self.server.send_text(chat, key if key.startswith("/") else QUESTIONS[key])

    def count(self, chat: int, key: str) -> int:
        return sum(message.text == self.expected[key] for message in self.server.replies_to(chat))

    def wait_answer(self, chat: int, key: str, timeout: float) -> float:
        """Wait for the reply to ``key`` in ``chat``; return when the server accepted it."""
        message = self.server.wait_for(lambda m: m.chat_id == chat and m.text == self.expected[key], timeout=timeout)
        return message.time

    def settle(self, seconds: float = 1.0) -> None:
        self.server.wait_until_quiet(seconds)

    def answered_exactly_once(self, chat: int, keys: list[str]) -> None:
        replies = self.server.replies_to(chat)
        counts = {key: self.count(chat, key) for key in keys}
        assert all(count == 1 for count in counts.values()) and len(replies) == len(keys), (
            f"chat {chat}: replies per question {counts}, {len(replies)} messages in all: "
            f"{[m.plain_text[:60] for m in replies]}")

    def still_serving(self) -> None:
        """The bot answers a fresh question (it recovered by itself)."""
        chat = next(_ids)
        self.ask(chat, "zangezur")
        self.wait_answer(chat, "zangezur", timeout=15)
        self.settle(0.3)
        self.answered_exactly_once(chat, ["zangezur"])


@pytest.fixture()
def harness(expected) -> Iterator[Harness]:
    with FakeBotAPI(token=TOKEN, bot_username=BOT) as server:
        bot = BotProcess(server, TELEGRAM_TIMEOUT=str(CLIENT_TIMEOUT), LOG_LEVEL="DEBUG").start()
        try:
            yield Harness(server, bot, expected)
            assert not bot.exited(), f"the bot exited:\n{bot.logs()[-3000:]}"
            assert server.rejections == [], server.rejections
        finally:
            bot.stop()
        logs = bot.logs()
        assert " DEBUG " in logs, "test setup: the bot did not log at DEBUG"
        assert_secrets_not_logged(logs, TOKEN)


def faults(server: FakeBotAPI, method: str, kind: str = "fail") -> list[tuple[str, str, int]]:
    return [fault for fault in server.faults_served if fault[0] == method and fault[1] == kind]


# ----------------------------------------------------------------------------- sendMessage faults


@pytest.mark.parametrize("statuses", [(429,) * 5, (500, 502, 503), (429, 500)],
                         ids=["burst-of-429", "5xx", "429-then-500"])
def test_send_message_errors_are_retried(harness, statuses):
    """Each error answer is retried (after retry_after for a 429) until the answer gets through, once."""
    server, chat = harness.server, next(_ids)
    for status in statuses:
        server.fail_next("sendMessage", status=status, retry_after=1,
                         description=None if status == 429 else f"Injected {status}")
    harness.ask(chat, "tajikistan")
    harness.wait_answer(chat, "tajikistan", timeout=25)
    assert [f[2] for f in faults(server, "sendMessage")] == list(statuses)
    attempts = [r.time for r in list(server.requests) if r.method == "sendMessage" and r.chat_id == chat]
    assert len(attempts) == len(statuses) + 1
    waits = [later - earlier for earlier, later, status in zip(attempts, attempts[1:], statuses) if status == 429]
    assert all(wait >= 1.0 for wait in waits), f"retried {waits} s after a 429 with retry_after=1"  # never sooner
    harness.settle(1.0)
    harness.answered_exactly_once(chat, ["tajikistan"])
    harness.still_serving()


def test_connection_dropped_after_send_message_is_not_sent_again(harness):
    """The connection closes after the request was written: Telegram may have delivered it.

    The bot cannot tell, so it does not send the answer a second time (a duplicate is
    worse than a rare lost reply), says so in one warning, and keeps serving.
    """
    server, chat = harness.server, next(_ids)
    server.reset_next("sendMessage", count=1)
    harness.ask(chat, "energy")
    server.wait_until(lambda: faults(server, "sendMessage", "reset"), what="the dropped sendMessage")
    harness.ask(chat, "treaty")
    harness.wait_answer(chat, "treaty", timeout=20)
    harness.settle(1.0)
    attempts = [r for r in list(server.requests) if r.method == "sendMessage" and r.chat_id == chat]
    assert len(attempts) == 2, f"{len(attempts)} sendMessage requests for two questions"
    assert harness.count(chat, "energy") == 0
    assert "may well have been delivered, so it is not sent again" in harness.bot.logs()
    assert "Traceback" not in harness.bot.logs()
    harness.still_serving()


def test_response_slower_than_the_client_timeout(harness):
    """One sendMessage takes 3 s to answer; the bot stops waiting after TELEGRAM_TIMEOUT=2 s.

    Telegram received that request, so sending it again would give the user the answer
    twice: the bot does not resend it, logs a warning, and keeps serving. The slow
    request completes on the server, so the answer arrives exactly once.
    """
    server, chat = harness.server, next(_ids)
    server.delay("sendMessage", 3)
    harness.ask(chat, "treaty")
    first = server.wait_until(lambda: next((r for r in list(server.requests)
                                            if r.method == "sendMessage" and r.chat_id == chat), None),
                              what="the first sendMessage")
    server.delay("sendMessage", 0)  # only that one request is slow
    harness.wait_answer(chat, "treaty", timeout=25)
    time.sleep(max(0.0, first.time + 3.5 - time.monotonic()))  # the slow request has finished by now
    harness.settle(1.0)
    attempts = [r for r in list(server.requests) if r.method == "sendMessage" and r.chat_id == chat]
    assert len(attempts) == 1, f"the bot sent the same answer {len(attempts)} times"
    assert harness.count(chat, "treaty") == 1
    assert "may well have been delivered, so it is not sent again" in harness.bot.logs()  # TELEGRAM_TIMEOUT=2 ended the wait
    harness.still_serving()


# ----------------------------------------------------------------------------- getUpdates faults


def polling_fault_scenario(harness: Harness, method_faults: int, kind: str) -> None:
    """The faults hit the polls after the first question: the second arrives once polling recovers."""
    server, chat = harness.server, next(_ids)
    harness.ask(chat, "tajikistan")  # delivered by the poll already waiting
    harness.wait_answer(chat, "tajikistan", timeout=10)
    harness.ask(chat, "kazakhstan")  # must wait for polling to recover
    harness.wait_answer(chat, "kazakhstan", timeout=25)
    assert len(faults(server, "getUpdates", kind)) == method_faults, "test setup: the faults were not all served"
    logs = harness.bot.logs()
    assert logs.count("Bot API unreachable while polling") == method_faults, "one plain line per failed poll"
    assert "Traceback" not in logs
    harness.settle(1.0)
    harness.answered_exactly_once(chat, ["tajikistan", "kazakhstan"])
    harness.still_serving()


def test_reset_connections_on_get_updates(harness):
    harness.server.reset_next("getUpdates", count=2)
    polling_fault_scenario(harness, 2, "reset")


def test_5xx_on_get_updates(harness):
    for status in (502, 500, 503):
        harness.server.fail_next("getUpdates", status=status)
    polling_fault_scenario(harness, 3, "fail")


# ----------------------------------------------------------------------------- the server disappears


def test_server_down_for_ten_seconds_then_back(harness):
    server = harness.server
    chats = [next(_ids) for _ in range(4)]
    plan = {chats[0]: ["kazakhstan", "tajikistan", "treaty"], chats[1]: ["culture"],
            chats[2]: ["/agreements"], chats[3]: ["energy", "weather", "/treaty"]}
    harness.ask(chats[0], "kazakhstan")  # just before the outage: it may be caught in flight
    server.go_down(10)
    down_at = time.monotonic()
    time.sleep(0.3)
    for number, (chat, keys) in enumerate(plan.items()):
        for key in keys:
            if chat == chats[0] and key == "kazakhstan":
                continue
            harness.ask(chat, key)
        time.sleep(2.0 if number == 1 else 0.2)  # updates keep arriving during the outage
    assert server.is_down, "test setup: the updates were not all queued during the outage"

    def all_answered() -> bool:
        return all(harness.count(chat, key) >= 1 for chat, keys in plan.items() for key in keys)

    server.wait_until(all_answered, timeout=10 + 35, what="every question asked during the outage to be answered")
    recovered = time.monotonic() - down_at
    print(f"outage of 10 s: every queued question answered {recovered:.1f} s after the server went down")
    harness.settle(2.0)
    for chat, keys in plan.items():
        harness.answered_exactly_once(chat, keys)
    harness.still_serving()
