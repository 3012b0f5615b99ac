"""A fake Telegram Bot API server for end-to-end tests and benchmarks.

The real bot (the unmodified python-telegram-bot ``Application``) talks to this
server over real HTTP, exactly as it talks to ``api.telegram.org``::

    with FakeBotAPI() as server:                      # binds 127.0.0.1:<free port>
        env["TELEGRAM_API_URL"] = server.base_url     # "http://127.0.0.1:PORT/bot"
        ... start the bot with token server.token ...
        server.send_text(42, "/start")                # a user writes to the bot
        reply = server.wait_for(lambda m: m.chat_id == 42)
        assert "Welcome" in reply.plain_text
        assert server.rejections == []                # Telegram would have accepted everything

What it does:

* Serves ``POST /bot<TOKEN>/<method>`` with form-encoded bodies (what python-telegram-bot
  sends; nested objects JSON-encoded) for the methods the bot calls: getMe, getUpdates,
  deleteWebhook, setWebhook, setMyCommands, deleteMyCommands, sendMessage, editMessageText,
  editMessageReplyMarkup, answerCallbackQuery and answerInlineQuery. It answers
  ``{"ok": true, "result": ...}`` or ``{"ok": false, "error_code": N, "description": "..."}``
  with the matching HTTP status; any other method is a 404.
* Checks what Telegram checks (HTML parse mode, text length, inline keyboards and their
  callback data, inline results, callback query ids and their age, "message is not
  modified", ...). A request Telegram would reject gets the same kind of 400 error and is
  also appended to ``server.rejections``, so a test can simply assert that list is empty.
* Records everything the bot did (``sent``, ``callback_answers``, ``inline_answers``,
  ``commands``, ``requests``) for assertions and rate measurements.
* Queues updates for ``getUpdates`` (long polling included). Updates are only forgotten
  when the client confirms them with a higher ``offset``, exactly like Telegram, so faults
  never lose updates; ``confirmed_at`` tells when that happened.
* Injects faults: ``fail_next`` (429, 500, ...), ``delay``, ``reset_next`` (connection
  closed without an answer) and ``go_down`` (every connection dropped for a while).

Only the standard library is used. Every public method is thread-safe.
"""

from __future__ import annotations

import copy
import itertools
import json
import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, NamedTuple, TypeVar
from urllib.parse import parse_qsl, urlsplit

__all__ = [
    "FakeBotAPI",
    "SentMessage",
    "CallbackAnswer",
    "InlineAnswer",
    "RequestRecord",
    "Rejection",
    "HtmlParseError",
    "parse_html",
]

T = TypeVar("T")

MAX_MESSAGE_LENGTH = 4096
MAX_CALLBACK_DATA_BYTES = 64
MAX_INLINE_RESULTS = 50
MAX_CALLBACK_ANSWER_LENGTH = 200
DEFAULT_USER_ID = 1000
"""User id used by the driving helpers when no user is given and the chat is not private."""

SEND_METHODS = ("sendMessage", "editMessageText")
"""The methods counted by the rate helpers (``max_rate_overall`` and ``max_rate_per_chat``)."""

# Update types Telegram knows. Without an explicit allowed_updates list Telegram delivers
# all of them except these three.
ALL_UPDATE_TYPES = (
    "message", "edited_message", "channel_post", "edited_channel_post",
    "business_connection", "business_message", "edited_business_message",
    "deleted_business_messages", "message_reaction", "message_reaction_count",
    "inline_query", "chosen_inline_result", "callback_query", "shipping_query",
    "pre_checkout_query", "purchased_paid_media", "poll", "poll_answer",
    "my_chat_member", "chat_member", "chat_join_request", "chat_boost", "removed_chat_boost",
)
NOT_DELIVERED_BY_DEFAULT = ("chat_member", "message_reaction", "message_reaction_count")
DEFAULT_ALLOWED_UPDATES = [t for t in ALL_UPDATE_TYPES if t not in NOT_DELIVERED_BY_DEFAULT]

# Exactly one of these must be set on an inline keyboard button.
BUTTON_ACTIONS = (
    "url", "callback_data", "web_app", "login_url", "switch_inline_query",
    "switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "copy_text",
    "callback_game", "pay",
)

QUERY_EXPIRED = "query is too old and response timeout expired or query ID is invalid"
NOT_MODIFIED = ("message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message")


# --------------------------------------------------------------------------------------
# Records kept by the server (what the bot did)
# --------------------------------------------------------------------------------------


@dataclass
class SentMessage:
    """One message the bot sent or edited successfully.

    ``text`` is the raw text the bot sent (with HTML tags when ``parse_mode`` is HTML);
    ``plain_text`` is what the user sees once entities are parsed.
    """

    method: str
    chat_id: int
    text: str
    parse_mode: str | None
    reply_markup: dict | None
    reply_to_message_id: int | None
    message_id: int
    time: float  # time.monotonic() when the server accepted it
    plain_text: str = ""
    link_preview_options: dict | None = None


class CallbackAnswer(NamedTuple):
    """One successful answerCallbackQuery call."""

    callback_query_id: str
    text: str | None
    time: float


class InlineAnswer(NamedTuple):
    """One successful answerInlineQuery call (``results`` is the parsed list)."""

    inline_query_id: str
    results: list[dict]
    cache_time: int
    is_personal: bool
    button: dict | None
    time: float


class RequestRecord(NamedTuple):
    """Every authorised request, recorded before faults are applied (for rate measurements)."""

    method: str
    time: float
    chat_id: int | str | None


class Rejection(NamedTuple):
    """A request Telegram would have refused: the method and the error description."""

    method: str
    description: str


# --------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------


