"""The knowledge base's model: one pydantic definition per YAML record, used as loaded.

The same classes validate the YAML (``extra="forbid"``, ``Literal`` kinds, non-empty
texts, per-language maps, cross-field rules) and are what the rest of the bot reads,
and ``knowledge/schema.json`` is generated from them, so the format has one source of
truth. Rules that need more than one record (a quote in its source, a related id, a
concept named by ``gives``) read the other records from the validation context.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PlainValidator, PrivateAttr, StrictBool,
                      StringConstraints, ValidationInfo, WithJsonSchema, field_validator, model_validator)
from pydantic_core import PydanticCustomError

from bot.knowledge.uzbek_script import to_cyrillic

LANGUAGES = ("en", "ru", "az", "uz")
TRANSLATED = ("ru", "az", "uz")  # our own texts and every quote have a translation into each
UZ_CYRILLIC = "uz-Cyrl"  # Uzbek shown in Cyrillic: the Uzbek (Latin) texts, transliterated by bot.knowledge.uzbek_script
ENTRY_KINDS = ("treaty", "overview", "area", "outcome", "agreement", "strategy", "conclusion", "source")
AGREEMENT_KINDS = ("treaty", "declaration")
# Kinds of detail a question can ask for ("who", "when", "how much"...) and a passage can give.
DETAIL_KINDS = ("date", "person", "place", "city", "amount", "name", "status", "link", "text", "travel")
SMALLTALK_KINDS = ("greeting", "thanks", "ok", "who_are_you", "what_else", "bye")
# Entry ids travel in Telegram callback_data (at most 64 bytes) with a short prefix.
ENTRY_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,47}$")

Language = Literal["en", "ru", "az", "uz"]
Translated = Literal["ru", "az", "uz"]
Text = Annotated[str, StringConstraints(pattern=r"\S")]  # a non-empty text
Texts = tuple[Text, ...]


def rule(message: str, **context: Any) -> PydanticCustomError:
    """A validation error whose message is ours, word for word (see loading.MESSAGES for pydantic's own)."""
    return PydanticCustomError("rule", message, context or None)  # type: ignore[arg-type]


def _entry_id(value: str) -> str:
    if not ENTRY_ID_PATTERN.match(value):
        raise rule("must be lower-case letters, digits and '-', at most 48 characters")
    return value


def _detail(value: str) -> str:
    if value.split(":", 1)[0] not in DETAIL_KINDS:
        raise rule(f"unknown kind of detail '{value}' (allowed: {', '.join(DETAIL_KINDS)})")
    return value


class Record(BaseModel):
    """Every record: unknown fields are errors, and nothing changes once loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Record):
    """A document the knowledge base quotes from (its text is read from ``file``, beside the YAML)."""

    id: Text
    file: Text
    title: Text
    kind: Text
    published_under: str = ""
    note: str = ""
    _path: Path = PrivateAttr(default=Path())
    _text: str = PrivateAttr(default="")

    @property
    def path(self) -> Path:
        return self._path

    @property
    def text(self) -> str:
        return self._text

    @model_validator(mode="after")
    def _read_text(self, info: ValidationInfo) -> Source:
        path = ((info.context or {}).get("folder", Path()) / self.file).resolve()
        try:
            self._text, self._path = path.read_text(encoding="utf-8"), path
        except (OSError, UnicodeDecodeError) as error:
            raise rule(f"cannot read source text: {error}", field="file") from None
        return self


def _source_by_id(value: Any, info: ValidationInfo) -> Any:
    """citation.source is written as a source id and read as the Source it names."""
    sources: dict[str, Source] = (info.context or {}).get("sources", {})
    if not isinstance(value, str) or not value.strip():
        raise rule("must be a non-empty text")
    if value not in sources:
        raise rule(f"unknown source '{value}'")
    return sources[value]


class Citation(Record):
    source: Annotated[Source, PlainValidator(_source_by_id), WithJsonSchema({"type": "string",
                                                                               "description": "a source id"})]
    section: Text


class Agreement(Record):
    """Structured facts about one agreement, as the source states them."""

    title: Text
    kind: Literal["treaty", "declaration"]
    parties: Annotated[Texts, Field(min_length=2)]
    date: Annotated[dt.date, BeforeValidator(lambda value: value if isinstance(value, dt.date)
                                             and not isinstance(value, dt.datetime) else str(value))]


class Entry(Record):
    """One passage the bot can answer with, quoted verbatim from its source.

    The order of the fields is the order of validation: a rule reads the fields above it.
    """

    id: Annotated[str, AfterValidator(_entry_id)]
    kind: Literal["treaty", "overview", "area", "outcome", "agreement", "strategy", "conclusion", "source"]
    title: Text
    citation: Citation
    quote: Text
    quote_i18n: dict[Translated, Text]  # unofficial translations of the quote, one per language
    answer: str = ""
    title_i18n: dict[Translated, Text] = {}   # the title in ru, az, uz
    answer_i18n: dict[Translated, Text] = {}  # the answer line in ru, az, uz
    questions: dict[Language, Texts] = {}
    keywords: dict[Language, Texts] = {}
    related: Texts = ()
    agreement: Agreement | None = None
    gives: tuple[Annotated[str, AfterValidator(_detail)], ...] = ()  # kinds of detail stated, or "kind:concept|..."

    @field_validator("quote")
    @classmethod
    def _quote_is_in_its_source(cls, quote: str, info: ValidationInfo) -> str:
        citation = info.data.get("citation")
        if citation is not None and quote not in citation.source.text:
            raise rule(f"not an exact substring of {citation.source.path.name}{_nearest_hint(quote, citation.source.text)}")
        return quote

    @field_validator("quote_i18n")
    @classmethod
    def _every_language(cls, translations: dict[str, str]) -> dict[str, str]:
        missing = [language for language in TRANSLATED if language not in translations]
        if missing:
            raise rule("the quote has no translation in this language", field=f"quote_i18n.{missing[0]}")
        return translations

    @field_validator("answer_i18n")
    @classmethod
    def _needs_answer(cls, translations: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        if translations and not info.data.get("answer"):
            raise rule("translations need an English 'answer'")
        return translations

    @field_validator("questions")
    @classmethod
    def _english_first(cls, questions: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        if not questions.get("en"):
            raise rule("at least one English question is required", field="questions.en")
        return questions

    @model_validator(mode="after")
    def _agreement_block(self, info: ValidationInfo) -> Entry:
        if self.kind == "agreement" and self.agreement is None:
            raise rule("entries of kind 'agreement' need an agreement block", field="agreement")
        if self.kind != "agreement" and self.agreement is not None:
            raise rule("only entries of kind 'agreement' have this block", field="agreement")
        if self.agreement and self.agreement.title not in self.citation.source.text:
            raise rule(f"not an exact substring of {self.citation.source.path.name}", field="agreement.title")
        return self

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


class Concept(Record):
    """Word forms in several languages that mean one thing (a country, 'treaty')."""

    forms: Annotated[Texts, Field(min_length=1)]
    signal: StrictBool = False  # a word that decides which entry can answer (a country)
    proper: StrictBool = False  # a proper name (Aliyev, Zangezur, a month): translations keep it, as they keep countries
    asks: Literal["date", "person", "place", "city", "amount", "name", "status", "link", "text", "travel", ""] = ""  # a question word: what it asks for
    after: Texts = ()  # ... only right after one of these words: "much" asks an amount in "how much", not in "thanks very much"
    name: Annotated[str, Field(exclude=True), WithJsonSchema({"not": {}})] = ""  # its key in ``concepts``


class Document(Record):
    """One YAML file of the knowledge base; the loader merges them all."""

    sources: list[Source] = []
    entries: list[Entry] = []
    concepts: dict[str, Concept] = {}
    stopwords: dict[Language, Texts] = {}  # words that carry no meaning for search, per language
    filler: dict[Language, Texts] = {}     # chat around a question, per language
    suffixes: dict[Language, Texts] = {}   # endings the matcher takes off words, per language
    smalltalk: dict[Literal["greeting", "thanks", "ok", "who_are_you", "what_else", "bye"], Texts] = {}


def localised(texts: dict[str, str], language: str, english: str) -> str:
    """Our text in ``language`` (Uzbek Cyrillic transliterated from the Uzbek), else the English one."""
    if language == UZ_CYRILLIC:
        return to_cyrillic(texts["uz"]) if texts.get("uz") else english
    return texts.get(language) or english


def format_date(date: dt.date) -> str:
    """'23 August 2024': the unambiguous form used in answers and alternates."""
    return f"{date.day} {date.strftime('%B')} {date.year}"


def _nearest_hint(quote: str, text: str) -> str:
    """Point at the first character where the quote stops matching the source."""
    best = next((length for length in range(len(quote), 0, -1) if quote[:length] in text), 0)
    if best == 0:
        return " (not even its first character occurs)"
    return f" (matches up to character {best}: ...{quote[max(0, best - 30):best]!r} then {quote[best:best + 20]!r})"


@dataclass(frozen=True)
class KnowledgeBase:
    """Every document merged: what the search and the replies read."""

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
