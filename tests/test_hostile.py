"""End to end: hostile, odd and unwanted updates against the real bot process.

Forged and oversized callback data, edited messages, messages without text, channel
posts, the bot being added to a group, group chatter that is not addressed to the bot,
and one user flooding the bot while another keeps asking. In every case the bot must
keep running, must not reply where it should not, must not log a handler failure, and
Telegram must have accepted everything it sent.
"""

from __future__ import annotations

import itertools
import time

import pytest

from bot.dialog import Dialog
from tests.conftest import KNOWLEDGE
from tests.fake_bot_api import FakeBotAPI

BOT = "treaty_test_bot"
STALE = "That button is no longer available."
SLOW_DOWN = "You are sending messages very fast"
TAJIKISTAN = "When was the declaration with Tajikistan signed?"  # answered with "23 May 2024"
FLOOD_LIMIT = 8        # questions answered per user per window
FLOOD_WINDOW = 10.0    # seconds
_ids = itertools.count(52_000)


@pytest.fixture()
def watch(server, bot):
    """Per test: the bot stays up, logs no handler failure, and Telegram accepted everything."""
    log_start = len(bot.logs())
    yield
    assert not bot.exited(), f"the bot exited:\n{bot.logs()[-3000:]}"
    new_logs = bot.logs()[log_start:]
    failures = [line for line in new_logs.splitlines() if "failure while handling" in line or "Traceback" in line]
    assert not failures, "the bot logged failures:\n" + new_logs[-4000:]
    assert server.rejections == [], server.rejections


def new_id() -> int:
    return next(_ids)


def wait_for_quiet(server: FakeBotAPI, seconds: float = 1.0) -> None:
    """Wait until every queued update was confirmed and nothing was sent for ``seconds``."""
    server.wait_until(lambda: not server.pending_updates, timeout=15, what="every update to be confirmed")
    server.wait_until_quiet(seconds)


def ask_and_get_answer(server: FakeBotAPI, chat: int, question: str = TAJIKISTAN, **kwargs) -> None:
    """The bot still answers normally in ``chat``."""
    before = len(server.replies_to(chat))
    server.send_text(chat, question, **kwargs)
    server.wait_until(lambda: len(server.replies_to(chat)) > before, timeout=10, what=f"an answer in chat {chat}")
    assert "23 May 2024" in server.replies_to(chat)[-1].plain_text


def group_chat(chat_id: int, kind: str = "group") -> dict:
    return {"id": chat_id, "type": kind, "title": f"Test {kind} {chat_id}"}


# ----------------------------------------------------------------------------- callbacks


def test_forged_callback_data_unknown_id_and_oversized(server, watch):
    chat = new_id()
    server.send_text(chat, "energy")
    answer = server.wait_for(lambda m: m.chat_id == chat)
    message = {"message_id": answer.message_id, "date": int(time.time()), "from": server.bot_user,
               "chat": {"id": chat, "type": "private", "first_name": "Test"}, "text": answer.plain_text}
    forged = {
        "forged-unknown": "e:no-such-entry-anywhere",
        "forged-suggest": "s:../../etc/passwd",
        "forged-command": "c:ask",
        "forged-oversized": "e:" + "x" * 198,                    # 200 bytes, Telegram allows 64
        "forged-oversized-utf8": "s:" + "ə" * 99,                # 200 bytes of two-byte letters
        "forged-empty": "",
        "forged-vote": "v:+:no-such-entry",
        "forged-vote-oversized": "v:-:" + "z" * 196,
    }
    for query_id, data in forged.items():  # each from another user, so none is over a flood budget
        server.queue_update({"callback_query": {"id": query_id, "from": server.user(new_id()), "chat_instance": f"ci{chat}",
                                                "message": message, "data": data}})
    # The same kinds of forgery on an inline message (no message in the update at all).
    server.queue_update({"callback_query": {"id": "forged-inline", "from": server.user(chat), "chat_instance": "x",
                                            "inline_message_id": "AAAA", "data": "e:" + "y" * 198}})

    def answered(query_id: str):
        return next((a for a in server.callback_answers if a.callback_query_id == query_id), None)

    server.wait_until(lambda: all(answered(query_id) for query_id in [*forged, "forged-inline"]), timeout=10,
                      what="every forged callback query to be answered")
    for query_id in [*forged, "forged-inline"]:
        assert answered(query_id).text == STALE, (query_id, answered(query_id))
    wait_for_quiet(server, 0.5)
    assert len(server.replies_to(chat)) == 1, [m.plain_text[:80] for m in server.replies_to(chat)]
    ask_and_get_answer(server, chat)


