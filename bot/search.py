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
from bisect import bisect_left
import math
from array import array
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from rapidfuzz import fuzz, process

from bot.knowledge import Entry, KnowledgeBase, paused_gc
from bot.normalize import Normalizer, fold

ANSWER_THRESHOLD = 0.60   # at or above: a confident answer (if clearly ahead)
SUGGEST_THRESHOLD = 0.45  # at or above: worth offering as "did you mean"
CLEAR_MARGIN = 0.03       # the best must lead the runner-up by this much to answer
SIGNAL_WEIGHT = 1.5       # countries and years weigh more than other words
UNKNOWN_WEIGHT = 1.25      # a word the knowledge base never uses weighs more than its rarest word:
                           # "capital of Kazakhstan" must not be answered by the Kazakhstan entry
MISSING_SIGNAL_FACTOR = 0.55  # per country/year the question names that an entry lacks
QUOTE_CREDIT = 0.5        # a question word found only in an entry's quote counts half
QUOTE_ONLY_COVERAGE = 0.5  # entries found only through their quote stay below the answer bar
FUZZY_CUTOFF = 80         # rapidfuzz ratio for a typo to count ("ecnomic" 93, "defence"/"reference" 75)
SIGNAL_FUZZY_CUTOFF = 88  # country names only match with one typo at most
SHORT_TYPO_CUTOFF = 85    # a three-letter word one letter short of a four-letter lexicon word scores 85.7
MAX_QUERY_TOKENS = 24
MAX_CANDIDATES = 200      # alternates scored per question, whatever the knowledge-base size (the real one needs <160)
MAX_QUOTE_CANDIDATES = 60  # entries considered through their quote alone
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


class Rows:
    """Rows of integers stored flat (compressed sparse rows).

    A 100,000-entry knowledge base has about a million alternates; as Python lists
    and tuples they would take gigabytes and seconds to rebuild, as two arrays they
    take megabytes and pickle in milliseconds.
    """

    def __init__(self, rows: list[list[int]] | None = None):
        self.start = array("I", [0])
        self.flat = array("I")
        for row in rows or []:
            self.flat.extend(row)
            self.start.append(len(self.flat))

    def __getitem__(self, index: int) -> array:
        return self.flat[self.start[index]: self.start[index + 1]]

    def size(self, index: int) -> int:
        return self.start[index + 1] - self.start[index]

    def __len__(self) -> int:
        return len(self.start) - 1


