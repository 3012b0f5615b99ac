"""Flood control at admission: a user or group that floods the bot is slowed down politely.

Telegram limits what the bot may send; this limits what one user (or one group)
can make it do, so one flood cannot delay everyone else's answers. Memory is
bounded: only the most recent users are remembered.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from typing import Literal

from bot.telegram.memory import Recent

Verdict = Literal["ok", "warn", "drop"]


class Throttle:
    """At most ``limit`` events per ``window`` seconds per key; then one warning, then silence."""

    def __init__(self, limit: int = 8, window: float = 10.0, max_keys: int = 10_000,
                 clock: Callable[[], float] = time.monotonic):
        self.limit = limit
        self.window = window
        self.max_keys = max_keys
        self.clock = clock
        self.recent: Recent[object, deque[float]] = Recent(max_keys)
        self.warned: Recent[object, float] = Recent(max_keys)

    def check(self, key: object) -> Verdict:
        now = self.clock()
        times = self.recent.get(key) or deque()
        self.recent[key] = times
        while times and now - times[0] >= self.window:
            times.popleft()
        if len(times) < self.limit:
            times.append(now)
            return "ok"
        if now - self.warned.get(key, -self.window) >= self.window:
            self.warned[key] = now
            return "warn"
        return "drop"


class Admission:
    """The budgets an update counts against: its user's and, in a group, the group's.

    A group's budget follows Telegram's 20 messages a minute per group, so what is
    admitted can be sent without queueing. Inline queries come with every keystroke
    and send no message, so they have a budget of their own, three times a user's.
    """

    def __init__(self, user_limit: int, window: float = 10.0, group_limit: int = 20, group_window: float = 60.0,
                 clock: Callable[[], float] = time.monotonic):
        self.users = Throttle(user_limit, window, clock=clock)
        self.inline = Throttle(user_limit * 3, window, clock=clock)
        self.groups = Throttle(group_limit, group_window, clock=clock)

    def check(self, user_id: int, group_id: int | None = None, inline: bool = False) -> Verdict:
        if inline:
            return self.inline.check(user_id)
        verdict = self.users.check(user_id)
        if verdict != "ok" or group_id is None:
            return verdict
        return self.groups.check(group_id)
