"""How the bot talks to the Bot API: python-telegram-bot's request interface on aiohttp.

python-telegram-bot ships an httpx client. Under load most of the bot's CPU went
into it (connection-pool bookkeeping and request building, about 5 ms per reply);
aiohttp does the same work in a fraction of that, which is what lets one process
answer hundreds of updates a second. Parameters go as one JSON body (the Bot API
takes JSON as readily as form fields): aiohttp's form encoder cost ten times as
much CPU per reply. Errors map onto the library's own: a timeout is TimedOut,
anything else on the wire is NetworkError, and the rest of the bot (retries,
rate limits) is unchanged.

``ReplyBot`` is the library's ExtBot with one lighter way to send a reply.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from typing import NamedTuple

import aiohttp
from telegram.constants import ParseMode
from telegram.error import NetworkError, TimedOut
from telegram.ext import ExtBot
from telegram.request import BaseRequest, RequestData

from bot.render import Button

_JSON = {"Content-Type": "application/json"}
_NO_PREVIEW = {"is_disabled": True}


class AiohttpRequest(BaseRequest):
    """One aiohttp session (a pool of keep-alive connections) per instance."""

    def __init__(self, connections: int = 64, read_timeout: float = 15.0, write_timeout: float = 15.0,
                 connect_timeout: float = 10.0):
        self.connections = connections
        self._read_timeout = read_timeout
        self.write_timeout = write_timeout
        self.connect_timeout = connect_timeout
        self.session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float:
        return self._read_timeout

    async def initialize(self) -> None:
        if self.session is None or self.session.closed:
            self.session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=self.connections),
                                                 headers={"User-Agent": self.USER_AGENT},
                                                 cookie_jar=aiohttp.DummyCookieJar())  # the Bot API sets none

    async def shutdown(self) -> None:
        if self.session is not None and not self.session.closed:
            await self.session.close()

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout: object = BaseRequest.DEFAULT_NONE,
                         write_timeout: object = BaseRequest.DEFAULT_NONE,
                         connect_timeout: object = BaseRequest.DEFAULT_NONE,
                         pool_timeout: object = BaseRequest.DEFAULT_NONE) -> tuple[int, bytes]:
        if self.session is None or self.session.closed:
            raise RuntimeError("AiohttpRequest is not initialized")
        timeout = aiohttp.ClientTimeout(total=None, connect=_seconds(connect_timeout, self.connect_timeout),
                                        sock_read=_seconds(read_timeout, self._read_timeout))
        data: aiohttp.FormData | bytes | None = None
        headers = None
        if request_data is not None and not request_data.multipart_data:
            data = json.dumps(request_data.parameters, ensure_ascii=False).encode()
            headers = _JSON
        elif request_data is not None:
            form = aiohttp.FormData()
            for name, value in request_data.json_parameters.items():
                form.add_field(name, value)
            for name, (filename, content, mime_type) in request_data.multipart_data.items():
                form.add_field(name, content, filename=filename, content_type=mime_type)
            data = form
        try:
            async with self.session.request(method, url, data=data, headers=headers, timeout=timeout) as response:
                return response.status, await response.read()
        except aiohttp.ConnectionTimeoutError as error:
            raise NetworkError("aiohttp: connect timeout (the request was not sent)") from error
        except asyncio.TimeoutError as error:
            raise TimedOut from error  # sent, but no answer in time: it may well have been carried out
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}: {error}") from error


def _seconds(value: object, default: float) -> float | None:
    """A timeout the library passed: a number, None (no limit), or its 'use the default' marker."""
    if value is None or isinstance(value, (int, float)):
        return value  # type: ignore[return-value]
    return default


class SentMessage(NamedTuple):
    """Where a reply went: enough to find it again when its buttons are pressed."""

    chat_id: int
    message_id: int


def inline_keyboard(buttons: Sequence[Sequence[Button]]) -> list[list[dict[str, str]]]:
    """Buttons as the Bot API's InlineKeyboardButton fields."""
    return [[{"text": button.label, "callback_data": button.data} for button in row] for row in buttons]


class ReplyBot(ExtBot):
    """ExtBot (rate limiter, defaults) with a lighter way to send the bot's own replies."""

    async def send_html(self, chat_id: int, html: str, buttons: Sequence[Sequence[Button]] = (),
                        reply_to_message_id: int | None = None) -> SentMessage:
        """sendMessage in HTML without link previews; returns where the message went.

        The request is the one ``send_message`` makes, built from plain JSON. Going
        through ``send_message`` cost a third of the bot's CPU per reply: keyboard
        and reply objects built only to be turned back into JSON, and Telegram's copy
        of the sent message (text, entities, keyboard) parsed into a Message only to
        read two numbers from it.
        """
        keyboard = inline_keyboard(buttons)
        result = await self._post("sendMessage", {
            "chat_id": chat_id, "text": html, "parse_mode": ParseMode.HTML,
            "link_preview_options": _NO_PREVIEW,
            "reply_markup": {"inline_keyboard": keyboard} if keyboard else None,
            "reply_parameters": ({"message_id": reply_to_message_id, "allow_sending_without_reply": True}
                                 if reply_to_message_id is not None else None),
        })
        return SentMessage(result["chat"]["id"], result["message_id"])