class SearchIndex:
    """Everything search needs, computed once from a knowledge base.

    Tokens are numbered; alternates, postings and mentions are Rows of numbers.
    """

    @paused_gc()
    def __init__(self, kb: KnowledgeBase, serving: bool = False):
        """``serving``: keep only what answering needs (see KnowledgeBase.for_serving)."""
        if kb.serving:
            raise ValueError("this knowledge base has no alternates left to index: load it again")
        self.kb = kb
        self.normalizer = Normalizer(kb.concepts, kb.stopwords)
        self.entries = kb.entries
        self.token_ids: dict[str, int] = {}
        self.tokens: list[str] = []
        self.spellings: dict[str, int] = {}  # a word as written (folded) -> its token id

        def number(token: str) -> int:
            found = self.token_ids.get(token)
            if found is None:
                found = self.token_ids[token] = len(self.tokens)
                self.tokens.append(token)
            return found

        alternate_rows: list[list[int]] = []
        alternate_entry = array("I")
        mention_rows: list[list[int]] = []
        for position, entry in enumerate(self.entries):
            seen: set[tuple[int, ...]] = set()
            for text in entry.alternates():
                words = self.normalizer.words(text)
                ids = tuple(dict.fromkeys(number(token) for _, token in words))
                for word, token in words:
                    self.spellings.setdefault(word, self.token_ids[token])
                if ids and ids not in seen:
                    seen.add(ids)
                    alternate_rows.append(list(ids))
                    alternate_entry.append(position)
            # Everything the entry mentions, its quote included. A question word found only
            # in an entry's quote earns it partial credit (QUOTE_CREDIT): enough to support
            # an alternate's match or to be suggested, never to answer on its own.
            mentioned = {token_id for ids in seen for token_id in ids}
            for word, token in self.normalizer.words(f"{entry.quote} {entry.answer}"):
                mentioned.add(number(token))
                self.spellings.setdefault(word, self.token_ids[token])
            mention_rows.append(sorted(mentioned))

        mentioned_by: list[list[int]] = [[] for _ in self.tokens]
        for position, row in enumerate(mention_rows):
            for token_id in row:
                mentioned_by[token_id].append(position)
        postings: list[list[int]] = [[] for _ in self.tokens]
        for alternate_id, row in enumerate(alternate_rows):
            for token_id in row:
                postings[token_id].append(alternate_id)

        count = len(self.entries)
        self.unknown_weight = math.log(1 + count) * UNKNOWN_WEIGHT
        self.signal_ids = frozenset(i for i, token in enumerate(self.tokens) if self.normalizer.is_signal(token))
        self.token_weight = array("d", (
            math.log(1 + count / len(entries)) * (SIGNAL_WEIGHT if i in self.signal_ids else 1.0)
            for i, entries in enumerate(mentioned_by)))
        self.mentions = Rows(mention_rows)
        self.mentioned_by = Rows(mentioned_by)
        self.alternates = Rows(alternate_rows)
        self.alternate_entry = alternate_entry
        self.alternate_weight = array("d", (sum(self.token_weight[t] for t in row) for row in alternate_rows))
        self.postings = Rows(postings)

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
        if serving:
            self.kb = kb.for_serving()
            self.entries = self.kb.entries
        self._prepare()

    def for_serving(self) -> SearchIndex:
        """This index over the serving form of its knowledge base (KnowledgeBase.for_serving)."""
        if self.kb.serving:
            return self
        serving = SearchIndex.__new__(SearchIndex)
        serving.__setstate__({**self.__getstate__(), "kb": self.kb.for_serving()})
        serving.entries = serving.kb.entries
        return serving

    def _prepare(self) -> None:
        """What is rebuilt rather than stored: fuzzy buckets and the per-index cache."""
        # Fuzzy matching runs on words as written (folded), not on concept tokens, so a
        # typo of "economic" still finds "economic" and through it the concept. To stay
        # fast on a large knowledge base, a word is compared only with spellings that share
        # its first two or its last two letters (a typo rarely hits both ends).
        buckets: dict[str, list[str]] = defaultdict(list)
        for word in sorted(self.spellings):
            buckets["<" + word[:2]].append(word)
            buckets[">" + word[-2:]].append(word)
        self.fuzzy_buckets = dict(buckets)
        self.expand = lru_cache(maxsize=50_000)(self._expand)  # per index, so a reload frees it
        self.short_typo = lru_cache(maxsize=10_000)(self._short_typo)
        self.four_letter_lexicon = sorted(word for word in {*self.normalizer.exact, *self.normalizer.stopwords}
                                          if len(word) == 4)
        self._remembered = lru_cache(maxsize=10_000)(self._find)

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        for rebuilt in ("fuzzy_buckets", "expand", "_remembered", "short_typo", "four_letter_lexicon"):
            state.pop(rebuilt, None)
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._prepare()

    def _weight(self, token: str) -> float:
        token_id = self.token_ids.get(token)
        if token_id is not None:
            return self.token_weight[token_id]
        return self.unknown_weight * (SIGNAL_WEIGHT if self.normalizer.is_signal(token) else 1.0)

    def _expand(self, word: str, token: str) -> tuple[tuple[int, float], ...]:
        """Token ids a question word stands for, with similarity 0..1."""
        token_id = self.token_ids.get(token)
        if token_id is not None:
            return ((token_id, 1.0),)
        if word.isdigit() or len(word) < 4:
            return ()  # "2022" is not a typo of "2024"; short words are too ambiguous
        nearby = sorted(set(self.fuzzy_buckets.get("<" + word[:2], ())) | set(self.fuzzy_buckets.get(">" + word[-2:], ())))
        found = process.extract(word, nearby, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=3)
        expansions: dict[int, float] = {}
        for spelling, score, _ in found:
            choice = self.spellings[spelling]
            if choice in self.signal_ids and score < SIGNAL_FUZZY_CUTOFF:
                continue  # "Armaniston" must not become "Turkmaniston"
            if not self.tokens[choice].isdigit() and score / 100 > expansions.get(choice, 0.0):
                expansions[choice] = score / 100
        return tuple(expansions.items())

    def _short_typo(self, word: str) -> str | None:
        """A three-letter word the index does not know, read as a question word missing a letter.

        Typos of words this short are not looked up among the knowledge base's words (too
        many near neighbours), only among the lexicon's four-letter ones: "wen" is
        "when" (a concept), "wat" is "what" (a stop word, returned as ""). None: no such word.
        """
        found = process.extractOne(word, self.four_letter_lexicon, scorer=fuzz.ratio, score_cutoff=SHORT_TYPO_CUTOFF)
        if found is None:
            return None
        return "" if found[0] in self.normalizer.stopwords else self.normalizer.exact[found[0]]

    def find(self, query: str, remember: bool = True) -> SearchResult:
        """Deterministic: the same question always gives the same result.

        Popular questions repeat, so recent results are remembered (bounded, per index);
        benchmarks pass ``remember=False`` to time the search itself.
        """
        return self._remembered(query) if remember else self._find(query)

    def _find(self, query: str) -> SearchResult:
        first_spelling: dict[str, str] = {}  # token -> the word that first produced it
        for word, token in self.normalizer.words(query):
            if len(word) == 3 and token not in self.token_ids:
                corrected = self.short_typo(word)
                if corrected == "":
                    continue  # "wat": a stop word mistyped carries no meaning either
                token = corrected or token
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
        by_rarity = sorted(range(len(tokens)), key=lambda p: sum(self.postings.size(t) for t, _ in expansions[p]))
        hits: dict[int, dict[int, float]] = {}  # alternate -> question word -> similarity
        rows: dict[int, array] = {}  # alternate -> its token ids, sliced once
        quote_only: dict[int, None] = {}
        for position in by_rarity:
            for choice, similarity in expansions[position]:
                complete = False  # every candidate holding this token has been credited
                if len(hits) < MAX_CANDIDATES or self.postings.size(choice) <= len(hits):
                    room = MAX_CANDIDATES - len(hits)
                    for alternate_id in self.postings[choice]:
                        matched = hits.get(alternate_id)
                        if matched is None:
                            if room <= 0:
                                break  # full: the candidates still unseen are checked below
                            matched = hits[alternate_id] = {}
                            room -= 1
                        if similarity > matched.get(position, 0.0):
                            matched[position] = similarity
                    else:
                        complete = True
                if not complete:
                    for alternate_id, matched in hits.items():
                        own = rows.get(alternate_id)
                        if own is None:
                            own = rows[alternate_id] = self.alternates[alternate_id]
                        if choice in own and similarity > matched.get(position, 0.0):
                            matched[position] = similarity
                if self.mentioned_by.size(choice) <= MAX_QUOTE_CANDIDATES - len(quote_only):
                    quote_only.update(dict.fromkeys(self.mentioned_by[choice]))

        # Credit each candidate entry could get from its quote alone; an alternate's own
        # matches replace that credit for the words they explain.
        quoted: dict[int, list[float]] = {}
        for entry in quote_only.keys() | {self.alternate_entry[a] for a in hits}:
            mentions = self.mentions[entry]
            credits = quoted[entry] = []
            for found in expansions:
                credit = 0.0
                for token_id, similarity in found:
                    if similarity > credit and _holds(mentions, token_id):
                        credit = similarity
                credits.append(credit)
        quote_total = {entry: sum(w * s for w, s in zip(weights, found)) for entry, found in quoted.items()}
        best = {entry: (QUOTE_CREDIT * credit / total_weight) ** 0.75 * QUOTE_ONLY_COVERAGE ** 0.25
                for entry, credit in quote_total.items() if credit > 0}

        token_weight = self.token_weight
        for alternate_id, matched in hits.items():
            own = rows.get(alternate_id)
            if own is None:
                own = self.alternates[alternate_id]
            entry = self.alternate_entry[alternate_id]
            from_quote = quoted[entry]
            explained = 0.0
            credit = quote_total[entry]
            touched: dict[int, float] = {}
            for position, similarity in matched.items():
                explained += weights[position] * similarity
                credit -= weights[position] * from_quote[position]
                for choice, score in expansions[position]:
                    if choice in own and score > touched.get(choice, 0.0):
                        touched[choice] = score
            query_coverage = (explained + QUOTE_CREDIT * credit) / total_weight
            touched_weight = 0.0
            for choice, score in touched.items():
                touched_weight += token_weight[choice] * score
            alternate_coverage = touched_weight / self.alternate_weight[alternate_id]
            score = query_coverage ** 0.75 * alternate_coverage ** 0.25
            if score > best.get(entry, 0.0):
                best[entry] = score

        # Countries and years the question names: an entry that never mentions one is pushed down.
        signals = [self.token_ids.get(token) for token in tokens if self.normalizer.is_signal(token)]
        if signals:
            for entry in best:
                mentions = self.mentions[entry]
                missing = sum(1 for signal in signals if signal is None or not _holds(mentions, signal))
                if missing:
                    best[entry] *= MISSING_SIGNAL_FACTOR ** missing

        ranked = heapq.nsmallest(MAX_SUGGESTIONS + 2, best.items(), key=lambda item: (-item[1], item[0]))
        matches = tuple(Match(self.entries[position], round(score, 4)) for position, score in ranked)
        return SearchResult(query, _decide(matches), matches, reason="" if matches else "no-match")


