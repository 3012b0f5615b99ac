"""Self-tests for the fake Telegram Bot API server (tests/fake_bot_api.py).

They drive it with plain httpx (form-encoded and JSON bodies) and with
python-telegram-bot's ``telegram.Bot``, which is how the real bot talks to it.
"""

from __future__ import annotations

import asyncio
import datetime as dtm
import json
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Conflict, NetworkError, RetryAfter

try:
    from tests.fake_bot_api import FakeBotAPI, HtmlParseError, parse_html
except ImportError:  # tests/ is not a package: pytest puts tests/ itself on sys.path
    from fake_bot_api import FakeBotAPI, HtmlParseError, parse_html  # type: ignore[no-redef]

TOKEN = "123:abc"


@pytest.fixture
def server() -> Iterator[FakeBotAPI]:
    with FakeBotAPI(TOKEN, callback_ttl=1.0) as api:
        yield api


_CLIENT = httpx.Client(timeout=10)  # one client: creating one costs ~50 ms


def call(server: FakeBotAPI, method: str, token: str = TOKEN, client_timeout: float = 10,
         **fields: object) -> httpx.Response:
    """POST a form-encoded body, as python-telegram-bot does (nested values JSON-encoded)."""
    form = {name: value if isinstance(value, str) else json.dumps(value) for name, value in fields.items()}
    return _CLIENT.post(f"{server.base_url}{token}/{method}", data=form, timeout=client_timeout)


def run(coro):  # noqa: ANN001, ANN201
    return asyncio.run(coro)


# ---- plain HTTP ------------------------------------------------------------------------


def test_get_me_and_http_errors(server: FakeBotAPI) -> None:
    me = call(server, "GETME").json()  # method names are case-insensitive
    assert me["ok"] is True and me["result"]["username"] == "treaty_test_bot"
    assert me["result"]["id"] == 123 and me["result"]["is_bot"] is True

    wrong = call(server, "getMe", token="123:nope")
    assert wrong.status_code == 401
    assert wrong.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}

    for method in ("sendTelepathy", "deleteMessage"):  # unknown, and one the bot never calls
        unknown = call(server, method)
        assert unknown.status_code == 404
        assert unknown.json()["description"].startswith("Not Found: method not found")
    assert [r.method for r in server.rejections] == ["getMe", "sendTelepathy", "deleteMessage"]


def test_send_message(server: FakeBotAPI) -> None:
    markup = {"inline_keyboard": [[{"text": "Yes", "callback_data": "yes"}]]}
    result = call(server, "sendMessage", chat_id="7", text="<b>Hi</b> &lt;you&gt; &amp; me",
                  parse_mode="HTML", reply_markup=markup).json()["result"]
    assert result["text"] == "Hi <you> & me"
    assert result["entities"] == [{"type": "bold", "offset": 0, "length": 2}]
    assert result["reply_markup"] == markup
    assert result["from"]["is_bot"] and result["chat"] == {
        "id": 7, "type": "private", "first_name": "User"}

    second = call(server, "sendMessage", chat_id=7, text="second",
                  reply_parameters={"message_id": 1}).json()["result"]
    assert second["message_id"] == 2  # ids increase per chat
    assert second["reply_to_message"]["message_id"] == 1
    missing = call(server, "sendMessage", chat_id=7, text="third", reply_parameters={"message_id": 99})
    assert missing.json()["description"] == "Bad Request: message to be replied not found"
    lenient = call(server, "sendMessage", chat_id=7, text="fourth",
                   reply_parameters={"message_id": 99, "allow_sending_without_reply": True}).json()
    assert "reply_to_message" not in lenient["result"]

    first, second, fourth = server.sent
    assert (first.method, first.chat_id, first.parse_mode, first.reply_markup) == (
        "sendMessage", 7, "HTML", markup)
    assert first.plain_text == "Hi <you> & me"
    assert (second.reply_to_message_id, fourth.reply_to_message_id) == (1, None)
    assert [r.description for r in server.rejections] == ["Bad Request: message to be replied not found"]


