"""The answer decision: how sure the ranking is, and what to do about it.

A logistic model turns features of the top-ranked entry into the probability that it
answers the question (the fit keeps those whose weight comes out in the direction they
can only push; the others weigh 0 in ``decision_model.json``):

- strength:    its BM25F score over the best score the question's words could earn;
- coverage:    the share of the question's weight (idf) it explains;
- passing:     the part of that share it explains only in passing (coverage less strength): an
               entry that mentions every word of the question once in a long quote (an overview,
               the conclusion) is less likely the answer than one that is asked by those words;
- lead:        how far it is ahead of the runner-up, relative to its own score (the runner-up
               is the best candidate not linked to it by `related`: a linked passage is one
               button away, so a near tie with it is no ambiguity);
- runner-up:   the runner-up's strength (two strong candidates: an ambiguous question);
- specificity: the idf it explains, in units of the rarest word's ("cooperation" alone says
               little: it is in most entries; "Zangezur" says a lot);
- rivals:      other candidates (not linked to it) within a tenth of its score: "declarations"
               fits four entries equally;
- alone:       1 when no other candidate scores half as much (a "did you mean" would offer
               it alone, and only ask the user to confirm what is usually right);
- phrase:      the share of the question's neighbouring word pairs that stand together in the
               entry's title, questions or keywords: "energy cooperation" asked as one of its own
               phrasings is better evidence than the same words scattered over its text;
- unexplained: words of the question the knowledge base knows but this entry does not use;
- missing signals: countries and years the question names that it never mentions.

A word the knowledge base does not know at all weighs as much as its rarest word, so
it lowers strength and coverage: "population of Tajikistan" is mostly unexplained.
Tried and left out (no gain out of fold on the tuning questions, or weights of the wrong
sign): a count of unknown words; how closely the question resembles an entry's closest
phrasing (rapidfuzz), which rewarded "capital of Kazakhstan" for looking like
"Kazakhstan"; unknown words with a verb's ending read as chat; products of the features
(a quadratic model); a second, lower cut-off for a candidate alone (now a feature).

The weights and the two cut-offs are fitted on the tuning questions (never the held-out
half) by ``benchmarks/fit_decision.py``, which writes ``decision_model.json`` beside
this file and prints the reliability of each confidence band. A confidence of at
least ``answer_at`` answers; at least ``suggest_at`` offers "did you mean"; less says
the materials do not cover it.

Questions that ask for a kind of detail ("who", "when", "how much") are answered
only by an entry that gives that kind; when the ranking's best does not and no
confident candidate does, the reply says the materials do not give that detail.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, fields
from pathlib import Path

MODEL_FILE = Path(__file__).with_name("decision_model.json")
SUGGEST_RATIO = 0.5  # a "did you mean" lists candidates at least half as likely as the best one


@dataclass(frozen=True)
class Features:
    strength: float
    coverage: float
    passing: float
    lead: float
    runner_up: float
    specificity: float
    unexplained: int
    missing_signals: int
    rivals: int
    alone: bool = False
    phrase: float = 0.0

    def vector(self) -> list[float]:
        """The model's inputs; counts are capped, so one odd word cannot outweigh everything."""
        return [self.strength, self.coverage, self.passing, self.lead, self.runner_up, min(self.specificity, 2.0),
                min(self.unexplained, 3), min(self.missing_signals, 2), min(self.rivals, 3), float(self.alone), self.phrase]


NAMES = tuple(field.name for field in fields(Features))


@dataclass(frozen=True)
class Model:
    bias: float
    weights: tuple[float, ...]
    answer_at: float
    suggest_at: float

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> Model:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(data["bias"], tuple(data["weights"].get(name, 0.0) for name in NAMES), data["answer_at"],
                   data["suggest_at"])

    def confidence(self, features: Features) -> float:
        z = self.bias + sum(w * x for w, x in zip(self.weights, features.vector()))
        return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))


MODEL = Model.load()


def confidence(features: Features) -> float:
    return MODEL.confidence(features)


def decide(confidence_: float, missing: str = "", rivals: int = 0, model: Model | None = None) -> str:
    """"answer", "suggest", "detail" or "none" from the top candidate's confidence.

    ``missing``: the kind of detail the
    question asks for that no candidate on its topic gives ("detail": the reply says
    the materials do not give it and offers the passage). ``rivals``: unlinked
    candidates that fit as well; with any, the user is asked which one is meant
    ("declarations of 2022" fits two passages equally).
    """
    model = model or MODEL
    if confidence_ < model.suggest_at:
        return "none"
    if missing:
        return "detail"
    if rivals:
        return "suggest"
    if confidence_ >= model.answer_at:
        return "answer"
    return "suggest"
