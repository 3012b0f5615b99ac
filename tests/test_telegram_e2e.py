"""End to end: the production bot process against a fake Bot API server over real HTTP.

The fake server rejects whatever Telegram would reject (bad HTML, over-long text,
oversized callback data, too many inline results), and every test ends by checking
that nothing was rejected.
"""

from __future__ import annotations

import itertools
import json
import socket
import subprocess
import sys

import httpx
import pytest

from tests.bot_process import ROOT, BotProcess, free_port, wait_port
from tests.conftest import assert_no_reply, assert_secrets_not_logged
from tests.fake_bot_api import FakeBotAPI

BOT = "treaty_test_bot"
_chat_ids = itertools.count(1000)


@pytest.fixture()
def chat(server, bot, accepted):
    """A fresh private chat id; after the test, Telegram must have accepted everything sent during it."""
    return next(_chat_ids)


def buttons_of(message) -> list[dict]:
    return [button for row in (message.reply_markup or {}).get("inline_keyboard", []) for button in row]


def test_private_question_gets_the_cited_answer(server, chat):
    server.send_text(chat, "When was the treaty signed?")
    reply = server.wait_for(lambda m: m.chat_id == chat)
    assert reply.parse_mode == "HTML"
    assert reply.text.startswith("<b>Treaty on Allied Relations with Uzbekistan (23 August 2024)</b>")
    assert "<blockquote>Treaty on Allied Relations Between the Republic of Azerbaijan and the Republic of Uzbekistan – August 23, 2024</blockquote>" in reply.text
    assert "Source: “Alliance Relations Between Azerbaijan And Uzbekistan" in reply.plain_text
    assert reply.reply_to_message_id is None  # no quoting in a private chat
    assert reply.link_preview_options == {"is_disabled": True}  # the source's link stays a link
    assert [button["callback_data"] for button in buttons_of(reply)] == [
        "e:treaty", "e:agreements", "v:+:agreement-uzbekistan-2024", "v:-:agreement-uzbekistan-2024"]


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("/start", "Hello! I answer questions"),
        ("/help", "/agreements — the five agreements"),
        ("/treaty", "signed on 23 August 2024 during Ilham Aliyev's visit to Uzbekistan"),
        ("/agreements", "8 August 2017 — Declaration on Strategic Partnership Between the Republic of Azerbaijan and Turkmenistan"),
        ("/ask what about renewable energy", "3. Cooperation in the Energy Sector"),
        ("/source", "The text gives no author, URL or publication date."),
        ("/start energy", "3. Cooperation in the Energy Sector"),
        ("/start agreement-tajikistan-2024", "Declaration with Tajikistan (23 May 2024)"),
        ("/frobnicate", "I do not know that command"),
    ],
)
def test_commands(server, chat, command, expected):
    server.send_text(chat, command)
    reply = server.wait_for(lambda m: m.chat_id == chat)
    assert expected in reply.plain_text


def test_treaty_command_offers_a_button_per_area_and_the_outcomes(server, chat):
    server.send_text(chat, "/treaty")
    reply = server.wait_for(lambda m: m.chat_id == chat)
    data = [button["callback_data"] for button in buttons_of(reply)]
    assert {"e:area-political", "e:area-economic", "e:area-energy", "e:area-cultural", "e:outcomes"} <= set(data)


def test_command_menu_for_private_chats_and_groups_in_several_languages(server, bot):
    for scope in ("all_private_chats", "all_group_chats"):
        english = {command["command"]: command["description"] for command in server.commands[(scope, "")]}
        russian = {command["command"]: command["description"] for command in server.commands[(scope, "ru")]}
        assert {"ask", "treaty", "agreements"} <= set(english)
        assert english["treaty"] == "The treaty in brief" and russian["treaty"] == "Кратко о договоре"
    assert "start" in {command["command"] for command in server.commands[("all_private_chats", "")]}


def test_group_replies_only_when_addressed(server, chat):
    group = -chat
    asker = server.user(chat, language_code="en")
    chatter = server.send_text(group, "energy prices are crazy today", user=asker, chat_type="supergroup")
    assert_no_reply(server, [chatter], [group], probe_chat=group, user=asker, chat_type="supergroup",
                    question="/treaty", answer="The Treaty on Allied Relations")  # commands are always for us
    mention = server.send_text(group, f"@{BOT} when was the declaration with Kazakhstan signed?", user=asker,
                               chat_type="supergroup")
    answer = server.wait_for(lambda m: m.chat_id == group and "Kazakhstan" in m.plain_text)
    assert answer.reply_to_message_id == mention["message"]["message_id"]  # replies to the asker
    assert "24 August 2022" in answer.plain_text
    followup = server.send_text(group, "and with Turkmenistan?", user=asker, chat_type="supergroup", reply_to=answer)
    reply = server.wait_for(lambda m: m.chat_id == group and m.reply_to_message_id == followup["message"]["message_id"])
    assert "8 August 2017" in reply.plain_text
    server.send_text(group, f"/ask@{BOT} student exchanges", user=asker, chat_type="group")
    server.wait_for(lambda m: m.chat_id == group and "Cultural and Educational" in m.plain_text)


