"""Measure answer quality on a question set (used by the tests and benchmarks/quality.py).

A question set is a YAML list of ``{q, lang, category, expect}`` (older sets say
``style`` for ``category``) where ``expect`` is an entry id, a list of acceptable
ids, or ``abstain``. A question across the agreements (category ``cross``) lists
every agreement its answer must rely on, and may give the computed ``value``
("no", "2", "7 years"). Any matcher can be measured: it takes a question and
returns a ``Prediction`` (the entry it answers with, or None when it abstains or
only suggests, plus its ranked candidates; for a computed answer, the agreements
it cites and its value).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:
    from bot.chat.dialog import Answer, Dialog

ABSTAIN = "abstain"


CROSS = "cross"


@dataclass(frozen=True)
class Prediction:
    answer: str | None            # entry id answered confidently, or None
    ranked: tuple[str, ...] = ()  # candidate entry ids, best first
    cites: tuple[str, ...] = ()   # a computed answer across agreements: the agreements it relies on
    value: str = ""               # ... and its computed value


@dataclass(frozen=True)
class Question:
    text: str
    language: str
    style: str                 # the category: plain, paraphrase, typo, chatty, cross, detail, ...
    expected: tuple[str, ...]  # acceptable entry ids (for "cross": every agreement relied on); empty: abstain
    value: str = ""            # "cross" only: the computed value, when the question asks for one
    abstain_ok: bool = False   # a borderline question: abstaining is right too

    @property
    def answerable(self) -> bool:
        return bool(self.expected)

    @property
    def cross(self) -> bool:
        return self.style == CROSS

    def accepts(self, answer: str | None | Prediction) -> bool:
        """Right: an expected entry (or, across agreements, exactly the agreements and value
        expected), or no answer where the bot should abstain."""
        prediction = answer if isinstance(answer, Prediction) else Prediction(answer)
        if prediction.cites and self.cross:
            if self.value and not _same_value(prediction.value, self.value):
                return False
            cited, expected = set(prediction.cites), set(self.expected)
            # A count may quote only what it counts, where the asker listed every agreement looked at.
            counted = self.value.isdigit() and cited < expected and len(cited) == int(self.value)
            return cited == expected or counted
        if prediction.cites:  # a computed line for a question not written as one: right if it quotes only right passages
            return set(prediction.cites) <= set(self.expected)
        if prediction.answer is None:
            return not self.answerable or self.abstain_ok
        return prediction.answer in self.expected and not self.cross


def _same_value(got: str, expected: str) -> bool:
    return " ".join(got.lower().split()) == " ".join(expected.lower().split())


@dataclass
class Scores:
    """Counts for one slice of the question set (a language, or all)."""

    answerable: int = 0
    correct: int = 0        # answered, and right: what a user gets
    in_top1: int = 0        # the right entry ranked first, answered or not
    in_top3: int = 0
    reciprocal_rank: float = 0.0
    wrong: int = 0          # a confident answer that is wrong (answerable or not)
    wrong_answerable: int = 0  # ... of those, on answerable questions (the wrong passage quoted)
    unanswerable: int = 0
    abstained: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return _share(self.correct, self.answerable)

    @property
    def top1(self) -> float:
        return _share(self.in_top1, self.answerable)

    @property
    def recall_at_3(self) -> float:
        return _share(self.in_top3, self.answerable)

    @property
    def mrr(self) -> float:
        return _share(self.reciprocal_rank, self.answerable)

    @property
    def abstention(self) -> float:
        return _share(self.abstained, self.unanswerable)

    @property
    def wrong_on_answerable(self) -> float:
        return _share(self.wrong_answerable, self.answerable)

    @property
    def wrong_rate(self) -> float:
        return _share(self.wrong, self.answerable + self.unanswerable)


def _share(part: float, whole: int) -> float:
    return part / whole if whole else 0.0


def load_questions(path: str | Path) -> list[Question]:
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    questions = []
    for item in raw:
        expect = item["expect"]
        listed = expect if isinstance(expect, list) else [expect]
        expected = tuple(entry_id for entry_id in listed if entry_id != ABSTAIN)
        questions.append(Question(str(item["q"]), item["lang"], item.get("category") or item.get("style", ""),
                                  expected, _value(item.get("value", "")), ABSTAIN in listed and bool(expected)))
    return questions


def _value(value: object) -> str:
    """YAML reads a bare ``value: no`` as false: a yes/no question's value, not "False"."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def evaluate(questions: Iterable[Question], predict: Callable[[str], Prediction],
             by: Callable[[Question], str] = lambda question: question.language) -> dict[str, Scores]:
    """Scores per language (or per ``by``, e.g. category) and under the key 'all'."""
    report: dict[str, Scores] = {}
    for question in questions:
        prediction = predict(question.text)
        for key in (by(question), "all"):
            scores = report.setdefault(key, Scores())
            _count(scores, question, prediction)
    return report


def _count(scores: Scores, question: Question, prediction: Prediction) -> None:
    if not question.answerable:
        scores.unanswerable += 1
        if prediction.answer is None and not prediction.cites:
            scores.abstained += 1
        else:
            scores.wrong += 1
            scores.failures.append(f"[{question.language}] {question.text!r}: answered {prediction.answer}, expected abstain")
        return
    scores.answerable += 1
    if question.accepts(prediction):
        scores.correct += 1
    else:
        if prediction.answer is not None or prediction.cites:
            scores.wrong += 1
            scores.wrong_answerable += 1
        scores.failures.append(f"[{question.language}] {question.text!r}: got {prediction.answer or 'no answer'}, "
                               f"expected {'/'.join(question.expected)}{' ' + question.value if question.value else ''} "
                               f"(candidates {', '.join(prediction.ranked[:3])}"
                               f"{'; cited ' + ','.join(prediction.cites) + ' ' + prediction.value if prediction.cites else ''})")
    if question.cross:  # computed, not ranked: "ranked first" means computed right
        ranks = [1] if question.accepts(prediction) else []
    else:
        ranks = [rank for rank, entry_id in enumerate(prediction.ranked, start=1) if entry_id in question.expected]
    if ranks:
        scores.reciprocal_rank += 1 / ranks[0]
        scores.in_top1 += ranks[0] == 1
        if ranks[0] <= 3:
            scores.in_top3 += 1


def percentile(samples: list[float], fraction: float) -> float:
    """The sample at ``fraction`` (0.5 = median, 0.99 = p99) of the sorted samples; nan if there are none."""
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def predictor(dialog: Dialog, understand: Callable[[str], Answer] | None = None) -> Callable[[str], Prediction]:
    """The bot's own answers as a Prediction: what a user would get, computed lines included.

    ``understand``: the dialog's, or a caching wrapper of it.
    """
    understand = understand or dialog.understand

    def predict(question: str) -> Prediction:
        answer = understand(question)
        ranked = tuple(match.entry.id for match in answer.result.matches)
        if answer.computed is not None:
            return Prediction(None, ranked, tuple(e.id for e in answer.computed.relies_on), answer.computed.value)
        return Prediction(answer.result.answer.id if answer.result.answer else None, ranked)

    return predict
