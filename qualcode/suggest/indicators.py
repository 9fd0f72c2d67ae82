"""Indicator syntax and its compilation into spaCy PhraseMatcher/Matcher patterns.

Syntax (ARCHITECTURE.md): `word` matches the word's lemma or lower-case form and, in
Swedish, a compound part; `two words` is a phrase (each word by lemma or lower-case
form); `prefix*` matches any word starting with the prefix; `=word` matches that exact
lower-case form only.

Compilation, chosen for speed on large projects:
- plain words and plain phrases -> one `PhraseMatcher(attr="LEMMA")`; each word becomes
  its lower-case form and its lemma, so inflected forms match through the token lemma
  (which the tokenizer stream sets from the lower-case lookup);
- `=word` -> a `PhraseMatcher(attr="LOWER")`;
- phrases containing `prefix*` or `=word` -> matched here, not by a token-pattern
  `Matcher` (whose cost grows with its patterns: with thousands of such phrases it was
  most of the time): each word type gets, once, a bit mask of the phrase words it can
  fill, and a phrase matches where consecutive tokens fill its bits in order;
- single `prefix*` words and Swedish compound parts are resolved once per word type
  (not per token) in `word_hits`, cached for the process.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from qualcode.errors import QualcodeError

WEIGHTS = {"phrase": 1.5, "word": 1.0, "exact": 1.0, "prefix": 1.0, "compound": 0.9}
MAX_VARIANTS = 32  # lemma/form combinations per phrase
_WORD = re.compile(r"^=?[\w][\w'’-]*\*?$")


@dataclass(frozen=True)
class Term:
    """One indicator of one code, parsed."""

    code: str
    text: str                 # as written in the codebook
    language: str
    kind: str                 # word | phrase | prefix | exact
    words: tuple[str, ...]    # lower-case, with any `=`/`*` markers kept per word in phrases


def parse_indicator(text: str, code: str, language: str) -> Term:
    """Parse one indicator string; QualcodeError for one that can never match."""
    raw = " ".join(str(text).split())
    words = tuple(w.lower() for w in raw.split(" ")) if raw else ()
    if not words or not all(_WORD.match(w) and w.strip("=*") for w in words):
        raise QualcodeError(f"code '{code}': indicator {text!r} is not a word, phrase, prefix* or =word")
    if len(words) > 1:
        return Term(code, raw, language, "phrase", words)
    word = words[0]
    if word.startswith("="):
        return Term(code, raw, language, "exact", (word[1:].rstrip("*"),))
    if word.endswith("*"):
        return Term(code, raw, language, "prefix", (word[:-1],))
    return Term(code, raw, language, "word", (word,))


def parse_codes(codes: list[dict], languages: tuple[str, ...]) -> list[Term]:
    """Terms of every code (dicts with `id` and `indicators` {lang: [...]}) in the given languages."""
    terms: list[Term] = []
    seen: set[Term] = set()
    for code in codes:
        by_language = code.get("indicators") or {}
        for language in languages:
            for text in by_language.get(language) or []:
                term = parse_indicator(text, code["id"], language)
                if term not in seen:
                    seen.add(term)
                    terms.append(term)
    return terms


@dataclass
class Compiled:
    """Matchers and per-word-type tables for one set of terms in one pipeline."""

    terms: list[Term]
    weights: list[float]
    lemma_matcher: object
    lower_matcher: object
    match_terms: dict[int, list[int]]          # spaCy match id -> term indices
    prefixes: list[tuple[str, int]]            # (prefix, term index)
    compound: object | None                    # CompoundMatcher or None
    compound_terms: dict[str, list[int]] = field(default_factory=dict)
    # Phrases with `prefix*`/`=word` in groups of <= 64 words: (words, one (first bit,
    # length, match id) per phrase); a word type's bits say which of the words it can be.
    phrase_groups: list[tuple[list[str], list[tuple[int, int, int]]]] = field(default_factory=list)
    _word_cache: dict[str, tuple] = field(default_factory=dict)
    _bits_cache: dict[str, tuple] = field(default_factory=dict)

    def phrase_bits(self, lower: str, lexicon) -> tuple:
        """Per group, the bits of the phrase words this word type can fill; cached per type."""
        found = self._bits_cache.get(lower)
        if found is None:
            found = self._bits_cache[lower] = tuple(
                sum(1 << n for n, w in enumerate(words) if _word_fits(w, lower, lexicon))
                for words, _ in self.phrase_groups
            )
        return found

    def word_hits(self, lower: str) -> tuple:
        """(term index, how) for prefix and compound-part matches of one word type; cached."""
        found = self._word_cache.get(lower)
        if found is None:
            hits = [(i, "prefix") for p, i in self.prefixes if lower.startswith(p) and lower != p]
            if self.compound is not None:
                for part in self.compound.parts(lower):
                    hits += [(i, "compound") for i in self.compound_terms[part]]
            found = self._word_cache[lower] = tuple(hits)
        return found


def _specificity(terms: list[Term], lexicon) -> list[float]:
    """A term shared by several codes says less about each: weight / number of codes using it."""
    def key(term: Term):
        return (term.kind, tuple(lexicon.lemma(w.strip("=*")) for w in term.words))

    codes_per_key: dict = {}
    for term in terms:
        codes_per_key.setdefault(key(term), set()).add(term.code)
    return [WEIGHTS[t.kind] / len(codes_per_key[key(t)]) for t in terms]


def as_tokens(term: Term, lexicon) -> Term:
    """`term` with its words split as the pipeline's tokenizer splits text ("top-down" ->
    `top - down`, "client's" -> `client 's` in English), so that it can match; a term the
    tokenizer leaves whole is returned as it is. `=` applies to every piece, `*` to the last."""
    split: list[str] = []
    for word in term.words:
        pieces = [t.lower_ for t in lexicon.nlp.tokenizer(word.strip("=*"))]
        if len(pieces) == 1:
            split.append(word)
            continue
        # A one-word term keeps its marker in `kind`; a phrase keeps it on each word.
        exact = word.startswith("=") or term.kind == "exact"
        prefix = word.endswith("*") or term.kind == "prefix"
        pieces = [f"={p}" if exact else p for p in pieces]
        if prefix:
            pieces[-1] += "*"
        split.extend(pieces)
    if len(split) == len(term.words):
        return term
    return Term(term.code, term.text, term.language, "phrase", tuple(split))


def compile_terms(terms: list[Term], lexicon) -> Compiled:
    """Build the matchers for `terms` on the lexicon's shared vocabulary."""
    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Doc

    from qualcode.suggest.compounds import CompoundMatcher

    terms = [as_tokens(term, lexicon) for term in terms]
    vocab = lexicon.vocab
    lemma_matcher = PhraseMatcher(vocab, attr="LEMMA")
    lower_matcher = PhraseMatcher(vocab, attr="LOWER")
    match_terms: dict[int, list[int]] = {}
    prefixes: list[tuple[str, int]] = []
    compound_terms: dict[str, list[int]] = {}
    phrases: list[tuple[tuple[str, ...], int]] = []

    def register(index: int) -> int:
        """The match id of term `index`, as the matchers and `rules._phrase_matches` report it."""
        match_id = vocab.strings.add(f"qualcode-term-{index}")
        match_terms.setdefault(match_id, []).append(index)
        return match_id

    def add(matcher, index: int, patterns) -> None:
        matcher.add(f"qualcode-term-{index}", patterns)
        register(index)

    for index, term in enumerate(terms):
        if term.kind == "prefix":
            prefixes.append((term.words[0], index))
            # The prefix itself as a whole word is an ordinary lemma/form match.
            add(lemma_matcher, index, [Doc(vocab, words=[k], lemmas=[k]) for k in lexicon.keys(term.words[0])])
        elif term.kind == "exact":
            add(lower_matcher, index, [Doc(vocab, words=list(term.words))])
        elif term.kind == "word":
            add(lemma_matcher, index, [Doc(vocab, words=[k], lemmas=[k]) for k in lexicon.keys(term.words[0])])
            if lexicon.language == "sv":
                compound_terms.setdefault(term.words[0], []).append(index)
        elif any(w.startswith("=") or w.endswith("*") for w in term.words):
            phrases.append((term.words, register(index)))
        else:
            options = [lexicon.keys(w) for w in term.words]
            variants = list(itertools.islice(itertools.product(*options), MAX_VARIANTS))
            add(lemma_matcher, index, [Doc(vocab, words=list(v), lemmas=list(v)) for v in variants])
    compound = CompoundMatcher(lexicon, {w: None for w in compound_terms}) if compound_terms else None
    return Compiled(
        terms=terms,
        weights=_specificity(terms, lexicon),
        lemma_matcher=lemma_matcher,
        lower_matcher=lower_matcher,
        match_terms=match_terms,
        prefixes=prefixes,
        compound=compound,
        compound_terms={w: ids for w, ids in compound_terms.items() if compound and w in compound.words},
        phrase_groups=_groups(phrases),
    )


def _groups(phrases) -> list[tuple[list[str], list[tuple[int, int, int]]]]:
    groups: list[tuple[list[str], list[tuple[int, int, int]]]] = []
    for phrase, match_id in phrases:
        if not groups or len(groups[-1][0]) + len(phrase) > 64:
            groups.append(([], []))
        words, entries = groups[-1]
        entries.append((len(words), len(phrase), match_id))
        words.extend(phrase)
    return groups


def _word_fits(word: str, lower: str, lexicon) -> bool:
    """Can a token of this lower-case type stand for `word` of a phrase (`=exact`, `prefix*`,
    or by lemma)? Evaluated once per word type."""
    if word.startswith("="):
        return lower == word[1:]
    if word.endswith("*"):
        return lower.startswith(word[:-1])
    return lexicon.lemma(lower) in lexicon.keys(word)
