"""The index adapter: where the index lives, opening it, building a new one, reading its position.

Layout under ``SEARCH_INDEX_DIR`` (default ``var/search``), one folder per database (its engine,
name, host and port hashed: a SQLite and a PostgreSQL run, or two DATABASE_URLs, never share one):

    <database>/CURRENT        the name of the generation in use (replaced atomically)
    <database>/<generation>/  a Tantivy index
    <database>/applier.lock   held by whoever writes to the index (``search.applier``)

``SEARCH_INDEX_DIR = ":memory:"`` keeps the index in the process's memory (the test suite: each
test gets its own, see ``reset``).

Every process reads through ``searcher()``, which opens the index after a fork (the pid is
checked), registers the tokenizer, and reloads when the applier has committed (meta.json
changed) or a rebuild switched generations (CURRENT changed): a stat of two files per search.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import tantivy
from django.conf import settings
from django.db import connection

from . import schema

MEMORY = ":memory:"
_SCHEMA_SUFFIX = f"-v{schema.SCHEMA_VERSION}"
WRITER_HEAP = 200_000_000


@dataclass(frozen=True)
class Meta:
    identity: str
    position: int  # PostgreSQL: every transaction below this id is applied; SQLite: the last change id applied
    last_change: int  # the highest change id applied (a database whose log ends below it is older than the index)


class Handle:
    """One process's open index: the Tantivy index of the current generation and its reader state."""

    def __init__(self, index: tantivy.Index, generation: str, path: Path | None):
        self.index, self.generation, self.path = index, generation, path
        self.pid = os.getpid()
        self.stamp = _stamp(path)
        self.applied_above: set[int] = set()  # change ids applied whose transactions were still open
        self.validated_at = float("-inf")  # when the applier last confirmed this is the database's index
        self.committed_at = time.monotonic()  # when the applier last committed here
        self.version = 0  # bumped whenever the searcher may see other entries (caches key on it)
        self.cache: dict = {}

    def searcher(self) -> tantivy.Searcher:
        return self.index.searcher()

    def meta(self) -> Meta | None:
        searcher = self.index.searcher()
        hits = searcher.search(tantivy.Query.term_query(self.index.schema, "key", schema.META), 1).hits
        if not hits:
            return None
        entry = searcher.doc(hits[0][1])
        return Meta(entry["identity"][0], entry["position"][0], entry["last_change"][0])

    def refresh(self) -> None:
        """Reload when another process (or a rebuild) committed since this one last looked."""
        if _stamp(self.path) != self.stamp:
            self.reload()

    def reload(self) -> None:
        """Read the last commit from now on; caches keyed on ``version`` are refilled."""
        self.index.reload()
        self.stamp = _stamp(self.path)
        self.version += 1


_lock = threading.RLock()
_handle: Handle | None = None
_memory_lock = threading.Lock()  # the applier lock of an in-memory index


def _stamp(path: Path | None):
    if path is None:
        return None
    try:
        meta = (path / "meta.json").stat()
        return (meta.st_mtime_ns, meta.st_size, meta.st_ino)
    except FileNotFoundError:
        return None


def in_memory() -> bool:
    return str(getattr(settings, "SEARCH_INDEX_DIR", "")) == MEMORY


def database_root() -> Path:
    """This database's folder of index generations."""
    configured = getattr(settings, "SEARCH_INDEX_DIR", None) or Path(settings.VAR_DIR) / "search"
    db = connection.settings_dict
    label = "|".join(str(db.get(key) or "") for key in ("ENGINE", "NAME", "HOST", "PORT"))
    digest = hashlib.sha1(label.encode()).hexdigest()[:10]
    root = Path(configured) / f"{connection.vendor}-{digest}"
    root.mkdir(parents=True, exist_ok=True)
    return root


def _current_generation(root: Path) -> str | None:
    try:
        return (root / "CURRENT").read_text().strip() or None
    except FileNotFoundError:
        return None


def _open(path: Path | None) -> tantivy.Index:
    if path is None:
        index = tantivy.Index(schema.build_schema())
    else:
        path.mkdir(parents=True, exist_ok=True)
        index = tantivy.Index(schema.build_schema(), path=str(path), reuse=True)
    schema.register_tokenizers(index)
    index.config_reader(reload_policy="Manual")
    return index


def handle() -> Handle:
    """This process's index, opened (or re-opened after a fork or a switch of generations) now."""
    global _handle
    with _lock:
        current = _handle
        if current is not None and current.pid == os.getpid():
            if current.path is None:
                return current
            root = current.path.parent
            generation = _current_generation(root)
            if generation == current.generation:
                current.refresh()
                return current
        if in_memory():
            if current is None or current.pid != os.getpid():
                _handle = Handle(_open(None), "memory", None)
            return _handle
        root = database_root()
        generation = _current_generation(root)
        # A generation of another schema version cannot be opened with this schema: start a new one (empty:
        # the applier rebuilds it).
        if generation is None or not (root / generation).is_dir() or not generation.endswith(_SCHEMA_SUFFIX):
            generation = new_generation_name()
            (root / generation).mkdir(parents=True, exist_ok=True)
            _publish(root, generation)
        _handle = Handle(_open(root / generation), generation, root / generation)
        return _handle


def reset() -> None:
    """Forget this process's index (tests: the next use opens a new, empty in-memory one)."""
    global _handle
    with _lock:
        _handle = None


def new_generation_name() -> str:
    return f"{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:6]}-v{schema.SCHEMA_VERSION}"


def _publish(root: Path, generation: str) -> None:
    temporary = root / f".CURRENT.{os.getpid()}.{threading.get_ident()}"
    temporary.write_text(generation)
    os.replace(temporary, root / "CURRENT")


@dataclass
class Build:
    """A new index being built beside the one in use; ``switch`` makes it current for every process."""

    index: tantivy.Index
    generation: str
    path: Path | None

    def writer(self) -> tantivy.IndexWriter:
        # One thread: the same rows give the same segments, and so the same scores, on every build.
        return self.index.writer(WRITER_HEAP, 1)


def start_build() -> Build:
    if in_memory():
        return Build(_open(None), "memory", None)
    root = database_root()
    generation = new_generation_name()
    return Build(_open(root / generation), generation, root / generation)


def switch(build: Build) -> Handle:
    """Make ``build`` the index every process reads, atomically; remove generations no longer used."""
    global _handle
    build.index.reload()
    with _lock:
        if build.path is None:
            _handle = Handle(build.index, build.generation, None)
            return _handle
        root = build.path.parent
        _publish(root, build.generation)
        _handle = Handle(build.index, build.generation, build.path)
    for old in root.iterdir():
        # Processes still reading an old generation keep its files open; Linux frees them when they let go.
        if old.is_dir() and old.name != build.generation:
            shutil.rmtree(old, ignore_errors=True)
    return _handle


@contextlib.contextmanager
def writer_lock(*, blocking: bool):
    """Held by whoever writes to this database's index (one applier at a time, or a rebuild).
    Yields whether it was taken (always, when ``blocking``)."""
    if in_memory():
        taken = _memory_lock.acquire(blocking=blocking)
        try:
            yield taken
        finally:
            if taken:
                _memory_lock.release()
        return
    path = database_root() / "applier.lock"
    with path.open("a") as file:  # a file of its own per holder: flock excludes threads of one process too
        try:
            fcntl.flock(file, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(file, fcntl.LOCK_UN)


def size_bytes() -> int:
    """The index's size on disk (0 in memory)."""
    current = handle()
    if current.path is None:
        return 0
    return sum(path.stat().st_size for path in current.path.rglob("*") if path.is_file())
