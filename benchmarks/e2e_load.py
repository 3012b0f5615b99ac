"""End-to-end load: simulated users chatting with the real bot through the fake Bot API.

    python benchmarks/e2e_load.py [--users 20] [--questions 50] [--rate-limit on|off] [--pause S | --rate N] [--flood]

Each user sends a question, waits for the reply (and --pause seconds), then sends the next.
Latency is measured at the fake server: from the moment an update is queued to the
moment the bot's sendMessage arrives. With the rate limiter on, Telegram's limits
(30 messages a second) shape it; with it off, this measures the bot itself. With
--flood, one more user presses a button 300 times and sends 300 messages as fast as
the fake server takes them, with flood control on, while the others ask: the figure is
what the calm users wait meanwhile. CPU is the bot process's, per answered update.
The fake server and the simulated users share this process; its garbage collector is
paused while they run, so that its own pauses (35-45 ms at 6,000 updates) are not
counted as the bot's. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import threading
import time
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psutil  # noqa: E402

from bot.ops.evaluation import load_questions, percentile  # noqa: E402
from bot.knowledge import paused_gc  # noqa: E402
from tests.bot_process import BotProcess  # noqa: E402
from tests.fake_bot_api import FakeBotAPI  # noqa: E402


@lru_cache(maxsize=1)
def dev_questions() -> list[str]:
    return [q.text for q in load_questions(ROOT / "tests" / "dev_questions.yaml") if q.text.strip()]


def simulate_users(server: FakeBotAPI, users: int, questions_per_user: int, pause: float = 0.0,
                   first_chat: int = 10_000, rate: float = 0.0) -> tuple[list[float], list[str]]:
    """Simulated users; returns send-to-reply latencies (seconds, measured at the server) and errors.

    Closed loop (``rate`` 0): each user asks, waits for the reply (and ``pause``), asks
    again, so the users themselves slow down when the bot does. Open loop (``rate``
    updates/s in all): users ask on a fixed schedule whatever the bot does, which is
    how a real crowd behaves and what a throughput target means.
    """
    if rate:
        return _open_loop(server, users, questions_per_user, rate, first_chat)
    questions = dev_questions()
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def user(number: int) -> None:
        chat = first_chat + number
        pool = itertools.cycle(questions[number % len(questions)::max(1, min(users, 37))] or questions)
        for _ in range(questions_per_user):
            time.sleep(pause)
            seen = len(server.replies_to(chat))
            queued = time.monotonic()
            server.send_text(chat, next(pool))
            try:
                server.wait_until(lambda: len(server.replies_to(chat)) > seen, timeout=30, what="a reply")
            except AssertionError as error:
                with lock:
                    errors.append(str(error)[:200])
                return
            reply = server.replies_to(chat)[seen]
            with lock:
                latencies.append(reply.time - queued)

    threads = [threading.Thread(target=user, args=(n,)) for n in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors


def _open_loop(server: FakeBotAPI, users: int, questions_per_user: int, rate: float,
               first_chat: int) -> tuple[list[float], list[str]]:
    questions = dev_questions()
    sent: dict[int, list[float]] = {first_chat + n: [] for n in range(users)}
    start = time.monotonic()
    # One thread sends for every user, in turn: twenty sleeping threads would each have
    # to win this process's GIL back on waking, which showed up as latency.
    for index in range(questions_per_user):
        for number in range(users):
            due = start + (index * users + number) / rate
            time.sleep(max(0.0, due - time.monotonic()))
            chat = first_chat + number
            sent[chat].append(time.monotonic())
            server.send_text(chat, questions[(number * 7 + index) % len(questions)])
    errors: list[str] = []
    try:
        server.wait_until(lambda: all(len(server.replies_to(chat)) >= len(times) for chat, times in sent.items()),
                          timeout=60, what="every reply")
    except AssertionError as error:
        errors.append(str(error)[:200])
    latencies = [reply.time - asked for chat, times in sent.items()
                 for asked, reply in zip(times, server.replies_to(chat))]
    return latencies, errors


FLOODER = 9_999


def flood(server: FakeBotAPI, presses: int = 300, messages: int = 300) -> None:
    """One user presses a button and sends messages as fast as the server queues them."""
    server.send_text(FLOODER, "energy")
    answer = server.wait_for(lambda m: m.chat_id == FLOODER, timeout=30)
    button = next(b["callback_data"] for row in answer.reply_markup["inline_keyboard"] for b in row)
    for number in range(max(presses, messages)):
        if number < presses:
            server.press_button(FLOODER, answer, button)
        if number < messages:
            server.send_text(FLOODER, f"Question {number}: what about energy?")


def run(users: int, questions_per_user: int, rate_limit: bool, pause: float = 0.0, rate: float = 0.0,
        with_flood: bool = False) -> dict[str, float]:
    with FakeBotAPI() as server, BotProcess(server, RATE_LIMIT="on" if rate_limit else "off", LOG_LEVEL="WARNING",
                                             FLOOD_LIMIT="8" if with_flood else "0") as bot:
        dev_questions()  # loaded before the clock starts
        process = psutil.Process(bot.process.pid)
        cpu_before = sum(process.cpu_times()[:2])
        answers_before = len(server.sent) + len(server.callback_answers)
        flooder = threading.Thread(target=flood, args=(server,)) if with_flood else None
        started = time.monotonic()
        with paused_gc():
            if flooder:
                flooder.start()
                time.sleep(0.2)  # the flood is under way before the calm users ask
            latencies, errors = simulate_users(server, users, questions_per_user, pause, rate=rate)
            if flooder:
                flooder.join()
        elapsed = max((message.time for message in server.sent), default=started) - started  # to the last reply
        server.wait_until_quiet(1.0)
        answered = len(server.sent) + len(server.callback_answers) - answers_before
        cpu_ms = (sum(process.cpu_times()[:2]) - cpu_before) * 1000
        return {
            "cpu_ms_per_update": cpu_ms / answered if answered else 0.0,
            "flood_answered": len(server.replies_to(FLOODER)) if with_flood else 0,
            "updates": len(latencies), "errors": len(errors), "seconds": elapsed,
            "updates_per_s": len(latencies) / elapsed if elapsed else 0.0,
            "p50_ms": percentile(latencies, 0.5) * 1000,
            "p99_ms": percentile(latencies, 0.99) * 1000,
            "max_sends_per_s": server.max_rate_overall(1.0),
            "max_sends_per_chat_per_s": server.max_rate_per_chat(1.0),
            "rejections": len(server.rejections),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--questions", type=int, default=50, help="questions per user")
    parser.add_argument("--rate-limit", choices=["on", "off"], default="on")
    parser.add_argument("--pause", type=float, default=0.0, help="seconds a user waits before the next question")
    parser.add_argument("--rate", type=float, default=0.0,
                        help="open loop: updates per second from all users together (default: closed loop)")
    parser.add_argument("--flood", action="store_true",
                        help="one more user floods 300 button presses and 300 messages meanwhile")
    args = parser.parse_args()
    figures = run(args.users, args.questions, args.rate_limit == "on", args.pause, args.rate, args.flood)
    loop = f"open loop at {args.rate:g} updates/s" if args.rate else f"closed loop, pause {args.pause} s"
    print(f"users {args.users} x questions {args.questions}, rate limiter {args.rate_limit}, {loop}")
    print(f"replies {figures['updates']}, errors {figures['errors']}, rejected by the server {figures['rejections']}, "
          f"in {figures['seconds']:.1f} s")
    print(f"throughput {figures['updates_per_s']:.1f} updates/s; send-to-reply p50 {figures['p50_ms']:.1f} ms, "
          f"p99 {figures['p99_ms']:.1f} ms")
    print(f"busiest second: {figures['max_sends_per_s']} sends overall, {figures['max_sends_per_chat_per_s']} in one chat")
    print(f"bot CPU per answered update (messages sent, presses answered): {figures['cpu_ms_per_update']:.2f} ms")
    if args.flood:
        print(f"the flooder's 600 updates got {figures['flood_answered']} messages (flood control: 8 per 10 s)")


if __name__ == "__main__":
    main()
