"""Every Bot API request goes through here: Telegram's flood limits, and retries.

Telegram allows about 30 messages a second in all, one a second in any one chat,
and 20 a minute in a group; beyond that it answers 429. python-telegram-bot's
AIORateLimiter uses leaky buckets whose burst lets twice the rate through within
one second, and leaves the per-chat limit out, so measured at the server it sent
57 messages in one second and two to one chat. This limiter uses the same
aiolimiter buckets, sized so that no one-second (or one-minute) window can hold
more than Telegram allows, and spaces the messages to each chat by the time they
are actually sent.

It also rides out Telegram's bad moments: a 429 pauses every request for its
``retry_after``; a 5xx or a dropped connection is retried with growing pauses
(about 30 s in all), so the reply reaches the user once the API recovers. A 400
(a reply Telegram rejects) is not retried, nor is a sendMessage that timed out
after reaching Telegram (it was most likely delivered; sending it again would
give the user the answer twice).
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)

PER_CHAT_SECONDS = 1.05   # between two messages to one chat
MAX_TRACKED_CHATS = 10_000
SENT_ONCE = frozenset({"sendMessage"})  # not repeated after a read timeout


def overall_bucket() -> AsyncLimiter:
    """Bursts of 5, then 25/s: at most 5 + 25 = 30 in any second."""
    return AsyncLimiter(5, 0.2)


def group_bucket() -> AsyncLimiter:
    """Bursts of 5, then one every 4 s: at most 5 + 15 = 20 in any minute."""
    return AsyncLimiter(5, 20)


class TelegramLimiter(BaseRateLimiter[int]):
    """Telegram's flood limits (unless ``enforce`` is off, for benchmarks) and retries."""

    def __init__(self, enforce: bool = True, attempts: int = 8, first_pause: float = 0.25,
                 longest_pause: float = 8.0):
        self.enforce = enforce
        self.attempts = attempts
        self.first_pause = first_pause
        self.longest_pause = longest_pause
        self.overall = overall_bucket()
        self.chats: OrderedDict[str, tuple[asyncio.Lock, list[float]]] = OrderedDict()  # lock, [last send]
        self.groups: OrderedDict[str, AsyncLimiter] = OrderedDict()
        self.paused_until = 0.0

    async def initialize(self) -> None:
        """Nothing to open: the buckets need no resources."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    def _chat(self, chat_id: object) -> tuple[asyncio.Lock, list[float]]:
        """The lock and last-send time of a chat; only the most recent chats are kept."""
        key = str(chat_id)
        state = self.chats.pop(key, None) or (asyncio.Lock(), [0.0])
        self.chats[key] = state
        while len(self.chats) > MAX_TRACKED_CHATS:
            oldest_key, (lock, _) = next(iter(self.chats.items()))
            if lock.locked():
                break
            del self.chats[oldest_key]
        return state

    def _group(self, chat_id: object) -> AsyncLimiter:
        key = str(chat_id)
        bucket = self.groups.pop(key, None) or group_bucket()
        self.groups[key] = bucket
        if len(self.groups) > MAX_TRACKED_CHATS:
            self.groups.popitem(last=False)
        return bucket

    async def _after_any_pause(self) -> None:
        """Wait out a flood pause Telegram asked for (429), even one that began while this request queued."""
        loop = asyncio.get_running_loop()
        while (wait := self.paused_until - loop.time()) > 0:
            await asyncio.sleep(wait)

    async def _send(self, callback: Any, args: Any, kwargs: dict[str, Any], chat_id: object) -> Any:
        loop = asyncio.get_running_loop()
        if not self.enforce or chat_id is None:  # answers to button presses and inline queries are not messages
            await self._after_any_pause()
            return await callback(*args, **kwargs)
        lock, last_send = self._chat(chat_id)
        async with lock:  # one message at a time per chat, in order
            wait = last_send[0] + PER_CHAT_SECONDS - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            if isinstance(chat_id, str) or int(chat_id) < 0:  # groups, supergroups and channels
                await self._group(chat_id).acquire()
            await self.overall.acquire()
            await self._after_any_pause()
            last_send[0] = loop.time()
            return await callback(*args, **kwargs)

    async def process_request(self, callback: Any, args: Any, kwargs: dict[str, Any], endpoint: str,
                              data: dict[str, Any], rate_limit_args: int | None) -> Any:
        pause = self.first_pause
        for attempt in range(1, self.attempts + 1):
            try:
                return await self._send(callback, args, kwargs, data.get("chat_id"))
            except BadRequest:
                raise
            except RetryAfter as error:
                if attempt == self.attempts:
                    raise
                wait = error.retry_after if isinstance(error.retry_after, (int, float)) else error.retry_after.total_seconds()
                log.warning("%s: Telegram asked to wait %.1f s (attempt %d)", endpoint, wait, attempt)
                self.paused_until = max(self.paused_until, asyncio.get_running_loop().time() + wait + 0.05)
            except NetworkError as error:  # includes TimedOut
                if attempt == self.attempts or (isinstance(error, TimedOut) and endpoint in SENT_ONCE):
                    raise
                log.warning("%s failed (%s); retrying in %.2f s (attempt %d)", endpoint, error, pause, attempt)
                await asyncio.sleep(pause)
                pause = min(pause * 2, self.longest_pause)
        raise AssertionError("unreachable")
