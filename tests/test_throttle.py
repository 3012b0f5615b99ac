"""Flood control: a flood is slowed down, one polite warning, other users unaffected."""

from bot.telegram.budgets import Throttle


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_flood_gets_one_warning_then_silence_and_recovers():
    clock = Clock()
    throttle = Throttle(limit=3, window=10, clock=clock)
    verdicts = [throttle.check("flooder") for _ in range(6)]
    assert verdicts == ["ok", "ok", "ok", "warn", "drop", "drop"]
    assert throttle.check("someone else") == "ok"
    clock.now = 10.5
    assert throttle.check("flooder") == "ok"


def test_memory_is_bounded():
    throttle = Throttle(limit=1, window=10, max_keys=100, clock=Clock())
    for user in range(1000):
        assert throttle.check(user) == "ok"
        assert throttle.check(user) == "warn"  # every user floods, so every one is warned
    assert len(throttle.recent) == 100
    assert len(throttle.warned) == 100  # the warnings of forgotten users are forgotten too