def test_related_button_sends_a_new_message(server, chat):
    server.send_text(chat, "energy security")
    answer = server.wait_for(lambda m: m.chat_id == chat)
    tap = server.press_button(chat, answer, "e:treaty-areas")["callback_query"]["id"]
    second = server.wait_for(lambda m: m.chat_id == chat and m.message_id != answer.message_id)
    assert second.method == "sendMessage"
    assert "The treaty's key areas of cooperation" in second.plain_text
    answered = server.wait_until(lambda: [a for a in server.callback_answers if a.callback_query_id == tap])
    assert answered[0].text is None  # the spinner stops without a toast


def test_did_you_mean_flow_edits_the_question_into_the_answer(server, chat):
    server.send_text(chat, "strategic partnership declaration")  # three declarations fit it equally
    question = server.wait_for(lambda m: m.chat_id == chat)
    assert "I am not sure which of these you mean" in question.plain_text
    data = {button["callback_data"] for button in buttons_of(question)}
    assert data == {"s:agreement-turkmenistan-2017", "s:agreement-kyrgyzstan-2022", "s:agreement-tajikistan-2024"}
    server.press_button(chat, question, "s:agreement-kyrgyzstan-2022")
    edited = server.wait_for(lambda m: m.chat_id == chat and m.method == "editMessageText")
    assert edited.message_id == question.message_id
    assert "20 April 2022" in edited.plain_text
    tap = server.press_button(chat, question, "s:agreement-kyrgyzstan-2022", check=False)  # a double tap
    assert_no_reply(server, [tap], [chat], probe_chat=chat)  # the pick is the answer already: nothing is edited again
    server.wait_until(lambda: [a for a in server.callback_answers if a.callback_query_id == tap["callback_query"]["id"]],
                      what="the repeated tap answered")


def test_no_answer_offers_topics(server, chat):
    server.send_text(chat, "What's the weather in Baku?")
    reply = server.wait_for(lambda m: m.chat_id == chat)
    assert "could not find that in these materials" in reply.plain_text
    assert {"c:treaty", "c:agreements"} <= {button["callback_data"] for button in buttons_of(reply)}


def test_interface_follows_the_users_language(server, chat):
    server.send_text(chat, "энергетика", user=server.user(chat, language_code="ru"))
    reply = server.wait_for(lambda m: m.chat_id == chat)
    assert "Источник:" in reply.plain_text
    assert "Energy cooperation between Azerbaijan and Uzbekistan" in reply.plain_text  # quotes stay verbatim
    server.send_text(chat, "Shartnoma qachon imzolangan?", user=server.user(chat, language_code="de"))
    reply = server.wait_for(lambda m: m.chat_id == chat and "Manba:" in m.plain_text)
    assert "August 23, 2024" in reply.plain_text


def test_inline_query(server, chat):
    user = server.user(chat)
    queries = {text: server.inline_query(text, user=user)["inline_query"]["id"]
               for text in ("zangezur", "", "weather in Baku")}

    def answer_to(text: str):
        return next((a for a in server.inline_answers if a.inline_query_id == queries[text]), None)

    server.wait_until(lambda: all(answer_to(text) for text in queries), what="three inline answers")
    found, topics, nothing = (answer_to(text) for text in queries)
    assert found.results[0]["id"] == "zangezur-corridor"
    content = found.results[0]["input_message_content"]
    assert "such as the Zangezur Corridor" in content["message_text"] and content["parse_mode"] == "HTML"
    assert found.cache_time == 300  # the answers are static: Telegram may cache them for five minutes,
    assert found.is_personal        # ... per user: they are in the asker's language
    assert 1 <= len(found.results) <= 10
    assert {"treaty", "agreements", "outcomes"} <= {result["id"] for result in topics.results}
    assert nothing.results == [] and nothing.button["start_parameter"] == "welcome"
    mark = len(server.sent)
    server.send_text(chat, "/start welcome")  # where that button leads: the welcome, not a search for "welcome"
    assert server.wait_for(lambda m: m.chat_id == chat, since=mark).plain_text.startswith("Hello!")


