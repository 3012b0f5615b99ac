"""The knowledge base: entry model, YAML loading and validation.

A knowledge base is a folder of YAML files. Each file may hold any of these
top-level keys, and the loader merges them across files, so a second document is
added by adding YAML files, never code:

- ``sources``:   the documents quoted (a text file each, relative to the YAML file);
- ``entries``:   the passages the bot answers with;
- ``concepts``:  cross-language word forms (see ``knowledge/lexicon.yaml``);
- ``stopwords``: words that carry no meaning, per language;
- ``filler``:    chat words around a question ("hello", "I am a student"), per language;
- ``suffixes``:  word endings taken off by the matcher, per language (Uzbek, Azerbaijani);
- ``smalltalk``: phrases that are small talk, not questions, by kind (thanks, ok, ...).

Everything is validated before anything is used, and every problem names the
file, the line, the entry and the field, so an editor can fix it at once.
"""

from __future__ import annotations

import datetime as dt
import gc
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.uzbek_script import to_cyrillic

LANGUAGES = ("en", "ru", "az", "uz")
UZ_CYRILLIC = "uz-Cyrl"  # Uzbek shown in Cyrillic: the Uzbek (Latin) texts, transliterated by bot.uzbek_script
ENTRY_KINDS = ("treaty", "overview", "area", "outcome", "agreement", "strategy", "conclusion", "source")
AGREEMENT_KINDS = ("treaty", "declaration")
# Kinds of detail a question can ask for ("who", "when", "how much"...) and a passage can give.
DETAIL_KINDS = ("date", "person", "place", "amount", "name", "status")
SMALLTALK_KINDS = ("greeting", "thanks", "ok", "who_are_you", "what_else", "bye")
# Entry ids travel in Telegram callback_data (at most 64 bytes) with a short prefix.
ENTRY_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,47}$")

_SOURCE_FIELDS = {"id": True, "file": True, "title": True, "kind": True, "published_under": False, "note": False}
_ENTRY_FIELDS = {
    "id": True, "kind": True, "title": True, "quote": True, "citation": True,
    "answer": False, "questions": False, "keywords": False, "related": False, "agreement": False,
    "title_i18n": False, "answer_i18n": False, "quote_i18n": True, "gives": False,
}
_CITATION_FIELDS = {"source": True, "section": True}
_AGREEMENT_FIELDS = {"title": True, "kind": True, "parties": True, "date": True}
_CONCEPT_FIELDS = {"forms": True, "signal": False, "proper": False, "asks": False}
TRANSLATED = ("ru", "az", "uz")  # every quote has an unofficial translation into each
TRANSLATION_LENGTH = (0.6, 2.0)  # a translation far shorter or longer than this (x the quote) has lost or gained text
_TOP_LEVEL_KEYS = ("sources", "entries", "concepts", "stopwords", "filler", "suffixes", "smalltalk")


@dataclass(frozen=True)
class Source:
    """A document the knowledge base quotes from."""

    id: str
    path: Path
    title: str
    kind: str
    text: str
    published_under: str = ""
    note: str = ""


@dataclass(frozen=True)
class Citation:
    source: Source
    section: str


@dataclass(frozen=True)
class Agreement:
    """Structured facts about one agreement, as the source states them."""

    title: str
    kind: str
    parties: tuple[str, ...]
    date: dt.date


