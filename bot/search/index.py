"""Find the entry that answers a question, or say honestly that none does.

Ranking is BM25F (Robertson and Zaragoza's field-weighted BM25). An entry is one
document with five fields: its title, the questions and keywords people ask it
by (in four languages), its own answer line and its verbatim quote. A term's
frequency in each field is weighted by the field and normalised by the field's
length, the weighted sum saturates (``k1``), and the result is scaled by the
term's rarity across entries (idf). Terms come from ``bot.search.normalize.Analyzer``
(concepts shared across languages, else stems); a question word the index does
not know is read as a glued pair of words it does know, else as a typo of a
known spelling (rapidfuzz), weighed by how close it is. Countries and years are
signals: they weigh more, and an entry that never names one the question names
is marked down by the decision. An overview (a list of its parts, linked by
``related``) gives way to the one part that alone uses a word of the question:
"how will trade change?" is about the trade outcome, not the list of outcomes; and a broad
question that fits several unlinked passages alike ("what is the treaty about?") goes to
the one passage that links them all.
Words for the article itself count only where the rest of the question points to a
passage about the article: "what is the title of the article?" (its heading), not
"what does the article say about energy?" (energy, which its conclusion also names).

Deciding is a separate step (``bot.search.decision``): a logistic model fitted on the
tuning questions (never the held-out half) turns a few features of the ranking (how
much of the best possible score the top entry earns and how much only in passing, how
much information that is, whether the question's word pairs are its own phrasing,
countries or years it lacks) into a confidence, and the confidence into an answer, a
"did you mean", or nothing.

A message is read sentence by sentence too, so a question keeps its confidence
when it comes after a greeting, an introduction or a long preamble.
"""

from __future__ import annotations

import itertools
import math
import re
from array import array
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.search import decision
from bot.knowledge import LANGUAGES, Entry, KnowledgeBase, format_date
from bot.search.normalize import Analyzer, fold, fold_word, raw_words

# BM25F parameters, chosen by a grid over the dev questions (the right entry ranked first:
# 349 of 362 at best; the landscape is flat, so these sit in its middle). The title counts
# double: it names what a passage is about; the quote counts half: it is long and general.
# The quote's unofficial translations count half too (dev: 0.1-0.35 lost Russian and
# Azerbaijani questions that 0.5 finds; the decision model, refitted, was no better).
FIELD_WEIGHT = {"title": 2.0, "questions": 1.0, "keywords": 1.0, "answer": 0.5, "quote": 0.5, "translation": 0.5}
FIELD_B = {"title": 0.5, "questions": 0.75, "keywords": 0.5, "answer": 0.5, "quote": 0.75,
           "translation": 0.75}  # length normalisation
K1 = 2.0            # saturation: a word repeated over many alternates soon stops adding (grid on the five tuning sets: 2-3 alike)
SIGNAL_BOOST = 1.5  # a country or year weighs this much more than its idf alone (dev: 1.25-2 all equal)
FUZZY_CUTOFF = 80   # rapidfuzz ratio for a typo ("ecnomic" 93, "defence"/"reference" 75: not a typo)
# ... and a typo is about as long as the word it misspells: a letter more or less per four
# ("coopratin" is "cooperation"; "qara" is not "qamrab", "pogoda" is not "goda")
SIGNAL_FUZZY_CUTOFF = 88  # country names differ by a letter or two: "Armaniston" is not "Turkmaniston"
GLUED_MIN = 8       # shorter unknown words are typos or inflections, not words run together
MAX_WORDS = 40      # words of one sentence that are read; a question is rarely longer
MAX_SENTENCES = 12  # sentences of a long message that are read (the first and the last six)
MAX_CLAUSES = 5     # clauses of one sentence whose runs are read
SHORT_QUESTION = 5  # words of a question that may point back ("What is it actually?") to the sentence before
MAX_SUGGESTIONS = 3
TOPIC_SHARE = 0.5   # a candidate with half the best score on the question's topic words is on topic (dev: 0.4-0.65 alike)
RIVAL_SHARE = 0.9   # a candidate within a tenth of the top score is a rival (the decision counts them)
RANKED = MAX_SUGGESTIONS + 2  # candidates kept in a result
SOURCE_CONCEPT = "article"  # the lexicon's concept for the source itself ("article", "op-ed", "статья", "məqalə")
ASKED_FIELDS = ("title", "questions", "keywords")  # what an entry is asked by (its quote and answer only say things)

