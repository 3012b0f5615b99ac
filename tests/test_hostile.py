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

from tests.conftest import PROBE_ANSWER, PROBE_QUESTION, assert_no_reply

BOT = "treaty_test_bot"
STALE = "That button is no longer available."
SLOW_DOWN = "You are sending messages very fast"
FLOOD_LIMIT = 8        # questions answered per user per window
FLOOD_WINDOW = 10.0    # seconds
_ids = itertools.count(52_000)


@pytest.fixture()
def watch(server, bot, accepted):
    """Per test: the bot stays up, logs no handler failure, and Telegram accepted everything."""
    log_start = len(bot.logs())
    yield
    assert not bot.exited(), f"the bot exited:\n{bot.logs()[-3000:]}"
    new_logs = bot.logs()[log_start:]
    failures = [line for line in new_logs.splitlines() if "failure while handling" in line or "Traceback" in line]
    assert not failures, "the bot logged failures:\n" + new_logs[-4000:]


def new_id() -> int:
    return next(_ids)


def group_chat(chat_id: int, kind: str = "group") -> dict:
    return {"id": chat_id, "type": kind, "title": f"Test {kind} {chat_id}"}


# ----------------------------------------------------------------------------- callbacks

FORGED = [
    pytest.param("e:no-such-entry-anywhere", False, id="unknown-entry"),
    pytest.param("x" * 64, False, id="unknown-kind-64-bytes"),
    pytest.param("s:../../etc/passwd", False, id="path-as-a-pick"),
    pytest.param("c:ask", False, id="command-no-button-runs"),
    pytest.param("e:" + "x" * 198, False, id="oversized"),                # 200 bytes, Telegram allows 64
    pytest.param("s:" + "ə" * 99, False, id="oversized-utf8"),            # 200 bytes of two-byte letters
    pytest.param("", False, id="empty"),
    pytest.param(None, False, id="no-data"),
    pytest.param("v:+:no-such-entry", False, id="vote-for-no-entry"),
    pytest.param("v:-:" + "z" * 196, False, id="oversized-vote"),
    pytest.param("e:" + "y" * 198, True, id="oversized-on-an-inline-message"),  # no message in the update
]


@pytest.mark.parametrize(("data", "inline"), FORGED)
def test_forged_callback_data_is_answered_without_a_message(server, watch, data, inline):
    chat = new_id()
    user = server.user(chat)
    server.send_text(chat, "energy", user=user)
    answer = server.wait_for(lambda m: m.chat_id == chat)
    query = {"id": f"forged-{chat}", "from": user, "chat_instance": f"ci{chat}"}
    if inline:
        query["inline_message_id"] = "AAAA"
    else:
        query["message"] = {"message_id": answer.message_id, "date": int(time.time()), "from": server.bot_user,
                            "chat": {"id": chat, "type": "private", "first_name": "Test"}, "text": answer.plain_text}
    if data is not None:
        query["data"] = data
    forged = server.queue_update({"callback_query": query})
    toast = server.wait_until(lambda: next((a for a in server.callback_answers if a.callback_query_id == query["id"]),
                                           None), what="the forged callback query to be answered")
    assert toast.text == STALE
    assert_no_reply(server, [forged], [chat], probe_chat=chat, user=user)


# ----------------------------------------------------------------------------- unwanted update types


def test_edited_message_gets_no_reply(server, watch):
    chat = new_id()
    server.send_text(chat, "energy")
    server.wait_for(lambda m: m.chat_id == chat)
    private = server.queue_update({"edited_message": {
        "message_id": 1, "date": int(time.time()) - 5, "edit_date": int(time.time()),
        "chat": {"id": chat, "type": "private", "first_name": "Test"}, "from": server.user(chat),
        "text": "When was the treaty signed?"}})
    group, member = -new_id(), server.user(new_id())
    in_group = server.queue_update({"edited_message": {
        "message_id": 7, "date": int(time.time()) - 5, "edit_date": int(time.time()), "chat": group_chat(group),
        "from": member, "text": f"@{BOT} when was the treaty signed?",
        "entities": [{"type": "mention", "offset": 0, "length": len(BOT) + 1}]}})
    assert_no_reply(server, [private], [chat], probe_chat=chat)
    assert_no_reply(server, [in_group], [group], probe_chat=group, user=member, chat_type="group",
                    question=f"@{BOT} {PROBE_QUESTION}")


def test_messages_without_text_get_one_hint_each(server, watch):
    chat = new_id()
    user = server.user(chat)
    private = {"id": chat, "type": "private", "first_name": "Test"}
    base = {"date": int(time.time()), "chat": private, "from": user}
    photo = [{"file_id": "AgAD", "file_unique_id": "p1", "width": 90, "height": 90}]
    contents = [
        {"sticker": {"file_id": "CAAC", "file_unique_id": "u1", "type": "regular", "width": 512, "height": 512,
                     "is_animated": False, "is_video": False, "emoji": "👍"}},
        {"location": {"latitude": 40.4093, "longitude": 49.8671}},
        {"contact": {"phone_number": "+994000000", "first_name": "X"}},
        {"dice": {"emoji": "🎲", "value": 6}},
        # A photo whose caption is a question: captions are not read as questions (only text is).
        {"caption": "When was the treaty signed? <b>&", "photo": photo},
    ]
    updates = [server.queue_update({"message": {**base, "message_id": number, **content}})
               for number, content in enumerate(contents, start=1)]
    hints = server.wait_until(lambda: len(server.replies_to(chat)) >= 5 and server.replies_to(chat),
                              what="a hint for each of the five")
    assert [reply.plain_text for reply in hints] == ["I read text only: please type your question."] * 5
    assert_no_reply(server, updates, [chat], probe_chat=chat, allowed=hints)  # one hint each, nothing more