@dataclass(frozen=True)
class Entry:
    """One passage the bot can answer with, quoted verbatim from its source."""

    id: str
    kind: str
    title: str
    quote: str
    citation: Citation
    answer: str = ""
    questions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    keywords: dict[str, tuple[str, ...]] = field(default_factory=dict)
    related: tuple[str, ...] = ()
    agreement: Agreement | None = None
    title_i18n: dict[str, str] = field(default_factory=dict)   # the title in ru, az, uz
    answer_i18n: dict[str, str] = field(default_factory=dict)  # the answer line in ru, az, uz
    quote_i18n: dict[str, str] = field(default_factory=dict)   # unofficial translations of the quote
    gives: tuple[str, ...] = ()  # kinds of detail the passage states (DETAIL_KINDS), or "kind:concept"

    def states(self, kind: str, concepts: set[str]) -> bool:
        """Whether the passage gives a detail of ``kind`` for a question about ``concepts``:
        "person:visit|aliyev" gives the person who visited (Aliyev), not the one who signed."""
        return any(given == kind or given.startswith(kind + ":") and bool(set(given.split(":", 1)[1].split("|")) & concepts)
                   for given in self.gives)

    def title_in(self, language: str) -> str:
        return localised(self.title_i18n, language, self.title)

    def answer_in(self, language: str) -> str:
        return localised(self.answer_i18n, language, self.answer)

    def translation_in(self, language: str) -> str:
        """The unofficial translation of the quote ('' in English: the quote itself is the text)."""
        return localised(self.quote_i18n, language, "")

    def alternates(self) -> list[str]:
        """Every phrasing that should lead to this entry, in all languages."""
        texts = [self.title, *self.title_i18n.values()]
        for by_language in (self.questions, self.keywords):
            for language in LANGUAGES:
                texts.extend(by_language.get(language, ()))
        if self.agreement:
            texts.append(self.agreement.title)
            texts.append(format_date(self.agreement.date))
        return texts


def localised(texts: dict[str, str], language: str, english: str) -> str:
    """Our text in ``language`` (Uzbek Cyrillic transliterated from the Uzbek), else the English one."""
    if language == UZ_CYRILLIC:
        return to_cyrillic(texts["uz"]) if texts.get("uz") else english
    return texts.get(language) or english


@dataclass(frozen=True)
class Concept:
    """Word forms in several languages that mean one thing (a country, 'treaty')."""

    name: str
    forms: tuple[str, ...]
    signal: bool = False
    proper: bool = False  # a proper name (Aliyev, Zangezur, a month): translations keep it, as they keep countries
    asks: str = ""  # a question word: the kind of detail it asks for (DETAIL_KINDS)


@dataclass(frozen=True)
class KnowledgeBase:
    sources: dict[str, Source]
    entries: tuple[Entry, ...]
    concepts: tuple[Concept, ...]
    stopwords: dict[str, tuple[str, ...]]
    filler: dict[str, tuple[str, ...]] = field(default_factory=dict)     # chat words, per language
    suffixes: dict[str, tuple[str, ...]] = field(default_factory=dict)   # word endings, per language
    smalltalk: dict[str, tuple[str, ...]] = field(default_factory=dict)  # kind -> phrases

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {entry.id: entry for entry in self.entries})

    def get(self, entry_id: str) -> Entry | None:
        return self._by_id.get(entry_id)  # type: ignore[attr-defined]

    def of_kind(self, kind: str) -> list[Entry]:
        return [entry for entry in self.entries if entry.kind == kind]



@dataclass(frozen=True)
class Problem:
    """One validation error, pointing at the exact place to fix."""

    file: str
    line: int
    entry_id: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.entry_id:
            where.append(f"entry '{self.entry_id}'")
        if self.field:
            where.append(f"field '{self.field}'")
        prefix = f"{self.file}:{self.line}: "
        return prefix + (", ".join(where) + ": " if where else "") + self.message


class KnowledgeError(Exception):
    """The knowledge base is invalid; ``problems`` lists every error found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


def format_date(date: dt.date) -> str:
    """'23 August 2024': the unambiguous form used in answers and alternates."""
    return f"{date.day} {date.strftime('%B')} {date.year}"


# --------------------------------------------------------------------------- YAML


class _Mapping(dict):
    """A dict that remembers the line of itself and of each of its keys."""

    line: int = 0
    key_lines: dict[str, int]


class _DuplicateKey(yaml.MarkedYAMLError):
    pass


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """SafeLoader (libyaml's when available) that records line numbers and rejects duplicate keys."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _Mapping:
    loader.flatten_mapping(node)
    mapping = _Mapping()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise _DuplicateKey(None, None, f"duplicate key '{key}'", key_node.start_mark)
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[str(key)] = key_node.start_mark.line + 1
    return mapping


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode) -> Any:
    """A date-like value that is not a real date stays text, for the validator to report."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


# --------------------------------------------------------------------------- loading

_gc_pauses = 0
_gc_lock = threading.Lock()


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection while millions of small objects are created.

    Each collection walks every live object, so a load that creates millions of them
    triggers collections whose cost grows with the load itself: at 10,000 entries,
    parsing took twice as long with the collector on. Nothing built here is garbage,
    so there is nothing to collect. Counted, so overlapping loads (a reload in a
    thread while the CLI checks) turn it back on only when the last one ends.
    """
    global _gc_pauses
    with _gc_lock:
        _gc_pauses += 1
        gc.disable()
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if not _gc_pauses:
                gc.enable()


