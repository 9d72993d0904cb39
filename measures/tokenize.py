"""Chinese text → search/classification tokens, as pure functions.

Text is normalised first (NFKC folds full-width letters and digits, OpenCC
``t2s`` folds traditional to simplified, Latin is lower-cased), then segmented
by jieba with the policy-term dictionary in ``measures/dictionaries/``.

The segmenter is ``jieba_fast_dat``: jieba's dictionary, DAG/route and HMM
algorithms in C++ over a double-array trie, with jieba's API. It segments about
1.3M characters per second per core against jieba's ~0.22M, which is what lets
an import of 115k measures finish in minutes; its tokens match jieba's except
that numbers are kept (20% → 20) and a few unknown-word runs join differently
(前海, 外包), both for the better here.

``index_tokens`` adds every dictionary sub-word of two or more characters of a
token, so 跨境电子商务 is also found by 电子商务 (``cut_for_search`` alone does
not give it). Query text is segmented with plain ``cut`` (``query_tokens``).

The segmenter is initialised once per process, lazily and under a lock (or at
start-up with ``warm_up``); its dictionary is not thread-safe while it loads.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import jieba_fast_dat
import opencc
from jieba_fast_dat.utils import CacheManager

ANALYZER_VERSION = "2"  # bump when the dictionary or the rules change: stored tokens must be rebuilt
USER_DICTIONARY = Path(__file__).resolve().parent / "dictionaries" / "policy_terms.txt"

_WORD_RE = re.compile(r"[0-9a-z]+(?:[.\-][0-9a-z]+)*|[\u3400-\u9fff]+")
_lock = threading.Lock()
_tokenizer: jieba_fast_dat.Tokenizer | None = None
_converter = opencc.OpenCC("t2s")


def _get_tokenizer() -> jieba_fast_dat.Tokenizer:
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                from django.conf import settings

                # Its dictionary caches go to a folder the app owns, not a shared /tmp.
                # Outside Django (the evaluation scripts) the project's own var/ is that folder too.
                default = Path(__file__).resolve().parents[1] / "var"
                cache_dir = Path(getattr(settings, "VAR_DIR", default)) if settings.configured else default
                CacheManager.TMP_DIR = cache_dir / "jieba"
                CacheManager.ensure_tmp_dir()
                logging.getLogger("jieba_fast_dat").setLevel(logging.WARNING)
                tokenizer = jieba_fast_dat.Tokenizer()
                tokenizer.initialize()
                tokenizer.load_userdict(str(USER_DICTIONARY))
                _tokenizer = tokenizer
    return _tokenizer


def warm_up() -> None:
    """Load the dictionary now (start-up, or before forking import workers) instead of on first use."""
    _get_tokenizer()


def segment(text: str) -> list[str]:
    """``text`` cut into words as written (not normalised), every character kept: for showing differences."""
    words = list(_get_tokenizer().cut(text))
    return words if "".join(words) == text else list(text)


def normalise(text: str) -> str:
    """Fold width, traditional characters and case so text and queries compare equal."""
    return _converter.convert(unicodedata.normalize("NFKC", text)).lower()


def _is_word(token: str) -> bool:
    return bool(_WORD_RE.fullmatch(token))


def query_tokens(text: str) -> list[str]:
    """Tokens of a query: plain segmentation, punctuation and spaces dropped."""
    tokenizer = _get_tokenizer()
    return [token for token in tokenizer.cut(normalise(text)) if _is_word(token)]


def index_tokens(text: str) -> list[str]:
    """Tokens to index: each word, plus its dictionary sub-words of 2+ characters."""
    return list(_index_tokens(text))


@lru_cache(maxsize=2048)
def _index_tokens(text: str) -> tuple[str, ...]:
    # Cached: one write classifies and then indexes the same title and text, segmenting each twice.
    tokenizer = _get_tokenizer()
    frequency = tokenizer.get_freq
    tokens: list[str] = []
    for token in tokenizer.cut(normalise(text)):
        if not _is_word(token):
            continue
        tokens.append(token)
        if len(token) > 2 and not token.isascii():
            tokens.extend(_sub_words(token, frequency))
    return tuple(tokens)


def _sub_words(token: str, frequency: Callable[[str], int]) -> list[str]:
    found = []
    for size in range(2, len(token)):
        for start in range(len(token) - size + 1):
            part = token[start : start + size]
            if frequency(part):
                found.append(part)
    return found


@lru_cache(maxsize=4096)
def keyword_tokens(keyword: str) -> tuple[str, ...]:
    """How a theme keyword segments, so it can be matched against index tokens."""
    return tuple(query_tokens(keyword))


def decompound(token: str) -> list[str]:
    """Split a compound token into dictionary words of 2+ characters covering it (人才培养 → 人才 培养).

    Greedy longest match from the left; a token that cannot be covered entirely stays whole.
    Queries use this so a measure saying 培养……人才 still matches 人才培养, ranked below exact ones.
    """
    if len(token) < 4 or token.isascii():
        return [token]
    frequency = _get_tokenizer().get_freq
    parts, start = [], 0
    while start < len(token):
        for end in range(len(token) - (start == 0), start + 1, -1):  # never the whole token itself
            if frequency(token[start:end]):
                parts.append(token[start:end])
                start = end
                break
        else:
            return [token]
    return parts
