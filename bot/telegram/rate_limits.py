"""Every Bot API request but getUpdates goes through here: Telegram's flood limits, and retries.

This is python-telegram-bot's own ``AIORateLimiter``, set through its documented
parameters, with one small subclass for the retry policy:

- Flood limits: Telegram allows about 30 messages a second in all and 20 a minute
  in a group; beyond that it answers 429. The stock buckets are leaky with a burst
  as large as the rate, so ``AIORateLimiter()`` lets up to twice the rate through
  in one second. Sized as a burst of 1 refilled at 29 a second (and, per group, 19 a
  minute), no one-second or one-minute window holds more than Telegram allows, and
  the bot still sends at nearly the ceiling for as long as there is a queue.
- 429: the stock limiter pauses every request for ``retry_after`` and tries again.
- 5xx answers and failures before a request reached Telegram (no connection, the
  connection pool full) are retried with growing pauses, about 30 s in all, so the
  reply reaches the user once the API recovers.
- A ``sendMessage`` that may have reached Telegram (a read timeout, a connection
  dropped after the request was written) is never sent again: it was most likely
  delivered, and sending it again would give the user the answer twice. Other
  requests (edits, answers to button presses, polling) are safe to repeat.
- A 400 (a reply Telegram rejects) is never retried.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import httpx
from telegram.error import BadRequest, NetworkError, TelegramError
from telegram.ext import AIORateLimiter

log = logging.getLogger(__name__)

SENT_ONCE = frozenset({"sendMessage"})  # never repeated unless surely not delivered
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)  # failed before reaching Telegram


def surely_not_delivered(error: NetworkError) -> bool:
    """Telegram answered with an error status (5xx), or the request never left this process."""
    cause = error.__cause__
    return cause is None or isinstance(cause, (TelegramError, *NOT_SENT))


class RetryingRateLimiter(AIORateLimiter):
    """``AIORateLimiter`` with Telegram's limits (unless ``enforce`` is off, for benchmarks) and safe retries."""

    def __init__(self, enforce: bool = True, attempts: int = 8, first_pause: float = 0.25,
                 longest_pause: float = 8.0):
        super().__init__(overall_max_rate=1 if enforce else 0, overall_time_period=1 / 29,
                         group_max_rate=1 if enforce else 0, group_time_period=60 / 19, max_retries=attempts)
        self.attempts = attempts
        self.first_pause = first_pause
        self.longest_pause = longest_pause

    async def process_request(self, callback: Any, args: Any, kwargs: dict[str, Any], endpoint: str,
                              data: dict[str, Any], rate_limit_args: int | None) -> Any:
        pause = self.first_pause
        for attempt in range(1, self.attempts + 1):
            try:
                return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
            except BadRequest:
                raise
            except NetworkError as error:  # includes TimedOut
                if attempt == self.attempts or (endpoint in SENT_ONCE and not surely_not_delivered(error)):
                    raise
                log.warning("%s failed (%s); retrying in %.2f s (attempt %d)", endpoint, error, pause, attempt)
                await asyncio.sleep(pause)
                pause = min(pause * 2, self.longest_pause)
        raise AssertionError("unreachable")
