"""The learned component: a spaCy textcat_multilabel (bag of lemmas) trained on the project's coding.

The model reads a segment as its lower-case lemmas plus the indicator words found inside
its Swedish compounds, so `chefsbyten` and `chefen` teach it the same thing. It lives in
`.qualcode/model/` in the project folder, written to a temporary folder and renamed so a
reader never sees half a model; `meta.json` beside the weights records labels, counts and
a fingerprint of the data it learned from.
"""

from __future__ import annotations

import json
import random
import shutil
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

MODEL_DIR = Path(".qualcode") / "model"
VERSION = 2  # 2: content lemmas, compound parts and bigrams as features
BIGRAMS = True
SIGNALS = True
SIGNAL_SIMILARITY = 0.1
MIN_BATCH = 4
BATCH = 32  # fewer optimizer steps over the hashed weight table; same results on small data
ARCHITECTURE = {
    "@architectures": "spacy.TextCatBOW.v3",
    "exclusive_classes": False,
    "ngram_size": 1,
    "no_output_layer": False,
    "length": 2**15,  # hashed lemma features; small keeps each update cheap
}


@dataclass
class TrainingData:
    texts: list[str]
    cats: list[dict[str, float]]
    labels: list[str]
    positives: dict[str, int]            # project codings per code (codebook examples not counted)
    fingerprint: str


@dataclass
class TrainReport:
    trained: bool
    message: str
    labels: list[str] = field(default_factory=list)
    examples: int = 0
    positives: dict[str, int] = field(default_factory=dict)
    incremental: bool = False
    seconds: float = 0.0
    path: str | None = None

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def model_path(project) -> Path:
    return Path(project.root) / MODEL_DIR


# Negations are stop words for the profile similarity but carry meaning for a classifier
# ("ingen tid", "inte utbildade"), so the model keeps them.
KEEP_WORDS = frozenset("inte ingen inget inga ingenting aldrig utan not no never without".split())


def model_stop_words(language: str) -> frozenset[str]:
    from qualcode.suggest.profiles import stop_words

    return stop_words(language) - KEEP_WORDS


def signal_features(seg_rules) -> list[str]:
    """The codebook's own signals for a segment as features: which codes' indicators matched
    and which codes' profiles it resembles. With few examples per code these generalise
    where single words cannot; the model learns how far to trust them for this project."""
    if seg_rules is None or not SIGNALS:
        return []
    out = [f"§rule:{code}" for code in seg_rules.by_code]
    similar = seg_rules.similar
    if similar:
        best = max(similar, key=similar.get)
        out.append(f"§simtop:{best}")
        out += [f"§sim:{code}" for code, value in similar.items() if value >= SIGNAL_SIMILARITY]
    return out


def features(lexicon, compiled, text: str, stop: frozenset[str] | None = None, seg_rules=None) -> list[str]:
    """The classifier's view of `text`: content lemmas (stop words out), the parts of Swedish
    compounds (`chefsbyten` teaches `chef` and `byte` too), indicator words found inside
    compounds, and bigrams of neighbouring content lemmas (`ingen_tid`)."""
    from qualcode.suggest.profiles import word_features

    if stop is None:
        stop = model_stop_words(lexicon.language)
    # A feature every text has: a learned prior per code, so a short text with few content
    # words ("Ska vi ta en paus?") is not scored by its one word alone.
    out: list[str] = ["§text"]
    previous = None
    for token in lexicon.nlp.tokenizer(text):
        if token.is_punct or token.is_space:
            previous = None
            continue
        lower = token.lower_
        found = word_features(lexicon, lower, stop)
        if not found:
            previous = None if lower not in stop else previous  # a stop word does not break a bigram
            continue
        lemma = found[0][0]
        out.append(lemma)
        out.extend(part for part, _ in found[1:])
        if compiled is not None and compiled.compound is not None:
            out.extend(p for p in compiled.compound.parts(lower) if p != lemma)
        if BIGRAMS and previous is not None:
            out.append(f"{previous}_{lemma}")
        previous = lemma
    return out + signal_features(seg_rules)


def make_nlp(language: str, labels: list[str]):
    import spacy

    nlp = spacy.blank(language)
    textcat = nlp.add_pipe("textcat_multilabel", config={"model": ARCHITECTURE})
    for label in labels:
        textcat.add_label(label)
    return nlp


def fit(nlp, docs, cats, epochs: int, resume: bool, seed: int = 0, drop: float = 0.0) -> None:
    """Train in place; `resume` continues from the current weights (incremental)."""
    from spacy.training import Example
    from spacy.util import fix_random_seed, minibatch

    fix_random_seed(seed)
    examples = [Example.from_dict(doc, {"cats": c}) for doc, c in zip(docs, cats)]
    optimizer = nlp.resume_training() if resume else nlp.initialize(lambda: examples)
    rng = random.Random(seed)
    # Small projects get smaller batches: enough updates per epoch to learn from a few codings.
    size = max(MIN_BATCH, min(BATCH, len(examples) // 10))
    for _ in range(epochs):
        rng.shuffle(examples)
        for batch in minibatch(examples, size=size):
            nlp.update(batch, sgd=optimizer, drop=drop)


def save(nlp, path: Path, meta: dict) -> None:
    """Write next to the target, then swap, so readers see the old or the new model whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + f".tmp-{time.time_ns()}")
    nlp.to_disk(tmp)
    (tmp / "meta-qualcode.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    old = path.with_name(path.name + f".old-{time.time_ns()}")
    if path.exists():
        path.rename(old)
    tmp.rename(path)
    shutil.rmtree(old, ignore_errors=True)


def read_meta(path: Path) -> dict | None:
    try:
        return json.loads((path / "meta-qualcode.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def load(path: Path):
    """(nlp, meta) of a stored model; None when there is none; ValueError when it is damaged."""
    if not path.exists():
        return None
    meta = read_meta(path)
    if meta is None or meta.get("version") != VERSION:
        raise ValueError("its meta-qualcode.json is missing or unreadable")
    import spacy

    try:
        nlp = spacy.load(path)
        textcat = nlp.get_pipe("textcat_multilabel")
    except Exception as error:  # spaCy raises many kinds for damaged files
        raise ValueError(f"{type(error).__name__}: {error}") from None
    if list(textcat.labels) != list(meta.get("labels", [])):
        raise ValueError("its labels do not match meta-qualcode.json")
    return nlp, meta


def predict(nlp, feature_lists: list[list[str]]) -> list[dict[str, float]]:
    from spacy.tokens import Doc

    textcat = nlp.get_pipe("textcat_multilabel")
    docs = [Doc(nlp.vocab, words=f or ["_"]) for f in feature_lists]
    scores = textcat.predict(docs)
    labels = list(textcat.labels)
    return [dict(zip(labels, map(float, row))) for row in scores.tolist()] if len(docs) else []


def warn_damaged(path: Path, reason: str) -> None:
    warnings.warn(f"{path}: the suggestion model is damaged ({reason}); rebuilding it", RuntimeWarning, stacklevel=3)
