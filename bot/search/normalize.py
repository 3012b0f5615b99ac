"""One normal form for all text the matcher sees: questions and knowledge alike.

The same steps run on the knowledge base at start-up and on every question, so a
question typed with or without diacritics, in Cyrillic or Latin letters, with any
apostrophe, meets the same terms:

1. Unicode NFKC and case folding; @handles, links and HTML tags are not words of a question;
2. numeric dates (23.08.2024, 2024-08-23) become words ("23 august 2024");
3. apostrophes of every kind disappear (o' oʻ o‘ ʼ -> o), so Uzbek spellings agree;
4. a word is split off at anything that is not a letter or digit;
5. each word is folded to ASCII: Azerbaijani and other diacritics go (ə->e, ş->s),
   Cyrillic (Russian and Uzbek) is spelled in Latin letters;
6. stop words go; a word form listed in the lexicon becomes its concept
   ("казахстаном", "Qazaxıstan", "Qozog'iston" -> "kazakhstan"); any other word
   becomes its stem in its language: Snowball (PyStemmer) for English, Russian and,
   for Azerbaijani, Turkish; the suffixes listed in the lexicon for Uzbek and
   Azerbaijani.

A question's language is not known word by word, so ``Analyzer.candidates`` gives
every reading of a question word (its concept, or its stem in each language its
script allows, Russian typed in Latin letters included) and the index keeps the
first one it knows.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache

import Stemmer

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
# Russian typed in Latin letters ("kogda podpisali dogovor"), read back into Cyrillic so
# the Russian stemmer can take its endings off. Longest letter groups first.
_TO_CYRILLIC = (("shch", "щ"), ("sch", "щ"), ("kh", "х"), ("zh", "ж"), ("ch", "ч"), ("sh", "ш"), ("ts", "ц"),
                ("yu", "ю"), ("ya", "я"), ("yo", "ё"), ("a", "а"), ("b", "б"), ("v", "в"), ("w", "в"),
                ("g", "г"), ("d", "д"), ("e", "е"), ("z", "з"), ("i", "и"), ("j", "й"), ("y", "ы"),
                ("k", "к"), ("q", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"),
                ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"), ("f", "ф"), ("h", "х"), ("c", "ц"), ("x", "кс"))
_TO_CYRILLIC_PATTERN = re.compile("|".join(latin for latin, _ in _TO_CYRILLIC))
_TO_CYRILLIC_MAP = dict(_TO_CYRILLIC)

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")
_NUMERIC_DATE = re.compile(r"\b(?:(\d{1,2})[./](\d{1,2})[./](\d{4})|(\d{4})-(\d{1,2})-(\d{1,2}))\b")
_ORDINAL = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)\b")
_NOT_WORDS = re.compile(r"(?<![\w@])@\w+|https?://\S+|www\.\S+|</?[A-Za-z][^<>]{0,60}>")  # @handles, links, tags
_HAS_DIGIT = re.compile(r"\d").search
_SPLIT = re.compile(r"[\W_]+")
_NON_ASCII_WORD = re.compile(r"[^0-9a-z]+")
_YEAR = re.compile(r"^(19|20)\d\d$")
_CYRILLIC_CHAR = re.compile(r"[\u0400-\u04ff]")

# Snowball stemmers (PyStemmer) by language; Azerbaijani is closest to Turkish.
SNOWBALL = {"en": "english", "ru": "russian", "az": "turkish"}
MIN_STEM = 3  # a suffix never takes a word below three letters ("gaz" stays "gaz")


def _spell_date(match: re.Match[str]) -> str:
    day, month, year = (match[1], match[2], match[3]) if match[1] else (match[6], match[5], match[4])
    if not 1 <= int(month) <= 12 or not 1 <= int(day) <= 31:
        return match[0]
    return f" {int(day)} {_MONTHS[int(month) - 1]} {year} "


def _prepare(text: str) -> str:
    """Steps 1-3 on a whole text: case-folded, dates spelled, handles, tags and apostrophes gone."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("\u0307", "")  # "İ" folds to i + a dot above
    if "@" in text or "://" in text or "www." in text or "<" in text:
        text = _NOT_WORDS.sub(" ", text)
    if _HAS_DIGIT(text):
        text = _NUMERIC_DATE.sub(_spell_date, text)
        text = _ORDINAL.sub(r"\1", text)
    for mark in APOSTROPHES:
        if mark in text:
            text = text.replace(mark, "")
    return text


@lru_cache(maxsize=65536)
def fold_word(word: str) -> str:
    """Step 5: one word in lower-case ASCII letters and digits."""
    word = word.translate(_TRANSLATE)
    if not word.isascii():
        word = "".join(char for char in unicodedata.normalize("NFKD", word) if not unicodedata.combining(char))
    return _NON_ASCII_WORD.sub("", word)


