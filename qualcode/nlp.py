"""One spaCy pipeline per (process, language): blank sv/en, lookup lemmatizer, sentencizer."""

from __future__ import annotations

import threading
from functools import lru_cache

from qualcode.errors import QualcodeError

_lock = threading.Lock()


def check_language(language: str) -> None:
    """A clear error unless spaCy has a blank pipeline and a lemma lookup table for it."""
    import importlib.resources

    try:
        tables = importlib.resources.files("spacy_lookups_data") / "data"
        has_table = (tables / f"{language}_lemma_lookup.json.gz").is_file()
    except ModuleNotFoundError:
        has_table = False
    if not has_table:
        raise QualcodeError(
            f"language '{language}' is not supported: spacy-lookups-data has no lemma lookup table for it (use sv or en)"
        )


@lru_cache(maxsize=None)
def _build(language: str):
    import spacy

    check_language(language)
    nlp = spacy.blank(language)
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    _return_freed_memory()
    return nlp


def _return_freed_memory() -> None:
    """Give the heap freed after loading the lemma table (its parsed JSON, ~20 MB for Swedish)
    back to the system: glibc keeps it otherwise, and the TUI's memory budget is tight."""
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to give back this way
        pass


def get_nlp(language: str):
    """The shared pipeline for `language`, built once per process (thread-safe)."""
    with _lock:
        return _build(language)


def sentence_spans(text: str, language: str) -> list[tuple[int, int]]:
    """Character spans of the sentences in `text`, trimmed of surrounding whitespace."""
    nlp = get_nlp(language)
    with nlp.select_pipes(enable=["sentencizer"]):
        doc = nlp(text)
    spans = []
    for sent in doc.sents:
        start, end = sent.start_char, sent.end_char
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append((start, end))
    return spans
