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
VERSION = 1
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


def features(lexicon, compiled, text: str) -> list[str]:
    """Lower-case lemmas of the words of `text`, plus indicator words found as compound parts."""
    out = []
    for token in lexicon.nlp.tokenizer(text):
        if token.is_punct or token.is_space:
            continue
        lower = token.lower_
        out.append(lexicon.lemma(lower))
        if compiled is not None and compiled.compound is not None:
            out.extend(compiled.compound.parts(lower))
    return out


def make_nlp(language: str, labels: list[str]):
    import spacy

    nlp = spacy.blank(language)
    textcat = nlp.add_pipe("textcat_multilabel", config={"model": ARCHITECTURE})
    for label in labels:
        textcat.add_label(label)
    return nlp


def fit(nlp, docs, cats, epochs: int, resume: bool, seed: int = 0) -> None:
    """Train in place; `resume` continues from the current weights (incremental)."""
    from spacy.training import Example
    from spacy.util import fix_random_seed, minibatch

    fix_random_seed(seed)
    examples = [Example.from_dict(doc, {"cats": c}) for doc, c in zip(docs, cats)]
    optimizer = nlp.resume_training() if resume else nlp.initialize(lambda: examples)
    rng = random.Random(seed)
    for _ in range(epochs):
        rng.shuffle(examples)
        for batch in minibatch(examples, size=BATCH):
            nlp.update(batch, sgd=optimizer, drop=0.0)


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
