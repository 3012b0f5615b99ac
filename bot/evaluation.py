"""Measure answer quality on a question set (used by the tests and benchmarks/quality.py).

A question set is a YAML list of ``{q, lang, style, expect}`` where ``expect`` is an
entry id, a list of acceptable ids, or ``abstain``. Any matcher can be measured: it
takes a question and returns a ``Prediction`` (the entry it answers with, or None
when it abstains or only suggests, plus its ranked candidates).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ABSTAIN = "abstain"


@dataclass(frozen=True)
class Question:
    text: str
    language: str
    style: str
    expected: tuple[str, ...]  # acceptable entry ids; empty means the bot should abstain

    @property
    def answerable(self) -> bool:
        return bool(self.expected)

    def accepts(self, answer: str | None) -> bool:
        """Right: an expected entry, or no answer where the bot should abstain."""
        return answer in self.expected if self.answerable else answer is None


@dataclass(frozen=True)
class Prediction:
    answer: str | None            # entry id answered confidently, or None
    ranked: tuple[str, ...] = ()  # candidate entry ids, best first


@dataclass
class Scores:
    """Counts for one slice of the question set (a language, or all)."""

    answerable: int = 0
    correct: int = 0
    in_top3: int = 0
    reciprocal_rank: float = 0.0
    wrong: int = 0          # a confident answer that is wrong (answerable or not)
    unanswerable: int = 0
    abstained: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.answerable if self.answerable else 0.0

    @property
    def recall_at_3(self) -> float:
        return self.in_top3 / self.answerable if self.answerable else 0.0

    @property
    def mrr(self) -> float:
        return self.reciprocal_rank / self.answerable if self.answerable else 0.0

    @property
    def abstention(self) -> float:
        return self.abstained / self.unanswerable if self.unanswerable else 0.0

    @property
    def wrong_rate(self) -> float:
        total = self.answerable + self.unanswerable
        return self.wrong / total if total else 0.0


def load_questions(path: str | Path) -> list[Question]:
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    questions = []
    for item in raw:
        expect = item["expect"]
        expected = () if expect == ABSTAIN else tuple(expect if isinstance(expect, list) else [expect])
        questions.append(Question(str(item["q"]), item["lang"], item.get("style", ""), expected))
    return questions


def evaluate(questions: Iterable[Question], predict: Callable[[str], Prediction]) -> dict[str, Scores]:
    """Scores per language and under the key 'all'."""
    report: dict[str, Scores] = {}
    for question in questions:
        prediction = predict(question.text)
        for key in (question.language, "all"):
            scores = report.setdefault(key, Scores())
            _count(scores, question, prediction)
    return report


def _count(scores: Scores, question: Question, prediction: Prediction) -> None:
    if not question.answerable:
        scores.unanswerable += 1
        if prediction.answer is None:
            scores.abstained += 1
        else:
            scores.wrong += 1
            scores.failures.append(f"[{question.language}] {question.text!r}: answered {prediction.answer}, expected abstain")
        return
    scores.answerable += 1
    if question.accepts(prediction.answer):
        scores.correct += 1
    else:
        if prediction.answer is not None:
            scores.wrong += 1
        scores.failures.append(f"[{question.language}] {question.text!r}: got {prediction.answer or 'no answer'}, "
                               f"expected {'/'.join(question.expected)} (candidates {', '.join(prediction.ranked[:3])})")
    ranks = [rank for rank, entry_id in enumerate(prediction.ranked, start=1) if entry_id in question.expected]
    if ranks:
        scores.reciprocal_rank += 1 / ranks[0]
        if ranks[0] <= 3:
            scores.in_top3 += 1


def percentile(samples: list[float], fraction: float) -> float:
    """The sample at ``fraction`` (0.5 = median, 0.99 = p99) of the sorted samples; nan if there are none."""
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]
