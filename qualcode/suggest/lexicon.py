"""Word knowledge per language: lower-case lemma lookup and "is this a word" for compound splitting."""

from __future__ import annotations

import threading
from functools import lru_cache

_lock = threading.Lock()


class Lexicon:
    """The shared pipeline's tokenizer and lemma table, looked up on lower-case forms.

    spaCy's lookup lemmatizer is case-sensitive ("Chefen" is not in the table), so every
    lookup here goes through the lower-case form; results are cached per word type.
    The table lacks most Swedish compounds, so an unknown compound is lemmatised by its
    head (`styrgruppen` -> `styrgrupp`, `verksamhetschefer` -> `verksamhetschef`): an
    indicator written as a compound then matches its inflected forms too.
    """

    def __init__(self, language: str):
        from qualcode.nlp import get_nlp

        self.language = language
        self.nlp = get_nlp(language)
        self.vocab = self.nlp.vocab
        self.table = self.nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
        self._lemmas: dict[str, str] = {}
        self._parts: dict[str, tuple[str, ...]] = {}
        self._words: set[str] | None = None

    def lemma(self, lower: str) -> str:
        found = self._lemmas.get(lower)
        if found is None:
            value = self.table.get(lower)
            found = value if isinstance(value, str) and value else None
            if found is None:
                found = lower
                split = self._split(lower)
                if split is not None:
                    head = self.table.get(split[1])
                    if isinstance(head, str) and head:
                        found = split[0] + head
            self._lemmas[lower] = found
        return found

    def _split(self, lower: str):
        if self.language != "sv" or len(lower) < 6:
            return None
        from qualcode.suggest.compounds import split_head

        return split_head(self, lower)

    def parts(self, lower: str) -> tuple[str, ...]:
        """Lemmas of the modifier and head of a Swedish compound the table lacks; () otherwise."""
        found = self._parts.get(lower)
        if found is None:
            found = ()
            if lower not in self.table:
                split = self._split(lower)
                if split is not None:
                    from qualcode.suggest.compounds import modifier_stem

                    stem = modifier_stem(self, split[0])
                    found = tuple(p for p in (self.lemma(stem), self.lemma(split[1])) if len(p) >= 3)
            self._parts[lower] = found
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
