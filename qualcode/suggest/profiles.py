"""Code profiles: each code's codebook text as an IDF-weighted bag of lemmas, and segments' cosine similarity to it.

A passage often talks about a code without any of its indicator words ("vi skrev ett
avtal med regionen" for collaboration, whose indicators may only say "samverkan").
The codebook itself says more about each code than its indicators: labels, definition,
inclusion criteria and example passages. Each code's profile is the bag of those
texts' lemmas (stop words removed) plus the parts of Swedish compounds (`samverkansavtal`
-> `samverkan`, `avtal`), weighted by field (FIELDS) and by IDF over all profiles, so a
word in every code's text (`modell`, `arbete`) says little and a word in one code's text
says much. A segment is bagged the same way; its cosine similarity to each profile is
a weak, ranking-oriented signal (see scoring.py for how it enters the score). The
exclusion criteria name the *neighbouring* codes' ideas, so they are left out.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np

# Field weights: labels name the concept, indicators and examples are the codebook's own
# Swedish wording; definition and inclusion are often English prose, so count for less.
FIELDS = {"labels": 2.0, "indicators": 1.0, "examples": 1.0, "definition": 0.5, "inclusion": 0.5}
PART_WEIGHT = 0.5      # a compound part is weaker evidence than the whole word
TOP_CODES = 10         # profile codes kept per segment (keeps the per-segment work bounded)
MIN_SIMILARITY = 0.01  # below this a similarity is noise

# Function words, pronouns, auxiliaries and spoken fillers: they carry no topic.
STOP_SV = frozenset("""
alla allas allt alltid alltså andra annan annars annat asså att av bara bli blev blir blivit båda både
då där därför de dem den denna denne dessa deras dess det detta dig din dina ditt dom du efter eftersom
eh ehm eller elva en ens er era ert ett fast fanns finns fick fler flera fram från få får fått följande
för förra första gjorde gjort gå går gick gått göra gör ha hade haft han hans har hej hela helt hen henne
hennes hit hm hmm hon honom hur här i ibland igen in inga ingen ingenting inget inne inte ja jag jo ju
kan kanske kom komma kommer kommit kunde kunna kunnat lite liksom man med men mer mera mest mig min mina
mitt mot mycket många måste mm nej ni nog nu nå nån nånting nåt någon någonting något några när nästan
och också ofta okej om oss på sa sade sagt samma sedan sen sig sin sina sitt ska skall skulle som så
säga säger sägs ta tar tog till tror trodde tycker tyckte tycka tänker tänkte typ under upp ut utan va
vad var vara varit varje vars vem vet veta vi vid vidare vilka vilken vilket vill ville visste väl
vår våra vårt än ändå även åt över
""".split())


_WORDS = re.compile(r"\w+(?:[-'’]\w+)*")


def stop_words(language: str) -> frozenset[str]:
    if language == "sv":
        return STOP_SV
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def word_features(lexicon, lower: str, stop: frozenset[str]) -> tuple[tuple[str, float], ...]:
    """(feature, weight) of one lower-case word: its lemma and its compound parts; () for a stop word."""
    if len(lower) < 2 or lower in stop or not any(ch.isalpha() for ch in lower):
        return ()
    lemma = lexicon.lemma(lower.strip("=*"))
    if lemma in stop:
        return ()
    out = [(lemma, 1.0)]
    out += [(part, PART_WEIGHT) for part in lexicon.parts(lower) if part not in stop and part != lemma]
    return tuple(out)


def bag(lexicon, text: str, stop: frozenset[str]) -> dict[str, float]:
    """Feature -> weight (the strongest occurrence) for a text."""
    out: dict[str, float] = {}
    for token in lexicon.nlp.tokenizer(text):
        for feat, weight in word_features(lexicon, token.lower_, stop):
            if weight > out.get(feat, 0.0):
                out[feat] = weight
    return out


def _field_texts(code: dict) -> dict[str, list[str]]:
    labels = code.get("labels") or {}
    indicators = code.get("indicators") or {}
    texts = code.get("texts") or {}  # the store's {field: {language: text}}

    def prose(name: str) -> list[str]:
        # Every language's text, as with labels; `name` itself may be one text or {language: text}.
        value = code.get(name)
        found = list(value.values()) if isinstance(value, dict) else [value]
        found += list((texts.get(name) or {}).values())
        return list(dict.fromkeys(str(text) for text in found if text)) or [""]

    return {
        "labels": [str(v) for v in labels.values() if v],
        "indicators": [str(t) for terms in indicators.values() for t in terms or []],
        "examples": [str(e) for e in code.get("examples") or []],
        "definition": prose("definition"),
        "inclusion": prose("inclusion"),
    }


@dataclass
class Profiles:
    """Profile vectors of the codes (columns of `matrix`, unit length) over a feature table."""

    codes: list[str]
    ids: dict[str, int]             # feature -> row; rows >= n_profile are words seen only in segments
    names: list[str]
    idf: list[float]
    n_profile: int
    matrix: np.ndarray              # n_profile x codes
    lexicon: object
    stop: frozenset[str]
    _types: dict[str, tuple] = field(default_factory=dict)

    def type_features(self, lower: str) -> tuple[tuple[int, float], ...]:
        """(feature row, weight x idf) of one word type; cached for the process."""
        found = self._types.get(lower)
        if found is None:
            found = []
            for feat, weight in word_features(self.lexicon, lower, self.stop):
                row = self.ids.get(feat)
                if row is None:
                    row = self.ids[feat] = len(self.names)
                    self.names.append(feat)
                    self.idf.append(self.max_idf)  # in no profile: as rare as a word can be
                found.append((row, weight * self.idf[row]))
            found = self._types[lower] = tuple(found)
        return found

    @property
    def max_idf(self) -> float:
        return math.log(1.0 + len(self.codes))

    def similarities(self, lowers: list[str], inverse: np.ndarray, seg: np.ndarray, out: list[dict],
                     top: int = TOP_CODES) -> None:
        """Fill `out[segment]` with the cosine similarity to the `top` most similar profiles.

        `lowers`: the distinct lower-case word types of a token stream; `inverse`: each
        token's type; `seg`: each token's segment (-1 outside segments). Each feature
        counts once per segment (a binary bag), at its strongest weight."""
        n_segments = len(out)
        per_type = [self.type_features(lower) for lower in lowers]
        counts = np.fromiter((len(f) for f in per_type), dtype=np.int64, count=len(per_type))
        if not counts.any():
            return
        rows = np.fromiter((r for f in per_type for r, _ in f), dtype=np.int64, count=int(counts.sum()))
        weights = np.fromiter((w for f in per_type for _, w in f), dtype=np.float64, count=int(counts.sum()))
        starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
        keep = (seg >= 0) & (counts[inverse] > 0)
        tokens = np.nonzero(keep)[0]
        n_feat = counts[inverse[tokens]]
        token_of_pair = np.repeat(tokens, n_feat)
        within = np.arange(len(token_of_pair)) - np.repeat(np.cumsum(n_feat) - n_feat, n_feat)
        flat = starts[inverse[token_of_pair]] + within
        pair_seg = seg[token_of_pair]
        pair_row = rows[flat]
        pair_w = weights[flat]
        # One value per (segment, feature): the strongest occurrence.
        width = np.int64(len(self.names) + 1)
        keys = pair_seg.astype(np.int64) * width + pair_row
        order = np.lexsort((-pair_w, keys))
        keys, pair_w = keys[order], pair_w[order]
        first = np.ones(len(keys), dtype=bool)
        first[1:] = keys[1:] != keys[:-1]
        keys, pair_w = keys[first], pair_w[first]
        useg, urow = keys // width, keys % width
        norms = np.sqrt(np.bincount(useg, weights=pair_w * pair_w, minlength=n_segments))
        inside = urow < self.n_profile
        if not inside.any():
            return
        contrib = self.matrix[urow[inside]] * pair_w[inside, None]
        cseg = useg[inside]
        bounds = np.nonzero(np.concatenate(([True], cseg[1:] != cseg[:-1])))[0]
        dots = np.add.reduceat(contrib, bounds, axis=0)
        segs = cseg[bounds]
        sims = dots / norms[segs][:, None]
        k = min(top, len(self.codes))
        best = np.argsort(-sims, axis=1)[:, :k]
        for row, s in enumerate(segs.tolist()):
            values = sims[row]
            out[s] = {self.codes[c]: float(values[c]) for c in best[row].tolist() if values[c] >= MIN_SIMILARITY}

    def explain(self, text: str, code: str, n: int = 3) -> list[str]:
        """The segment's words that weigh most in its similarity to `code`, strongest first."""
        column = self.codes.index(code)
        scored: dict[str, float] = {}
        # A regular-expression split is close enough to name the words, and far cheaper than
        # the tokenizer for every shown suggestion.
        for lower in set(_WORDS.findall(text.lower())):
            for row, weight in self.type_features(lower):
                if row < self.n_profile and self.matrix[row, column] > 0:
                    name = self.names[row]
                    scored[name] = max(scored.get(name, 0.0), weight * self.matrix[row, column])
        return [name for name, _ in sorted(scored.items(), key=lambda x: -x[1])[:n]]