def raw_words(text: str) -> list[str]:
    """Steps 1-4: the words of a text as written (case-folded, Cyrillic kept for the stemmer)."""
    return [word for word in _SPLIT.split(_prepare(text)) if word]


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """A lower-case ASCII string of words separated by single spaces (statistics, language hints)."""
    return " ".join(folded for word in raw_words(text) if (folded := fold_word(word)))


def _words_of(lists: Mapping[str, Iterable[str]]) -> dict[str, set[str]]:
    """Per language, the words of a word list as written (an entry may be a phrase)."""
    return {language: {word for raw in items for word in raw_words(raw)} for language, items in lists.items()}


def is_year(token: str) -> bool:
    return bool(_YEAR.match(token))


def latin_to_cyrillic(word: str) -> str:
    """A Latin-typed Russian word back in Cyrillic, as well as one can guess it."""
    return _TO_CYRILLIC_PATTERN.sub(lambda match: _TO_CYRILLIC_MAP[match[0]], word)


class Analyzer:
    """Turns text into search terms using the knowledge base's lexicon.

    ``concepts`` unify word forms across languages; ``stopwords`` carry no meaning;
    ``filler`` are chat words ("hello", "student", "thanks") that neither help nor hurt
    a question when the knowledge base does not use them; ``suffixes`` are the endings,
    per language, taken off words that have no Snowball stemmer or need more than it.
    """

    def __init__(self, concepts: Iterable[Concept], stopwords: Mapping[str, Iterable[str]],
                 filler: Mapping[str, Iterable[str]] | None = None,
                 suffixes: Mapping[str, Iterable[str]] | None = None):
        self.exact: dict[str, str] = {}
        self.prefixes: dict[str, str] = {}
        # Forms told apart only by letters folding drops, matched as written: "neçə" (how many)
        # folds to "nece" like the stop word "necə" (how), which must stay a stop word.
        self.written: dict[str, str] = {}
        self.signals: set[str] = set()
        self.asks: dict[str, str] = {}  # concept -> the kind of detail it asks for
        self.asks_after: dict[str, frozenset[str]] = {}  # concept -> the words it asks only right after
        stop_words, chat_words = _words_of(stopwords), _words_of(filler or {})
        listed = set().union(*stop_words.values(), *chat_words.values())  # stop and filler words as written
        self.stopwords = {fold_word(word) for words in stop_words.values() for word in words}
        self.filler = {fold_word(word) for words in chat_words.values() for word in words}
        for concept in concepts:
            if concept.signal:
                self.signals.add(concept.name)
            if concept.asks:
                self.asks[concept.name] = concept.asks
            if concept.after:
                self.asks_after[concept.name] = frozenset(fold_word(word) for word in concept.after)
            for form in concept.forms:
                is_prefix = form.endswith("*")
                for word in raw_words(form.rstrip("*")):
                    folded = fold_word(word)
                    if (not is_prefix and word not in listed
                            and (folded in self.stopwords or folded in self.filler)):  # another word, folded alike
                        self.written.setdefault(word, concept.name)
                        continue
                    (self.prefixes if is_prefix else self.exact).setdefault(folded, concept.name)
        self.longest_prefix = max((len(prefix) for prefix in self.prefixes), default=0)
        self.stopwords -= set(self.exact)  # a listed concept form is never thrown away
        self.suffixes = {language: sorted({fold_word(s) for s in items}, key=len, reverse=True)
                         for language, items in (suffixes or {}).items()}
        # A stop word with one of its language's endings ("haqqındadır": "haqqında", about, + "is").
        self.inflected_stopwords = {stop + suffix for language, suffixes_ in self.suffixes.items()
                                    for stop in map(fold_word, stop_words.get(language, ()))
                                    if stop in self.stopwords for suffix in suffixes_}
        self.snowball = {language: Stemmer.Stemmer(name) for language, name in SNOWBALL.items()}
        self.concept = lru_cache(maxsize=65536)(self._concept)
        self.stem = lru_cache(maxsize=65536)(self._stem)

    def is_stopword(self, word: str) -> bool:
        """A raw word that carries no meaning; a form the lexicon matches as written ("neçə") never is."""
        return word not in self.written and fold_word(word) in self.stopwords

    def is_filler(self, word: str) -> bool:
        """A raw chat word ("adi", ordinary; not "adı", its name)."""
        return word not in self.written and fold_word(word) in self.filler

    def _concept(self, folded: str) -> str | None:
        """The concept a folded word belongs to, if the lexicon lists it."""
        if folded in self.exact:
            return self.exact[folded]
        for length in range(min(len(folded), self.longest_prefix), 2, -1):
            concept = self.prefixes.get(folded[:length])
            if concept:
                return concept
        return None

    def _strip_suffixes(self, folded: str, language: str) -> str:
        """Take the lexicon's suffixes of ``language`` off, longest first, until none fits."""
        suffixes = self.suffixes.get(language, ())
        changed = True
        while changed:
            changed = False
            for suffix in suffixes:
                if folded.endswith(suffix) and len(folded) - len(suffix) >= MIN_STEM:
                    folded = folded[: -len(suffix)]
                    changed = True
                    break
        return folded

    def _stem(self, word: str, language: str) -> str:
        """The stem of a raw word in ``language``, folded to ASCII."""
        if word.isdigit():
            return word
        stemmer = self.snowball.get(language)
        if language == "ru" and not _CYRILLIC_CHAR.search(word):
            word = latin_to_cyrillic(word)  # Russian typed in Latin letters
        stemmed = fold_word(stemmer.stemWord(word)) if stemmer else fold_word(word)
        return self._strip_suffixes(stemmed or fold_word(word), language)

    def term(self, word: str, language: str) -> str | None:
        """The index term of a raw word of a text in ``language``; None for a stop word."""
        if word in self.written:
            return self.written[word]
        folded = fold_word(word)
        if len(folded) < 2 and not folded.isdigit() or folded in self.stopwords:
            return None
        stem = self.stem(word, language)
        return self.concept(folded) or self.concept(stem) or stem

    def _stems(self, word: str) -> list[str]:
        """The word's stem in each language its script allows (Cyrillic: Russian or Uzbek; Latin: any)."""
        languages = ("ru", "uz") if _CYRILLIC_CHAR.search(word) else ("en", "az", "uz", "ru")
        return [self.stem(word, language) for language in languages]

    def concept_of(self, word: str) -> str | None:
        """The concept of a raw question word, as written or with a suffix taken off
        ("qədərdir" is "qədər", how much)."""
        if word in self.written:
            return self.written[word]
        folded = fold_word(word)
        if concept := self.concept(folded):
            return concept
        if folded.isdigit():
            return None
        return next((concept for stem in self._stems(word) if (concept := self.concept(stem))), None)

    def candidates(self, word: str) -> tuple[str, ...]:
        """Every term a question word might stand for, most likely first: its concept, which
        is certain, or else its stem in each language its script allows, then the word itself."""
        if concept := self.concept_of(word):
            return (concept,)
        folded = fold_word(word)
        if folded.isdigit():
            return (folded,)
        return tuple(dict.fromkeys([*self._stems(word), folded]))

    def asks_for(self, concept: str, previous: str) -> str:
        """The kind of detail a word of ``concept`` asks for, right after the raw word ``previous``."""
        after = self.asks_after.get(concept)
        return self.asks.get(concept, "") if after is None or fold_word(previous) in after else ""

    def is_signal(self, term: str) -> bool:
        """Country names and years decide which entry a question is about."""
        return term in self.signals or is_year(term)


