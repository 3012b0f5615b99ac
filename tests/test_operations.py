"""What operators rely on: votes and statistics, admin commands, reload, health, report."""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import time

import pytest

from bot.telegram.config import STATS_FILE
from bot.chat.stats import load_report
from tests.bot_process import ROOT, BotProcess
from tests.conftest import KB_FILE, assert_secrets_not_logged, copy_knowledge, edit
from tests.fake_bot_api import FakeBotAPI

ADMIN = 4242
_chats = itertools.count(5000)


@pytest.fixture(scope="module")
def knowledge_copy(tmp_path_factory):
    return copy_knowledge(tmp_path_factory.mktemp("kb"))


@pytest.fixture(scope="module")
def server():
    with FakeBotAPI() as fake:
        yield fake


@pytest.fixture(scope="module")
def bot(server, knowledge_copy):
    with BotProcess(server, ADMIN_IDS=f"{ADMIN},7", KNOWLEDGE_PATH=str(knowledge_copy)) as process:
        yield process
    assert_secrets_not_logged(process.logs(), server.token)


@pytest.fixture(autouse=True)
def telegram_accepts_everything(accepted):
    """Every test here: Telegram would have accepted what the bot sent during it."""


def stats_report(bot):
    return load_report(ROOT / bot.data_dir / STATS_FILE)


def votes_of(bot, entry_id: str) -> tuple[int, int]:
    """(👍, 👎) recorded for ``entry_id`` so far."""
    return next(((up, down) for entry, up, down in stats_report(bot).votes if entry == entry_id), (0, 0))


def picks_of(bot, entry_id: str) -> int:
    return next((times for entry, times in stats_report(bot).picks if entry == entry_id), 0)


PROBE_ENTRY = "zangezur-corridor"  # voted on by stats_written_so_far only


def stats_written_so_far(server, bot) -> None:
    """Wait until everything the bot recorded so far is in the database (waiting a while proves nothing).

    The bot writes its statistics in order, from one queue: once a 👎 cast now is in the
    database, every row recorded before it is too.
    """
    chat = next(_chats)
    before = votes_of(bot, PROBE_ENTRY)
    server.send_text(chat, "zangezur corridor")
    answer = server.wait_for(lambda m: m.chat_id == chat)
    server.press_button(chat, answer, f"v:-:{PROBE_ENTRY}")
    server.wait_until(lambda: votes_of(bot, PROBE_ENTRY) == (before[0], before[1] + 1), what="the probe vote written")


def test_votes_are_recorded_and_the_buttons_go_away(server, bot):
    chat = next(_chats)
    before = votes_of(bot, "area-energy")
    server.send_text(chat, "energy security")
    answer = server.wait_for(lambda m: m.chat_id == chat)
    tap = server.press_button(chat, answer, "v:+:area-energy")["callback_query"]["id"]
    edited = server.wait_for(lambda m: m.chat_id == chat and m.method == "editMessageReplyMarkup")
    assert edited.message_id == answer.message_id
    assert all(not b["callback_data"].startswith("v:") for row in edited.reply_markup["inline_keyboard"] for b in row)
    thanks = server.wait_until(lambda: [a.text for a in server.callback_answers if a.callback_query_id == tap])
    assert thanks == ["Thanks, noted!"]
    server.wait_until(lambda: votes_of(bot, "area-energy") == (before[0] + 1, before[1]),
                      what="the vote in the database")


def test_taps_on_one_answer_before_its_vote_row_goes_count_once(server, bot):
    chat = next(_chats)
    before = votes_of(bot, "area-economic")
    server.send_text(chat, "economic cooperation")
    answer = server.wait_for(lambda m: m.chat_id == chat)
    taps = [server.press_button(chat, answer, data)["callback_query"]["id"]  # all queued before the row goes
            for data in ("v:+:area-economic", "v:+:area-economic", "v:-:area-economic")]
    answers = server.wait_until(lambda: (found := [a.text for a in server.callback_answers if a.callback_query_id in taps])
                                and len(found) == 3 and found, what="all three taps answered")
    assert sorted(answers) == sorted(["Thanks, noted!", *["That button is no longer available."] * 2]), answers
    stats_written_so_far(server, bot)
    assert votes_of(bot, "area-economic") == (before[0] + 1, before[1])


def test_unanswered_questions_and_picks_are_recorded_without_identities(server, bot):
    chat = next(_chats)
    picked = picks_of(bot, "agreement-tajikistan-2024")
    server.send_text(chat, "What is the GDP of Uzbekistan?")
    server.wait_for(lambda m: m.chat_id == chat)
    server.send_text(chat, "strategic partnership declaration")  # three declarations fit it equally
    question = server.wait_for(lambda m: m.chat_id == chat and "not sure" in m.plain_text)
    server.press_button(chat, question, "s:agreement-tajikistan-2024")
    server.wait_for(lambda m: m.chat_id == chat and m.method == "editMessageText")
    stats_written_so_far(server, bot)
    assert picks_of(bot, "agreement-tajikistan-2024") == picked + 1
    assert any(text == "what is the gdp of uzbekistan" for text, _, _ in stats_report(bot).unanswered)
    database = (ROOT / bot.data_dir / STATS_FILE).read_bytes()
    assert str(chat).encode() not in database and b"Test" not in database


def test_stats_and_reload_are_for_admins_only(server, bot):
    stranger = next(_chats)
    server.send_text(stranger, "/stats")
    server.send_text(stranger, "/reload")
    replies = server.wait_until(lambda: len(server.replies_to(stranger)) >= 2 and server.replies_to(stranger))
    assert all("I do not know that command" in reply.plain_text for reply in replies)

    mark = len(server.sent)
    server.send_text(ADMIN, "/stats", user=server.user(ADMIN))
    report = server.wait_for(lambda m: m.chat_id == ADMIN, since=mark)
    assert "<pre>" in report.text and "unanswered" in report.plain_text.lower()


