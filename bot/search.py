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

import heapq
import math
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
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
FUZZY_CUTOFF = 80         # rapidfuzz ratio for a typo to count ("ecnomic" 93, "defence"/"reference" 75)
SIGNAL_FUZZY_CUTOFF = 88  # country names only match with one typo at most
MAX_QUERY_TOKENS = 24
MAX_CANDIDATES = 500      # alternates scored per question, whatever the knowledge-base size
MAX_QUOTE_CANDIDATES = 200  # entries considered through their quote alone     # a 4,096-character message is searched by its first words
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
    entry: int                 # position of its entry in SearchIndex.entries
    tokens: tuple[str, ...]
    weight: float              # sum of its tokens' weights


class SearchIndex:
    """Everything search needs, computed once from a knowledge base."""

    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self.normalizer = Normalizer(kb.concepts, kb.stopwords)
        self.entries = kb.entries
        intern: dict[str, str] = {}  # one string object per token keeps the index small

        raw_alternates: list[tuple[int, tuple[str, ...]]] = []
        mentions: list[frozenset[str]] = []
        spellings: dict[str, str] = {}  # a word as written (folded) -> its token
        for position, entry in enumerate(self.entries):
            seen: set[tuple[str, ...]] = set()
            for text in entry.alternates():
                words = self.normalizer.words(text)
                for word, token in words:
                    spellings.setdefault(word, token)
                tokens = tuple(dict.fromkeys(intern.setdefault(token, token) for _, token in words))
                if tokens and tokens not in seen:
                    seen.add(tokens)
                    raw_alternates.append((position, tokens))
            # Everything the entry mentions, its quote included. A question word found only
            # in an entry's quote earns it partial credit (QUOTE_CREDIT): enough to support
            # an alternate's match or to be suggested, never to answer on its own.
            mentioned = {token for tokens in seen for token in tokens}
            for word, token in self.normalizer.words(f"{entry.quote} {entry.answer}"):
                spellings.setdefault(word, token)
                mentioned.add(intern.setdefault(token, token))
            mentions.append(frozenset(mentioned))
        self.mentions = mentions
        # A question naming a country or year an entry never mentions is not about that entry.
        self.entry_signals = [frozenset(t for t in tokens if self.normalizer.is_signal(t)) for tokens in mentions]

        self.mentioned_by: dict[str, list[int]] = defaultdict(list)
        for position, tokens in enumerate(mentions):
            for token in tokens:
                self.mentioned_by[token].append(position)
        count = len(self.entries)
        self.idf = {token: math.log(1 + count / len(entries)) for token, entries in self.mentioned_by.items()}
        self.unknown_weight = math.log(1 + count)
        self.token_weight = {token: self._weight(token) for token in self.idf}

        self.alternates: list[_Alternate] = []
        self.postings: dict[str, list[int]] = defaultdict(list)
        for position, tokens in raw_alternates:
            for token in tokens:
                self.postings[token].append(len(self.alternates))
            self.alternates.append(_Alternate(position, tokens, sum(self.token_weight[t] for t in tokens)))

        # Fuzzy matching runs on words as written (folded), not on concept tokens, so a
        # typo of "economic" still finds "economic" and through it the concept. To stay
        # fast on a large knowledge base, a word is compared only with spellings that share
        # its first two or its last two letters (a typo rarely hits both ends).
        self.spellings = spellings
        buckets: dict[str, list[str]] = defaultdict(list)
        for word in sorted(spellings):
            buckets["<" + word[:2]].append(word)
            buckets[">" + word[-2:]].append(word)
        self.fuzzy_buckets = dict(buckets)
        self.expand = lru_cache(maxsize=50_000)(self._expand)  # per index, so a reload frees it

        # Words people use in only one language, to tell the languages apart.
        seen_in: dict[str, set[str]] = defaultdict(set)
        for entry in self.entries:
            for by_language in (entry.questions, entry.keywords):
                for language, texts in by_language.items():
                    for text in texts:
                        for word in fold(text).split():
                            seen_in[word].add(language)
        for language, words in kb.stopwords.items():
            for word in words:
                for folded in fold(word).split():
                    seen_in[folded].add(language)
        self.language_words: dict[str, set[str]] = defaultdict(set)
        for word, languages in seen_in.items():
            if len(languages) == 1:
                self.language_words[next(iter(languages))].add(word)

    def _weight(self, token: str) -> float:
        weight = self.idf.get(token, self.unknown_weight)
        return weight * SIGNAL_WEIGHT if self.normalizer.is_signal(token) else weight

    def _expand(self, word: str, token: str) -> tuple[tuple[str, float], ...]:
        """Index tokens a question word stands for, with similarity 0..1."""
        if token in self.idf:
            return ((token, 1.0),)
        if word.isdigit() or len(word) < 4:
            return ()  # "2022" is not a typo of "2024"; short words are too ambiguous
        cutoff = FUZZY_CUTOFF
        nearby = sorted(set(self.fuzzy_buckets.get("<" + word[:2], ())) | set(self.fuzzy_buckets.get(">" + word[-2:], ())))
        found = process.extract(word, nearby, scorer=fuzz.ratio, score_cutoff=cutoff, limit=3)
        expansions: dict[str, float] = {}
        for spelling, score, _ in found:
            choice = self.spellings[spelling]
            if self.normalizer.is_signal(choice) and score < SIGNAL_FUZZY_CUTOFF:
                continue  # "Armaniston" must not become "Turkmaniston"
            if choice in self.idf and not choice.isdigit() and score / 100 > expansions.get(choice, 0.0):
                expansions[choice] = score / 100
        return tuple(expansions.items())

    def find(self, query: str) -> SearchResult:
        """Deterministic: the same question always gives the same result."""
        first_spelling: dict[str, str] = {}  # token -> the word that first produced it
        for word, token in self.normalizer.words(query):
            first_spelling.setdefault(token, word)
            if len(first_spelling) == MAX_QUERY_TOKENS:
                break
        if not first_spelling:
            return SearchResult(query, "none", (), reason="empty")
        tokens = list(first_spelling)
        expansions = [self.expand(word, token) for token, word in first_spelling.items()]
        weights = [max((self.token_weight[choice] for choice, _ in found), default=self._weight(token))
                   for token, found in zip(tokens, expansions)]
        total_weight = sum(weights)

        # Candidates: alternates sharing a token with the question, rarest tokens first,
        # at most MAX_CANDIDATES of them (what keeps a 100,000-entry knowledge base fast).
        # A common token's long postings list is not walked once the candidates are
        # chosen: the few candidates are checked for it instead.
        by_rarity = sorted(range(len(tokens)), key=lambda p: sum(len(self.postings.get(t, ())) for t, _ in expansions[p]))
        hits: dict[int, dict[int, float]] = {}  # alternate -> question word -> similarity
        quote_only: dict[int, None] = {}
        for position in by_rarity:
            for choice, similarity in expansions[position]:
                postings = self.postings.get(choice, ())
                if len(hits) < MAX_CANDIDATES or len(postings) <= len(hits):
                    room = MAX_CANDIDATES - len(hits)
                    for alternate_id in postings:
                        matched = hits.get(alternate_id)
                        if matched is None:
                            if room <= 0:
                                continue
                            matched = hits[alternate_id] = {}
                            room -= 1
                        if similarity > matched.get(position, 0.0):
                            matched[position] = similarity
                else:
                    for alternate_id, matched in hits.items():
                        if choice in self.alternates[alternate_id].tokens and similarity > matched.get(position, 0.0):
                            matched[position] = similarity
                mentioned_by = self.mentioned_by.get(choice, ())
                if len(mentioned_by) <= MAX_QUOTE_CANDIDATES - len(quote_only):
                    quote_only.update(dict.fromkeys(mentioned_by))

        # Credit each candidate entry could get from its quote alone; an alternate's own
        # matches replace that credit for the words they explain.
        quoted: dict[int, dict[int, float]] = {}
        for entry in quote_only.keys() | {self.alternates[a].entry for a in hits}:
            mentions = self.mentions[entry]
            quoted[entry] = {position: max((s for t, s in found if t in mentions), default=0.0)
                             for position, found in enumerate(expansions)}
        quote_total = {entry: sum(weights[p] * s for p, s in found.items()) for entry, found in quoted.items()}
        best = {entry: (QUOTE_CREDIT * credit / total_weight) ** 0.75 * QUOTE_ONLY_COVERAGE ** 0.25
                for entry, credit in quote_total.items() if credit > 0}

        token_weight = self.token_weight
        for alternate_id, matched in hits.items():
            alternate = self.alternates[alternate_id]
            from_quote = quoted[alternate.entry]
            explained = 0.0
            credit = quote_total[alternate.entry]
            touched: dict[str, float] = {}
            for position, similarity in matched.items():
                explained += weights[position] * similarity
                credit -= weights[position] * from_quote[position]
                for choice, score in expansions[position]:
                    if choice in alternate.tokens and score > touched.get(choice, 0.0):
                        touched[choice] = score
            query_coverage = (explained + QUOTE_CREDIT * credit) / total_weight
            alternate_coverage = sum(token_weight[t] * s for t, s in touched.items()) / alternate.weight
            score = query_coverage ** 0.75 * alternate_coverage ** 0.25
            if score > best.get(alternate.entry, 0.0):
                best[alternate.entry] = score

        signals = {token for token in tokens if self.normalizer.is_signal(token)}
        for position in best:
            missing = len(signals - self.entry_signals[position])
            if missing:
                best[position] *= MISSING_SIGNAL_FACTOR ** missing

        ranked = heapq.nsmallest(MAX_SUGGESTIONS + 2, best.items(), key=lambda item: (-item[1], item[0]))
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