class ApiError(Exception):
    """An error answer. ``rejection`` says whether the bot is to blame (recorded in
    ``server.rejections``) as opposed to an injected fault or a polling conflict."""

    def __init__(self, code: int, description: str, parameters: dict | None = None,
                 rejection: bool = True) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters
        self.rejection = rejection

    def payload(self) -> dict:
        body: dict[str, Any] = {"ok": False, "error_code": self.code,
                                "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(description: str) -> ApiError:
    return ApiError(400, "Bad Request: " + description)


class _DropConnection(Exception):
    """Close the connection without sending any response."""


# --------------------------------------------------------------------------------------
# Telegram's HTML parse mode
# --------------------------------------------------------------------------------------


class HtmlParseError(ValueError):
    """The text is not valid Telegram HTML. The message mimics Telegram's wording."""


ALLOWED_TAGS = frozenset({
    "a", "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler",
    "tg-emoji", "code", "pre", "blockquote",
})
_ENTITY_TYPE = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
    "ins": "underline", "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
    "span": "spoiler", "tg-spoiler": "spoiler",
}
_SPACES = " \t\r\n\f\v"
_NAME_TOKEN_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")
_CHAR_REF = re.compile(r"&(?:#x([0-9a-fA-F]*)|#([0-9]*)|([A-Za-z]*))")
_NAMED_REFS = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit Telegram uses for entity offsets."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _decode_char_ref(text: str, i: int) -> tuple[str, int] | None:
    """Decode the character reference starting at ``text[i] == "&"`` like Telegram does.

    Telegram knows ``&lt; &gt; &amp; &quot;`` and numeric references (the ``;`` is
    optional). Returns (character, index just after the reference), or None when the
    ``&`` does not start a reference Telegram knows.
    """
    m = _CHAR_REF.match(text, i)
    assert m is not None
    hex_digits, dec_digits, name = m.groups()
    end = m.end()
    if name is not None:
        char = _NAMED_REFS.get(name)
        if char is None:
            return None
    else:
        digits = hex_digits if hex_digits is not None else dec_digits
        code = int(digits, 16 if hex_digits is not None else 10) if digits else 0
        if code == 0 or code >= 0x10FFFF or end - i >= 10:
            return None
        if 0xD800 <= code <= 0xDFFF:
            raise HtmlParseError("Text contains invalid Unicode characters after decoding HTML "
                                 "entities, check for unmatched surrogate code units")
        char = chr(code)
    if text.startswith(";", end):
        end += 1
    return char, end


@dataclass
class _OpenTag:
    name: str
    argument: str
    offset: int       # UTF-16 offset in the visible text where the tag starts
    text_index: int   # index in the visible text (list of characters) where it starts