def test_reload_keeps_the_old_knowledge_base_when_the_new_one_is_broken(server, bot, knowledge_copy):
    yaml_file = knowledge_copy / KB_FILE
    original = yaml_file.read_text(encoding="utf-8")
    try:
        edit(yaml_file, "      date: 2022-04-20", "      date: 2022-04-31")
        mark = len(server.sent)
        server.send_text(ADMIN, "/reload", user=server.user(ADMIN))
        refused = server.wait_for(lambda m: m.chat_id == ADMIN, since=mark)
        assert "invalid" in refused.plain_text
        assert "field 'agreement.date'" in refused.plain_text and KB_FILE in refused.plain_text
        chat = next(_chats)
        server.send_text(chat, "When was the declaration with the Kyrgyz Republic signed?")
        assert "20 April 2022" in server.wait_for(lambda m: m.chat_id == chat).plain_text

        yaml_file.write_text(original.replace("Declaration with Tajikistan (23 May 2024)",
                                              "Declaration with the Republic of Tajikistan (23 May 2024)"), encoding="utf-8")
        bot.process.send_signal(signal.SIGHUP)

        def renamed() -> bool:
            chat = next(_chats)
            server.send_text(chat, "/start agreement-tajikistan-2024")
            return "Declaration with the Republic of Tajikistan" in server.wait_for(lambda m: m.chat_id == chat).plain_text

        assert any(renamed() or time.sleep(0.5) for _ in range(20)), "SIGHUP did not reload the knowledge base"
        assert not bot.exited()
    finally:
        yaml_file.write_text(original, encoding="utf-8")


def test_health_follows_the_heartbeat_and_report_prints(bot):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DATA_DIR": bot.data_dir}
    healthy = subprocess.run([sys.executable, "-m", "bot", "health"], env=env, capture_output=True, text=True, timeout=60)
    assert healthy.returncode == 0, healthy.stdout
    report = subprocess.run([sys.executable, "-m", "bot", "report"], env=env, capture_output=True, text=True, timeout=60)
    assert report.returncode == 0 and "unanswered" in report.stdout.lower()
    env["DATA_DIR"] = str(ROOT / "no-such-folder")
    missing = subprocess.run([sys.executable, "-m", "bot", "health"], env=env, capture_output=True, text=True, timeout=60)
    assert missing.returncode == 1 and "no heartbeat" in missing.stdout


def test_a_rejected_token_is_one_plain_line_and_never_printed():
    """A typo'd or revoked token: Telegram answers 401 at getMe; the bot says so and exits."""
    with FakeBotAPI(bot_username="treaty_test_bot") as fake:
        wrong = BotProcess(fake, TELEGRAM_BOT_TOKEN="123456:wrong-Token-that-Telegram-rejects")
        wrong.start(wait_ready=False)
        fake.wait_until(wrong.exited, timeout=30, what="the bot to give up")
        logs = wrong.logs()
    assert wrong.process is not None and wrong.process.returncode == 1, logs
    assert "Telegram rejected the token: check TELEGRAM_BOT_TOKEN" in logs
    assert "Traceback" not in logs, logs
    assert_secrets_not_logged(logs, "123456:wrong-Token-that-Telegram-rejects")


def test_a_token_revoked_while_running_stops_the_bot_instead_of_idling_healthy():
    """python-telegram-bot stops polling for good on a 401; the bot notices, says so and exits 1."""
    with FakeBotAPI(bot_username="treaty_test_bot") as fake, BotProcess(fake) as running:
        fake.send_text(5, "When was the treaty signed?")
        fake.wait_for(lambda m: m.chat_id == 5)
        fake.fail_next("*", status=401, count=10_000, description="Unauthorized")  # revoked in @BotFather
        fake.wait_until(running.exited, timeout=60, what="the bot to stop")
        logs = running.logs()
        heartbeat_left = (ROOT / running.data_dir / "heartbeat").exists()
    assert running.process is not None and running.process.returncode == 1, logs
    assert "Telegram rejected the token while running" in logs and "Traceback" not in logs, logs
    assert not heartbeat_left, "a stopped bot must not look healthy"
    assert_secrets_not_logged(logs, fake.token)


def test_admin_commands_in_a_group_are_answered_in_private_only(server, bot):
    """/stats lists what people asked and /reload names server paths: not for a whole group."""
    group = -next(_chats)
    for command in ("/stats@treaty_test_bot", "/reload@treaty_test_bot"):
        server.send_text(group, command, user=server.user(ADMIN), chat_type="group")
    replies = server.wait_until(lambda: len(server.replies_to(group)) >= 2 and server.replies_to(group),
                                what="two replies in the group")
    assert [reply.plain_text for reply in replies] == ["Ask me that in a private chat."] * 2


def test_a_pick_tapped_twice_counts_once(server, bot):
    chat = next(_chats)
    picked = picks_of(bot, "agreement-kyrgyzstan-2022")
    server.send_text(chat, "declaration on strategic partnership")  # three declarations fit it equally
    question = server.wait_for(lambda m: m.chat_id == chat and "not sure" in m.plain_text)
    taps = [server.press_button(chat, question, "s:agreement-kyrgyzstan-2022", check=False)["callback_query"]["id"]
            for _ in range(2)]
    server.wait_until(lambda: len([a for a in server.callback_answers if a.callback_query_id in taps]) == 2,
                      what="both taps answered")
    stats_written_so_far(server, bot)
    assert picks_of(bot, "agreement-kyrgyzstan-2022") == picked + 1
