"""Answer quality on the dev question set must stay above the agreed bars."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.evaluation import Prediction, evaluate, load_questions

DEV_SET = Path(__file__).with_name("dev_questions.yaml")
BARS = {"en": 0.96, "ru": 0.97, "az": 0.97, "uz": 0.97}  # measured: en 97.9, ru/az/uz 100
ABSTENTION_BAR = 0.98                                       # measured: 100


@pytest.fixture(scope="module")
def report(index):
    def predict(question: str) -> Prediction:
        result = index.find(question)
        return Prediction(result.answer.id if result.answer else None, tuple(m.entry.id for m in result.matches))

    return evaluate(load_questions(DEV_SET), predict)


def test_dev_set_is_big_and_varied():
    questions = load_questions(DEV_SET)
    assert len(questions) >= 150
    styles = {q.style for q in questions}
    assert {"exact", "paraphrase", "typo", "keyword", "offtopic", "uncovered"} <= styles
    for language in ("ru", "az", "uz"):
        assert sum(q.language == language and q.answerable for q in questions) >= 30
    assert sum(not q.answerable for q in questions) >= 40


@pytest.mark.parametrize("language", sorted(BARS))
def test_top1_accuracy(report, language):
    scores = report[language]
    assert scores.accuracy >= BARS[language], "\n".join(scores.failures)


def test_abstention_on_unanswerable_questions(report):
    scores = report["all"]
    assert scores.abstention >= ABSTENTION_BAR, "\n".join(f for f in scores.failures if "expected abstain" in f)


def test_no_confident_wrong_answer(report):
    """Quoting the wrong passage of a treaty is the worst thing this bot can do."""
    scores = report["all"]
    assert scores.wrong == 0, "\n".join(scores.failures)
