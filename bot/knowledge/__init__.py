"""The knowledge base: its model (``model``) and how a folder of YAML becomes one (``loading``).

A knowledge base is a folder of YAML files. Each file may hold any of these
top-level keys, and the loader merges them across files, so a second document is
added by adding YAML files, never code:

- ``sources``:   the documents quoted (a text file each, relative to the YAML file);
- ``entries``:   the passages the bot answers with;
- ``concepts``:  cross-language word forms (see ``knowledge/lexicon.yaml``);
- ``stopwords``, ``filler``, ``suffixes``: word lists per language for the matcher;
- ``smalltalk``: phrases that are small talk, not questions, by kind (thanks, ok, ...).

``knowledge/schema.json`` is generated from the model (``python -m bot.knowledge``),
so an editor checks and completes fields as a maintainer types.
"""

from bot.knowledge.loading import load_knowledge, paused_gc, translation_problems
from bot.knowledge.model import (
    AGREEMENT_KINDS, DETAIL_KINDS, ENTRY_KINDS, LANGUAGES, SMALLTALK_KINDS, TRANSLATED, UZ_CYRILLIC, Agreement,
    Citation, Concept, Document, Entry, KnowledgeBase, KnowledgeError, Problem, Source, format_date, localised,
)

__all__ = [
    "AGREEMENT_KINDS", "DETAIL_KINDS", "ENTRY_KINDS", "LANGUAGES", "SMALLTALK_KINDS", "TRANSLATED", "UZ_CYRILLIC",
    "Agreement", "Citation", "Concept", "Document", "Entry", "KnowledgeBase", "KnowledgeError", "Problem", "Source",
    "format_date", "load_knowledge", "localised", "paused_gc", "translation_problems",
]