class _HtmlScanner:
    """A small re-implementation of Telegram's (tdlib's) HTML parser.

    ``strict`` adds two checks Telegram itself does not make, because they almost always
    reveal a missing ``html.escape``: a bare ``&`` (Telegram shows it literally) and an
    ``<a>`` without ``href`` (Telegram then uses the link text as the URL).
    """

    def __init__(self, html: str, strict: bool) -> None:
        self.html = html
        self.strict = strict
        self.pos = 0
        self.chars: list[str] = []     # the visible text, one character per item
        self.utf16 = 0                 # UTF-16 length of the visible text so far
        self.stack: list[_OpenTag] = []
        self.entities: list[dict] = []

    # -- helpers -------------------------------------------------------------------

    def at(self, i: int) -> str:
        """The character at ``i``, or "" past the end (tdlib reads a NUL there)."""
        return self.html[i] if i < len(self.html) else ""

    def byte_offset(self, i: int) -> int:
        return len(self.html[:i].encode("utf-8", "surrogatepass"))

    def append(self, char: str) -> None:
        self.chars.append(char)
        self.utf16 += utf16_len(char)

    def skip_spaces(self, i: int) -> int:
        while self.at(i) and self.at(i) in _SPACES:
            i += 1
        return i

    # -- main loop -----------------------------------------------------------------

    def run(self) -> tuple[str, list[dict]]:
        html = self.html
        while self.pos < len(html):
            char = html[self.pos]
            if char == "&":
                decoded = _decode_char_ref(html, self.pos)
                if decoded is not None:
                    self.append(decoded[0])
                    self.pos = decoded[1]
                    continue
                if self.strict:
                    raise HtmlParseError(
                        f"Unescaped \"&\" at byte offset {self.byte_offset(self.pos)} (strict "
                        "fake-server check: escape it as &amp;)")
            if char != "<":
                self.append(char)
                self.pos += 1
            elif self.at(self.pos + 1) == "/":
                self.end_tag()
            else:
                self.start_tag()
        if self.stack:
            raise HtmlParseError(
                f"Can't find end tag corresponding to start tag \"{self.stack[-1].name}\"")
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.chars), self.entities

    def start_tag(self) -> None:
        begin = self.pos
        i = begin + 1
        while self.at(i) and self.at(i) not in _SPACES and self.at(i) != ">":
            i += 1
        if not self.at(i):
            raise HtmlParseError(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
        name = self.html[begin + 1:i].lower()
        where = f"at byte offset {self.byte_offset(begin)}"
        if name not in ALLOWED_TAGS:
            raise HtmlParseError(f"Unsupported start tag \"{name}\" {where}")

        argument = ""
        while self.at(i) != ">":
            i = self.skip_spaces(i)
            if self.at(i) == ">":
                break
            attr_begin = i
            while self.at(i) and self.at(i) not in _SPACES and self.at(i) not in "=>/\"'":
                i += 1
            attribute = self.html[attr_begin:i]
            if not attribute:
                raise HtmlParseError(f"Empty attribute name in the tag \"{name}\" {where}")
            i = self.skip_spaces(i)
            if self.at(i) != "=":  # an attribute without a value, e.g. <blockquote expandable>
                if not self.at(i):
                    raise HtmlParseError(f"Unclosed start tag \"{name}\" {where}")
                if name == "blockquote" and attribute == "expandable":
                    argument = "expandable"
                continue
            i = self.skip_spaces(i + 1)
            if not self.at(i):
                raise HtmlParseError(f"Unclosed start tag \"{name}\" {where}")
            value, i = self.attribute_value(i)
            if not self.at(i):
                raise HtmlParseError(f"Unclosed start tag {where}")
            if (name, attribute) in (("a", "href"), ("tg-emoji", "emoji-id")):
                argument = value
            elif name == "code" and attribute == "class" and value.startswith("language-"):
                argument = value[len("language-"):]
            elif name == "span" and attribute == "class" and value.startswith("tg-"):
                argument = value[len("tg-"):]
            elif name == "blockquote" and attribute == "expandable":
                argument = "expandable"

        if name == "span" and argument != "spoiler":
            raise HtmlParseError(f"Tag \"span\" must have class \"tg-spoiler\" {where}")
        if name == "a" and not argument and self.strict:
            raise HtmlParseError(f"Tag \"a\" without href {where} (strict fake-server check)")
        self.stack.append(_OpenTag(name, argument, self.utf16, len(self.chars)))
        self.pos = i + 1

    def attribute_value(self, i: int) -> tuple[str, int]:
        """Read a quoted string (references decoded) or a bare name token (lowercased)."""
        quote = self.at(i)
        if quote not in ("'", '"'):
            begin = i
            while self.at(i) in _NAME_TOKEN_CHARS:
                i += 1
            if not self.at(i) or (self.at(i) not in _SPACES and self.at(i) != ">"):
                raise HtmlParseError(
                    f"Unexpected end of name token at byte offset {self.byte_offset(begin)}")
            return self.html[begin:i].lower(), i
        i += 1
        value: list[str] = []
        while self.at(i) and self.at(i) != quote:
            if self.at(i) == "&":
                decoded = _decode_char_ref(self.html, i)
                if decoded is not None:
                    value.append(decoded[0])
                    i = decoded[1]
                    continue
            value.append(self.at(i))
            i += 1
        if self.at(i) == quote:
            i += 1
        return "".join(value), i

    def end_tag(self) -> None:
        begin = self.pos
        where = f"at byte offset {self.byte_offset(begin)}"
        if not self.stack:
            raise HtmlParseError(f"Unexpected end tag {where}")
        i = begin + 2
        while self.at(i) and self.at(i) not in _SPACES and self.at(i) != ">":
            i += 1
        name = self.html[begin + 2:i].lower()
        i = self.skip_spaces(i)
        if self.at(i) != ">":
            raise HtmlParseError(f"Unclosed end tag {where}")
        tag = self.stack.pop()
        if name and name != tag.name:
            raise HtmlParseError(
                f"Unmatched end tag {where}, expected \"</{tag.name}>\", found \"</{name}>\"")
        if self.utf16 > tag.offset:
            self.add_entity(tag)
        self.pos = i + 1

    def add_entity(self, tag: _OpenTag) -> None:
        entity: dict[str, Any] = {"type": "", "offset": tag.offset,
                                  "length": self.utf16 - tag.offset}
        last = self.entities[-1] if self.entities else None
        same_span = (last is not None and last["offset"] == entity["offset"]
                     and last["length"] == entity["length"])
        if tag.name in _ENTITY_TYPE:
            entity["type"] = _ENTITY_TYPE[tag.name]
        elif tag.name == "blockquote":
            entity["type"] = "expandable_blockquote" if tag.argument else "blockquote"
        elif tag.name == "code":
            entity["type"] = "code"
            if tag.argument:
                entity["language"] = tag.argument  # kept only if a <pre> wraps it
        elif tag.name == "pre":
            if same_span and last["type"] == "code" and "language" in last:
                last["type"] = "pre"  # <pre><code class="language-x">: one pre entity
                return
            entity["type"] = "pre"
        elif tag.name == "a":
            url = tag.argument or "".join(self.chars[tag.text_index:])
            if not url:
                return
            entity.update(type="text_link", url=url)
        elif tag.name == "tg-emoji":
            if not tag.argument.isdigit() or int(tag.argument) <= 0:
                raise HtmlParseError("Invalid custom emoji identifier specified")
            entity.update(type="custom_emoji", custom_emoji_id=tag.argument)
        self.entities.append(entity)


def parse_html(html: str, strict: bool = True) -> tuple[str, list[dict]]:
    """Parse Telegram HTML into (visible text, entities); raise HtmlParseError if invalid."""
    text, entities = _HtmlScanner(html, strict).run()
    for entity in entities:
        if entity["type"] == "code":
            entity.pop("language", None)
    return text, entities


# --------------------------------------------------------------------------------------
# Validation shared by several methods
# --------------------------------------------------------------------------------------


def check_message_text(text: Any, parse_mode: str | None, strict_html: bool = True,
                       ) -> tuple[str, list[dict]]:
    """Validate a message text like Telegram; return (visible text, entities).

    Only HTML is parsed (the bot's only parse mode); a text without parse mode is taken
    as it is.
    """
    if not isinstance(text, str) or text == "":
        raise bad_request("message text is empty")
    mode = (parse_mode or "").lower()
    if mode == "html":
        try:
            plain, entities = parse_html(text, strict=strict_html)
        except HtmlParseError as exc:
            raise bad_request(f"can't parse entities: {exc}") from None
    elif mode == "":
        plain, entities = text, []
    else:
        raise bad_request(f"unsupported parse_mode {parse_mode!r} (the fake parses HTML only)")
    if not plain.strip():
        raise bad_request("message text is empty")
    if len(plain) > MAX_MESSAGE_LENGTH:
        raise bad_request("message is too long")
    return plain, entities


def check_inline_button(button: Any) -> None:
    """One inline keyboard button: a text and exactly one action; callback data 1-64 bytes."""
    prefix = "can't parse inline keyboard button: "
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request(prefix + "Field \"text\" must be of type String")
    if not button["text"]:
        raise bad_request(prefix + "button text must be non-empty")
    actions = [name for name in BUTTON_ACTIONS if name in button]
    if not actions:
        raise bad_request(prefix + "Text buttons are unallowed in the inline keyboard")
    if len(actions) > 1:
        raise bad_request(prefix + f"exactly one optional field must be used, got {actions}")
    data = button.get("callback_data")
    if "callback_data" in button and (
            not isinstance(data, str)
            or not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES):
        raise bad_request("BUTTON_DATA_INVALID")


def check_reply_markup(markup: Any) -> None:
    """Validate an inline keyboard (the only reply markup the bot sends)."""
    if markup is None:
        return
    if not isinstance(markup, dict) or "inline_keyboard" not in markup:
        raise bad_request("can't parse reply keyboard markup JSON object (the fake expects an "
                          "inline keyboard)")
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request("field \"inline_keyboard\" of the keyboard must be an Array of Arrays")
    buttons = [button for row in rows for button in row]
    if len(buttons) > 100:
        raise bad_request("reply markup is too long")
    for button in buttons:
        check_inline_button(button)


def _kept_markup(markup: dict | None) -> dict | None:
    """The markup a message keeps: an empty keyboard is no keyboard."""
    return markup if markup and markup.get("inline_keyboard") else None


# --------------------------------------------------------------------------------------
# Request parameters
# --------------------------------------------------------------------------------------


class Params:
    """The form fields of one request (all strings; nested objects JSON-encoded)."""

    def __init__(self, raw: dict[str, str]) -> None:
        self.raw = raw

    def get_str(self, name: str) -> str | None:
        return self.raw.get(name)

    def get_int(self, name: str, default: int | None = None) -> int | None:
        value = self.raw.get(name)
        if value is None or value == "":
            return default
        try:
            return int(value)
        except ValueError:
            raise bad_request(f"invalid {name} specified") from None

    def get_float(self, name: str, default: float) -> float:
        value = self.raw.get(name)
        if value is None or value == "":
            return default
        try:
            return float(value)
        except ValueError:
            raise bad_request(f"invalid {name} specified") from None

    def get_bool(self, name: str) -> bool:
        return (self.raw.get(name) or "").lower() in ("true", "1")

    def get_json(self, name: str) -> Any:
        value = self.raw.get(name)
        if value is None or value == "":
            return None
        try:
            return json.loads(value)
        except ValueError:
            raise bad_request(f"can't parse {name} JSON object") from None


def _parse_form(body: bytes) -> Params:
    try:
        return Params(dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True)))
    except ValueError:
        raise bad_request("can't parse request body") from None


