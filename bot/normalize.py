"""One normal form for all text the matcher sees: questions and alternates alike.

The same steps run on the knowledge base at start-up and on every question, so a
question typed with or without diacritics, in Cyrillic or Latin letters, with any
apostrophe, meets the same tokens:

1. Unicode NFKC and case folding;
2. numeric dates (23.08.2024, 2024-08-23) become words ("23 august 2024");
3. apostrophes of every kind disappear (o' oʻ o‘ ʼ -> o), so Uzbek spellings agree;
4. Azerbaijani and other Latin diacritics go (ə->e, ı->i, ş->s, ö->o, ...);
5. Cyrillic (Russian and Uzbek) is spelled in Latin letters;
6. everything that is not a letter or digit separates words;
7. stop words go, and word forms listed in the lexicon become one concept token
   ("казахстаном", "Qazaxıstan", "Qozog'iston" -> "kazakhstan").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache

from bot.knowledge import LANGUAGES, Concept

APOSTROPHES = "'’‘ʼʻ`´′ʹ‛"
_LATIN = {"ə": "e", "ı": "i", "ß": "ss", "ø": "o", "ł": "l", "đ": "d", "æ": "ae", "œ": "oe", "ŋ": "ng"}
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    # Uzbek, Kazakh and Azerbaijani Cyrillic letters.
    "ў": "o", "қ": "q", "ғ": "g", "ҳ": "h", "ә": "e", "ө": "o", "ү": "u", "ұ": "u", "ң": "ng",
    "һ": "h", "і": "i", "ј": "y", "ҹ": "c",
}
_TRANSLATE = str.maketrans({**_LATIN, **_CYRILLIC, **{mark: "" for mark in APOSTROPHES}})

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")
_NUMERIC_DATE = re.compile(r"\b(?:(\d{1,2})[./](\d{1,2})[./](\d{4})|(\d{4})-(\d{1,2})-(\d{1,2}))\b")
_ORDINAL = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)\b")
_HAS_DIGIT = re.compile(r"\d").search
_NON_WORD = re.compile(r"[^0-9a-z]+")
_YEAR = re.compile(r"^(19|20)\d\d$")


def _spell_date(match: re.Match[str]) -> str:
    day, month, year = (match[1], match[2], match[3]) if match[1] else (match[6], match[5], match[4])
    if not 1 <= int(month) <= 12 or not 1 <= int(day) <= 31:
        return match[0]
    return f" {int(day)} {_MONTHS[int(month) - 1]} {year} "


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Steps 1-6: a lower-case ASCII string of words separated by single spaces."""
    text = unicodedata.normalize("NFKC", text).casefold()
    if _HAS_DIGIT(text):  # most text has no dates: one search instead of two substitutions
        text = _NUMERIC_DATE.sub(_spell_date, text)
        text = _ORDINAL.sub(r"\1", text)
    text = text.translate(_TRANSLATE)
    if not text.isascii():  # drop what diacritics remain (ö -> o); ASCII text has none
        text = "".join(char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char))
    return " ".join(_NON_WORD.sub(" ", text).split())


def is_year(token: str) -> bool:
    return bool(_YEAR.match(token))


class Normalizer:
    """Turns text into search tokens using the knowledge base's lexicon."""

    def __init__(self, concepts: Iterable[Concept], stopwords: dict[str, Iterable[str]]):
        self.exact: dict[str, str] = {}
        self.prefixes: dict[str, str] = {}
        self.signals: set[str] = set()
        for concept in concepts:
            if concept.signal:
                self.signals.add(concept.name)
            for form in concept.forms:
                is_prefix = form.endswith("*")
                for word in fold(form.rstrip("*")).split():
                    (self.prefixes if is_prefix else self.exact).setdefault(word, concept.name)
        self.longest_prefix = max((len(prefix) for prefix in self.prefixes), default=0)
        self.stopwords = {word for words in stopwords.values() for raw in words for word in fold(raw).split()}
        self.stopwords -= set(self.exact)  # a listed concept form is never thrown away
        self.canonical = lru_cache(maxsize=65536)(self._canonical)  # per normaliser, freed with it

    def _canonical(self, word: str) -> str:
        """The concept a word belongs to, or the word itself."""
        if word in self.exact:
            return self.exact[word]
        for length in range(min(len(word), self.longest_prefix), 2, -1):
            concept = self.prefixes.get(word[:length])
            if concept:
                return concept
        return word

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state.pop("canonical", None)  # a cache, rebuilt on load
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self.canonical = lru_cache(maxsize=65536)(self._canonical)

    def words(self, text: str) -> list[tuple[str, str]]:
        """Meaningful words of ``text`` as (folded word, token) pairs, in order."""
        return [(word, self.canonical(word)) for word in fold(text).split()
                if word not in self.stopwords and len(word) > 1]

    def tokens(self, text: str) -> tuple[str, ...]:
        """Meaningful tokens of ``text``, in order, without repeats."""
        return tuple(dict.fromkeys(token for _, token in self.words(text)))

    def is_signal(self, token: str) -> bool:
        """Country names and years decide which entry a question is about."""
        return token in self.signals or is_year(token)


_UZBEK_CYRILLIC = set("ўқғҳ")
_AZERBAIJANI_LATIN = set("əğışçöüİ")
_MARKERS = {
    "uz": {"nima", "qanday", "qaysi", "haqida", "shartnoma", "va", "bilan", "qachon", "ozbekiston", "uchun", "kim",
           "salom", "rahmat", "qalaysan", "qancha", "kerakmi", "narxi"},
    "az": {"ne", "nedir", "haqqinda", "muqavile", "ve", "ile", "hansi", "azerbaycan", "vaxt", "niye", "kimdir",
           "salam", "necesen", "sagol", "tesekkur", "neче"},
    "en": {"what", "the", "is", "when", "who", "treaty", "and", "about", "which", "how", "why"},
}


def detect_language(text: str, vocabulary: Mapping[str, set[str]] | None = None) -> str:
    """A best guess of the question's language from its script and its words.

    ``vocabulary`` maps a language to words seen only in that language (the search
    index builds it from the knowledge base), which tells "siyosiy muloqot" (Uzbek)
    from "siyasi dialoq" (Azerbaijani) when no special letter does.
    """
    words = set(fold(text).split())
    if any("\u0400" <= char <= "\u04ff" for char in text):
        if any(char in _UZBEK_CYRILLIC for char in text.lower()):
            return "uz"
        candidates = ("ru", "uz")
    elif any(char in _AZERBAIJANI_LATIN for char in text):
        return "az"
    elif any(mark in text for mark in ("o'", "g'", "oʻ", "gʻ", "o‘", "g‘")):
        return "uz"
    else:
        candidates = ("en", "az", "uz")
    scores = {language: len(words & (vocabulary or {}).get(language, set())) * 2
              + len(words & _MARKERS.get(language, set())) for language in candidates}
    best = max(candidates, key=lambda language: scores[language])  # ties go to the first candidate
    return best if scores[best] else candidates[0]


assert set(_MARKERS) <= set(LANGUAGES)