def test_malformed_updates_do_not_stop_the_bot(server, chat, bot):
    server.queue_update({"message": {"message_id": 1, "date": 0, "chat": {"id": chat, "type": "private"}}})  # no text
    server.queue_update({"message": {"message_id": 2, "date": 0, "chat": {"id": chat, "type": "private"},
                                     "sticker": {"file_id": "x", "file_unique_id": "y", "type": "regular",
                                                 "width": 1, "height": 1, "is_animated": False, "is_video": False}}})
    server.queue_update({"callback_query": {"id": "q-unknown", "chat_instance": "1", "from": server.user(chat)}})
    server.queue_update({"inline_query": {"id": "iq", "from": server.user(chat), "query": "x" * 300, "offset": ""}})
    server.send_text(chat, "<b>unclosed & \u202e evil</b>" * 500)
    server.send_text(chat, "When was the declaration with Tajikistan signed?")
    reply = server.wait_for(lambda m: m.chat_id == chat and "Tajikistan" in m.plain_text, timeout=15)
    assert "23 May 2024" in reply.plain_text
    assert not bot.exited()


def test_config_errors_are_one_line_without_traceback():
    cases = [({"TELEGRAM_BOT_TOKEN": ""}, "TELEGRAM_BOT_TOKEN is not set"),
             ({"TELEGRAM_BOT_TOKEN": "not-a-token"}, "TELEGRAM_BOT_TOKEN is malformed"),
             ({"TELEGRAM_BOT_TOKEN": "1:a", "TELEGRAM_API_URL": "ftp://x"}, "TELEGRAM_API_URL must be"),
             ({"TELEGRAM_BOT_TOKEN": "1:a", "WEBHOOK_URL": "https://example.org/hook"}, "WEBHOOK_SECRET"),
             ({"TELEGRAM_BOT_TOKEN": "1:a", "WEBHOOK_PORT": "99999"}, "WEBHOOK_PORT"),
             ({"TELEGRAM_BOT_TOKEN": "1:a", "WEBHOOK_URL": "http://bot.example.org/hook", "WEBHOOK_SECRET": "s"},
              "Telegram posts only to https"),
             ({"TELEGRAM_BOT_TOKEN": "1:a", "WEBHOOK_URL": "https://bot.example.org", "WEBHOOK_SECRET": "s"},
              "WEBHOOK_URL needs a path")]
    for settings, message in cases:
        env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), **settings}
        done = subprocess.run([sys.executable, "-m", "bot", "run"], env=env, cwd="/", capture_output=True,
                              text=True, timeout=60)
        assert done.returncode == 2, done
        assert message in done.stderr
        assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_invalid_knowledge_base_refuses_to_start(server, kb_copy):
    (kb_copy / "azerbaijan-uzbekistan.yaml").write_text("entries:\n  - id: x\n    kind: nope\n", encoding="utf-8")
    process = BotProcess(server, KNOWLEDGE_PATH=str(kb_copy)).start(wait_ready=False)
    process.process.wait(60)
    assert process.process.returncode == 1
    assert "refusing to start" in process.logs() and "field 'kind'" in process.logs()


def webhook_settings(port: int) -> dict[str, str]:
    """Webhook mode on a local port (http is allowed for a loopback address only)."""
    return {"WEBHOOK_URL": f"http://127.0.0.1:{port}/hook", "WEBHOOK_SECRET": "s3cret-Token",
            "WEBHOOK_LISTEN": "127.0.0.1", "WEBHOOK_PORT": str(port)}


def test_webhook_mode_checks_the_secret_header_and_refuses_what_is_not_an_update():
    with FakeBotAPI(token="555:AAE-webhookTestSecretHalf", bot_username=BOT) as fake:
        port = free_port()
        settings = webhook_settings(port)
        with BotProcess(fake, **settings) as process:
            wait_port(port)
            assert fake.webhook["url"] == settings["WEBHOOK_URL"]
            assert fake.webhook["secret_token"] == "s3cret-Token"
            url = settings["WEBHOOK_URL"]
            forged = fake.send_text(7, "energy")
            for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
                response = httpx.post(url, content=json.dumps(forged), headers={"Content-Type": "application/json", **headers})
                assert response.status_code == 403
            secret = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": "s3cret-Token"}
            private_text = "my phone is 5550142 and my name is Zuhra"
            for body in (b"", b"{not json", b"[1, 2]", b'{"no": "update_id"}', "\xff".encode("latin-1"),
                         json.dumps({"update_id": 5, "message": {"text": private_text}}).encode()):
                response = httpx.post(url, content=body, headers=secret)
                assert response.status_code == 400, (body[:40], response.status_code)
            huge = json.dumps({"update_id": 6, "message": {"text": "x" * 2_000_000}}).encode()
            try:
                status = httpx.post(url, content=huge, headers=secret).status_code
            except httpx.HTTPError:
                status = "closed"  # refused before the body was read: either answer will do
            assert status in (400, 413, "closed"), status

            def post_genuine(update: dict) -> None:
                assert httpx.post(url, content=json.dumps(update), headers=secret).status_code == 200

            assert_no_reply(fake, [forged], [7], probe_chat=7, deliver=post_genuine)  # the forged one was dropped
        assert process.process.returncode == 0
        logs = process.logs()
        assert_secrets_not_logged(logs, fake.token, "s3cret-Token")
        assert logs.count("not a Telegram update") == 6 and private_text not in logs and "x" * 100 not in logs, logs
        assert "Traceback" not in logs and "CRITICAL" not in logs, logs
        assert fake.rejections == []  # this test's own server