# --------------------------------------------------------------------------------------
# HTTP plumbing
# --------------------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    """Hands every request to ``FakeBotAPI._serve``. HTTP/1.1 keep-alive is supported."""

    protocol_version = "HTTP/1.1"
    server: _Server

    def setup(self) -> None:
        super().setup()
        # Headers and body are written separately: without TCP_NODELAY, Nagle's algorithm
        # and the client's delayed ACK add ~40 ms to every request.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.api._track_connection(self.connection, add=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.api._track_connection(self.connection, add=False)

    def do_POST(self) -> None:  # noqa: N802 (http.server naming)
        self.server.api._serve(self)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass  # keep test output quiet


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, api: FakeBotAPI) -> None:
        self.api = api
        super().__init__(("127.0.0.1", 0), _Handler)

    def verify_request(self, request: Any, client_address: Any) -> bool:
        return not self.api.is_down  # while "down", new connections are closed at once

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients hanging up mid-request are expected (faults, cancelled polls)


@dataclass
class _Fault:
    method: str               # a method name or "*"
    kind: str                 # "fail" or "reset"
    remaining: int
    status: int = 429
    retry_after: int = 1
    description: str | None = None


_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request", 401: "Unauthorized", 403: "Forbidden: bot was blocked by the user",
    404: "Not Found", 409: "Conflict: terminated by other getUpdates request; make sure "
    "that only one bot instance is running", 500: "Internal Server Error",
    502: "Bad Gateway", 504: "Gateway Timeout",
}

_METHODS = (
    "getMe", "getUpdates", "deleteWebhook", "setWebhook", "setMyCommands", "deleteMyCommands", "sendMessage",
    "editMessageText", "editMessageReplyMarkup", "answerCallbackQuery", "answerInlineQuery",
)
_CANONICAL = {name.lower(): name for name in _METHODS}  # Telegram ignores the case


# --------------------------------------------------------------------------------------
# The fake server
# --------------------------------------------------------------------------------------


