"""Loading a knowledge-base folder: YAML read with the line of every key, validated by the model.

Every problem names the file, the line, the entry and the field, and all of them are
reported at once: pydantic's errors carry the path of the field (``loc``), and the
YAML's own marks give the line of each key on that path.
"""

from __future__ import annotations

import gc
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from bot.knowledge.model import (
    LANGUAGES, Agreement, Citation, Concept, Document, Entry, KnowledgeBase, KnowledgeError, Problem, Source,
)

TRANSLATION_LENGTH = (0.6, 2.0)  # a translation far shorter or longer than this (x the quote) has lost or gained text
RECORDS: dict[str, type[BaseModel]] = {"sources": Source, "entries": Entry, "concepts": Concept,
                                       "citation": Citation, "agreement": Agreement}
WORDS_BY = {"questions": "language", "keywords": "language", "stopwords": "name", "filler": "name",
            "suffixes": "name", "smalltalk": "name"}  # how today's messages name a map's keys
_SOURCES = TypeAdapter(list[Source])


# --------------------------------------------------------------------------- YAML with lines


class _Mapping(dict):
    """A dict that remembers the line of itself and of each of its keys."""

    line: int = 0
    key_lines: dict[str, int]


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """SafeLoader (libyaml's when available) that records line numbers and rejects duplicate keys."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _Mapping:
    loader.flatten_mapping(node)
    mapping = _Mapping()
    mapping.line, mapping.key_lines = node.start_mark.line + 1, {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise yaml.MarkedYAMLError(None, None, f"duplicate key '{key}'", key_node.start_mark)
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


def _read_yaml(path: Path, problems: list[Problem]) -> _Mapping | None:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)  # noqa: S506 - a SafeLoader
    except (OSError, UnicodeDecodeError) as error:
        problems.append(Problem(str(path), 0, None, None, f"cannot read file: {error}"))
        return None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problems.append(Problem(str(path), mark.line + 1 if mark else 0, None, None,
                                f"invalid YAML: {error.problem or error.context}"))
        return None
    except yaml.YAMLError as error:
        problems.append(Problem(str(path), 0, None, None, f"invalid YAML: {error}"))
        return None
    if data is None:
        return _Mapping()
    if not isinstance(data, _Mapping):
        problems.append(Problem(str(path), 1, None, None,
                                f"top level must be a mapping with keys {', '.join(Document.model_fields)}"))
        return None
    return data


# --------------------------------------------------------------------------- errors -> problems


def _line(data: Any, path: tuple[Any, ...]) -> int:
    """The line of the deepest key of ``path`` that the YAML has (a missing field: its record's line)."""
    node, line = data, getattr(data, "line", 0)
    for key in path:
        if isinstance(node, _Mapping) and key in node:
            line, node = node.key_lines[str(key)], node[key]
        elif isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
            node = node[key]
            line = getattr(node, "line", line)
        else:
            break
    return line


def _allowed(error: ErrorDetails) -> str:
    """pydantic's "'a', 'b' or 'c'" as "a, b, c"."""
    return ", ".join(part for part in re.split(r"'(?:, | or )?'?|, | or ", error["ctx"]["expected"]) if part)


def _message(error: ErrorDetails, loc: tuple[Any, ...]) -> str:
    """Today's wording for pydantic's kinds of error."""
    kind, names = error["type"], [part for part in loc if isinstance(part, str) and part != "[key]"]
    parent = names[-2] if len(names) > 1 else ""
    if kind == "rule":
        return error["msg"]
    if kind == "missing":
        return "missing required field"
    if kind == "extra_forbidden":
        if len(loc) == 1:
            return f"unknown top-level key (allowed: {', '.join(Document.model_fields)})"
        record = next((RECORDS[name] for name in reversed(names[:-1]) if name in RECORDS), Entry)
        shown = [name for name, info in record.model_fields.items() if not info.exclude]
        return f"unknown field (allowed: {', '.join(shown)})"
    if kind == "literal_error" and "[key]" in loc:  # a key of a map: a language, or a kind of small talk
        if names[-2].endswith("_i18n"):
            return "unknown language (allowed: ru, az, uz; English is the main field)"
        return f"unknown {WORDS_BY.get(names[-2], 'language')} (allowed: {_allowed(error)})"
    if kind == "literal_error" and isinstance(error["input"], str):
        return f"unknown {'kind of detail' if names[-1] == 'asks' else 'kind'} '{error['input']}' (allowed: {_allowed(error)})"
    if kind == "literal_error":
        return "must be a non-empty text"
    if kind.startswith("date_"):
        return f"not an ISO date (YYYY-MM-DD): {error['input']!r}"
    if kind == "bool_type":
        return "must be true or false"
    if kind == "too_short" and names[-1] == "parties":
        return "an agreement needs at least two parties"
    if kind in ("model_type", "model_attributes_type"):
        return "expected a mapping of fields"
    if kind == "dict_type":
        if names[-1] == "concepts":
            return "must map a concept name to its forms"
        what = "a text" if names[-1].endswith("_i18n") else "a list"
        return f"must map a {WORDS_BY.get(names[-1], 'language')} ({', '.join(LANGUAGES)}) to {what}"
    if kind in ("string_type", "string_pattern_mismatch", "too_short", "tuple_type", "list_type"):
        listed = isinstance(loc[-1], int) or kind in ("tuple_type", "too_short") or parent in WORDS_BY
        if kind == "list_type" or (kind == "tuple_type" and names[-1] in ("sources", "entries")):
            return "must be a list"
        return "must be a list of non-empty texts" if listed else "must be a non-empty text"
    return error["msg"]


def _problems(file: Path, data: _Mapping, error: ValidationError, prefix: tuple[Any, ...] = ()) -> list[Problem]:
    """One Problem per pydantic error: the record's id, the field's dotted name, the key's line."""
    problems = []
    for detail in error.errors():
        loc = prefix + tuple(detail["loc"])
        rule_field = (detail.get("ctx") or {}).get("field")
        record_id, field_loc = None, loc
        if len(loc) >= 2 and loc[0] in ("sources", "entries") and isinstance(loc[1], int):
            raw = data[loc[0]][loc[1]] if isinstance(data.get(loc[0]), list) else None
            record_id = raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else None
            field_loc = loc[2:]
            if rule_field:  # a rule of the whole record names its field itself
                field_loc = tuple(rule_field.split("."))
                loc = loc[:2] + field_loc
            field_loc = ("sources", *field_loc) if loc[0] == "sources" else field_loc
        names = [str(part) for part in field_loc if not isinstance(part, int) and part != "[key]"]
        path = tuple(part for part in loc if part != "[key]")
        problems.append(Problem(str(file), _line(data, path), record_id, ".".join(names) or None, _message(detail, loc)))
    return problems


# --------------------------------------------------------------------------- loading

_gc_pauses = 0
_gc_lock = threading.Lock()


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection while a large knowledge base is built.

    Each collection walks every live object, so a load that creates millions of them
    triggers collections whose cost grows with the load itself: at 10,000 entries,
    parsing took twice as long with the collector on. Counted, so overlapping loads
    (a reload in a thread while the CLI checks) turn it back on only when the last ends.
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


def _yaml_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    return sorted(list(path.rglob("*.yaml")) + list(path.rglob("*.yml")))


@paused_gc()
def load_knowledge(path: str | Path) -> KnowledgeBase:
    """Load and validate every YAML file under ``path``; raise KnowledgeError on any problem."""
    root = Path(path)
    files = _yaml_files(root) if root.exists() else []
    if not files:
        raise KnowledgeError([Problem(str(root), 0, None, None, "no knowledge-base YAML files found")])
    problems: list[Problem] = []
    documents = [(file, data) for file in files if (data := _read_yaml(file, problems)) is not None]

    sources: dict[str, Source] = {}  # first, so that an entry may cite a source of any file
    for file, data in documents:
        try:
            for index, source in enumerate(_SOURCES.validate_python(data.get("sources", []),
                                                                    context={"folder": file.parent})):
                if source.id in sources:
                    problems.append(Problem(str(file), _line(data, ("sources", index, "id")), source.id,
                                            "sources.id", "duplicate source id"))
                sources.setdefault(source.id, source)
        except ValidationError as error:
            problems += _problems(file, data, error, prefix=("sources",))

    merged, lexicon_read = Document(), True
    entries: dict[str, tuple[Entry, Path, _Mapping]] = {}
    declared: set[str] = set()  # ids of invalid entries too, so 'related' is judged fairly
    for file, data in documents:
        rest = {key: value for key, value in data.items() if key not in ("sources", "entries")}
        try:
            document = Document.model_validate(rest)
            merged = _merge(merged, document)
        except ValidationError as error:
            problems += _problems(file, data, error)
            lexicon_read = False  # checks against the lexicon would only repeat its problem
        raw_entries = data.get("entries", [])
        if not isinstance(raw_entries, list):
            problems.append(Problem(str(file), _line(data, ("entries",)), None, "entries", "must be a list"))
            continue
        for index, raw in enumerate(raw_entries):
            if isinstance(raw, dict) and isinstance(raw.get("id"), str):
                declared.add(raw["id"])
            try:
                entry = Entry.model_validate(raw, context={"sources": sources})
            except ValidationError as error:
                problems += _problems(file, data, error, prefix=("entries", index))
                continue
            if entry.id in entries:
                first_file, first_raw = entries[entry.id][1:]
                problems.append(Problem(str(file), _line(data, ("entries", index, "id")), entry.id, "id",
                                        f"duplicate id (first defined at {first_file}:{first_raw.line})"))
                continue
            entries[entry.id] = (entry, file, raw)

    concepts = tuple(concept.model_copy(update={"name": name}) for name, concept in merged.concepts.items())
    names_in = _Names(concepts) if lexicon_read else None
    for entry, file, raw in entries.values():
        problems += _cross_checks(entry, file, raw, declared, names_in)
    if not entries and not problems:
        problems.append(Problem(str(root), 0, None, None, "the knowledge base has no entries"))
    if problems:
        raise KnowledgeError(problems)
    return KnowledgeBase(sources=sources, entries=tuple(entry for entry, _, _ in entries.values()), concepts=concepts,
                         stopwords=merged.stopwords, filler=merged.filler, suffixes=merged.suffixes,
                         smalltalk=merged.smalltalk)


def _merge(first: Document, second: Document) -> Document:
    """Two documents' concepts and word lists as one (entries and sources are kept apart)."""
    def join(a: dict[str, tuple[str, ...]], b: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        return {key: a.get(key, ()) + b.get(key, ()) for key in {**a, **b}}

    return Document.model_construct(concepts={**first.concepts, **second.concepts},
                                    **{key: join(getattr(first, key), getattr(second, key))
                                       for key in ("stopwords", "filler", "suffixes", "smalltalk")})


def _cross_checks(entry: Entry, file: Path, raw: _Mapping, declared: set[str], names_in: _Names | None) -> list[Problem]:
    """Rules across records: related ids, the lexicon's concepts in 'gives', what translations keep
    (these last two only when the lexicon itself is valid, else ``names_in`` is None)."""
    def problem(field: str, message: str, *path: str) -> Problem:
        return Problem(str(file), _line(raw, (field, *path)), entry.id, ".".join((field, *path)), message)

    problems = []
    for related_id in entry.related:
        if related_id not in declared:
            problems.append(problem("related", f"unknown entry id '{related_id}'"))
        elif related_id == entry.id:
            problems.append(problem("related", "an entry cannot relate to itself"))
    if names_in is None:
        return problems
    for given in entry.gives:  # "person:visit|aliyev": the qualifiers are concepts of the lexicon
        for name in given.partition(":")[2].split("|") if ":" in given else ():
            if name not in names_in.concepts:
                problems.append(problem("gives", f"unknown concept '{name}' in '{given}' (concepts are listed in the lexicon)"))
    named = names_in(entry.quote)
    for language, translation in entry.quote_i18n.items():
        for message in translation_problems(entry.quote, translation, names_in, named):
            problems.append(problem("quote_i18n", message, language))
    return problems


_WORD = re.compile(r"[^\W_]+(?:['‘’ʻʼ`][^\W_]+)*")
_NUMBER = re.compile(r"\d+")


class _Names:
    """The countries and proper names (lexicon concepts marked signal or proper) a text mentions."""

    def __init__(self, concepts: tuple[Concept, ...]):
        self.concepts = {concept.name for concept in concepts}  # every concept, for 'gives'
        self.exact: dict[str, str] = {}
        self.prefixes: dict[str, str] = {}
        for concept in concepts:
            for form in concept.forms if concept.signal or concept.proper else ():
                table = self.prefixes if form.endswith("*") else self.exact
                table.setdefault(re.sub(r"['‘’ʻʼ`]", "'", form.lower().rstrip("*")), concept.name)
        self.lengths = sorted({len(prefix) for prefix in self.prefixes})
        self.of_word = lru_cache(maxsize=100_000)(self._of_word)  # words repeat across thousands of texts

    def __call__(self, text: str) -> set[str]:
        found: set[str] = set()
        for word in _WORD.findall(re.sub(r"['‘’ʻʼ`]", "'", text.lower())):
            found |= self.of_word(word)
        return found

    def _of_word(self, word: str) -> frozenset[str]:
        found = {self.prefixes[word[:end]] for end in self.lengths if word[:end] in self.prefixes}
        return frozenset(found | {self.exact[word]} if word in self.exact else found)


def translation_problems(original: str, translation: str, names_in: _Names, named: set[str] | None = None) -> list[str]:
    """What a translation lost: a number or date, a country or proper name (``named``: those of the
    original, if known), or much of its length."""
    problems = []
    missing_numbers = sorted(set(_NUMBER.findall(original)) - set(_NUMBER.findall(translation)), key=int)
    if missing_numbers:
        problems.append(f"the translation drops {', '.join(missing_numbers)} (a number or date of the quote)")
    missing_names = sorted((names_in(original) if named is None else named) - names_in(translation))
    if missing_names:
        problems.append(f"the translation drops {', '.join(missing_names)} (named in the quote; forms in the lexicon)")
    ratio = len(translation) / max(1, len(original))
    if not TRANSLATION_LENGTH[0] <= ratio <= TRANSLATION_LENGTH[1]:
        problems.append(f"the translation is {ratio:.1f}x the quote's length: something is lost or added")
    return problems
