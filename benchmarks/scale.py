"""Speed and memory as the knowledge base grows: the real one, then 1,000 to 100,000 entries.

    python benchmarks/scale.py [--sizes 1000,10000,100000] [--quick]

For each size it prints start-up time (load + validate + index) cold and from the
compiled cache (a restart with unchanged files), peak memory of the process
(VmHWM, Linux), and
p50/p99 of one search over a fixed mix of questions. Each measurement runs in a
fresh process so sizes do not share memory or caches. Synthetic knowledge bases
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
from bot.dialog import MAX_QUESTION_CHARS, Knowledge
from bot.evaluation import load_questions, percentile

kb_path, cache_dir = Path(sys.argv[2]), (Path(sys.argv[3]) if sys.argv[3] != "-" else None)
started = time.perf_counter()
knowledge = Knowledge.load(kb_path, cache_dir)
startup = time.perf_counter() - started
questions = [q.text for q in load_questions(Path(sys.argv[1]) / "tests" / "dev_questions.yaml")]
random.Random(1).shuffle(questions)
mix = questions[:120] + [("treaty " * 600)[:MAX_QUESTION_CHARS]]  # a long message, as much as the bot reads
samples = []
for _ in range(3):
    for question in mix:
        begin = time.perf_counter()
        knowledge.index.find(question, remember=False)
        samples.append(time.perf_counter() - begin)
print(json.dumps({
    "entries": len(knowledge.kb.entries), "alternates": len(knowledge.index.alternates), "startup_s": startup,
    "peak_mb": next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:")) / 1024,
    "p50_ms": percentile(samples, 0.5) * 1000, "p99_ms": percentile(samples, 0.99) * 1000,
}))
"""


def measure(kb_path: Path, cache_dir: Path | None) -> dict[str, float]:
    done = subprocess.run([sys.executable, "-c", MEASURE, str(ROOT), str(kb_path), str(cache_dir or "-")],
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
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated synthetic sizes")
    parser.add_argument("--quick", action="store_true", help="tiny sizes only (the CI smoke test)")
    args = parser.parse_args()
    sizes = [100, 500] if args.quick else [int(size) for size in args.sizes.split(",") if size]

    rows = [("real", ROOT / "knowledge")] + [(f"{size:,}", synthetic(size)) for size in sizes]
    print("first start: load, validate, index and write the compiled copy (after any change);\n"
          "start: a restart that reads the compiled copy (unchanged files), which `treaty-bot check\n"
          "--compile` can also write ahead. Each in a fresh process.")
    print(f"{'knowledge base':>15} {'entries':>8} {'alternates':>10} | {'first start':>11} {'peak MB':>8} | "
          f"{'start':>7} {'peak MB':>8} | {'search p50':>10} {'p99':>8}")
    for name, path in rows:
        cache_dir = WORK / f"cache-{name.replace(',', '')}"
        shutil.rmtree(cache_dir, ignore_errors=True)
        cold = measure(path, cache_dir)      # loads the YAML, writes the cache
        warm = measure(path, cache_dir)      # a restart: reads the cache
        print(f"{name:>15} {cold['entries']:>8,} {cold['alternates']:>10,} | {cold['startup_s']:>10.2f}s "
              f"{cold['peak_mb']:>8.0f} | {warm['startup_s']:>6.2f}s {warm['peak_mb']:>8.0f} | "
              f"{warm['p50_ms']:>8.2f}ms {warm['p99_ms']:>6.2f}ms", flush=True)


if __name__ == "__main__":
    main()