def test_secret_filter_redacts_the_token_and_its_secret_half():
    import logging

    from bot.ops.run import SecretFilter

    token = "123456:ABCdefGHI_jkl"
    record = logging.LogRecord("httpx", logging.INFO, __file__, 1, "POST https://x/bot%s/getMe and %s", (token, "ABCdefGHI_jkl"), None)
    SecretFilter(token, "").filter(record)
    assert record.getMessage() == "POST https://x/bot<redacted>/getMe and <redacted>"


def test_never_faster_than_telegram_allows(server, bot, accepted):
    """Measured at the server: at most 30 messages in any second, however many users ask at once."""
    first = 70_000
    started = len(server.sent)
    for chat in range(first, first + 45):  # 45 users at once
        server.send_text(chat, "energy")
    for question in ("student exchanges", "zangezur corridor", "energy security"):  # one user, three in a row
        server.send_text(first + 100, question)
    server.wait_until(lambda: len(server.sent) - started >= 48, timeout=30, what="48 replies")
    sends = sorted(message.time for message in server.sent[started:])
    assert max(sum(1 for t in sends if start <= t < start + 1.0) for start in sends) <= 30
    own = [message.plain_text for message in server.replies_to(first + 100)]
    assert [("exchange" in own[0]), ("Zangezur" in own[1]), ("energy" in own[2].lower())] == [True] * 3, own


def test_a_webhook_telegram_refuses_is_one_plain_line():
    """setWebhook answered 400 (e.g. a certificate Telegram cannot verify): one line, exit 1, no traceback."""
    with FakeBotAPI(token="558:AAF-refusedWebhookSecretHalf", bot_username=BOT) as fake:
        fake.fail_next("setWebhook", status=400, count=50, description="Bad Request: bad webhook: SSL error")
        port = free_port()
        settings = webhook_settings(port)
        process = BotProcess(fake, **settings).start(wait_ready=False)
        process.process.wait(60)
        logs = process.logs()
    assert process.process.returncode == 1, logs
    assert "Telegram refused the webhook http://127.0.0.1" in logs and "bad webhook: ssl error" in logs.lower(), logs
    assert "Traceback" not in logs, logs


def test_a_webhook_port_in_use_is_one_plain_line():
    with FakeBotAPI(token="556:webhook", bot_username=BOT) as fake, socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        settings = webhook_settings(port)
        process = BotProcess(fake, **settings).start(wait_ready=False)
        process.process.wait(60)
        logs = process.logs()
    assert process.process.returncode == 1, logs
    assert f"port {port} is in use" in logs and "Traceback" not in logs, logs


def test_another_instance_polling_is_one_line_not_a_traceback_each_time():
    """409 Conflict on getUpdates (a second bot on the same token): said plainly, and the bot goes on."""
    with FakeBotAPI(token="557:conflict", bot_username=BOT) as fake, BotProcess(fake) as process:
        fake.fail_next("getUpdates", status=409, count=3)
        fake.wait_until(lambda: "another instance is polling" in process.logs(), timeout=30, what="the conflict line")
        fake.send_text(9, "When was the treaty signed?")
        assert "August 23, 2024" in fake.wait_for(lambda m: m.chat_id == 9, timeout=30).plain_text
        logs = process.logs()
    assert logs.count("another instance is polling") == 1 and "Traceback" not in logs, logs


def test_no_log_line_carries_what_people_wrote_even_at_debug(server, bot, chat):
    """python-telegram-bot logs whole updates at DEBUG; the bot keeps its loggers at INFO."""
    secret_words = "my-passport-number-AB1234567 and Zuhra's address"
    server.send_text(chat, f"energy {secret_words}")
    server.wait_for(lambda m: m.chat_id == chat)
    assert secret_words not in bot.logs() and " DEBUG " in bot.logs()