def test_channel_post_gets_no_reply(server, watch):
    channel = -1_000_000_000_000 - new_id()
    chat = {"id": channel, "type": "channel", "title": "Treaty news", "username": "treaty_news"}
    posts = [
        server.queue_update({"channel_post": {
            "message_id": 1, "date": int(time.time()), "chat": chat, "sender_chat": chat,
            "text": f"@{BOT} when was the treaty signed? /treaty",
            "entities": [{"type": "mention", "offset": 0, "length": len(BOT) + 1}]}}),
        server.queue_update({"edited_channel_post": {"message_id": 1, "date": int(time.time()),
                                                     "edit_date": int(time.time()), "chat": chat, "sender_chat": chat,
                                                     "text": "/treaty",
                                                     "entities": [{"type": "bot_command", "offset": 0, "length": 7}]}}),
    ]
    assert_no_reply(server, posts, [channel], probe_chat=new_id())  # a channel post has no user to ask instead


def test_added_to_a_group(server, watch):
    group = -new_id()
    adder = server.user(new_id(), first_name="Admin")
    other = server.user(new_id(), first_name="Newcomer")
    bot_member = {key: server.bot_user[key] for key in ("id", "is_bot", "first_name", "username")}
    joined = [
        server.queue_update({"my_chat_member": {
            "chat": group_chat(group), "from": adder, "date": int(time.time()),
            "old_chat_member": {"status": "left", "user": bot_member},
            "new_chat_member": {"status": "member", "user": bot_member}}}),
        server.queue_update({"message": {"message_id": 1, "date": int(time.time()), "chat": group_chat(group),
                                         "from": adder, "new_chat_members": [bot_member],
                                         "new_chat_member": bot_member, "new_chat_participant": bot_member}}),
        server.queue_update({"message": {"message_id": 2, "date": int(time.time()), "chat": group_chat(group),
                                         "from": other, "new_chat_members": [other]}}),
    ]
    # No chatter in the group, none for the newcomer either; and the bot works in the group it joined.
    reply = assert_no_reply(server, joined, [group, adder["id"], other["id"]], probe_chat=group, user=adder,
                            chat_type="group", question=f"/ask@{BOT} {PROBE_QUESTION}")
    assert reply.reply_to_message_id is not None


def test_group_chatter_about_the_treaty_gets_no_reply(server, watch):
    group = -new_id()
    user = server.user(new_id())
    someone = server.user(new_id(), first_name="Someone")
    chatter = []
    for kind in ("group", "supergroup"):
        chatter += [
            server.send_text(group, "the treaty was signed in 2024, right?", user=user, chat_type=kind),
            server.send_text(group, "Treaty", user=user, chat_type=kind),
            server.send_text(group, "what does treaty_test_bot think about the treaty?", user=user, chat_type=kind),
            server.send_text(group, "@other_bot when was the treaty signed?", user=user, chat_type=kind),
            server.send_text(group, f"@{BOT}_fan when was the treaty signed?", user=user, chat_type=kind,
                             entities=[{"type": "mention", "offset": 0, "length": len(BOT) + 5}]),
            server.send_text(group, "/treaty@other_bot", user=user, chat_type=kind),
            server.send_text(group, "/frobnicate", user=user, chat_type=kind),
        ]
        human = server.send_text(group, "who knows the treaty date?", user=someone, chat_type=kind)
        chatter += [human, server.send_text(group, "the treaty was 23 August", user=user, chat_type=kind,
                                            reply_to=human["message"])]
    assert_no_reply(server, chatter, [group, user["id"], someone["id"]], probe_chat=group, user=user,
                    chat_type="supergroup", question=f"@{BOT} {PROBE_QUESTION}")


# ----------------------------------------------------------------------------- flooding


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
    flood = []
    for number in range(300):
        flood.append(server.press_button(flooder_chat, answer, button, user=flooder))
        flood.append(server.send_text(flooder_chat, f"Question {number}: what about energy?", user=flooder))
        if number == 150:
            server.send_text(calm_chat, PROBE_QUESTION)
    server.wait_until(lambda: all(server.confirmed_at(update["update_id"]) for update in flood), timeout=30,
                      what="the bot to take the whole flood")
    time.sleep(FLOOD_WINDOW + 0.5)  # once the window is over, the same user is answered again
    replies = server.replies_to(flooder_chat)[1:]
    requests_made = list(server.requests)[requests_before:]
    # Nothing for the flood but what was seen: the flooder's next question is answered alone.
    assert_no_reply(server, flood, [flooder_chat], probe_chat=flooder_chat, user=flooder, allowed=replies)

    calm = server.replies_to(calm_chat)
    assert len(calm) == 1 and PROBE_ANSWER in calm[0].plain_text
    notices = [m for m in replies if SLOW_DOWN in m.plain_text]
    toasts = [a for a in server.callback_answers[answers_before:] if a.text and SLOW_DOWN in a.text]
    assert len(notices) + len(toasts) == 1, f"{len(notices)} notices and {len(toasts)} toasts: told once"
    handled = len(replies) - len(notices)  # every admitted press or message is answered with one message
    assert handled == FLOOD_LIMIT - 1, f"{handled} of 600 updates were handled; {FLOOD_LIMIT - 1} were left in budget"
    made = [r for r in requests_made if r.chat_id != calm_chat and r.method != "getUpdates"]
    assert len(made) <= 2 * FLOOD_LIMIT + 1, f"{len(made)} Bot API requests for 600 updates, almost all dropped"
