"""Soak: 10,000 updates from 200 users through the fake Bot API; memory must stay flat.

    python benchmarks/soak.py [--users 200] [--questions 50]

Runs the real bot process (rate limiter and flood control off, so the run takes
a minute, not hours) with the real knowledge base, and samples its resident
memory as the updates go through. Prints replies received, errors, and memory at
the start, after each fifth of the run, and at the end. Asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.e2e_load import simulate_users  # noqa: E402
from bot.ops.evaluation import percentile  # noqa: E402
from tests.bot_process import BotProcess  # noqa: E402
from tests.fake_bot_api import FakeBotAPI  # noqa: E402


def resident_mb(pid: int) -> float:
    """VmRSS of a process, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--questions", type=int, default=50, help="questions per user")
    args = parser.parse_args()
    total = args.users * args.questions

    with FakeBotAPI() as server, BotProcess(server, RATE_LIMIT="off", FLOOD_LIMIT="0", LOG_LEVEL="WARNING") as bot:
        assert bot.process is not None
        pid = bot.process.pid
        samples = [(0, resident_mb(pid))]
        done = threading.Event()

        def sample() -> None:
            next_mark = total // 5
            while not done.wait(0.2):
                answered = len(server.sent)
                if answered >= next_mark:
                    samples.append((answered, resident_mb(pid)))
                    next_mark += total // 5

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        started = time.monotonic()
        latencies, errors = simulate_users(server, args.users, args.questions)
        elapsed = time.monotonic() - started
        done.set()
        sampler.join()
        samples.append((len(server.sent), resident_mb(pid)))
        alive = not bot.exited()

    print(f"soak: {args.users} users x {args.questions} questions = {total} updates in {elapsed:.1f} s "
          f"({len(latencies) / elapsed:.0f} updates/s)")
    print(f"replies received {len(latencies)}, errors {len(errors)}, rejected by the server {len(server.rejections)}, "
          f"bot still running: {alive}")
    print(f"send-to-reply p50 {percentile(latencies, 0.5) * 1000:.1f} ms, p99 {percentile(latencies, 0.99) * 1000:.1f} ms")
    print("resident memory of the bot: " + ", ".join(f"{mb:.1f} MB after {count}" for count, mb in samples))


if __name__ == "__main__":
    main()