def build_profiles(codes: list[dict], lexicon) -> Profiles:
    """Profiles for `codes` (dicts with id, labels, definition, inclusion, examples, indicators)."""
    stop = stop_words(lexicon.language)
    tf: list[dict[str, float]] = []
    for code in codes:
        counts: dict[str, float] = {}
        for name, texts in _field_texts(code).items():
            for text in texts:
                for feat, weight in bag(lexicon, text, stop).items():
                    counts[feat] = counts.get(feat, 0.0) + weight * FIELDS[name]
        tf.append(counts)
    df: dict[str, int] = {}
    for counts in tf:
        for feat in counts:
            df[feat] = df.get(feat, 0) + 1
    names = sorted(df)
    ids = {name: n for n, name in enumerate(names)}
    idf = [math.log(1.0 + len(codes) / df[name]) for name in names]
    matrix = np.zeros((len(names), len(codes)), dtype=np.float64)
    for c, counts in enumerate(tf):
        for feat, count in counts.items():
            # Sublinear term frequency: a word repeated in a code's examples counts, but not linearly.
            matrix[ids[feat], c] = (1.0 + math.log(count) if count >= 1 else count) * idf[ids[feat]]
        norm = np.linalg.norm(matrix[:, c])
        if norm > 0:
            matrix[:, c] /= norm
    profiles = Profiles([c["id"] for c in codes], ids, names, idf, len(names), matrix, lexicon, stop)
    return profiles