Outcome = Literal["answer", "suggest", "detail", "none"]
_SENTENCE = re.compile(r"(?<=[.!?…;])\s+|\n+")
_CLAUSE = re.compile(r"[,:;()]+|\s[–—-]\s")
_MEANINGFUL = re.compile(r"[^\W\d_]|\b(19|20)\d\d\b").search
_NUMBERING = re.compile(r"^\d+\.\s+")  # "1. Deepening Political Relations": the list's numbering is not a word of it


@dataclass(frozen=True)
class Match:
    entry: Entry
    score: float  # the decision's confidence that this entry answers the question, 0..1


@dataclass(frozen=True)
class SearchResult:
    """What the engine found for one question; renderers turn it into a reply."""

    query: str
    outcome: Outcome
    matches: tuple[Match, ...]  # best first, at most RANKED
    reason: str = ""            # "none": "empty" (nothing meaningful asked) or "no-match"
    missing: str = ""           # "detail": the kind of detail asked for that no passage gives
    searched: str = ""          # the part of the message that was read (a sentence of it, or all)
    features: decision.Features | None = None  # of the top match, for fitting and explaining the decision
    alone: bool = False                        # no other candidate scores half as much as the top one

    @property
    def answer(self) -> Entry | None:
        return self.matches[0].entry if self.outcome == "answer" else None

    @property
    def suggestions(self) -> tuple[Entry, ...]:
        """Entries offered as buttons: "did you mean" candidates, or the nearest passage."""
        if self.outcome == "detail":
            return (self.matches[0].entry,)
        if self.outcome != "suggest":
            return ()
        top = self.matches[0].score
        shown = max(MAX_SUGGESTIONS, 1 + (self.features.rivals if self.features else 0))  # a tie is shown whole
        return tuple(m.entry for m in self.matches[:shown] if m.score >= top * decision.SUGGEST_RATIO)


@dataclass(frozen=True)
class QueryTerm:
    """One meaningful word of a question, with what the index made of it."""

    word: str                                  # as typed, folded
    choices: tuple[tuple[int, float], ...]     # (term id, similarity 0..1); empty: unknown to the index
    weight: float                              # its idf, or the rarest idf for an unknown word
    filler: bool = False                       # a chat word: an unknown one does not count against the question
    signal: bool = False                       # a country or a year
    asks: str = ""                             # the kind of detail a question word asks for
    names: str = ""                            # "which X?": the concept X whose name is asked