class _Occurrences:
    """Answers "is this quote in the text?" without scanning the whole text each time.

    A plain ``quote in text`` per entry is quadratic: at 100,000 entries it took most
    of five minutes. Here the text is cut into blocks of BLOCK characters, indexed
    once; a quote of at least two blocks fully contains whole blocks at one of BLOCK
    alignments, so only the places of its rarest block are compared.
    """

    BLOCK = 32

    def __init__(self, text: str):
        self.text = text
        self.blocks: dict[str, list[int]] = {}
        for start in range(0, len(text) - self.BLOCK + 1, self.BLOCK):
            self.blocks.setdefault(text[start:start + self.BLOCK], []).append(start)

    def __contains__(self, quote: str) -> bool:
        if len(quote) < 2 * self.BLOCK:
            return quote in self.text
        size = self.BLOCK
        for offset in range(size):  # where the first whole block of the text falls in the quote
            rarest: tuple[int, list[int]] | None = None
            for first in range(offset, len(quote) - size + 1, size):
                places = self.blocks.get(quote[first:first + size])
                if places is None:  # this alignment is impossible
                    rarest = None
                    break
                if rarest is None or len(places) < len(rarest[1]):
                    rarest = (first, places)
            if rarest is not None:
                first, places = rarest
                if any(place >= first and self.text.startswith(quote, place - first) for place in places):
                    return True
        return False