def test_edit_message_text_and_reply_markup(server: FakeBotAPI) -> None:
    keyboard = {"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]}
    sent = call(server, "sendMessage", chat_id=5, text="v1").json()["result"]
    edit = {"chat_id": 5, "message_id": sent["message_id"], "text": "v2", "reply_markup": keyboard}
    assert call(server, "editMessageText", **edit).json()["result"]["text"] == "v2"

    same = call(server, "editMessageText", **edit)
    assert same.status_code == 400
    assert same.json()["description"].startswith("Bad Request: message is not modified")

    missing = call(server, "editMessageText", **{**edit, "message_id": 99})
    assert missing.json()["description"] == "Bad Request: message to edit not found"

    ids = {"chat_id": 5, "message_id": sent["message_id"]}
    unchanged = call(server, "editMessageReplyMarkup", **ids, reply_markup=keyboard)
    assert unchanged.json()["description"].startswith("Bad Request: message is not modified")
    removed = call(server, "editMessageReplyMarkup", **ids).json()["result"]
    assert "reply_markup" not in removed and removed["text"] == "v2"
    assert [s.method for s in server.sent] == ["sendMessage", "editMessageText", "editMessageReplyMarkup"]


def test_long_polling_waits_for_an_update_and_offset_confirms(server: FakeBotAPI) -> None:
    threading.Timer(0.15, server.send_text, args=(42, "/start@treaty_test_bot hi")).start()
    updates = call(server, "getUpdates", timeout="5").json()["result"]  # queued only after the call began
    message = updates[0]["message"]
    assert message["entities"] == [{"type": "bot_command", "offset": 0, "length": 22}]

    # Not confirmed yet: delivered again. Confirmed by a higher offset: gone.
    again = call(server, "getUpdates", timeout="0").json()["result"]
    assert again == updates
    update_id = updates[-1]["update_id"]
    assert server.confirmed_at(update_id) is None
    assert call(server, "getUpdates", offset=str(update_id + 1)).json()["result"] == []
    assert server.confirmed_at(update_id) >= server.queued_at(update_id)


def test_updates_the_client_did_not_ask_for_are_dropped(server: FakeBotAPI) -> None:
    post = server.queue_update({"channel_post": {"message_id": 1, "date": 0, "text": "news",
                                                 "chat": {"id": -100, "type": "channel", "title": "C"}}})
    message = server.send_text(3, "hello")
    updates = call(server, "getUpdates", allowed_updates=["message"]).json()["result"]
    assert [update["update_id"] for update in updates] == [message["update_id"]]
    assert server.confirmed_at(post["update_id"]) is not None  # dropped: never delivered, never pending
    assert server.confirmed_at(message["update_id"]) is None


def test_inline_and_callback_queries(server: FakeBotAPI) -> None:
    query = server.inline_query("tre")["inline_query"]
    results = [{"type": "article", "id": "1", "title": "T",
                "input_message_content": {"message_text": "<i>ok</i>", "parse_mode": "HTML"}}]
    button = {"text": "Open", "start_parameter": "welcome"}
    ok = call(server, "answerInlineQuery", inline_query_id=query["id"], results=results,
              is_personal="true", button=button)
    assert ok.json() == {"ok": True, "result": True}
    answer = server.inline_answers[0]
    assert (answer.results, answer.is_personal, answer.button, answer.cache_time) == (results, True, button, 300)

    duplicate = call(server, "answerInlineQuery", inline_query_id=query["id"], results=results * 2)
    assert duplicate.json()["description"] == "Bad Request: RESULT_ID_DUPLICATE"
    too_many = [{**results[0], "id": str(number)} for number in range(51)]
    assert call(server, "answerInlineQuery", inline_query_id=query["id"],
                results=too_many).json()["description"] == "Bad Request: RESULTS_TOO_MUCH"

    markup = {"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]}
    call(server, "sendMessage", chat_id=9, text="pick", reply_markup=markup)
    with pytest.raises(ValueError):
        server.press_button(9, server.sent[0], "not-a-button")
    pressed = server.press_button(9, server.sent[0], "go")["callback_query"]
    assert pressed["message"]["reply_markup"] == markup
    assert call(server, "answerCallbackQuery", callback_query_id=pressed["id"], text="done").json()["result"] is True
    assert server.callback_answers[0].text == "done"
    toast = call(server, "answerCallbackQuery", callback_query_id=pressed["id"], text="x" * 201)
    assert toast.json()["description"] == "Bad Request: MESSAGE_TOO_LONG"

    server.callback_ttl = 0.0  # every query is now too old
    too_old = call(server, "answerCallbackQuery", callback_query_id=pressed["id"]).json()
    assert "query is too old" in too_old["description"]


def test_faults_reset_delay_and_down(server: FakeBotAPI) -> None:
    server.reset_next("getMe")
    with pytest.raises(httpx.HTTPError):
        call(server, "getMe")
    server.fail_next("*", status=500)
    assert call(server, "getMe").status_code == 500
    server.delay("getMe", 1.0)
    with pytest.raises(httpx.ReadTimeout):  # the answer comes later than the client waits
        call(server, "getMe", client_timeout=0.2)
    server.delay("getMe", 0)
    assert call(server, "getMe", client_timeout=0.5).status_code == 200

    server.send_text(1, "queued before the outage")
    server.go_down(0.15)
    with pytest.raises(httpx.HTTPError):
        call(server, "getUpdates")
    time.sleep(0.2)
    updates = call(server, "getUpdates").json()["result"]
    assert updates[0]["message"]["text"] == "queued before the outage"
    assert server.faults_served == [("getMe", "reset", 0), ("getMe", "fail", 500)]


def test_rate_helpers(server: FakeBotAPI) -> None:
    for chat_id in (-100, -100, 5):
        call(server, "sendMessage", chat_id=chat_id, text="x")
    call(server, "getMe")  # not a send: not counted
    assert server.max_rate_overall() == 3
    assert server.max_rate_per_chat() == 2


# ---- the HTML parser on its own ----------------------------------------------------------


@pytest.mark.parametrize(("html", "error"), [
    ("<div>x</div>", 'Unsupported start tag "div" at byte offset 0'),
    ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
    ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
    ("<b>x", "Can't find end tag corresponding to start tag \"b\""),
    ("Tom & Jerry", 'Unescaped "&" at byte offset 4'),
    ('<span class="x">y</span>', 'Tag "span" must have class "tg-spoiler"'),
])
def test_html_parser_rejects(html: str, error: str) -> None:
    with pytest.raises(HtmlParseError, match=error.replace("(", r"\(")):
        parse_html(html)


def test_html_parser_accepts_telegram_html() -> None:
    html = ('<a href="https://x.org/?a=1&amp;b=2">l</a> <tg-spoiler>s</tg-spoiler> '
            '<pre><code class="language-py">1</code></pre><blockquote expandable>q</blockquote>'
            '&#39;&quot;')
    text, entities = parse_html(html)
    assert text == "l s 1q'\""
    assert [e["type"] for e in entities] == [
        "text_link", "spoiler", "pre", "expandable_blockquote"]
    assert entities[2]["language"] == "py"
    assert parse_html("Tom & Jerry", strict=False) == ("Tom & Jerry", [])


# ---- python-telegram-bot against the fake ------------------------------------------------


def test_ptb_bot_end_to_end(server: FakeBotAPI) -> None:
    async def scenario() -> None:
        async with Bot(TOKEN, base_url=server.base_url) as bot:  # initialize() calls getMe
            assert bot.username == "treaty_test_bot"
            keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("ok", callback_data="1")]])
            message = await bot.send_message(
                3, "<b>bold</b> and <code>code</code>", parse_mode="HTML", reply_markup=keyboard)
            assert message.text == "bold and code"
            assert message.reply_markup.inline_keyboard[0][0].callback_data == "1"

            # Long polling returns as soon as an update is queued.
            threading.Timer(0.2, server.send_text, args=(3, "hello")).start()
            updates = await bot.get_updates(timeout=5, allowed_updates=["message"])
            assert updates[0].message.text == "hello"
            assert updates[0].message.from_user.id == 3

            await bot.set_my_commands([("start", "Start the bot")], language_code="en")
            assert server.commands[("default", "en")] == [{"command": "start", "description": "Start the bot"}]

            await bot.set_webhook("https://bot.example.org/hook", secret_token="s3cret")
            assert server.webhook == {"url": "https://bot.example.org/hook", "secret_token": "s3cret"}
            with pytest.raises(Conflict):  # Telegram refuses polling while a webhook is set
                await bot.get_updates()
            server.send_text(3, "dropped")
            await bot.delete_webhook(drop_pending_updates=True)
            assert server.webhook["url"] == "" and await bot.get_updates() == ()

    run(scenario())
    assert [r.method for r in server.rejections] == ["getUpdates"]  # the poll during the webhook
    # python-telegram-bot sends form-encoded bodies; every request was recorded.
    assert [r.method for r in server.requests][:2] == ["getMe", "sendMessage"]


