"""Word knowledge per language: lower-case lemma lookup and "is this a word" for compound splitting."""

from __future__ import annotations

import threading
from functools import lru_cache

_lock = threading.Lock()


class Lexicon:
    """The shared pipeline's tokenizer and lemma table, looked up on lower-case forms.

    spaCy's lookup lemmatizer is case-sensitive ("Chefen" is not in the table), so every
    lookup here goes through the lower-case form; results are cached per word type.
    """

    def __init__(self, language: str):
        from qualcode.nlp import get_nlp

        self.language = language
        self.nlp = get_nlp(language)
        self.vocab = self.nlp.vocab
        self.table = self.nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
        self._lemmas: dict[str, str] = {}
        self._words: set[str] | None = None

    def lemma(self, lower: str) -> str:
        found = self._lemmas.get(lower)
        if found is None:
            value = self.table.get(lower)
            found = value if isinstance(value, str) and value else lower
            self._lemmas[lower] = found
        return found

    def keys(self, word: str) -> tuple[str, ...]:
        """The forms a token must have as its lemma to match `word`: itself and its lemma."""
        word = word.lower()
        lemma = self.lemma(word)
        return (word,) if lemma == word else (word, lemma)

    def is_word(self, text: str) -> bool:
        """A form the lemma table knows, either as an inflected form or as a lemma."""
        if self._words is None:
            with _lock:
                if self._words is None:
                    self._words = {v for v in self.table.values() if isinstance(v, str)}
        return text in self._words or text in self.table


@lru_cache(maxsize=None)
def get_lexicon(language: str) -> Lexicon:
    """One Lexicon per (process, language), like the pipeline it wraps."""
    with _lock:
        return Lexicon(language)