@dataclass(frozen=True)
class Competition:
    """An alternate of one entry that another entry wins: an ambiguity for editors to fix."""

    entry_id: str
    alternate: str
    winner_id: str
    own_score: float
    winner_score: float

    def __str__(self) -> str:
        return (f"entry '{self.entry_id}': the alternate {self.alternate!r} leads to '{self.winner_id}' "
                f"({self.winner_score * 100:.0f}) rather than to its own entry ({self.own_score * 100:.0f})")


def competing_alternates(index: SearchIndex) -> list[Competition]:
    """Every alternate that scores at least as high for another entry as for its own."""
    found = []
    for entry in index.entries:
        for text in dict.fromkeys(entry.alternates()):
            result = index.find(text)
            if not result.matches:
                continue
            scores = {match.entry.id: match.score for match in result.matches}
            winner = result.matches[0]
            if winner.entry.id != entry.id and winner.score >= scores.get(entry.id, 0.0):
                found.append(Competition(entry.id, text, winner.entry.id, scores.get(entry.id, 0.0), winner.score))
    return found


def _holds(row: array, value: int) -> bool:
    """Membership in a sorted row: a binary search, not a scan."""
    position = bisect_left(row, value)
    return position < len(row) and row[position] == value


def _decide(matches: tuple[Match, ...]) -> Outcome:
    if not matches or matches[0].score < SUGGEST_THRESHOLD:
        return "none"
    top = matches[0].score
    runner_up = matches[1].score if len(matches) > 1 else 0.0
    if top >= ANSWER_THRESHOLD and top - runner_up >= CLEAR_MARGIN:
        return "answer"
    return "suggest"