REJECTED_BY_TELEGRAM = [
    ({"text": "<div>x</div>", "parse_mode": "HTML"}, "Unsupported start tag"),
    ({"text": "a < b", "parse_mode": "HTML"}, "Unsupported start tag"),
    ({"text": "x" * 4097}, "message is too long"),
    ({"text": "ok", "reply_markup": InlineKeyboardMarkup(
        [[InlineKeyboardButton("b", callback_data="é" * 33)]])}, "BUTTON_DATA_INVALID"),
]


def test_ptb_rejections(server: FakeBotAPI) -> None:
    async def scenario() -> None:
        async with Bot(TOKEN, base_url=server.base_url) as bot:
            # 4096 visible characters (the entity counts as one) is the maximum.
            await bot.send_message(1, "&amp;" + "x" * 4095, parse_mode="HTML")
            assert server.rejections == []
            for kwargs, error in REJECTED_BY_TELEGRAM:
                with pytest.raises(BadRequest, match=f"(?i){error}"):
                    await bot.send_message(1, **kwargs)
                assert error in server.rejections[-1].description

    run(scenario())
    assert len(server.rejections) == len(REJECTED_BY_TELEGRAM)
    assert len(server.sent) == 1


@pytest.mark.filterwarnings("ignore:.*retry_after.*")
def test_ptb_retry_after_and_network_error(server: FakeBotAPI) -> None:
    server.fail_next("sendMessage", status=429, retry_after=3)
    server.reset_next("sendMessage")

    async def scenario() -> None:
        async with Bot(TOKEN, base_url=server.base_url) as bot:
            with pytest.raises(RetryAfter) as caught:
                await bot.send_message(1, "hi")
            assert caught.value.retry_after in (3, dtm.timedelta(seconds=3))
            with pytest.raises(NetworkError):
                await bot.send_message(1, "hi")
            await bot.send_message(1, "hi")

    run(scenario())
    assert len(server.sent) == 1
    assert server.rejections == []
