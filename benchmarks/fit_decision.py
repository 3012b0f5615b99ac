"""Fit the answer decision (bot/decision.py) on the dev questions, and show its reliability.

    python benchmarks/fit_decision.py [--write] [--questions PATH ...]

For every dev question that the search answers from one entry (questions across the
agreements are computed, not ranked, and left out), it takes the features of the
top-ranked entry and whether that entry is right; a logistic regression (Newton's
method, a small L2 penalty) fits the weights, each constrained to the direction it
can only push (a feature fitted the other way is left out). The cut-offs follow from
out-of-fold confidences (5-fold cross-validation: each question scored by a model
that did not see it):

- answer_at: the cut-off that answers the most dev questions right while the answered
  include no more than ``MAX_WRONG`` confident wrong answers per answerable question;
- suggest_at: below answer_at, the confidence from which a "did you mean" helps more
  often (the right entry is among the suggestions) than it bothers (the question
  could not be answered at all).

Reading a message sentence by sentence picks the reading the model trusts most, so
the fit is repeated a few times until the features settle. ``--write`` saves the
model to bot/search/decision_model.json. Never run on the held-out questions.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.chat.dialog import SmallTalk  # noqa: E402
from bot.search import decision  # noqa: E402
from bot.ops.evaluation import Question, load_questions  # noqa: E402
from bot.knowledge import load_knowledge  # noqa: E402
from bot.search.index import MAX_SUGGESTIONS, SearchIndex  # noqa: E402

DEV_SETS = (ROOT / "tests" / "dev_questions.yaml", ROOT / "tests" / "questions" / "dev.yaml",
            ROOT / "tests" / "questions" / "calibration.yaml", ROOT / "tests" / "questions" / "dev2.yaml",
            ROOT / "tests" / "questions" / "dev3.yaml", ROOT / "tests" / "questions" / "dev4.yaml",
            ROOT / "tests" / "questions" / "dev5.yaml", ROOT / "tests" / "questions" / "dev6.yaml")
# The direction each feature can only push the confidence: more of the question explained can
# never make a wrong answer likelier. A feature whose fitted weight comes out the other way
# (it is standing in for others it is correlated with) is left out and the model fitted again.
SIGNS = {"strength": 1, "coverage": 1, "passing": -1, "lead": 1, "runner_up": -1, "specificity": 1, "unexplained": -1,
         "missing_signals": -1, "rivals": -1, "alone": 1, "phrase": 1}
MAX_WRONG = 0.015   # at most 3 confident wrong answers per 200 answerable questions, out of fold (1%: 5 points fewer answered)
PENALTY = 0.1       # L2 on the weights: keeps them finite when the dev set is separable
ROUNDS = 3
FOLDS = 5           # cross-validation folds for the cut-offs
REPEATS = 5         # ... over this many shuffles, averaged


def samples(index: SearchIndex, questions: list[Question]) -> tuple[np.ndarray, np.ndarray, list[tuple[Question, object]]]:
    rows, labels, kept = [], [], []
    smalltalk = SmallTalk.of(index)  # as the dialog reads it
    for question in questions:
        if smalltalk.kind(question.text):
            continue  # answered in kind before any search
        result = index.find(question.text, remember=False)
        if result.features is None or result.outcome == "detail" or result.features.rivals:
            continue  # nothing ranked, a detail no candidate gives, or a tie: decided by rule, not by confidence
        right = question.answerable and result.matches[0].entry.id in question.expected
        rows.append(result.features.vector())
        labels.append(1.0 if right else 0.0)
        kept.append((question, result))
    return np.array(rows), np.array(labels), kept


def fit_logistic(x: np.ndarray, y: np.ndarray, penalty: float = PENALTY) -> tuple[float, np.ndarray]:
    """Newton's method on the penalised log-likelihood (the bias is not penalised)."""
    design = np.hstack([np.ones((len(x), 1)), x])
    beta = np.zeros(design.shape[1])
    ridge = np.eye(design.shape[1]) * penalty
    ridge[0, 0] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-design @ beta))
        gradient = design.T @ (y - p) - ridge @ beta
        hessian = design.T @ (design * (p * (1 - p))[:, None]) + ridge
        step = np.linalg.solve(hessian, gradient)
        beta += step
        if np.abs(step).max() < 1e-8:
            break
    return float(beta[0]), beta[1:]


