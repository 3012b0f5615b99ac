"""Per-user flood control: a user who floods the bot is slowed down politely.

Telegram limits what the bot may send; this limits what one user can make it do,
so one flood cannot delay everyone else's answers. Memory is bounded: only the
most recent users are remembered.
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable
from typing import Literal

Verdict = Literal["ok", "warn", "drop"]


class Throttle:
    """At most ``limit`` events per ``window`` seconds per key; then one warning, then silence."""

    def __init__(self, limit: int = 8, window: float = 10.0, max_keys: int = 10_000,
                 clock: Callable[[], float] = time.monotonic):
        self.limit = limit
        self.window = window
        self.max_keys = max_keys
        self.clock = clock
        self.recent: OrderedDict[object, deque[float]] = OrderedDict()
        self.warned: dict[object, float] = {}

    def check(self, key: object) -> Verdict:
        now = self.clock()
        times = self.recent.pop(key, None) or deque()
        self.recent[key] = times
        if len(self.recent) > self.max_keys:
            old_key, _ = self.recent.popitem(last=False)
            self.warned.pop(old_key, None)
        while times and now - times[0] >= self.window:
            times.popleft()
        if len(times) < self.limit:
            times.append(now)
            return "ok"
        if now - self.warned.get(key, -self.window) >= self.window:
            self.warned[key] = now
            return "warn"
        return "drop"