class _Validator:
    """Collects problems while turning raw YAML into the entry model."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self._occurrences: dict[str, _Occurrences] = {}

    def in_source(self, text: str, source: Source) -> bool:
        """Whether ``text`` occurs verbatim in the source (fast for long sources)."""
        if len(source.text) < 100_000:
            return text in source.text
        if source.id not in self._occurrences:
            self._occurrences[source.id] = _Occurrences(source.text)
        return text in self._occurrences[source.id]

    def report(self, file: Path, line: int, entry_id: str | None, field_name: str | None, message: str) -> None:
        self.problems.append(Problem(str(file), line, entry_id, field_name, message))

    def check_fields(self, file: Path, raw: Any, schema: dict[str, bool], entry_id: str | None, prefix: str = "") -> bool:
        """Report unknown and missing fields; False when ``raw`` is not a mapping at all."""
        if not isinstance(raw, _Mapping):
            line = getattr(raw, "line", 0)
            self.report(file, line, entry_id, prefix.rstrip(".") or None, "expected a mapping of fields")
            return False
        for key in raw:
            if key not in schema:
                allowed = ", ".join(schema)
                self.report(file, raw.key_lines[str(key)], entry_id, prefix + str(key), f"unknown field (allowed: {allowed})")
        for key, required in schema.items():
            if required and key not in raw:
                self.report(file, raw.line, entry_id, prefix + key, "missing required field")
        return True

    def text(self, file: Path, raw: _Mapping, key: str, entry_id: str | None, prefix: str = "", required: bool = True) -> str:
        """A non-empty string field, or '' after reporting why not."""
        if key not in raw:
            return ""
        value = raw[key]
        if not isinstance(value, str) or not value.strip():
            if required or value is not None:
                self.report(file, raw.key_lines[key], entry_id, prefix + key, "must be a non-empty text")
            return ""
        return value

    def text_list(self, file: Path, raw: _Mapping, key: str, entry_id: str | None, prefix: str = "") -> tuple[str, ...]:
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
            self.report(file, raw.key_lines.get(key, raw.line), entry_id, prefix + key, "must be a list of non-empty texts")
            return ()
        return tuple(value)

    def by_language(self, file: Path, raw: _Mapping, key: str, entry_id: str) -> dict[str, tuple[str, ...]]:
        if key not in raw:
            return {}
        value = raw[key]
        if not isinstance(value, _Mapping):
            self.report(file, raw.key_lines[key], entry_id, key, f"must map a language ({', '.join(LANGUAGES)}) to a list")
            return {}
        result = {}
        for language in value:
            if language not in LANGUAGES:
                self.report(file, value.key_lines[str(language)], entry_id, f"{key}.{language}",
                            f"unknown language (allowed: {', '.join(LANGUAGES)})")
                continue
            result[language] = self.text_list(file, value, language, entry_id, prefix=f"{key}.")
        return result


def _load_yaml(path: Path, validator: _Validator) -> _Mapping | None:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        validator.report(path, 0, None, None, f"cannot read file: {error}")
        return None
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - _LineLoader is a SafeLoader
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 0
        validator.report(path, line, None, None, f"invalid YAML: {error.problem or error.context}")
        return None
    except yaml.YAMLError as error:
        validator.report(path, 0, None, None, f"invalid YAML: {error}")
        return None
    if data is None:
        return _Mapping()
    if not isinstance(data, _Mapping):
        validator.report(path, 1, None, None, f"top level must be a mapping with keys {', '.join(_TOP_LEVEL_KEYS)}")
        return None
    for key in data:
        if key not in _TOP_LEVEL_KEYS:
            validator.report(path, data.key_lines[str(key)], None, str(key),
                             f"unknown top-level key (allowed: {', '.join(_TOP_LEVEL_KEYS)})")
    return data


def _yaml_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    return sorted(list(path.rglob("*.yaml")) + list(path.rglob("*.yml")))


@paused_gc()
def load_knowledge(path: str | Path) -> KnowledgeBase:
    """Load and validate every YAML file under ``path``; raise KnowledgeError on any problem."""
    root = Path(path)
    validator = _Validator()
    files = _yaml_files(root) if root.exists() else []
    if not files:
        raise KnowledgeError([Problem(str(root), 0, None, None, "no knowledge-base YAML files found")])

    documents = [(file, data) for file in files if (data := _load_yaml(file, validator)) is not None]

    sources: dict[str, Source] = {}
    for file, data in documents:
        for raw in _list_of(validator, file, data, "sources"):
            source = _parse_source(validator, file, raw, sources)
            if source:
                sources[source.id] = source

    concepts: list[Concept] = []
    word_lists: dict[str, dict[str, list[str]]] = {"stopwords": {}, "filler": {}, "suffixes": {}, "smalltalk": {}}
    for file, data in documents:
        concepts.extend(_parse_concepts(validator, file, data))
        for key, merged in word_lists.items():
            allowed = SMALLTALK_KINDS if key == "smalltalk" else LANGUAGES
            for name, words in _parse_word_lists(validator, file, data, key, allowed).items():
                merged.setdefault(name, []).extend(words)

    entries: list[Entry] = []
    entry_lines: dict[str, tuple[Path, _Mapping]] = {}
    declared_ids: set[str] = set()  # including entries with errors, so 'related' is judged fairly
    for file, data in documents:
        for raw in _list_of(validator, file, data, "entries"):
            if isinstance(raw, _Mapping) and isinstance(raw.get("id"), str):
                declared_ids.add(raw["id"])
            entry = _parse_entry(validator, file, raw, sources)
            if entry is None:
                continue
            if entry.id in entry_lines:
                first_file, first_raw = entry_lines[entry.id]
                validator.report(file, raw.key_lines["id"], entry.id, "id",
                                 f"duplicate id (first defined at {first_file}:{first_raw.line})")
                continue
            entry_lines[entry.id] = (file, raw)
            entries.append(entry)

    concept_names = {concept.name for concept in concepts}
    for entry in entries:
        file, raw = entry_lines[entry.id]
        for related_id in entry.related:
            if related_id not in declared_ids:
                validator.report(file, raw.key_lines.get("related", raw.line), entry.id, "related",
                                 f"unknown entry id '{related_id}'")
            elif related_id == entry.id:
                validator.report(file, raw.key_lines.get("related", raw.line), entry.id, "related", "an entry cannot relate to itself")
        for given in entry.gives:  # "person:visit|aliyev": the qualifiers are concepts of the lexicon
            for name in given.partition(":")[2].split("|") if ":" in given else ():
                if name not in concept_names:
                    validator.report(file, raw.key_lines.get("gives", raw.line), entry.id, "gives",
                                     f"unknown concept '{name}' in '{given}' (concepts are listed in the lexicon)")

        for language, translation in entry.quote_i18n.items():
            for message in translation_problems(entry.quote, translation, concepts):
                validator.report(file, raw["quote_i18n"].key_lines[language], entry.id, f"quote_i18n.{language}",
                                 message)

    if not entries and not validator.problems:
        validator.report(root, 0, None, None, "the knowledge base has no entries")
    if validator.problems:
        raise KnowledgeError(validator.problems)
    return KnowledgeBase(
        sources=sources,
        entries=tuple(entries),
        concepts=tuple(concepts),
        **{key: {name: tuple(words) for name, words in merged.items()} for key, merged in word_lists.items()},
    )


def _list_of(validator: _Validator, file: Path, data: _Mapping, key: str) -> list[Any]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        validator.report(file, data.key_lines[key], None, key, "must be a list")
        return []
    return value


def _parse_source(validator: _Validator, file: Path, raw: Any, known: dict[str, Source]) -> Source | None:
    source_id = raw.get("id") if isinstance(raw, _Mapping) else None
    if not validator.check_fields(file, raw, _SOURCE_FIELDS, source_id, prefix="sources."):
        return None
    values = {key: validator.text(file, raw, key, source_id, prefix="sources.", required=required)
              for key, required in _SOURCE_FIELDS.items()}
    if not all(values[key] for key, required in _SOURCE_FIELDS.items() if required):
        return None
    if values["id"] in known:
        validator.report(file, raw.key_lines["id"], source_id, "sources.id", "duplicate source id")
        return None
    text_path = (file.parent / values["file"]).resolve()
    try:
        text = text_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        validator.report(file, raw.key_lines["file"], source_id, "sources.file", f"cannot read source text: {error}")
        return None
    return Source(id=values["id"], path=text_path, title=values["title"], kind=values["kind"], text=text,
                  published_under=values["published_under"], note=values["note"])


def _parse_entry(validator: _Validator, file: Path, raw: Any, sources: dict[str, Source]) -> Entry | None:
    entry_id = raw.get("id") if isinstance(raw, _Mapping) and isinstance(raw.get("id"), str) else None
    if not validator.check_fields(file, raw, _ENTRY_FIELDS, entry_id):
        return None
    problems_before = len(validator.problems)

    if entry_id is not None and not ENTRY_ID_PATTERN.match(entry_id):
        validator.report(file, raw.key_lines["id"], entry_id, "id",
                         "must be lower-case letters, digits and '-', at most 48 characters")
    elif "id" in raw and entry_id is None:
        validator.report(file, raw.key_lines["id"], None, "id", "must be a text")
    kind = validator.text(file, raw, "kind", entry_id)
    if kind and kind not in ENTRY_KINDS:
        validator.report(file, raw.key_lines["kind"], entry_id, "kind", f"unknown kind '{kind}' (allowed: {', '.join(ENTRY_KINDS)})")
    title = validator.text(file, raw, "title", entry_id)
    quote = validator.text(file, raw, "quote", entry_id)
    answer = validator.text(file, raw, "answer", entry_id, required=False)
    related = validator.text_list(file, raw, "related", entry_id)
    title_i18n = _translations(validator, file, raw, "title_i18n", entry_id)
    answer_i18n = _translations(validator, file, raw, "answer_i18n", entry_id)
    quote_i18n = _translations(validator, file, raw, "quote_i18n", entry_id)
    for language in TRANSLATED if "quote_i18n" in raw and isinstance(raw["quote_i18n"], _Mapping) else ():
        if language not in raw["quote_i18n"]:
            validator.report(file, raw.key_lines["quote_i18n"], entry_id, f"quote_i18n.{language}",
                             "the quote has no translation in this language")
    if answer_i18n and not answer:
        validator.report(file, raw.key_lines["answer_i18n"], entry_id, "answer_i18n", "translations need an English 'answer'")
    gives = validator.text_list(file, raw, "gives", entry_id)
    for kind_given in gives:
        if kind_given.split(":", 1)[0] not in DETAIL_KINDS:
            validator.report(file, raw.key_lines["gives"], entry_id, "gives",
                             f"unknown kind of detail '{kind_given}' (allowed: {', '.join(DETAIL_KINDS)})")
    questions = validator.by_language(file, raw, "questions", entry_id or "?")
    keywords = validator.by_language(file, raw, "keywords", entry_id or "?")
    if "questions" in raw and not questions.get("en"):
        validator.report(file, raw.key_lines["questions"], entry_id, "questions.en", "at least one English question is required")

    citation = None
    if "citation" in raw and validator.check_fields(file, raw["citation"], _CITATION_FIELDS, entry_id, prefix="citation."):
        cited = raw["citation"]
        source_id = validator.text(file, cited, "source", entry_id, prefix="citation.")
        section = validator.text(file, cited, "section", entry_id, prefix="citation.")
        source = sources.get(source_id)
        if source_id and source is None:
            validator.report(file, cited.key_lines["source"], entry_id, "citation.source", f"unknown source '{source_id}'")
        if source and section:
            citation = Citation(source=source, section=section)
            if quote and not validator.in_source(quote, source):
                validator.report(file, raw.key_lines["quote"], entry_id, "quote",
                                 f"not an exact substring of {source.path.name}{_nearest_hint(quote, source.text)}")

    agreement = None
    if kind == "agreement" and "agreement" not in raw:
        validator.report(file, raw.line, entry_id, "agreement", "entries of kind 'agreement' need an agreement block")
    if "agreement" in raw:
        if kind and kind != "agreement":
            validator.report(file, raw.key_lines["agreement"], entry_id, "agreement", "only entries of kind 'agreement' have this block")
        agreement = _parse_agreement(validator, file, raw["agreement"], entry_id, citation)

    if len(validator.problems) > problems_before or citation is None or entry_id is None:
        return None
    return Entry(id=entry_id, kind=kind, title=title, quote=quote, citation=citation, answer=answer,
                 questions=questions, keywords=keywords, related=related, agreement=agreement,
                 title_i18n=title_i18n, answer_i18n=answer_i18n, quote_i18n=quote_i18n, gives=gives)


def _translations(validator: _Validator, file: Path, raw: _Mapping, key: str, entry_id: str | None) -> dict[str, str]:
    """Our own words in other languages: {ru: ..., az: ..., uz: ...} (English is the main field)."""
    value = raw.get(key)
    if value is None:
        return {}
    if not isinstance(value, _Mapping):
        validator.report(file, raw.key_lines[key], entry_id, key, "must map a language (ru, az, uz) to a text")
        return {}
    result = {}
    for language, text in value.items():
        if language not in LANGUAGES or language == "en":
            validator.report(file, value.key_lines[str(language)], entry_id, f"{key}.{language}",
                             "unknown language (allowed: ru, az, uz; English is the main field)")
        elif not isinstance(text, str) or not text.strip():
            validator.report(file, value.key_lines[str(language)], entry_id, f"{key}.{language}", "must be a non-empty text")
        else:
            result[language] = text
    return result


def _parse_agreement(validator: _Validator, file: Path, raw: Any, entry_id: str | None, citation: Citation | None) -> Agreement | None:
    if not validator.check_fields(file, raw, _AGREEMENT_FIELDS, entry_id, prefix="agreement."):
        return None
    title = validator.text(file, raw, "title", entry_id, prefix="agreement.")
    kind = validator.text(file, raw, "kind", entry_id, prefix="agreement.")
    if kind and kind not in AGREEMENT_KINDS:
        validator.report(file, raw.key_lines["kind"], entry_id, "agreement.kind",
                         f"unknown kind '{kind}' (allowed: {', '.join(AGREEMENT_KINDS)})")
    parties = validator.text_list(file, raw, "parties", entry_id, prefix="agreement.")
    if "parties" in raw and len(parties) < 2:
        validator.report(file, raw.key_lines["parties"], entry_id, "agreement.parties", "an agreement needs at least two parties")
    date = _parse_date(raw.get("date"))
    if "date" in raw and date is None:
        validator.report(file, raw.key_lines["date"], entry_id, "agreement.date", f"not an ISO date (YYYY-MM-DD): {raw['date']!r}")
    if title and citation and not validator.in_source(title, citation.source):
        validator.report(file, raw.key_lines["title"], entry_id, "agreement.title",
                         f"not an exact substring of {citation.source.path.name}")
    if not (title and kind in AGREEMENT_KINDS and len(parties) >= 2 and date):
        return None
    return Agreement(title=title, kind=kind, parties=parties, date=date)


def _parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _nearest_hint(quote: str, text: str) -> str:
    """Point at the first character where the quote stops matching the source."""
    best = 0
    for length in range(len(quote), 0, -1):
        if quote[:length] in text:
            best = length
            break
    if best == 0:
        return " (not even its first character occurs)"
    return f" (matches up to character {best}: ...{quote[max(0, best - 30):best]!r} then {quote[best:best + 20]!r})"


_WORD = re.compile(r"[^\W_]+(?:['‘’ʻʼ`][^\W_]+)*")
_NUMBER = re.compile(r"\d+")


def _names_in(text: str, concepts: list[Concept]) -> set[str]:
    """The countries and proper names (lexicon concepts marked signal or proper) a text mentions."""
    words = [re.sub(r"['‘’ʻʼ`]", "'", word) for word in _WORD.findall(text.lower())]
    found = set()
    for concept in concepts:
        if not (concept.signal or concept.proper):
            continue
        for form in concept.forms:
            stem = form.lower().rstrip("*")
            if any(word.startswith(stem) if form.endswith("*") else word == stem for word in words):
                found.add(concept.name)
                break
    return found


def translation_problems(original: str, translation: str, concepts: list[Concept]) -> list[str]:
    """What a translation lost: a number or date, a country or proper name, or much of its length."""
    problems = []
    missing_numbers = sorted(set(_NUMBER.findall(original)) - set(_NUMBER.findall(translation)), key=int)
    if missing_numbers:
        problems.append(f"the translation drops {', '.join(missing_numbers)} (a number or date of the quote)")
    missing_names = sorted(_names_in(original, concepts) - _names_in(translation, concepts))
    if missing_names:
        problems.append(f"the translation drops {', '.join(missing_names)} (named in the quote; forms in the lexicon)")
    ratio = len(translation) / max(1, len(original))
    if not TRANSLATION_LENGTH[0] <= ratio <= TRANSLATION_LENGTH[1]:
        problems.append(f"the translation is {ratio:.1f}x the quote's length: something is lost or added")
    return problems


def _parse_concepts(validator: _Validator, file: Path, data: _Mapping) -> list[Concept]:
    raw_concepts = data.get("concepts")
    if raw_concepts is None:
        return []
    if not isinstance(raw_concepts, _Mapping):
        validator.report(file, data.key_lines["concepts"], None, "concepts", "must map a concept name to its forms")
        return []
    concepts = []
    for name, raw in raw_concepts.items():
        where = f"concepts.{name}."
        if not validator.check_fields(file, raw, _CONCEPT_FIELDS, None, prefix=where):
            continue
        forms = validator.text_list(file, raw, "forms", None, prefix=where)
        for flag in ("signal", "proper"):
            if not isinstance(raw.get(flag, False), bool):
                validator.report(file, raw.key_lines[flag], None, where + flag, "must be true or false")
        signal, proper = raw.get("signal") is True, raw.get("proper") is True
        asks = raw.get("asks", "")
        if asks and asks not in DETAIL_KINDS:
            validator.report(file, raw.key_lines["asks"], None, where + "asks",
                             f"unknown kind of detail '{asks}' (allowed: {', '.join(DETAIL_KINDS)})")
            asks = ""
        if forms:
            concepts.append(Concept(name=str(name), forms=forms, signal=signal, proper=proper, asks=asks))
    return concepts


def _parse_word_lists(validator: _Validator, file: Path, data: _Mapping, key: str,
                      allowed: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """A top-level mapping of a name (a language, or a kind of small talk) to a list of words."""
    raw = data.get(key)
    if raw is None:
        return {}
    if not isinstance(raw, _Mapping):
        validator.report(file, data.key_lines[key], None, key, f"must map a name ({', '.join(allowed)}) to a list")
        return {}
    result = {}
    for name in raw:
        if name not in allowed:
            validator.report(file, raw.key_lines[str(name)], None, f"{key}.{name}",
                             f"unknown name (allowed: {', '.join(allowed)})")
            continue
        words = raw[name]
        if not isinstance(words, list):
            validator.report(file, raw.key_lines[str(name)], None, f"{key}.{name}", "must be a list")
            continue
        result[str(name)] = tuple(str(word) for word in words)
    return result