class FakeBotAPI:
    """A fake Telegram Bot API server on 127.0.0.1 (see the module docstring).

    Args:
        token: the only token accepted in ``/bot<token>/...`` (others get 401).
        bot_username: the bot's username (getMe, mention entities).
        callback_ttl: seconds within which callback and inline queries must be answered.
        strict_html: also reject a bare ``&`` and ``<a>`` without ``href`` (Telegram
            tolerates both, but they nearly always mean text was not escaped).
    """

    def __init__(self, token: str = "123456:AAF-fakeBotApiSecretHalf_42",
                 bot_username: str = "treaty_test_bot", *,
                 callback_ttl: float = 15.0, strict_html: bool = True) -> None:
        self.token = token
        self.bot_username = bot_username
        self.callback_ttl = callback_ttl
        self.strict_html = strict_html
        self.bot_user: dict[str, Any] = {
            "id": int(token.split(":")[0]), "is_bot": True, "first_name": "Test Bot",
            "username": bot_username, "can_join_groups": True,
            "can_read_all_group_messages": False, "supports_inline_queries": True,
            "can_connect_to_business": False, "has_main_web_app": False,
        }

        # What the bot did (public, read them freely; take list(...) copies if needed).
        self.sent: list[SentMessage] = []
        self._sent_by_chat: dict[int, list[SentMessage]] = {}
        self.callback_answers: list[CallbackAnswer] = []
        self.inline_answers: list[InlineAnswer] = []
        self.commands: dict[tuple[str, str], list[dict]] = {}
        self.requests: list[RequestRecord] = []
        self.rejections: list[Rejection] = []
        self.faults_served: list[tuple[str, str, int]] = []  # (method, "fail"/"reset", status)
        self.webhook: dict[str, Any] = {"url": "", "secret_token": None}
        self.allowed_updates: list[str] = list(DEFAULT_ALLOWED_UPDATES)

        # Internal state, guarded by self._lock. self._changed is notified after every
        # request and every queued update (wakes long polls and wait_* helpers).
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._pending: list[dict] = []                 # updates not yet confirmed
        self._queued_at: dict[int, float] = {}         # update id -> time queued
        self._confirmed_at: dict[int, float] = {}      # update id -> time confirmed or dropped
        self._next_update_id = 1
        self._next_message_id: dict[int, int] = {}
        self._messages: dict[tuple[int, int], dict] = {}
        self._chats: dict[int, dict] = {}
        self._callback_queries: dict[str, float] = {}  # id -> time issued
        self._inline_queries: dict[str, float] = {}
        self._ids = itertools.count(1)
        self._faults: list[_Fault] = []
        self._delays: dict[str, float] = {}
        self._down_until = 0.0
        self._poll_generation = 0
        self._stopped = threading.Event()
        self._connections: set[socket.socket] = set()
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    # ---- lifecycle -------------------------------------------------------------------

    def start(self) -> FakeBotAPI:
        """Bind 127.0.0.1 on a free port and serve in a daemon thread."""
        if self._httpd is not None:
            return self
        self._stopped.clear()
        self._httpd = _Server(self)
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        kwargs={"poll_interval": 0.05},
                                        name="FakeBotAPI", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and drop every open connection (pending long polls included)."""
        if self._httpd is None:
            return
        with self._changed:
            self._stopped.set()
            self._changed.notify_all()
        self._httpd.shutdown()
        self._httpd.server_close()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None
        self._thread = None

    def __enter__(self) -> FakeBotAPI:
        return self.start()

    def __exit__(self, *exc_info: Any) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._httpd is not None, "call start() first"
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        """What to pass as the Bot API base URL (TELEGRAM_API_URL / Bot(base_url=...))."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def is_down(self) -> bool:
        return time.monotonic() < self._down_until

    # ---- fault injection -------------------------------------------------------------

    def fail_next(self, method: str, status: int = 429, retry_after: int = 1, count: int = 1,
                  description: str | None = None) -> None:
        """Answer the next ``count`` calls of ``method`` ("*" = any) with an error.

        429 answers carry ``parameters.retry_after`` and the description
        "Too Many Requests: retry after N". Injected errors are not rejections.
        """
        fault = _Fault(self._canonical(method), "fail", count, status, retry_after, description)
        with self._lock:
            self._faults.append(fault)

    def reset_next(self, method: str, count: int = 1) -> None:
        """Close the connection without answering the next ``count`` calls of ``method``.

        The request is dropped before it is processed (a reset sendMessage sends nothing).
        """
        with self._lock:
            self._faults.append(_Fault(self._canonical(method), "reset", count, status=0))

    def delay(self, method: str, seconds: float) -> None:
        """Make every call of ``method`` ("*" = any) wait ``seconds`` before it is
        processed. ``delay(method, 0)`` removes the delay."""
        with self._lock:
            if seconds > 0:
                self._delays[self._canonical(method)] = seconds
            else:
                self._delays.pop(self._canonical(method), None)

    def go_down(self, seconds: float) -> None:
        """Drop every connection (new, kept-alive and pending long polls) for ``seconds``.

        The listening socket stays open: connections are accepted and closed at once.
        Queued updates are kept and delivered once the server is back.
        """
        with self._changed:
            self._down_until = time.monotonic() + seconds
            self._changed.notify_all()

    @staticmethod
    def _canonical(method: str) -> str:
        return method if method == "*" else _CANONICAL.get(method.lower(), method)

    # ---- driving the bot: users and updates ------------------------------------------

    @staticmethod
    def user(user_id: int, first_name: str = "Test", language_code: str = "en") -> dict:
        """A Telegram User dict for a human user."""
        return {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": language_code}

    def send_text(self, chat_id: int, text: str, user: dict | None = None,
                  chat_type: str = "private", reply_to: SentMessage | dict | None = None,
                  entities: list[dict] | None = None) -> dict:
        """Queue a text message from a user and return the update.

        Commands ("/start@bot args") get a ``bot_command`` entity and "@<bot_username>"
        a ``mention`` entity unless ``entities`` is given. In private chats the default
        user has id ``chat_id``; elsewhere it is ``DEFAULT_USER_ID``.
        """
        with self._lock:
            user = user or self._default_user(chat_id, chat_type)
            chat = self._remember_chat(chat_id, chat_type, user)
            message: dict[str, Any] = {
                "message_id": self._new_message_id(chat_id), "from": user, "chat": chat,
                "date": int(time.time()), "text": text,
            }
            entities = self._auto_entities(text) if entities is None else entities
            if entities:
                message["entities"] = entities
            if reply_to is not None:
                message["reply_to_message"] = self._find_message(reply_to)
            self._messages[(chat_id, message["message_id"])] = copy.deepcopy(message)
            return self._queue({"message": message})

    def press_button(self, chat_id: int, message: SentMessage | dict | int, data: str,
                     user: dict | None = None, *, check: bool = True) -> dict:
        """Queue a callback_query for the button with ``data`` on ``message``.

        ``message`` is a SentMessage, a message dict or a message id in ``chat_id``; the
        update carries its current version (after edits). With ``check`` the button must
        be on the message's current keyboard (ValueError otherwise); pass
        ``check=False`` to forge callback data.
        """
        with self._lock:
            message_id = (message.message_id if isinstance(message, SentMessage)
                          else message["message_id"] if isinstance(message, dict) else message)
            current = self._messages.get((chat_id, message_id))
            if current is None:
                raise ValueError(f"no message {message_id} in chat {chat_id}")
            if check:
                keyboard = (current.get("reply_markup") or {}).get("inline_keyboard", [])
                datas = [b.get("callback_data") for row in keyboard for b in row]
                if data not in datas:
                    raise ValueError(f"message {message_id} has no button with callback_data "
                                     f"{data!r}; its buttons: {datas}")
            query_id = str(next(self._ids))
            self._callback_queries[query_id] = time.monotonic()
            callback_query = {
                "id": query_id, "from": user or self._default_user(chat_id),
                "message": copy.deepcopy(current), "chat_instance": f"ci{chat_id}",
                "data": data,
            }
            return self._queue({"callback_query": callback_query})

    def inline_query(self, query: str, user: dict | None = None) -> dict:
        """Queue an inline_query update (a user typing "@bot query" in a chat with someone)."""
        with self._lock:
            query_id = str(next(self._ids))
            self._inline_queries[query_id] = time.monotonic()
            inline_query = {"id": query_id, "from": user or self.user(DEFAULT_USER_ID),
                            "query": query, "offset": "", "chat_type": "sender"}
            return self._queue({"inline_query": inline_query})

    def queue_update(self, raw: dict) -> dict:
        """Queue any update as given (an update_id is assigned if missing).

        Messages, callback query ids and inline query ids inside it are remembered, so
        the bot may reply to, edit or answer them.
        """
        update = copy.deepcopy(raw)
        with self._lock:
            for value in update.values():
                if not isinstance(value, dict):
                    continue
                self._remember_message(value)
                self._remember_message(value.get("message"))
            if isinstance(update.get("callback_query"), dict):
                self._callback_queries[str(update["callback_query"].get("id"))] = time.monotonic()
            if isinstance(update.get("inline_query"), dict):
                self._inline_queries[str(update["inline_query"].get("id"))] = time.monotonic()
            return self._queue(update)

    def queued_at(self, update_id: int) -> float:
        """When the update was queued (time.monotonic())."""
        with self._lock:
            return self._queued_at[update_id]

    def confirmed_at(self, update_id: int) -> float | None:
        """When the client confirmed the update (a getUpdates with a higher offset), or when
        it was dropped because its type is not in allowed_updates; None while pending."""
        with self._lock:
            return self._confirmed_at.get(update_id)

    # ---- waiting and inspecting --------------------------------------------------------

    def wait_until(self, condition: Callable[[], T], timeout: float = 10.0,
                   what: str = "condition") -> T:
        """Wait until ``condition()`` returns something truthy and return it.

        Raises AssertionError with a dump of the server state on timeout.
        """
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                result = condition()
                if result:
                    return result
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"timed out after {timeout}s waiting for {what}\n"
                                         + self.dump())
                self._changed.wait(min(remaining, 0.05))

    def wait_until_quiet(self, seconds: float = 1.0) -> None:
        """Wait until nothing has been sent for ``seconds`` (for benchmarks and late retries;
        it proves nothing about replies that are merely slow)."""
        last, deadline = len(self.sent), time.monotonic() + seconds
        while time.monotonic() < deadline:
            time.sleep(0.05)
            if len(self.sent) != last:
                last, deadline = len(self.sent), time.monotonic() + seconds

    def wait_for(self, predicate: Callable[[SentMessage], bool], timeout: float = 10.0,
                 since: int = 0) -> SentMessage:
        """Wait for a SentMessage (from ``self.sent[since:]``) satisfying ``predicate``."""
        return self.wait_until(
            lambda: next((m for m in self.sent[since:] if predicate(m)), None),
            timeout, what="a sent message matching the predicate")

    def replies_to(self, chat_id: int) -> list[SentMessage]:
        """Every message sent or edited in ``chat_id``, in order."""
        with self._lock:
            return list(self._sent_by_chat.get(chat_id, ()))

    def _record_sent(self, message: SentMessage) -> None:
        """Called with the lock held: keep ``sent`` and the per-chat view in step."""
        self.sent.append(message)
        self._sent_by_chat.setdefault(message.chat_id, []).append(message)

    def dump(self) -> str:
        """A readable summary of what the bot did (used in timeout messages)."""
        with self._lock:
            lines = [f"{len(self.sent)} sent/edited message(s):"]
            for i, m in enumerate(self.sent):
                lines.append(f"  [{i}] {m.method} chat={m.chat_id} id={m.message_id} "
                             f"text={m.plain_text[:200]!r}")
            lines.append(f"rejections: {self.rejections}")
            lines.append(f"pending updates: {len(self._pending)}; "
                         f"requests: {len(self.requests)}")
            return "\n".join(lines)

    # ---- rate measurements (benchmarks) ----------------------------------------------

    def _send_times_by_chat(self) -> dict[Any, list[float]]:
        with self._lock:
            records = [r for r in self.requests if r.method in SEND_METHODS]
        by_chat: dict[Any, list[float]] = {}
        for r in records:
            by_chat.setdefault(r.chat_id, []).append(r.time)
        return by_chat

    @staticmethod
    def _max_in_window(times: list[float], window: float) -> int:
        """The largest number of events whose times lie within less than ``window``."""
        times = sorted(times)
        best = start = 0
        for end, t in enumerate(times):
            while start <= end and t - times[start] >= window:
                start += 1
            best = max(best, end - start + 1)
        return best

    def max_rate_overall(self, window: float = 1.0) -> int:
        """Max sendMessage+editMessageText requests in any sliding ``window`` seconds."""
        return self._max_in_window([t for ts in self._send_times_by_chat().values() for t in ts],
                                   window)

    def max_rate_per_chat(self, window: float = 1.0) -> int:
        """The same, counted per chat, maximised over chats."""
        return max((self._max_in_window(ts, window) for ts in self._send_times_by_chat().values()),
                   default=0)

    # ---- internal helpers (call with self._lock held) ----------------------------------

    def _queue(self, update: dict) -> dict:
        if "update_id" not in update:
            update = {"update_id": self._next_update_id, **update}
        self._next_update_id = max(self._next_update_id, int(update["update_id"]) + 1)
        self._queued_at[update["update_id"]] = time.monotonic()
        self._pending.append(update)
        self._changed.notify_all()
        return copy.deepcopy(update)

    def _confirm(self, keep: Callable[[dict], bool]) -> None:
        """Forget the pending updates ``keep`` rejects, noting when."""
        now = time.monotonic()
        kept = []
        for update in self._pending:
            if keep(update):
                kept.append(update)
            else:
                self._confirmed_at[update["update_id"]] = now
        self._pending = kept

    def _wanted(self, update: dict) -> bool:
        """Whether the client asked for this type of update (unknown types are delivered)."""
        kind = next((key for key in update if key != "update_id"), None)
        return kind not in ALL_UPDATE_TYPES or kind in self.allowed_updates

    def _new_message_id(self, chat_id: int) -> int:
        message_id = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = message_id + 1
        return message_id

    def _default_user(self, chat_id: int, chat_type: str | None = None) -> dict:
        if chat_type is None:
            chat_type = self._chat_for(chat_id)["type"]
        return self.user(chat_id if chat_type == "private" else DEFAULT_USER_ID)

    def _remember_chat(self, chat_id: int, chat_type: str, user: dict) -> dict:
        chat = self._chats.get(chat_id)
        if chat is None or chat["type"] != chat_type:
            if chat_type == "private":
                chat = {"id": chat_id, "type": "private", "first_name": user["first_name"]}
            else:
                chat = {"id": chat_id, "type": chat_type, "title": f"Test {chat_type} {chat_id}"}
            self._chats[chat_id] = chat
        return dict(chat)

    def _chat_for(self, chat_id: int) -> dict:
        """The Chat dict for ``chat_id``: a known one, or a guess from the id's shape."""
        if chat_id in self._chats:
            return dict(self._chats[chat_id])
        if chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": "User"}
        chat_type = "supergroup" if chat_id < -1_000_000_000_000 else "group"
        return {"id": chat_id, "type": chat_type, "title": f"Test {chat_type} {chat_id}"}

    def _remember_message(self, message: Any) -> None:
        """Store a message found in a raw update so the bot can reply to or edit it."""
        if not (isinstance(message, dict) and isinstance(message.get("chat"), dict)
                and isinstance(message["chat"].get("id"), int)
                and isinstance(message.get("message_id"), int)):
            return
        chat_id, message_id = message["chat"]["id"], message["message_id"]
        self._chats.setdefault(chat_id, dict(message["chat"]))
        self._messages[(chat_id, message_id)] = copy.deepcopy(message)
        if self._next_message_id.get(chat_id, 1) <= message_id:
            self._next_message_id[chat_id] = message_id + 1

    def _find_message(self, message: SentMessage | dict) -> dict:
        """The stored version of a message (without its own reply_to_message)."""
        if isinstance(message, SentMessage):
            found = self._messages.get((message.chat_id, message.message_id))
            if found is None:
                raise ValueError(f"unknown message {message}")
        else:  # a message dict: prefer the stored (possibly edited) version
            key = ((message.get("chat") or {}).get("id"), message.get("message_id"))
            found = self._messages.get(key, message)
        found = copy.deepcopy(found)
        found.pop("reply_to_message", None)
        return found

    def _auto_entities(self, text: str) -> list[dict]:
        entities: list[dict] = []
        command_end = 0
        command = re.match(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?", text)
        if command:
            command_end = command.end()
            entities.append({"type": "bot_command", "offset": 0,
                             "length": utf16_len(command.group())})
        mention = re.compile(re.escape("@" + self.bot_username) + r"(?![A-Za-z0-9_])", re.I)
        for match in mention.finditer(text, command_end):
            entities.append({"type": "mention", "offset": utf16_len(text[:match.start()]),
                             "length": utf16_len(match.group())})
        return entities

    def _track_connection(self, conn: socket.socket, add: bool) -> None:
        with self._lock:
            if add:
                self._connections.add(conn)
            else:
                self._connections.discard(conn)

    # ---- serving one request --------------------------------------------------------

    def _serve(self, handler: _Handler) -> None:
        """Read, check, dispatch and answer one HTTP request."""
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        if self.is_down or self._stopped.is_set():
            handler.close_connection = True
            return
        match = re.fullmatch(r"/bot([^/]*)/([^/]+)", urlsplit(handler.path).path)
        method = match.group(2) if match else handler.path
        try:
            if match is None:
                raise ApiError(404, "Not Found")
            method = _CANONICAL.get(method.lower(), method)
            params = _parse_form(body)
            if match.group(1) != self.token:
                raise ApiError(401, "Unauthorized")
            if method not in _METHODS:
                raise ApiError(404, "Not Found: method not found (or not one the bot calls)")
            self._record_request(method, params)
            self._apply_faults(method)
            result = getattr(self, "_api_" + method)(params)
            status, payload = 200, {"ok": True, "result": result}
        except _DropConnection:
            handler.close_connection = True
            return
        except ApiError as error:
            if error.rejection:
                with self._lock:
                    self.rejections.append(Rejection(method, error.description))
            status, payload = error.code, error.payload()
        except Exception as error:  # a bug in this fake: make it loud
            with self._lock:
                self.rejections.append(Rejection(method, f"fake server crashed: {error!r}"))
            status, payload = 500, {"ok": False, "error_code": 500,
                                    "description": f"Internal Server Error: {error!r}"}
        finally:
            with self._changed:
                self._changed.notify_all()
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        try:
            # One write for status line, headers and body: each write hands the GIL over and
            # waits to get it back, which under load showed up as latency in every reply.
            handler.wfile.write(f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\n"
                                f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n\r\n"
                                .encode("ascii") + data)
        except OSError:
            handler.close_connection = True

    def _record_request(self, method: str, params: Params) -> None:
        chat_id: int | str | None = params.raw.get("chat_id")
        if isinstance(chat_id, str) and re.fullmatch(r"-?\d+", chat_id):
            chat_id = int(chat_id)
        with self._lock:
            self.requests.append(RequestRecord(method, time.monotonic(), chat_id))

    def _apply_faults(self, method: str) -> None:
        """Sleep for a configured delay, then serve a queued fault if one matches."""
        with self._lock:
            delay = self._delays.get(method, self._delays.get("*", 0.0))
        if delay:
            self._stopped.wait(delay)
        with self._lock:
            fault = next((f for f in self._faults if f.method in (method, "*")), None)
            if fault is None:
                return
            fault.remaining -= 1
            if fault.remaining <= 0:
                self._faults.remove(fault)
            self.faults_served.append((method, fault.kind, fault.status))
        if fault.kind == "reset":
            raise _DropConnection()
        parameters = None
        description = fault.description or _DEFAULT_DESCRIPTIONS.get(fault.status, "Error")
        if fault.status == 429:
            parameters = {"retry_after": fault.retry_after}
            description = fault.description or f"Too Many Requests: retry after {fault.retry_after}"
        raise ApiError(fault.status, description, parameters, rejection=False)

    def _chat_id(self, params: Params) -> int:
        value = params.get_str("chat_id")
        if not value:
            raise bad_request("chat_id is empty")
        try:
            return int(value)
        except ValueError:
            raise bad_request("chat not found") from None

    # ---- Bot API methods (one _api_<method> per method, returning the result) ----------

    def _api_getMe(self, params: Params) -> dict:
        return dict(self.bot_user)

    def _api_getUpdates(self, params: Params) -> list[dict]:
        offset = params.get_int("offset", 0) or 0
        limit = min(max(params.get_int("limit", 100) or 100, 1), 100)
        timeout = max(params.get_float("timeout", 0.0), 0.0)
        allowed = params.get_json("allowed_updates")
        deadline = time.monotonic() + timeout
        with self._changed:
            if self.webhook["url"]:
                raise ApiError(409, "Conflict: can't use getUpdates method while webhook is "
                                    "active; use deleteWebhook to delete the webhook first")
            if isinstance(allowed, list):
                self.allowed_updates = list(allowed) or list(DEFAULT_ALLOWED_UPDATES)
            self._confirm(lambda update: update["update_id"] >= offset)
            # A newer getUpdates call terminates an older pending one, like Telegram.
            self._poll_generation += 1
            generation = self._poll_generation
            self._changed.notify_all()
            while True:
                if self._stopped.is_set() or self.is_down:
                    raise _DropConnection()
                if generation != self._poll_generation:
                    raise ApiError(409, _DEFAULT_DESCRIPTIONS[409], rejection=False)
                self._confirm(self._wanted)  # Telegram drops the types the client did not ask for
                batch = copy.deepcopy(self._pending[:limit])
                remaining = deadline - time.monotonic()
                if batch or remaining <= 0:
                    return batch
                self._changed.wait(remaining)

    def _api_deleteWebhook(self, params: Params) -> bool:
        with self._lock:
            self.webhook = {"url": "", "secret_token": None}
            if params.get_bool("drop_pending_updates"):
                self._confirm(lambda update: False)
        return True

    def _api_setWebhook(self, params: Params) -> bool:
        secret = params.get_str("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
            raise bad_request("secret token contains unallowed characters")
        allowed = params.get_json("allowed_updates")
        with self._lock:
            self.webhook = {"url": params.get_str("url") or "", "secret_token": secret}
            if isinstance(allowed, list):
                self.allowed_updates = list(allowed) or list(DEFAULT_ALLOWED_UPDATES)
        return True

    def _api_setMyCommands(self, params: Params) -> bool:
        commands = params.get_json("commands")
        if not isinstance(commands, list):
            raise bad_request("can't parse commands JSON object")
        if len(commands) > 100:
            raise bad_request("too many commands specified")
        for command in commands:
            if not isinstance(command, dict) or not re.fullmatch(
                    r"[a-z0-9_]{1,32}", str(command.get("command", ""))):
                raise bad_request("BOT_COMMAND_INVALID")
            description = command.get("description")
            if not isinstance(description, str) or not 1 <= len(description) <= 256:
                raise bad_request("command description must be 1-256 characters long")
        key = self._commands_key(params)
        with self._lock:
            self.commands[key] = [{"command": c["command"], "description": c["description"]} for c in commands]
        return True

    def _api_deleteMyCommands(self, params: Params) -> bool:
        key = self._commands_key(params)
        with self._lock:
            self.commands.pop(key, None)
        return True

    @staticmethod
    def _commands_key(params: Params) -> tuple[str, str]:
        """(scope, language_code): "all_private_chats", "all_group_chats", "default", or "chat:<id>"."""
        scope = params.get_json("scope") or {"type": "default"}
        if not isinstance(scope, dict) or not isinstance(scope.get("type"), str):
            raise bad_request("can't parse BotCommandScope JSON object")
        if scope["type"] == "chat" and not isinstance(scope.get("chat_id"), int):
            raise bad_request("chat not found")
        language = params.get_str("language_code") or ""
        if language and not re.fullmatch(r"[a-z]{2}", language):
            raise bad_request("invalid language code specified")
        return (f"chat:{scope['chat_id']}" if scope["type"] == "chat" else scope["type"]), language

    def _reply_target(self, params: Params, chat_id: int) -> tuple[int | None, dict | None]:
        """The message being replied to (reply_parameters): (id, stored message) or (None, None)."""
        reply = params.get_json("reply_parameters")
        if not isinstance(reply, dict) or reply.get("message_id") is None:
            return None, None
        message_id = int(reply["message_id"])
        with self._lock:
            found = self._messages.get((chat_id, message_id))
        if found is None:
            if not reply.get("allow_sending_without_reply"):
                raise bad_request("message to be replied not found")
            return None, None
        found = copy.deepcopy(found)
        found.pop("reply_to_message", None)
        return message_id, found

    def _api_sendMessage(self, params: Params) -> dict:
        chat_id = self._chat_id(params)
        text, parse_mode = params.get_str("text"), params.get_str("parse_mode")
        plain, entities = check_message_text(text, parse_mode, self.strict_html)
        markup = params.get_json("reply_markup")
        check_reply_markup(markup)
        reply_to_id, reply_to = self._reply_target(params, chat_id)
        with self._lock:
            message: dict[str, Any] = {
                "message_id": self._new_message_id(chat_id), "from": dict(self.bot_user),
                "chat": self._chat_for(chat_id), "date": int(time.time()), "text": plain,
            }
            if entities:
                message["entities"] = entities
            if _kept_markup(markup):
                message["reply_markup"] = markup
            if reply_to:
                message["reply_to_message"] = reply_to
            self._messages[(chat_id, message["message_id"])] = message
            self._record_sent(SentMessage(
                "sendMessage", chat_id, text or "", parse_mode, markup, reply_to_id,
                message["message_id"], time.monotonic(), plain,
                link_preview_options=params.get_json("link_preview_options")))
            return copy.deepcopy(message)

    def _message_to_edit(self, params: Params) -> tuple[int, dict]:
        if params.get_str("inline_message_id"):
            raise bad_request("the bot edits only messages in chats (the fake has no inline "
                              "messages)")
        chat_id = self._chat_id(params)
        message_id = params.get_int("message_id")
        if message_id is None:
            raise bad_request("message identifier is not specified")
        message = self._messages.get((chat_id, message_id))
        if message is None:
            raise bad_request("message to edit not found")
        if (message.get("from") or {}).get("id") != self.bot_user["id"]:
            raise bad_request("message can't be edited")
        return chat_id, message

    def _api_editMessageText(self, params: Params) -> dict:
        text, parse_mode = params.get_str("text"), params.get_str("parse_mode")
        plain, entities = check_message_text(text, parse_mode, self.strict_html)
        markup = params.get_json("reply_markup")
        check_reply_markup(markup)
        with self._lock:
            chat_id, message = self._message_to_edit(params)
            if "text" not in message:
                raise bad_request("there is no text in the message to edit")
            current = (message["text"], message.get("entities", []),
                       _kept_markup(message.get("reply_markup")))
            if current == (plain, entities, _kept_markup(markup)):
                raise bad_request(NOT_MODIFIED)
            message["text"] = plain
            message["edit_date"] = int(time.time())
            message.pop("entities", None)
            message.pop("reply_markup", None)
            if entities:
                message["entities"] = entities
            if _kept_markup(markup):
                message["reply_markup"] = markup
            self._record_sent(SentMessage(
                "editMessageText", chat_id, text or "", parse_mode, markup, None,
                message["message_id"], time.monotonic(), plain))
            return copy.deepcopy(message)

    def _api_editMessageReplyMarkup(self, params: Params) -> dict:
        markup = params.get_json("reply_markup")
        check_reply_markup(markup)
        with self._lock:
            chat_id, message = self._message_to_edit(params)
            if _kept_markup(message.get("reply_markup")) == _kept_markup(markup):
                raise bad_request(NOT_MODIFIED)
            message.pop("reply_markup", None)
            if _kept_markup(markup):
                message["reply_markup"] = markup
            message["edit_date"] = int(time.time())
            self._record_sent(SentMessage(
                "editMessageReplyMarkup", chat_id, message.get("text", ""), None, markup, None,
                message["message_id"], time.monotonic(), message.get("text", "")))
            return copy.deepcopy(message)

    def _check_query_id(self, issued: dict[str, float], query_id: str | None) -> None:
        with self._lock:
            issued_at = issued.get(query_id or "")
        if issued_at is None or time.monotonic() - issued_at > self.callback_ttl:
            raise bad_request(QUERY_EXPIRED)

    def _api_answerCallbackQuery(self, params: Params) -> bool:
        query_id = params.get_str("callback_query_id")
        self._check_query_id(self._callback_queries, query_id)
        text = params.get_str("text")
        if text and len(text) > MAX_CALLBACK_ANSWER_LENGTH:
            raise bad_request("MESSAGE_TOO_LONG")
        with self._lock:
            self.callback_answers.append(CallbackAnswer(query_id or "", text, time.monotonic()))
        return True

    def _api_answerInlineQuery(self, params: Params) -> bool:
        query_id = params.get_str("inline_query_id")
        self._check_query_id(self._inline_queries, query_id)
        results = params.get_json("results")
        if not isinstance(results, list):
            raise bad_request("can't parse results JSON object")
        if len(results) > MAX_INLINE_RESULTS:
            raise bad_request("RESULTS_TOO_MUCH")
        seen: set[str] = set()
        for result in results:
            if not isinstance(result, dict) or not isinstance(result.get("type"), str):
                raise bad_request("can't parse InlineQueryResult: field \"type\" is missing")
            result_id = result.get("id")
            if not isinstance(result_id, str) or not 1 <= len(result_id.encode("utf-8")) <= 64:
                raise bad_request("RESULT_ID_INVALID")
            if result_id in seen:
                raise bad_request("RESULT_ID_DUPLICATE")
            seen.add(result_id)
            content = result.get("input_message_content")
            if result["type"] == "article" and (not isinstance(result.get("title"), str)
                                                or not isinstance(content, dict)):
                raise bad_request("can't parse InlineQueryResultArticle: title and "
                                  "input_message_content are required")
            if isinstance(content, dict) and "message_text" in content:
                check_message_text(content["message_text"], content.get("parse_mode"),
                                   self.strict_html)
            check_reply_markup(result.get("reply_markup"))
        with self._lock:
            self.inline_answers.append(InlineAnswer(
                query_id or "", results, params.get_int("cache_time", 300) or 0,
                params.get_bool("is_personal"), params.get_json("button"), time.monotonic()))
        return True
