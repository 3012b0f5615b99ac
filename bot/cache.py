"""A compiled copy of the knowledge base and its index, for fast restarts.

Loading and indexing YAML is the slow part of start-up (about a minute for
100,000 entries). After a successful load the bot writes the validated knowledge
base and its index to DATA_DIR/cache; the next start with the same files and the
same code reads that copy instead. Any change to a file under the knowledge-base
folder, or to the engine's code, gives a different fingerprint and a fresh load.
The cache only ever holds what the bot itself validated and wrote.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from bot.knowledge import paused_gc

if TYPE_CHECKING:
    from bot.dialog import Knowledge

log = logging.getLogger(__name__)
FORMAT = 1  # bump when the pickled layout changes in a way the code hash would not show
ENGINE_FILES = ("knowledge.py", "normalize.py", "search.py", "cache.py")


def fingerprint(path: Path) -> str:
    """A hash of every file under the knowledge-base folder and of the engine's code."""
    digest = hashlib.sha256(f"format {FORMAT}".encode())
    engine = Path(__file__).resolve().parent
    for name in ENGINE_FILES:
        digest.update((engine / name).read_bytes())
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    for file in files:
        digest.update(str(file.relative_to(path.parent if path.is_file() else path)).encode() + b"\0")
        digest.update(file.read_bytes())
    return digest.hexdigest()[:32]


def cache_file(path: Path, cache_dir: Path) -> Path:
    """Where the compiled copy of the knowledge base at ``path``, as it is now, belongs."""
    return cache_dir / f"knowledge-{fingerprint(path)}.pickle"


def load_cached(path: Path, cache_dir: Path, build: callable) -> Knowledge:  # type: ignore[valid-type]
    """The cached Knowledge for ``path`` if it is current, else ``build()`` and cache that."""
    cached = cache_file(path, cache_dir)
    try:
        with cached.open("rb") as handle:
            with paused_gc():  # millions of small objects: collecting while loading would triple the time
                knowledge = pickle.load(handle)  # noqa: S301 - written by this program into its own data folder
        log.info("knowledge base loaded from cache %s", cached.name)
        return knowledge
    except FileNotFoundError:
        pass
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError) as error:
        log.warning("ignoring unreadable cache %s: %s", cached, error)
    knowledge = build()  # raises KnowledgeError on an invalid knowledge base: nothing is cached
    try:
        write_cache(cached, knowledge)
    except OSError as error:
        log.warning("cannot write the knowledge cache in %s: %s", cache_dir, error)
    return knowledge


def write_cache(cached: Path, knowledge: Knowledge) -> None:
    """Write ``knowledge`` to ``cached`` atomically and remove older copies beside it."""
    cached.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=cached.parent, delete=False, suffix=".tmp") as handle:
        pickle.dump(knowledge, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(handle.name, cached)
    for old in cached.parent.glob("knowledge-*.pickle"):
        if old != cached:
            old.unlink(missing_ok=True)