def out_of_fold(x: np.ndarray, y: np.ndarray, folds: int = FOLDS, repeats: int = REPEATS) -> np.ndarray:
    """Each question's confidence from models fitted on the other folds, averaged over a few
    fixed shuffles (one split alone moves the cut-off by chance)."""
    confidences = np.zeros(len(y))
    for repeat in range(repeats):
        order = np.random.RandomState(repeat).permutation(len(y))
        for fold in range(folds):
            held = order[fold::folds]
            rest = np.setdiff1d(np.arange(len(y)), held)
            bias, weights = fit_logistic(x[rest], y[rest])
            confidences[held] += 1 / (1 + np.exp(-(bias + x[held] @ weights))) / repeats
    return confidences


def choose_cutoffs(confidences: np.ndarray, labels: np.ndarray, kept: list) -> tuple[float, float]:
    answerable = sum(question.answerable for question, _ in kept)
    best_right, answer_at = -1, 1.0
    for level in sorted(set(np.round(confidences, 4)) | {1.0}):
        answered = confidences >= level
        if int((answered & (labels == 0)).sum()) > MAX_WRONG * answerable:
            continue
        right = int((answered & (labels == 1)).sum())
        if right > best_right:
            best_right, answer_at = right, float(level)
    best, suggest_at = float("-inf"), answer_at
    for cutoff in sorted(set(np.round(confidences, 4))):
        if cutoff >= answer_at:
            break
        band = (confidences >= cutoff) & (confidences < answer_at)
        helps = sum(1 for (question, result), inside in zip(kept, band) if inside and question.answerable
                    and any(m.entry.id in question.expected for m in result.matches[:MAX_SUGGESTIONS]))
        bothers = sum(1 for (question, _), inside in zip(kept, band) if inside and not question.answerable)
        if helps - bothers > best:
            best, suggest_at = helps - bothers, float(cutoff)
    return answer_at, suggest_at


def reliability(confidences: np.ndarray, labels: np.ndarray, answer_at: float) -> list[str]:
    """Of the questions at each confidence band, how many had the right entry on top."""
    lines = ["confidence band   questions   top entry right   decision"]
    edges = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0001]
    for low, high in zip(edges, edges[1:]):
        inside = (confidences >= low) & (confidences < high)
        count = int(inside.sum())
        right = int(labels[inside].sum())
        share = f"{100 * right / count:5.1f}%" if count else "    -"
        what = "answer" if low >= answer_at else ("some answered" if high > answer_at else "")
        lines.append(f"  {low:4.2f}-{min(high, 1):4.2f}      {count:5d}        {right:4d} ({share})    {what}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=Path, nargs="*", default=list(DEV_SETS))
    parser.add_argument("--write", action="store_true", help="save the fitted model to bot/search/decision_model.json")
    parser.add_argument("--without", nargs="*", default=[], choices=decision.NAMES, help="features to leave out")
    args = parser.parse_args()
    if any("heldout" in path.name for path in args.questions):
        raise SystemExit("the decision is never fitted on the held-out questions")
    index = SearchIndex(load_knowledge(ROOT / "knowledge"))
    questions = [q for path in args.questions for q in load_questions(path) if not q.cross]
    for round_ in range(1, ROUNDS + 1):
        x, y, kept = samples(index, questions)
        used = [name not in args.without for name in decision.NAMES]
        while True:
            bias, fitted = fit_logistic(x[:, used], y)
            weights = np.zeros(len(used))
            weights[used] = fitted
            wrong_way = [i for i, name in enumerate(decision.NAMES) if used[i] and weights[i] * SIGNS[name] < 0]
            if not wrong_way:
                break
            used[max(wrong_way, key=lambda i: abs(weights[i]))] = False
        model = decision.Model(bias, tuple(float(w) for w in weights), 0.5, 0.2)
        # The cut-offs are chosen on out-of-fold confidences: each question's confidence comes
        # from a model fitted without it, as the next user's question will.
        confidences = out_of_fold(x[:, used], y)
        answer_at, suggest_at = choose_cutoffs(confidences, y, kept)
        decision.MODEL = model = decision.Model(bias, model.weights, answer_at, suggest_at)
        print(f"round {round_}: {len(kept)} questions, bias {bias:.3f}, "
              + ", ".join(f"{name} {w:.3f}" for name, w in zip(decision.NAMES, weights))
              + f"; answer_at {answer_at:.3f}, suggest_at {suggest_at:.3f}")
    print("\n".join(reliability(confidences, y, answer_at)))
    if args.write:
        data = {"bias": round(bias, 6), "weights": {name: round(float(w), 6) for name, w in zip(decision.NAMES, weights)},
                "answer_at": round(answer_at, 4), "suggest_at": round(suggest_at, 4),
                "fitted_on": [str(path.resolve().relative_to(ROOT)) for path in args.questions], "questions": len(kept)}
        decision.MODEL_FILE.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {decision.MODEL_FILE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
