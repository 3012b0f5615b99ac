"""Find the entry that answers a question, or say honestly that none does.

The index is built once at start-up. Every alternate of every entry (title,
questions and keywords in four languages) is normalised into tokens; tokens are
weighted by how rare they are across entries (an idf), and an inverted index maps
each token to the alternates that contain it.

A question is normalised the same way. Each of its tokens is matched to the
vocabulary exactly, or, failing that, fuzzily with rapidfuzz (typos, inflected
forms). Only alternates sharing a matched token are scored:

    score = query_coverage ** 0.75 * alternate_coverage ** 0.25

where query coverage is the share of the question's weight the alternate explains
(a word the knowledge base has never seen weighs as much as the rarest word, so
"population of Uzbekistan" is mostly unexplained) and alternate coverage is the
share of the alternate's weight the question touched. An entry scores as its best
alternate. Country names and years are signals: they weigh more, and an entry that
never mentions a country or year the question names is pushed down.

Three outcomes: a confident answer, "did you mean" suggestions when the best
candidates are close or the score is middling, and none when nothing is close.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz, process

from bot.knowledge import Entry, KnowledgeBase
from bot.normalize import Normalizer, fold

ANSWER_THRESHOLD = 0.60   # at or above: a confident answer (if clearly ahead)
SUGGEST_THRESHOLD = 0.45  # at or above: worth offering as "did you mean"
CLEAR_MARGIN = 0.03       # the best must lead the runner-up by this much to answer
SIGNAL_WEIGHT = 1.5       # countries and years weigh more than other words
MISSING_SIGNAL_FACTOR = 0.55  # per country/year the question names that an entry lacks
QUOTE_CREDIT = 0.5        # a question word found only in an entry's quote counts half
QUOTE_ONLY_COVERAGE = 0.5  # entries found only through their quote stay below the answer bar
SIGNAL_FUZZY_CUTOFF = 88  # country names only match with one typo at most
MAX_QUERY_TOKENS = 24     # a 4,096-character message is searched by its first words
MAX_SUGGESTIONS = 3

Outcome = Literal["answer", "suggest", "none"]


@dataclass(frozen=True)
class Match:
    entry: Entry
    score: float  # 0..1


@dataclass(frozen=True)
class SearchResult:
    """What the engine found for one question; renderers turn it into a reply."""

    query: str
    outcome: Outcome
    matches: tuple[Match, ...]  # best first, at most MAX_SUGGESTIONS + 2
    reason: str = ""            # for "none": "empty" (nothing meaningful asked) or "no-match"

    @property
    def answer(self) -> Entry | None:
        return self.matches[0].entry if self.outcome == "answer" else None

    @property
    def suggestions(self) -> tuple[Entry, ...]:
        if self.outcome != "suggest":
            return ()
        return tuple(match.entry for match in self.matches[:MAX_SUGGESTIONS] if match.score >= SUGGEST_THRESHOLD)


@dataclass(frozen=True)
class _Alternate:
    entry: int
    tokens: tuple[str, ...]
    weight: float


class SearchIndex:
    """Everything search needs, computed once from a knowledge base."""

    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self.normalizer = Normalizer(kb.concepts, kb.stopwords)
        self.entries = kb.entries
        entry_tokens: list[set[str]] = []
        raw_alternates: list[tuple[int, tuple[str, ...]]] = []
        for position, entry in enumerate(self.entries):
            seen: set[tuple[str, ...]] = set()
            for text in entry.alternates():
                tokens = self.normalizer.tokens(text)
                if tokens and tokens not in seen:
                    seen.add(tokens)
                    raw_alternates.append((position, tokens))
            entry_tokens.append({token for tokens in seen for token in tokens})

        # Everything each entry mentions, its quote included. A question word found only
        # in an entry's quote earns that entry partial credit (QUOTE_CREDIT), enough to
        # support an alternate's match or to be suggested, never to answer on its own.
        mentions: list[set[str]] = []
        for entry, tokens in zip(self.entries, entry_tokens):
            mentions.append(tokens | set(self.normalizer.tokens(f"{entry.quote} {entry.answer}")))
        self.mentioned_by: dict[str, list[int]] = defaultdict(list)
        for position, tokens in enumerate(mentions):
            for token in sorted(tokens):
                self.mentioned_by[token].append(position)
        # A question naming a country or year an entry never mentions is not about that entry.
        self.entry_signals = [frozenset(t for t in tokens if self.normalizer.is_signal(t)) for tokens in mentions]

        count = len(self.entries)
        self.idf = {token: math.log(1 + count / len(entries)) for token, entries in self.mentioned_by.items()}
        self.unknown_weight = math.log(1 + count)

        # Fuzzy matching runs on words as written (folded), not on concept tokens, so
        # a typo of "economic" still finds "economic" and through it the concept.
        spellings: dict[str, str] = {}
        for entry in self.entries:
            for text in [*entry.alternates(), entry.quote, entry.answer]:
                for word, token in self.normalizer.words(text):
                    spellings.setdefault(word, token)
        self.spellings = spellings
        self.spelling_list = sorted(spellings)

        self.token_weight = {token: self._weight(token) for token in self.idf}
        self.alternates: list[_Alternate] = []
        self.postings: dict[str, list[int]] = defaultdict(list)
        for position, tokens in raw_alternates:
            alternate_id = len(self.alternates)
            self.alternates.append(_Alternate(position, tokens, sum(self._weight(token) for token in tokens)))
            for token in tokens:
                self.postings[token].append(alternate_id)

    def _weight(self, token: str) -> float:
        weight = self.idf.get(token, self.unknown_weight)
        return weight * SIGNAL_WEIGHT if self.normalizer.is_signal(token) else weight

    def expand(self, word: str, token: str) -> tuple[tuple[str, float], ...]:
        """Index tokens a question word stands for, with similarity 0..1."""
        if token in self.idf:
            return ((token, 1.0),)
        if word.isdigit() or len(word) < 4:
            return ()  # "2022" is not a typo of "2024"; short words are too ambiguous
        cutoff = 80 if len(word) < 6 else 75
        found = process.extract(word, self.spelling_list, scorer=fuzz.ratio, score_cutoff=cutoff, limit=3)
        expansions: dict[str, float] = {}
        for spelling, score, _ in found:
            choice = self.spellings[spelling]
            if self.normalizer.is_signal(choice) and score < SIGNAL_FUZZY_CUTOFF:
                continue  # "Armaniston" must not become "Turkmaniston"
            if not choice.isdigit() and score / 100 > expansions.get(choice, 0.0):
                expansions[choice] = score / 100
        return tuple(expansions.items())

    def find(self, query: str) -> SearchResult:
        """Deterministic: the same question always gives the same result."""
        first_spelling: dict[str, str] = {}  # token -> the word that first produced it
        for word, token in self.normalizer.words(query):
            first_spelling.setdefault(token, word)
            if len(first_spelling) == MAX_QUERY_TOKENS:
                break
        words = [(word, token) for token, word in first_spelling.items()]
        if not words:
            return SearchResult(query, "none", (), reason="empty")
        tokens = [token for _, token in words]

        weights: list[float] = []
        hits: dict[int, dict[int, float]] = defaultdict(dict)     # alternate -> question word -> similarity
        touched: dict[int, dict[str, float]] = defaultdict(dict)  # alternate -> its token -> similarity
        mentioned: dict[int, dict[int, float]] = defaultdict(dict)  # entry -> question word -> similarity
        for position, (word, token) in enumerate(words):
            expansions = self.expand(word, token)
            weights.append(max((self.token_weight[choice] for choice, _ in expansions), default=self._weight(token)))
            for choice, similarity in expansions:
                for alternate_id in self.postings.get(choice, ()):
                    if similarity > hits[alternate_id].get(position, 0.0):
                        hits[alternate_id][position] = similarity
                    if similarity > touched[alternate_id].get(choice, 0.0):
                        touched[alternate_id][choice] = similarity
                for entry in self.mentioned_by.get(choice, ()):
                    if similarity > mentioned[entry].get(position, 0.0):
                        mentioned[entry][position] = similarity

        total_weight = sum(weights)
        # Credit each entry could get from its quote alone; an alternate's own matches
        # replace the quote credit for the words they explain.
        quote_total = {entry: sum(weights[p] * s for p, s in found.items()) for entry, found in mentioned.items()}
        best: dict[int, float] = {
            entry: (QUOTE_CREDIT * credit / total_weight) ** 0.75 * QUOTE_ONLY_COVERAGE ** 0.25
            for entry, credit in quote_total.items()
        }
        token_weight = self.token_weight
        for alternate_id, matched in hits.items():
            alternate = self.alternates[alternate_id]
            quoted = mentioned[alternate.entry]
            explained = 0.0
            credit = quote_total[alternate.entry]
            for position, similarity in matched.items():
                explained += weights[position] * similarity
                credit -= weights[position] * quoted[position]
            query_coverage = (explained + QUOTE_CREDIT * credit) / total_weight
            alternate_coverage = sum(token_weight[t] * s for t, s in touched[alternate_id].items()) / alternate.weight
            score = query_coverage ** 0.75 * alternate_coverage ** 0.25
            if score > best[alternate.entry]:
                best[alternate.entry] = score

        signals = {token for token in tokens if self.normalizer.is_signal(token)}
        for position in best:
            missing = len(signals - self.entry_signals[position])
            if missing:
                best[position] *= MISSING_SIGNAL_FACTOR ** missing

        ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))[: MAX_SUGGESTIONS + 2]
        matches = tuple(Match(self.entries[position], round(score, 4)) for position, score in ranked)
        return SearchResult(query, _decide(matches), matches, reason="" if matches else "no-match")

    def similar_alternates(self, query: str, limit: int = 3) -> list[tuple[str, float]]:
        """Closest alternates by plain character similarity (for `check` warnings and debugging)."""
        folded = fold(query)
        choices = {index: " ".join(alternate.tokens) for index, alternate in enumerate(self.alternates)}
        found = process.extract(folded, choices, scorer=fuzz.token_sort_ratio, limit=limit)
        return [(self.entries[self.alternates[index].entry].id, score) for _, score, index in found]


def _decide(matches: tuple[Match, ...]) -> Outcome:
    if not matches or matches[0].score < SUGGEST_THRESHOLD:
        return "none"
    top = matches[0].score
    runner_up = matches[1].score if len(matches) > 1 else 0.0
    if top >= ANSWER_THRESHOLD and top - runner_up >= CLEAR_MARGIN:
        return "answer"
    return "suggest"