# ----------------------------------------------------------------------------- unwanted update types


def test_edited_message_gets_no_reply(server, watch):
    chat = new_id()
    server.send_text(chat, "energy")
    original = server.wait_for(lambda m: m.chat_id == chat)
    server.queue_update({"edited_message": {
        "message_id": 1, "date": int(time.time()) - 5, "edit_date": int(time.time()),
        "chat": {"id": chat, "type": "private", "first_name": "Test"}, "from": server.user(chat),
        "text": "When was the treaty signed?"}})
    group = -new_id()
    server.queue_update({"edited_message": {
        "message_id": 7, "date": int(time.time()) - 5, "edit_date": int(time.time()), "chat": group_chat(group),
        "from": server.user(new_id()), "text": f"@{BOT} when was the treaty signed?",
        "entities": [{"type": "mention", "offset": 0, "length": len(BOT) + 1}]}})
    wait_for_quiet(server, 1.0)
    assert server.replies_to(chat) == [original]
    assert server.replies_to(group) == []
    ask_and_get_answer(server, chat)


def test_messages_without_text(server, watch):
    chat = new_id()
    user = server.user(chat)
    private = {"id": chat, "type": "private", "first_name": "Test"}
    base = {"date": int(time.time()), "chat": private, "from": user}
    server.queue_update({"message": {**base, "message_id": 1, "sticker": {
        "file_id": "CAAC", "file_unique_id": "u1", "type": "regular", "width": 512, "height": 512,
        "is_animated": False, "is_video": False, "emoji": "👍"}}})
    server.queue_update({"message": {**base, "message_id": 2, "location": {"latitude": 40.4093, "longitude": 49.8671}}})
    server.queue_update({"message": {**base, "message_id": 3,
                                     "contact": {"phone_number": "+994000000", "first_name": "X"}}})
    server.queue_update({"message": {**base, "message_id": 4, "dice": {"emoji": "🎲", "value": 6}}})
    # A photo whose caption is a question: captions are not read as questions (only text is).
    photo = [{"file_id": "AgAD", "file_unique_id": "p1", "width": 90, "height": 90}]
    server.queue_update({"message": {**base, "message_id": 5, "caption": "When was the treaty signed? <b>&",
                                     "photo": photo}})
    hints = server.wait_until(lambda: len(server.replies_to(chat)) >= 5 and server.replies_to(chat),
                              what="a hint for each of the five")
    wait_for_quiet(server, 1.0)
    assert [reply.plain_text for reply in server.replies_to(chat)] == ["I read text only: please type your question."] * 5
    assert len(hints) == 5
    ask_and_get_answer(server, chat)


def test_channel_post_gets_no_reply(server, watch):
    channel = -1_000_000_000_000 - new_id()
    chat = {"id": channel, "type": "channel", "title": "Treaty news", "username": "treaty_news"}
    server.queue_update({"channel_post": {"message_id": 1, "date": int(time.time()), "chat": chat, "sender_chat": chat,
                                          "text": f"@{BOT} when was the treaty signed? /treaty",
                                          "entities": [{"type": "mention", "offset": 0, "length": len(BOT) + 1}]}})
    server.queue_update({"edited_channel_post": {"message_id": 1, "date": int(time.time()),
                                                 "edit_date": int(time.time()),
                                                 "chat": chat, "sender_chat": chat, "text": "/treaty",
                                                 "entities": [{"type": "bot_command", "offset": 0, "length": 7}]}})
    wait_for_quiet(server, 1.0)
    assert server.replies_to(channel) == []


def test_added_to_a_group(server, watch):
    group = -new_id()
    adder = server.user(new_id(), first_name="Admin")
    bot_member = {key: server.bot_user[key] for key in ("id", "is_bot", "first_name", "username")}
    server.queue_update({"my_chat_member": {
        "chat": group_chat(group), "from": adder, "date": int(time.time()),
        "old_chat_member": {"status": "left", "user": bot_member},
        "new_chat_member": {"status": "member", "user": bot_member}}})
    server.queue_update({"message": {"message_id": 1, "date": int(time.time()), "chat": group_chat(group),
                                     "from": adder, "new_chat_members": [bot_member], "new_chat_member": bot_member,
                                     "new_chat_participant": bot_member}})
    other = server.user(new_id(), first_name="Newcomer")
    server.queue_update({"message": {"message_id": 2, "date": int(time.time()), "chat": group_chat(group),
                                     "from": other, "new_chat_members": [other]}})
    wait_for_quiet(server, 1.0)
    assert server.replies_to(group) == []  # no chatter in the group, none for the newcomer either
    assert server.replies_to(adder["id"]) == [] and server.replies_to(other["id"]) == []
    # The bot works in the group it was added to.
    server.send_text(group, f"/ask@{BOT} {TAJIKISTAN}", user=adder, chat_type="group")
    reply = server.wait_for(lambda m: m.chat_id == group and "23 May 2024" in m.plain_text)
    assert reply.reply_to_message_id is not None


