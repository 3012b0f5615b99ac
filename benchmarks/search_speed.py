"""Start-up time (load + index) and latency of one search on the real knowledge base.

    python benchmarks/search_speed.py [--rounds N]

Prints figures; asserts nothing (tests never depend on wall-clock time).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.chat.dialog import Dialog, Knowledge  # noqa: E402
from bot.ops.evaluation import load_questions, percentile  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="passes over the question mix")
    parser.add_argument("--knowledge", type=Path, default=ROOT / "knowledge")
    args = parser.parse_args()

    started = time.perf_counter()
    knowledge = Knowledge.load(args.knowledge)
    startup = time.perf_counter() - started

    questions = [q.text for q in load_questions(ROOT / "tests" / "questions" / "dev.yaml")]
    index = knowledge.index
    samples = []
    for _ in range(args.rounds):
        for question in questions:
            begin = time.perf_counter()
            index.find(question, remember=False)
            samples.append(time.perf_counter() - begin)

    print(f"knowledge base: {len(knowledge.kb.entries)} entries, "
          f"{sum(len(entry.alternates()) for entry in knowledge.kb.entries)} alternates")
    print(f"start-up (load + index): {startup * 1000:.1f} ms")
    print(f"searches: {len(samples)} ({len(questions)} questions x {args.rounds} rounds)")
    print(f"one search: p50 {percentile(samples, 0.5) * 1e3:.3f} ms, p99 {percentile(samples, 0.99) * 1e3:.3f} ms, "
          f"max {max(samples) * 1e3:.3f} ms, mean {statistics.fmean(samples) * 1e3:.3f} ms")
    longest = "When was the treaty signed? " + "Ещё вопрос о Zəngəzur dəhlizi, 2024, <b>&amp;</b> 🤖 " * 80
    longest = longest[:4096]
    dialog = Dialog(knowledge)
    dialog_times = []
    for round_number in range(args.rounds):
        message = f"{round_number} {longest}"[:4096]  # a new message each round: nothing remembered
        begin = time.perf_counter()
        dialog.search(message)  # the bot's own path: every sentence, at its start and its end
        dialog_times.append(time.perf_counter() - begin)
    print(f"a 4,096-character message: worst of {args.rounds} searches {max(dialog_times) * 1e3:.3f} ms")


if __name__ == "__main__":
    main()
