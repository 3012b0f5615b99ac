"""Speed and memory as the knowledge base grows: the real one, then 1,000 and 10,000 entries.

    python benchmarks/scale.py [--sizes 1000,10000] [--quick]

10,000 entries is the realistic large knowledge base (every agreement a ministry
publishes, split by article); the targets there are a search p99 under 5 ms, a start
(load, validate, index) under 10 s and memory under 300 MB. For each size it prints
the start-up time, the peak memory of the process (VmHWM, Linux), and p50/p99 of one
search over a fixed mix of questions. Each measurement runs in a fresh process so
sizes do not share memory or caches. Synthetic knowledge bases
(benchmarks/synthetic_kb.py) are written once under the system temp folder and
reused. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORK = Path(tempfile.gettempdir()) / "treaty-bot-scale"

MEASURE = r"""
import json, random, sys, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from bot.chat.dialog import Knowledge
from bot.ops.evaluation import load_questions, percentile

kb_path = Path(sys.argv[2])
started = time.perf_counter()
knowledge = Knowledge.load(kb_path)
startup = time.perf_counter() - started
questions = [q.text for q in load_questions(Path(sys.argv[1]) / "tests" / "questions" / "dev.yaml")]
random.Random(1).shuffle(questions)
mix = questions[:120]
samples = []
for _ in range(3):
    for question in mix:
        begin = time.perf_counter()
        knowledge.index.find(question, remember=False)
        samples.append(time.perf_counter() - begin)
print(json.dumps({
    "entries": len(knowledge.kb.entries), "alternates": sum(len(e.alternates()) for e in knowledge.kb.entries),
    "startup_s": startup,
    "peak_mb": next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:")) / 1024,
    "p50_ms": percentile(samples, 0.5) * 1000, "p99_ms": percentile(samples, 0.99) * 1000,
}))
"""


def measure(kb_path: Path) -> dict[str, float]:
    done = subprocess.run([sys.executable, "-c", MEASURE, str(ROOT), str(kb_path)],
                          capture_output=True, text=True, check=True, timeout=3600)
    return json.loads(done.stdout.strip().splitlines()[-1])


def synthetic(size: int) -> Path:
    from benchmarks.synthetic_kb import write_synthetic_kb

    folder = WORK / f"kb-{size}"
    if not (folder / ".complete").exists():
        shutil.rmtree(folder, ignore_errors=True)
        write_synthetic_kb(folder, size)
        (folder / ".complete").touch()
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated synthetic sizes")
    parser.add_argument("--quick", action="store_true", help="tiny sizes only (the CI smoke test)")
    args = parser.parse_args()
    sizes = [100, 500] if args.quick else [int(size) for size in args.sizes.split(",") if size]

    rows = [("real", ROOT / "knowledge")] + [(f"{size:,}", synthetic(size)) for size in sizes]
    print("start: load, validate and index the YAML, in a fresh process")
    print(f"{'knowledge base':>15} {'entries':>8} {'alternates':>10} | {'start':>7} {'peak MB':>8} | "
          f"{'search p50':>10} {'p99':>8}")
    for name, path in rows:
        row = measure(path)
        print(f"{name:>15} {row['entries']:>8,} {row['alternates']:>10,} | {row['startup_s']:>6.2f}s "
              f"{row['peak_mb']:>8.0f} | {row['p50_ms']:>8.2f}ms {row['p99_ms']:>6.2f}ms", flush=True)


if __name__ == "__main__":
    main()