class SearchIndex:
    """Everything search needs, computed once from a knowledge base."""

    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self.entries = kb.entries
        self.analyzer = Analyzer(kb.concepts, kb.stopwords, kb.filler, kb.suffixes)
        self.term_ids: dict[str, int] = {}
        self.spellings: dict[str, int] = {}  # a word as written (folded) -> its term id

        counts: list[dict[str, Counter[int]]] = []
        lengths: dict[str, list[int]] = {name: [] for name in FIELD_WEIGHT}
        known: dict[tuple[str, str], tuple[str, int] | None] = {}  # (word, language) -> (folded, term id): words repeat
        self.phrases: list[np.ndarray] = []  # per entry: the pairs of words next to each other in how it is asked
        for entry in self.entries:
            fields: dict[str, Counter[int]] = {}
            pairs: set[int] = set()
            for name, texts in _fields(entry).items():
                counter: Counter[int] = Counter()
                for language, text in texts:
                    previous = -1
                    for word in raw_words(text):
                        if (word, language) not in known:
                            term = self.analyzer.term(word, language)
                            known[word, language] = (fold_word(word), self.term_ids.setdefault(
                                term, len(self.term_ids))) if term else None
                        if (found := known[word, language]) is None:
                            continue
                        self.spellings.setdefault(found[0], found[1])
                        counter[found[1]] += 1
                        if name in ASKED_FIELDS and previous >= 0 and previous != found[1]:
                            pairs.add(_pair(previous, found[1]))
                        previous = found[1]
                fields[name] = counter
                lengths[name].append(sum(counter.values()))
            counts.append(fields)
            self.phrases.append(np.array(sorted(pairs), dtype=np.int64))

        count = len(self.entries)
        average = {name: max(1.0, sum(values) / max(1, count)) for name, values in lengths.items()}
        entry_ids: list[array] = [array("i") for _ in self.term_ids]
        impacts: list[array] = [array("f") for _ in self.term_ids]
        for position, fields in enumerate(counts):
            weighted: dict[int, float] = defaultdict(float)
            for name, counter in fields.items():
                norm = 1 - FIELD_B[name] + FIELD_B[name] * lengths[name][position] / average[name]
                for term_id, frequency in counter.items():
                    weighted[term_id] += FIELD_WEIGHT[name] * frequency / norm
            for term_id, frequency in weighted.items():
                entry_ids[term_id].append(position)
                impacts[term_id].append(frequency / (K1 + frequency))
        self.postings = [np.frombuffer(ids, dtype=np.int32) if len(ids) else np.zeros(0, np.int32) for ids in entry_ids]
        self.impacts = [np.frombuffer(values, dtype=np.float32) for values in impacts]
        terms = list(self.term_ids)
        self.term_names = terms  # term id -> term
        self.idf = np.array([math.log(1 + (count - len(ids) + 0.5) / (len(ids) + 0.5)) for ids in entry_ids])
        self.boost = np.array([SIGNAL_BOOST if self.analyzer.is_signal(term) else 1.0 for term in terms])
        self.rarest = float(self.idf.max()) if len(self.idf) else 1.0
        self.signal_ids = {term_id for term_id, term in enumerate(terms) if self.analyzer.is_signal(term)}
        self.source_term = self.term_ids.get(SOURCE_CONCEPT, -1)
        self.entry_signals = [frozenset(t for t in fields_terms if t in self.signal_ids)
                              for fields_terms in ({t for c in fields.values() for t in c} for fields in counts)]
        self.language_words = _language_words(kb)
        # Passages linked by `related` (either way): one is a button away from the other, so the
        # ranking's lead is measured over the best candidate that is not such a neighbour.
        positions = {entry.id: position for position, entry in enumerate(self.entries)}
        self.neighbours: list[set[int]] = [set() for _ in self.entries]
        for position, entry in enumerate(self.entries):
            for other in entry.related:
                if other in positions:
                    self.neighbours[position].add(positions[other])
                    self.neighbours[positions[other]].add(position)

        # An overview (its `related` are its parts) repeats what its parts say; a word of the
        # question that only one of its parts uses singles that part out.
        def asked_by(position: int) -> frozenset[int]:
            return frozenset(t for name in ASKED_FIELDS for t in counts[position][name])

        self.parts_own: dict[int, dict[int, frozenset[int]]] = {}  # overview -> part -> words only it uses
        for position, entry in enumerate(self.entries):
            if entry.kind != "overview":
                continue
            parts = [positions[other] for other in entry.related if other in positions]
            words = {part: asked_by(part) for part in parts}
            overview = asked_by(position)
            self.parts_own[position] = {
                part: words[part] - overview - frozenset().union(*(words[o] for o in parts if o != part))
                for part in parts}
        self.overview_of = {part: overview for overview, parts in self.parts_own.items() for part in parts}

        known = set(self.spellings) | self.analyzer.stopwords | self.analyzer.filler | set(self.analyzer.exact)
        self.known_words = frozenset(word for word in known if len(word) >= 2)
        self.sorted_spellings = sorted(self.spellings)
        buckets: dict[str, list[str]] = defaultdict(list)
        for word in sorted(set(self.spellings) | self.analyzer.stopwords):
            buckets["<" + word[:2]].append(word)
            buckets[">" + word[-2:]].append(word)
        self.fuzzy_buckets = dict(buckets)
        self.short_stopwords = {length: sorted(word for word in self.analyzer.stopwords if len(word) == length
                                               and word not in self.spellings) for length in (3, 4)}
        self.lookup = lru_cache(maxsize=50_000)(self._lookup)  # per index, so a reload frees it
        self.split_glued = lru_cache(maxsize=10_000)(self._split_glued)
        self.term_vector = lru_cache(maxsize=10_000)(self._term_vector)
        self._remembered = lru_cache(maxsize=10_000)(self._find)

    # ------------------------------------------------------------------ reading a question

    def _lookup(self, word: str) -> tuple[tuple[int, float], ...] | None:
        """Term ids a question word stands for, with similarity; () unknown; None: a stop word."""
        folded = fold_word(word)
        if not folded or self.analyzer.is_stopword(word) and not self.analyzer.concept(folded):
            return None
        for candidate in self.analyzer.candidates(word):
            term_id = self.term_ids.get(candidate)
            if term_id is not None:
                return ((term_id, 1.0),)
        if self.analyzer.concept_of(word):
            return ()  # a word the lexicon knows ("dollar") is no typo, though no passage uses it
        if folded in self.analyzer.inflected_stopwords:
            return None  # a stop word with an ending: "haqqındadır" is "haqqında" (about) + "is"
        if folded.isdigit() or len(folded) < 3:
            return ()  # "2022" is not a typo of "2024"; two letters are too few to correct
        if len(folded) <= 4 and any(OSA.distance(folded, stopword) == 1 and sorted(folded) == sorted(stopword)
                                    for stopword in self.short_stopwords[len(folded)]):
            return None  # "teh", "waht": a stop word with two letters swapped ("life" is not "like")
        nearby = sorted(set(self.fuzzy_buckets.get("<" + folded[:2], ())) | set(self.fuzzy_buckets.get(">" + folded[-2:], ())))
        slack = max(1, len(folded) // 4)
        nearby = [word for word in nearby if abs(len(word) - len(folded)) <= slack]
        found = process.extract(folded, nearby, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=3)
        if found and found[0][0] not in self.spellings:
            return None  # closest to a stop word: "wat" is "what"
        choices: dict[int, float] = {}
        for spelling, score, _ in found:
            term_id = self.spellings.get(spelling)
            if term_id is None:
                continue
            if term_id in self.signal_ids and score < SIGNAL_FUZZY_CUTOFF:
                continue
            if score / 100 > choices.get(term_id, 0.0):
                choices[term_id] = score / 100
        return tuple(choices.items())

    def _split_glued(self, folded: str) -> tuple[str, ...] | None:
        """'whenwasthetreatysigned' -> when was the treaty signed: the fewest known words, or None.

        Every piece is a word the knowledge base, the lexicon or the stop words know, of
        at least four letters (a stop word may be shorter: "nə vaxt", Russian "с"), so an
        unknown inflection is never cut into fragments ("boradimi" is not "bor adi mi").
        """
        if len(folded) < GLUED_MIN or len(folded) > 60 or folded in self.known_words:
            return None
        best: list[tuple[str, ...] | None] = [()] + [None] * len(folded)
        for end in range(1, len(folded) + 1):
            for start in range(max(0, end - 20), end):
                piece = folded[start:end]
                before = best[start]
                if before is None or before and len(before[-1]) == 1 and (len(piece) < 5 or piece in self.analyzer.stopwords):
                    continue  # a one-letter word is a preposition: a word of five letters or more follows ("s uzbekistanom")
                if (piece in self.known_words or len(piece) == 1) and (len(piece) >= 4 or piece in self.analyzer.stopwords):
                    option = before + (piece,)
                    if best[end] is None or len(option) < len(best[end]):  # type: ignore[arg-type]
                        best[end] = option
        pieces = best[-1]
        return pieces if pieces and len(pieces) > 1 and len(pieces[-1]) > 1 else None

    def _words(self, text: str) -> list[str]:
        """The words of a sentence, glued words split and split words joined where that makes known words."""
        words = raw_words(text)[:MAX_WORDS]
        joined: list[str] = []
        for word in words:
            folded = fold_word(word)
            if joined and folded not in self.known_words:
                previous = fold_word(joined[-1])
                if previous not in self.known_words or len(previous) <= 3 or len(folded) <= 3:
                    if previous + folded in self.known_words and self.lookup(previous + folded):
                        joined[-1] = previous + folded  # "en ergy" -> "energy"
                        continue
            joined.append(word)
        result: list[str] = []
        for word in joined:
            folded = fold_word(word)
            if folded not in self.known_words:
                pieces = self.split_glued(folded)
                if pieces:
                    result.extend(pieces)
                    continue
            result.append(word)
        return result

    def query_terms(self, text: str) -> list[QueryTerm]:
        """The meaningful words of a sentence, without repeats, as the index reads them."""
        terms: list[QueryTerm] = []
        seen: dict[object, int] = {}  # a term's key -> its place in ``terms``
        words = self._words(text)
        for word, previous in zip(words, ["", *words]):
            choices = self.lookup(word)
            if choices is None:
                continue  # a stop word
            folded = fold_word(word)
            concept = self.analyzer.concept_of(word) or ""
            filler = self.analyzer.is_filler(word)
            if filler and not concept and folded not in self.spellings:
                choices = ()  # a chat word that only shares a stem with the base's words: "relatives", not "relations"
            key = choices[0][0] if choices else folded
            asks = self.analyzer.asks_for(concept, previous)
            if key in seen:  # a repeat counts once, but keeps what it asks: "the text of the fifth article"
                if asks and not terms[seen[key]].asks:
                    terms[seen[key]] = replace(terms[seen[key]], asks=asks)
                continue
            seen[key] = len(terms)
            if choices:
                best = max(choices, key=lambda choice: choice[1])[0]
                weight = float(self.idf[best] * self.boost[best])
                signal = best in self.signal_ids
            else:
                signal = self.analyzer.is_signal(concept or folded)
                weight = self.rarest * (SIGNAL_BOOST if signal else 1.0)
            names = concept if asks == "name" and concept in self.analyzer.asks_after else ""
            terms.append(QueryTerm(folded, choices, weight, filler=filler,
                                   signal=signal, asks=asks, names=names))
        return terms

    def complete(self, word: str) -> str | None:
        """The shortest word of the base that starts with a word typed so far ("zangez" -> "zangezur"),
        for inline queries, which arrive letter by letter; None if none does or it is too short."""
        typed = raw_words(word)
        folded = fold_word(typed[-1]) if typed else ""
        if len(folded) < 3:
            return None
        at = bisect_right(self.sorted_spellings, folded)  # words that only start with it
        after = itertools.islice(self.sorted_spellings, at, None)  # no copy of the list per keystroke
        started = itertools.takewhile(lambda known: known.startswith(folded), after)
        return min(started, key=len, default=None)

    def knows(self, word: str) -> bool:
        """A stop word, a chat word, or a word the knowledge base uses (exactly or by its stem)."""
        folded = fold_word(word)
        return folded in self.known_words or any(term in self.term_ids for term in self.analyzer.candidates(word))

    # ------------------------------------------------------------------ searching

    def find(self, query: str, remember: bool = True) -> SearchResult:
        """Deterministic: the same question always gives the same result.

        Popular questions repeat, so recent results are remembered (bounded, per index);
        benchmarks pass ``remember=False`` to time the search itself.
        """
        return self._remembered(query) if remember else self._find(query)

    def _find(self, query: str) -> SearchResult:
        best: SearchResult | None = None
        details: list[SearchResult] = []
        read: set[tuple[str, ...]] = set()
        for segment in segments(query):
            terms = self.query_terms(segment)
            words = tuple(term.word for term in terms)
            if words in read:
                continue  # another reading with the same words ("Hi, when ...?" and "when ...?")
            if segment != query and all(term.signal or term.filler for term in terms):
                continue  # a part that only names a country or a year ("... Baku – Tashkent?") asks nothing by itself
            read.add(words)
            result = self.search_sentence(segment, query, terms)
            if result.outcome == "detail":
                details.append(result)
            if best is None or _rank(result) > _rank(best):
                best = result
        if best is not None and best.outcome in ("answer", "detail"):
            # A reading that leaves out the detail asked for is not the question: "in which city,
            # in which palace was it signed?" is not answered, or told apart, by its second half.
            wider = [result for result in details if best.searched in result.searched and result.searched != best.searched
                     and len(_SENTENCE.split(result.searched.strip())) == 1]  # one sentence: the chat around is not
            if wider:
                return max(wider, key=_rank)
        return best or SearchResult(query, "none", (), reason="empty")

    def search_sentence(self, text: str, query: str | None = None,
                        terms: list[QueryTerm] | None = None) -> SearchResult:
        """Rank the entries for one sentence and decide what to do with the best."""
        query = text if query is None else query
        terms = self.query_terms(text) if terms is None else terms
        content = [term for term in terms if not (term.filler and not term.choices)]
        if not content:
            return SearchResult(query, "none", (), reason="empty", searched=text)
        # The decision weighs what the question asks, not the chat around it ("hi, I'm a
        # student, what does the article say about energy?" asks about energy).
        # Question words ("when", "who", "how much") are weighed by the detail rule instead.
        scores = np.zeros(len(self.entries))  # BM25F over every word: the ranking
        vectors = [(term, self.term_vector(term.choices)) for term in content if term.choices]
        for _, (ids, impact, _) in vectors:
            scores[ids] += impact  # a term's entries are distinct, so indexed addition is exact
        asked = {(term.asks, term.names) for term in content if term.asks}  # "the full text": asked, even of the article
        framing = next((term for term, _ in vectors if term.choices[0][0] == self.source_term), None)
        if framing is not None and any(not (term.asks or term.filler) for term, _ in vectors if term is not framing):
            # "the article" counts where the rest of the question points to a passage about the
            # article (its heading, its conclusion), not in "what does the article say about energy?";
            # with nothing but question words beside it ("when was the article published?") it is the topic
            ids, impact, _ = self.term_vector(framing.choices)
            rest = scores.copy()
            rest[ids] -= impact
            if not self._holds(self.source_term, int(np.argmax(rest))):
                content = [term for term in content if term is not framing]
                vectors = [(term, vector) for term, vector in vectors if term is not framing]
                scores = rest
        asking = [term for term in content if not term.filler and not term.asks] or content
        # Rivals are told apart by what is asked, question words included, not by chat words:
        # "the conclusion of the op-ed" does not make the op-ed a rival of the conclusion.
        focused = scores.copy()
        if any(not term.filler for term, _ in vectors):  # unless chat words are all it asks ("the author?")
            for term, (ids, impact, _) in vectors:
                if term.filler:
                    focused[ids] -= impact
        candidates = np.flatnonzero(scores)
        if not len(candidates):
            return SearchResult(query, "none", (), reason="no-match", searched=text)
        if len(candidates) > 4 * RANKED:  # only the best few need ordering, whatever the base's size
            candidates = candidates[np.argpartition(-scores[candidates], 4 * RANKED)[:4 * RANKED]]
        # For those few: the same score over the words that ask (the decision's), and how much
        # of the question's weight each explains.
        weighed = dict.fromkeys(candidates.tolist(), 0.0)
        explained = dict.fromkeys(weighed, 0.0)
        for term, (ids, impact, similarity) in vectors:
            if term not in asking:
                continue
            at = np.minimum(np.searchsorted(ids, candidates), len(ids) - 1)
            for position, index, hit in zip(candidates.tolist(), at.tolist(), (ids[at] == candidates).tolist()):
                if hit:
                    weighed[position] += float(impact[index])
                    explained[position] += float(similarity[index]) * term.weight
        # Candidates about the question's topic (its words other than question words) come
        # first, ordered by the full score: "when" then picks the dated one of two siblings.
        best_topic = max(weighed.values())
        on_topic = {p: weighed[p] >= TOPIC_SHARE * best_topic if best_topic > 0 else True for p in weighed}
        order = sorted(weighed, key=lambda p: (not on_topic[p], -scores[p], p))[:RANKED]
        asked_ids = {term_id for term in asking for term_id, _ in term.choices}
        if order[0] in self.parts_own:
            named = [part for part, own in self.parts_own[order[0]].items()
                     if own & asked_ids and on_topic.get(part, False)]
            if len(named) == 1:
                order = named + [p for p in order if p != named[0]]
        elif (overview := self.overview_of.get(order[0])) is not None and on_topic.get(overview, False) \
                and scores[overview] >= RIVAL_SHARE * scores[order[0]] and not self.parts_own[overview][order[0]] & asked_ids:
            # ... and the reverse: a part that ties with its overview on no word of its own ("in which
            # fields will they team up?") is one of the overview's answers, not the answer
            order = [overview] + [p for p in order if p != overview]
        # A broad question ("what is the treaty about?") that fits several unlinked passages alike
        # fits best the one that links them all: the treaty, not "which of these?"
        tied = [p for p in order if scores[p] >= RIVAL_SHARE * scores[order[0]]]
        if any(p not in self.neighbours[order[0]] for p in tied[1:]):
            hub = next((p for p in tied if self.neighbours[p] >= set(tied) - {p}), None)
            if hub is not None:
                order = [hub] + [p for p in order if p != hub]
        ideal = sum(term.weight for term in asking)  # an unknown word weighs as the rarest known one
        missing = ""
        if asked:  # answered only by a passage that gives the kind of detail asked for
            about = {self.term_names[term.choices[0][0]] for term in content if term.choices}

            def gives(position: int, kind: str, names: str) -> bool:
                """"which palace?" is answered by a passage naming a palace, not the treaty's name."""
                return self.entries[position].states(kind, {names} if names else about)

            givers = [p for p in order if on_topic[p] and all(gives(p, *ask) for ask in asked)]
            if givers:
                order = [givers[0]] + [p for p in order if p != givers[0]]
            else:
                missing = sorted(kind for kind, names in asked if not gives(order[0], kind, names))[0]
        alone = all(scores[other] < decision.SUGGEST_RATIO * scores[order[0]] for other in order[1:])
        features = self._features(order[0], order, weighed, explained, ideal, asking, focused, alone, terms)
        confidence = decision.confidence(features)
        outcome = decision.decide(confidence, missing, features.rivals)
        topic = [term for term in asking if not term.signal]
        if outcome == "answer" and topic and not any(term.choices for term in topic):
            # Countries and years say which agreement, not what is asked: when every other word is
            # unknown ("the population of Tajikistan"), the materials do not hold the answer.
            outcome = "suggest"
        if outcome == "answer" and any(term.signal and not term.choices for term in asking):
            # ... and a country no passage names ("a declaration with Mongolia?", "Armenia's position
            # on the corridor") is what the question is about: no passage answers it outright
            outcome = "suggest"
        # The first match carries the decision's confidence; the others, that times their share of
        # the first's score (what a "did you mean" list is cut by), never above the one before.
        top = float(scores[order[0]])
        shown: list[float] = []
        for position in order:
            shown.append(round(min(confidence * float(scores[position]) / top, shown[-1] if shown else confidence), 4))
        matches = tuple(Match(self.entries[position], share) for position, share in zip(order, shown))
        return SearchResult(query, outcome, matches, missing=missing if outcome == "detail" else "", searched=text,
                            features=features, alone=alone)

    def _term_vector(self, choices: tuple[tuple[int, float], ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The entries a question word is found in, what it adds to each one's score, and how
        closely it matched there (a typo matching two spellings keeps the better one)."""
        if len(choices) == 1:
            term_id, similarity = choices[0]
            ids = self.postings[term_id]
            weight = similarity * self.idf[term_id] * self.boost[term_id]
            return ids, self.impacts[term_id] * weight, np.full(len(ids), similarity)
        best: dict[int, tuple[float, float]] = {}
        for term_id, similarity in choices:
            weight = similarity * self.idf[term_id] * self.boost[term_id]
            for position, impact in zip(self.postings[term_id].tolist(), self.impacts[term_id].tolist()):
                if impact * weight > best.get(position, (0.0, 0.0))[0]:
                    best[position] = (impact * weight, similarity)
        ids = np.fromiter(best, dtype=np.int32, count=len(best))
        return ids, np.array([value for value, _ in best.values()]), np.array([sim for _, sim in best.values()])

    def _features(self, position: int, order: list[int], scores: Mapping[int, float], explained: Mapping[int, float],
                  ideal: float, content: list[QueryTerm], ranking: np.ndarray, alone: bool,
                  words: list[QueryTerm]) -> decision.Features:
        """``scores``: over the words that ask; ``ranking``: over every word (question words
        too, so "when ... signed" tells the dated entry from its undated rivals)."""
        unlinked = [other for other in order if other != position and other not in self.neighbours[position]]
        others = [scores[other] for other in unlinked]
        runner_up = max(others, default=0.0)
        rivals = sum(1 for other in unlinked if ranking[other] >= RIVAL_SHARE * ranking[position])
        signals = [term for term in content if term.signal]
        mentioned = self.entry_signals[position]
        missing_signals = sum(1 for term in signals if not any(t in mentioned for t, _ in term.choices))
        unexplained = sum(1 for term in content if term.choices and not any(
            self._holds(term_id, position) for term_id, _ in term.choices))
        # Words of the question that stand together as they do in one of the entry's own phrasings
        # ("energy cooperation") are better evidence than the same words scattered over its text.
        # An unknown word between two breaks them apart: "minister g7 summit" is not "minister summit".
        said = [term.choices[0][0] if term.choices else -1 for term in words if not term.filler]
        asked_pairs = [_pair(a, b) for a, b in zip(said, said[1:]) if a != b and min(a, b) >= 0]
        phrase = float(np.isin(asked_pairs, self.phrases[position]).mean()) if asked_pairs else 0.0
        return decision.Features(
            strength=float(scores[position]) / ideal,
            coverage=float(explained[position]) / ideal,
            passing=max(0.0, float(explained[position] - scores[position]) / ideal),
            lead=float(scores[position] - runner_up) / float(scores[position]) if scores[position] else 0.0,
            runner_up=float(runner_up) / ideal,
            specificity=float(explained[position]) / self.rarest,
            unexplained=unexplained,
            missing_signals=missing_signals,
            rivals=rivals,
            alone=alone,
            phrase=phrase,
        )

    def _holds(self, term_id: int, position: int) -> bool:
        ids = self.postings[term_id]
        at = int(np.searchsorted(ids, position))
        return at < len(ids) and int(ids[at]) == position


def _pair(a: int, b: int) -> int:
    """Two term ids next to each other, in either order, as one number."""
    return min(a, b) << 32 | max(a, b)


def _rank(result: SearchResult) -> tuple[int, float]:
    """Which reading of a message to keep: an answer before a detail before a suggestion,
    then the more confident one."""
    order = {"answer": 3, "detail": 2, "suggest": 1, "none": 0}
    return order[result.outcome], result.matches[0].score if result.matches else 0.0


def split_sentences(text: str) -> list[str]:
    """The sentences of a message (split after . ! ? … ; and at line breaks)."""
    return [part.strip() for part in _SENTENCE.split(text) if part and part.strip()]


def segments(text: str) -> list[str]:
    """The readings of a message: the whole (if short), each sentence and pair of neighbours,
    and within a sentence every run of its clauses ("Hi, I'm a student from Baku, when was
    the treaty signed?" is read as "when was the treaty signed?" too).

    When the message asks something ("?"), only readings that hold a clause that asks are
    kept: "I'm a student, ..." introduces the asker, it is not the question. A long
    message is read at its start and its end, where questions usually are.
    """
    sentences = split_sentences(text)
    if len(sentences) > MAX_SENTENCES:
        sentences = sentences[: MAX_SENTENCES // 2] + sentences[-MAX_SENTENCES // 2:]
    readings = [text] if len(raw_words(text)) <= MAX_WORDS or len(sentences) <= 1 else []
    readings += [" ".join(sentences[i:i + 2]) for i in range(len(sentences) - 1)] + sentences
    asking: list[str] = []  # the clauses that ask
    previous: list[str] = []
    for sentence in sentences:
        clauses = [part.strip() for part in _CLAUSE.split(sentence) if part and part.strip()][-MAX_CLAUSES:]
        asking += [clause for clause in clauses if "?" in clause]
        if len(clauses) > 1:
            readings += [" ".join(clauses[i:j]) for i in range(len(clauses)) for j in range(i + 1, len(clauses) + 1)]
        # "..., and my relatives keep talking about the 'alliance'. What is it?": a short question
        # with the end of the sentence before it, where "it" is named
        if len(raw_words(sentence)) <= SHORT_QUESTION:
            readings += [" ".join([*previous[i:], sentence]) for i in range(1, len(previous))]
        previous = clauses
    if asking:
        readings = [reading for reading in readings if any(clause in reading for clause in asking)]
    # A bit in brackets or between commas with neither a letter nor a year ("(1)") asks nothing.
    return [reading for reading in dict.fromkeys(readings) if reading == text or _MEANINGFUL(reading)]


def _fields(entry: Entry) -> dict[str, list[tuple[str, str]]]:
    """An entry's text per BM25F field, each text with its language."""
    title = [(language, _NUMBERING.sub("", text)) for language, text in [("en", entry.title), *entry.title_i18n.items()]]
    keywords = [(language, text) for language in LANGUAGES for text in entry.keywords.get(language, ())]
    if entry.agreement:
        title.append(("en", entry.agreement.title))
        keywords.append(("en", format_date(entry.agreement.date)))
    return {
        "title": title,
        "questions": [(language, text) for language in LANGUAGES for text in entry.questions.get(language, ())],
        "keywords": keywords,
        "answer": [("en", entry.answer), *entry.answer_i18n.items()] if entry.answer else [],
        "quote": [("en", entry.quote)],
        # Each translation is read as text of its language, but an overview's is left out: its quote
        # repeats its parts' passages, and in three more languages it outbid them (dev: fewer wrong answers).
        "translation": list(entry.quote_i18n.items()) if entry.kind != "overview" else [],
    }


def _language_words(kb: KnowledgeBase) -> dict[str, set[str]]:
    """Words people use in only one language, to tell the languages apart."""
    seen_in: dict[str, set[str]] = defaultdict(set)
    for entry in kb.entries:
        for by_language in (entry.questions, entry.keywords):
            for language, texts in by_language.items():
                for text in texts:
                    for word in fold(text).split():
                        seen_in[word].add(language)
    for by_language in (kb.stopwords, kb.filler):  # greetings and thanks tell a language too ("rahmat")
        for language, words in by_language.items():
            for word in words:
                for folded in fold(word).split():
                    seen_in[folded].add(language)
    result: dict[str, set[str]] = defaultdict(set)
    for word, languages in seen_in.items():
        if len(languages) == 1:
            result[next(iter(languages))].add(word)
    return result


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
    """Every alternate that the search answers with another entry."""
    found = []
    for entry in index.entries:
        alternates = [*(q for qs in entry.questions.values() for q in qs), *(k for ks in entry.keywords.values() for k in ks)]
        for text in dict.fromkeys(alternates):
            result = index.find(text)
            if result.outcome != "answer" or result.matches[0].entry.id == entry.id:
                continue
            scores = {match.entry.id: match.score for match in result.matches}
            found.append(Competition(entry.id, text, result.matches[0].entry.id, scores.get(entry.id, 0.0),
                                     result.matches[0].score))
    return found
