"""Synthetic knowledge bases shaped like the real one, for scale benchmarks.

``write_synthetic_kb(folder, size)`` writes a valid knowledge base of ``size``
entries: one YAML file and one source text (a document) per 1,000 entries,
titles, quotes and alternates in four languages built from the real entries with
made-up names (countries, projects, cities) so the vocabulary grows with the size
as it would with real documents. The real lexicon is copied along.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SYLLABLES = ["ka", "zan", "tur", "bek", "ist", "an", "or", "mir", "sha", "dor", "gul", "tash", "ko", "rin",
             "bad", "ar", "sol", "vet", "nur", "ya", "lik", "om", "qa", "zor", "chi", "ma", "ley", "ros"]
CHUNK = 1000


def made_up_name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def write_synthetic_kb(folder: Path, size: int, seed: int = 7) -> Path:
    """Write a knowledge base of ``size`` entries under ``folder``; return the folder."""
    rng = random.Random(seed)
    real = yaml.safe_load((ROOT / "knowledge" / "azerbaijan-uzbekistan.yaml").read_text(encoding="utf-8"))
    templates = [entry for entry in real["entries"] if entry["kind"] != "agreement"]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sources").mkdir(exist_ok=True)
    shutil.copy(ROOT / "knowledge" / "lexicon.yaml", folder / "lexicon.yaml")

    quotes: list[str] = []
    chunks: list[list[dict]] = []
    for number in range(size):
        template = templates[number % len(templates)]
        name, place, project = made_up_name(rng), made_up_name(rng), made_up_name(rng)
        year = rng.randint(1992, 2030)

        def swap(text: str) -> str:
            return (text.replace("Uzbekistan", name).replace("Узбекистан", name).replace("Özbəkistan", name)
                    .replace("O'zbekiston", name).replace("Zangezur", project).replace("Зангезур", project)
                    .replace("Central Asia", f"{place} region").replace("2024", str(year)))

        quote = f"{swap(template['quote'].split('.')[0])} near {place} in {year} ({number})."
        quotes.append(quote)
        entry = {
            "id": f"e{number}-{template['id']}"[:48],
            "kind": template["kind"],
            "title": f"{swap(template['title'])}: {name} and {project}",
            "quote": quote,
            "quote_i18n": {language: f"({language}) {quote}" for language in ("ru", "az", "uz")},  # as long, same names
            "citation": {"source": f"synthetic-{number // CHUNK}", "section": f"Section {number // 10}"},
            "questions": {language: [swap(question) + f" {name}" for question in questions[:2]]
                          for language, questions in template["questions"].items()},
            "keywords": {language: [f"{name} {project}"] + [swap(k) for k in keywords[:1]]
                         for language, keywords in template["keywords"].items()},
            "related": [],
        }
        if number % CHUNK == 0:
            chunks.append([])
        chunks[-1].append(entry)

    for index, entries in enumerate(chunks):
        text = "\n\n".join(quotes[index * CHUNK:(index + 1) * CHUNK])
        (folder / "sources" / f"synthetic-{index:04d}.txt").write_text(text, encoding="utf-8")
        document: dict = {"sources": [{"id": f"synthetic-{index}", "file": f"sources/synthetic-{index:04d}.txt",
                                       "title": f"Synthetic document {index}", "kind": "corpus"}],
                          "entries": entries}
        with open(folder / f"synthetic-{index:04d}.yaml", "w", encoding="utf-8") as handle:
            yaml.safe_dump(document, handle, allow_unicode=True, sort_keys=False, width=1000)
    return folder