_UZBEK_CYRILLIC = set("ўқғҳ")
_AZERBAIJANI_LATIN = set("əğışçöüİ")
_MARKERS = {
    "uz": {"nima", "qanday", "qaysi", "haqida", "shartnoma", "va", "bilan", "qachon", "ozbekiston", "uchun", "kim",
           "salom", "rahmat", "qalaysan", "qancha", "kerakmi", "narxi"},
    "az": {"ne", "nedir", "haqqinda", "muqavile", "ve", "ile", "hansi", "azerbaycan", "vaxt", "niye", "kimdir",
           "salam", "necesen", "sagol", "tesekkur", "neче"},
    "en": {"what", "the", "is", "when", "who", "treaty", "and", "about", "which", "how", "why"},
}


def is_cyrillic(text: str) -> bool:
    """Whether the text's letters are mostly Cyrillic."""
    cyrillic = sum("\u0400" <= char <= "\u04ff" for char in text)
    return cyrillic > 0 and cyrillic >= sum(char.isalpha() for char in text) / 2


def detect_language(text: str, vocabulary: Mapping[str, set[str]] | None = None) -> str:
    """A best guess of the question's language from its script and its words.

    ``vocabulary`` maps a language to words seen only in that language (the search
    index builds it from the knowledge base), which tells "siyosiy muloqot" (Uzbek)
    from "siyasi dialoq" (Azerbaijani) when no special letter does.
    """
    split = fold(text).split()
    words = set(split) | {a + b for a, b in zip(split, split[1:])}  # a word split by a typo: "en ergy"
    if any("\u0400" <= char <= "\u04ff" for char in text):
        if any(char in _UZBEK_CYRILLIC for char in text.lower()):
            return "uz"
        candidates = ("ru", "uz")
    elif any(char in _AZERBAIJANI_LATIN for char in text):
        return "az"
    elif any(mark in text for mark in ("o'", "g'", "oʻ", "gʻ", "o‘", "g‘")):
        return "uz"
    else:
        candidates = ("en", "az", "uz", "ru")
    scores = {language: len(words & (vocabulary or {}).get(language, set())) * 2
              + len(words & _MARKERS.get(language, set())) for language in candidates}
    best = max(candidates, key=lambda language: scores[language])  # ties go to the first candidate
    return best if scores[best] else candidates[0]


assert set(_MARKERS) <= set(LANGUAGES)