def test_group_chatter_about_the_treaty_gets_no_reply(server, watch):
    group = -new_id()
    user = server.user(new_id())
    someone = server.user(new_id(), first_name="Someone")
    for kind in ("group", "supergroup"):
        server.send_text(group, "the treaty was signed in 2024, right?", user=user, chat_type=kind)
        server.send_text(group, "Treaty", user=user, chat_type=kind)
        server.send_text(group, "what does treaty_test_bot think about the treaty?", user=user, chat_type=kind)
        server.send_text(group, "@other_bot when was the treaty signed?", user=user, chat_type=kind)
        server.send_text(group, f"@{BOT}_fan when was the treaty signed?", user=user, chat_type=kind,
                         entities=[{"type": "mention", "offset": 0, "length": len(BOT) + 5}])
        server.send_text(group, "/treaty@other_bot", user=user, chat_type=kind)
        server.send_text(group, "/frobnicate", user=user, chat_type=kind)
        human = server.send_text(group, "who knows the treaty date?", user=someone, chat_type=kind)
        server.send_text(group, "the treaty was 23 August", user=user, chat_type=kind, reply_to=human["message"])
    wait_for_quiet(server, 1.5)
    assert server.replies_to(group) == [], [m.plain_text[:80] for m in server.replies_to(group)]
    assert server.replies_to(user["id"]) == [] and server.replies_to(someone["id"]) == []


# ----------------------------------------------------------------------------- flooding


def flood_questions(count: int) -> list[str]:
    """Distinct questions whose replies fit in one message each (checked with the engine itself)."""
    dialog = Dialog.from_path(KNOWLEDGE)
    topics = ["the treaty", "energy", "transport", "Kazakhstan", "Tajikistan", "culture", "the economy", "Zangezur"]
    questions = [f"Question {number}: what about {topics[number % len(topics)]}?" for number in range(count)]
    for question in questions:
        assert len(dialog.ask(question, "en").reply.html_parts()) == 1, question
    return questions


def test_a_flood_of_presses_and_messages_is_dropped_at_admission(server, bot, watch):
    """300 button presses and 300 messages from one user: answered up to the budget, told once, then dropped.

    Dropped updates cost nothing: no handler runs for them, so the bot makes no
    request for them at all, and another user asking in the middle of the flood is
    answered as usual (how fast is what benchmarks/e2e_load.py measures).
    """
    flooder_chat, calm_chat = new_id(), new_id()
    flooder = server.user(flooder_chat, language_code="en")
    server.send_text(flooder_chat, "energy", user=flooder)
    answer = server.wait_for(lambda m: m.chat_id == flooder_chat)
    button = next(b["callback_data"] for row in answer.reply_markup["inline_keyboard"] for b in row
                  if b["callback_data"].startswith("e:"))
    requests_before, answers_before = len(server.requests), len(server.callback_answers)
    for number in range(300):
        server.press_button(flooder_chat, answer, button, user=flooder)
        server.send_text(flooder_chat, f"Question {number}: what about energy?", user=flooder)
        if number == 150:
            server.send_text(calm_chat, TAJIKISTAN)
    wait_for_quiet(server, 1.5)

    calm = server.replies_to(calm_chat)
    assert len(calm) == 1 and "23 May 2024" in calm[0].plain_text
    replies = server.replies_to(flooder_chat)[1:]
    notices = [m for m in replies if SLOW_DOWN in m.plain_text]
    toasts = [a for a in server.callback_answers[answers_before:] if a.text and SLOW_DOWN in a.text]
    assert len(notices) + len(toasts) == 1, f"{len(notices)} notices and {len(toasts)} toasts: told once"
    handled = len(replies) - len(notices)  # every admitted press or message is answered with one message
    assert handled == FLOOD_LIMIT - 1, f"{handled} of 600 updates were handled; {FLOOD_LIMIT - 1} were left in budget"
    made = [r for r in list(server.requests)[requests_before:] if r.chat_id != calm_chat and r.method != "getUpdates"]
    assert len(made) <= 2 * FLOOD_LIMIT + 1, f"{len(made)} Bot API requests for 600 updates, almost all dropped"

    time.sleep(FLOOD_WINDOW + 0.5)  # once the window is over, the same user is answered again
    ask_and_get_answer(server, flooder_chat, user=flooder)
