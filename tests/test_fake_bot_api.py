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
from telegram.error import BadRequest, NetworkError, RetryAfter

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


def call(server: FakeBotAPI, method: str, *, json_body: dict | None = None,
         form: dict | None = None, token: str = TOKEN) -> httpx.Response:
    """POST to the fake server with a JSON body or a form-encoded one."""
    url = f"{server.base_url}{token}/{method}"
    return _CLIENT.post(url, json=json_body, data=form)


def run(coro):  # noqa: ANN001, ANN201
    return asyncio.run(coro)


# ---- plain HTTP ------------------------------------------------------------------------


def test_get_me_and_http_errors(server: FakeBotAPI) -> None:
    me = call(server, "GETME").json()  # method names are case-insensitive
    assert me == {"ok": True, "result": server.bot_user}
    assert me["result"]["username"] == "treaty_test_bot"

    wrong = call(server, "getMe", token="123:nope")
    assert wrong.status_code == 401
    assert wrong.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}

    unknown = call(server, "sendTelepathy")
    assert unknown.status_code == 404
    assert unknown.json()["description"] == "Not Found: method not found"
    assert [r.method for r in server.rejections] == ["getMe", "sendTelepathy"]


def test_send_message_form_and_json(server: FakeBotAPI) -> None:
    markup = {"inline_keyboard": [[{"text": "Yes", "callback_data": "yes"}]]}
    form = call(server, "sendMessage", form={
        "chat_id": "7", "text": "<b>Hi</b> &lt;you&gt; &amp; me", "parse_mode": "HTML",
        "reply_markup": json.dumps(markup)})
    result = form.json()["result"]
    assert result["text"] == "Hi <you> & me"
    assert result["entities"] == [{"type": "bold", "offset": 0, "length": 2}]
    assert result["reply_markup"] == markup
    assert result["from"]["is_bot"] and result["chat"] == {
        "id": 7, "type": "private", "first_name": "User"}

    as_json = call(server, "sendMessage", json_body={
        "chat_id": 7, "text": "second", "reply_parameters": {"message_id": 1}}).json()
    assert as_json["result"]["message_id"] == 2  # ids increase per chat
    assert as_json["result"]["reply_to_message"]["message_id"] == 1

    first, second = server.sent
    assert (first.method, first.chat_id, first.parse_mode, first.reply_markup) == (
        "sendMessage", 7, "HTML", markup)
    assert first.plain_text == "Hi <you> & me"
    assert second.reply_to_message_id == 1
    assert server.rejections == []


def test_edit_message_text(server: FakeBotAPI) -> None:
    sent = call(server, "sendMessage", json_body={"chat_id": 5, "text": "v1"}).json()["result"]
    edit = {"chat_id": 5, "message_id": sent["message_id"], "text": "v2"}
    assert call(server, "editMessageText", json_body=edit).json()["result"]["text"] == "v2"

    same = call(server, "editMessageText", json_body=edit)
    assert same.status_code == 400
    assert same.json()["description"].startswith("Bad Request: message is not modified")

    missing = call(server, "editMessageText", json_body={**edit, "message_id": 99})
    assert missing.json()["description"] == "Bad Request: message to edit not found"
    assert [s.method for s in server.sent] == ["sendMessage", "editMessageText"]


def test_long_polling_waits_for_an_update_and_offset_confirms(server: FakeBotAPI) -> None:
    threading.Timer(0.15, server.send_text, args=(42, "/start@treaty_test_bot hi")).start()
    started = time.monotonic()
    updates = call(server, "getUpdates", form={"timeout": "5"}).json()["result"]
    assert time.monotonic() - started > 0.1  # it waited for the update rather than answering empty
    message = updates[0]["message"]
    assert message["entities"] == [{"type": "bot_command", "offset": 0, "length": 22}]

    # Not confirmed yet: delivered again. Confirmed by a higher offset: gone.
    again = call(server, "getUpdates", form={"timeout": "0"}).json()["result"]
    assert again == updates
    offset = updates[-1]["update_id"] + 1
    assert call(server, "getUpdates", form={"offset": str(offset)}).json()["result"] == []


def test_inline_and_callback_queries(server: FakeBotAPI) -> None:
    query = server.inline_query("tre")["inline_query"]
    results = [{"type": "article", "id": "1", "title": "T",
                "input_message_content": {"message_text": "<i>ok</i>", "parse_mode": "HTML"}}]
    ok = call(server, "answerInlineQuery", json_body={
        "inline_query_id": query["id"], "results": results})
    assert ok.json() == {"ok": True, "result": True}
    assert server.inline_answers[0].results == results

    duplicate = call(server, "answerInlineQuery", json_body={
        "inline_query_id": query["id"], "results": results * 2})
    assert duplicate.json()["description"] == "Bad Request: RESULT_ID_DUPLICATE"

    markup = {"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]}
    call(server, "sendMessage", json_body={"chat_id": 9, "text": "pick", "reply_markup": markup})
    with pytest.raises(ValueError):
        server.press_button(9, server.sent[0], "not-a-button")
    pressed = server.press_button(9, server.sent[0], "go")["callback_query"]
    assert pressed["message"]["reply_markup"] == markup
    answer = {"callback_query_id": pressed["id"], "text": "done"}
    assert call(server, "answerCallbackQuery", json_body=answer).json()["result"] is True
    assert server.callback_answers[0].text == "done"

    server.callback_ttl = 0.0  # every query is now too old
    too_old = call(server, "answerCallbackQuery", json_body=answer).json()
    assert "query is too old" in too_old["description"]


def test_faults_reset_delay_and_down(server: FakeBotAPI) -> None:
    server.reset_next("getMe")
    with pytest.raises(httpx.HTTPError):
        call(server, "getMe")
    server.fail_next("*", status=500)
    assert call(server, "getMe").status_code == 500
    server.delay("getMe", 0.1)
    started = time.monotonic()
    assert call(server, "getMe").status_code == 200
    assert time.monotonic() - started >= 0.1
    server.delay("getMe", 0)

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
        call(server, "sendMessage", json_body={"chat_id": chat_id, "text": "x"})
    assert server.max_rate_overall() == 3
    assert server.max_rate_per_chat() == 2
    assert server.max_per_group_per_minute() == 2
    assert server.max_rate_overall(window=0.0) == 0


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
            assert [c.command for c in await bot.get_my_commands(language_code="en")] == ["start"]
            assert server.commands[("default", "en")][0]["command"] == "start"

            await bot.delete_webhook(drop_pending_updates=True)

    run(scenario())
    assert server.rejections == []
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
