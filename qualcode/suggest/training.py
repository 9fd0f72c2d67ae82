"""Training the classifier from the store: collecting examples, deciding when it is due, running it."""

from __future__ import annotations

import hashlib
import json
import random
import threading
import time

MIN_CODINGS = 5          # codings a code needs before automatic retraining is due
NEGATIVES_PER_POSITIVE = 2
MIN_NEGATIVES = 30
POSITIVE_REPEAT = 1
HARD_NEGATIVE_REPEAT = 1
EPOCHS = 12
EPOCHS_RESUME = 4
DROPOUT = 0.0
_train_lock = threading.Lock()


def collect(project, seed: int = 0):
    """Examples from the store: coded segments (manual and accepted) are positives; rejected
    suggestions and a sample of uncoded segments are negatives; the codebook's example
    passages are extra positives."""
    from qualcode.suggest import engine
    from qualcode.suggest.model import TrainingData

    db = project.db
    codes = engine._codes(db)
    code_ids = [c["id"] for c in codes]
    known = set(code_ids)
    positives: dict[str, int] = {}
    texts: list[str] = []
    cats: list[dict[str, float]] = []
    uncoded: list[str] = []
    digest = hashlib.sha256()
    for (tid,) in db.execute("SELECT id FROM transcripts ORDER BY id").fetchall():
        (text,) = db.execute("SELECT text FROM transcripts WHERE id = ?", [tid]).fetchone()
        segments = db.execute(
            'SELECT s.start, s."end", u.speaker FROM segments s JOIN turns u ON u.id = s.turn_id '
            "WHERE s.transcript_id = ? ORDER BY s.start", [tid]).fetchall()
        codings = db.execute('SELECT start, "end", code_id FROM codings WHERE transcript_id = ? ORDER BY start, "end", code_id', [tid]).fetchall()
        rejected = db.execute(
            "SELECT start, \"end\", code_id FROM suggestion_decisions WHERE transcript_id = ? AND decision = 'rejected' "
            'ORDER BY start, "end", code_id', [tid]).fetchall()
        digest.update(json.dumps([tid, codings, rejected]).encode())
        if not codings and not rejected:
            continue  # an untouched transcript says nothing about what is not a code
        for start, end, speaker in segments:
            if speaker and speaker.strip().lower() in engine.INTERVIEWER:
                continue
            on = {c for s, e, c in codings if s < end and e > start and c in known}
            off = {c for s, e, c in rejected if s < end and e > start and c in known} - on
            if on or off:
                texts.append(text[start:end])
                cats.append({c: 1.0 for c in on} | {c: 0.0 for c in off})
                for c in on:
                    positives[c] = positives.get(c, 0) + 1
            else:
                uncoded.append(text[start:end])
    n_coded = len(texts)
    for code in codes:
        for example in code["examples"]:
            texts.append(str(example))
            cats.append({code["id"]: 1.0})
    digest.update(json.dumps([(c["id"], c["examples"]) for c in codes], ensure_ascii=False).encode())
    labels = [c for c in code_ids if any(cat.get(c) == 1.0 for cat in cats)]
    rng = random.Random(seed)
    n_negative = max(MIN_NEGATIVES, NEGATIVES_PER_POSITIVE * sum(1 for c in cats if 1.0 in c.values()))
    sampled = rng.sample(uncoded, min(n_negative, len(uncoded)))
    # Rejected suggestions are the researcher's own "not this code here": hard negatives,
    # repeated so they weigh more than a random uncoded sentence.
    extra_t, extra_c = [], []
    for text, cat in zip(texts[:n_coded], cats[:n_coded]):
        if 0.0 in cat.values():
            extra_t += [text] * (HARD_NEGATIVE_REPEAT - 1)
            extra_c += [cat] * (HARD_NEGATIVE_REPEAT - 1)
        if 1.0 in cat.values():
            extra_t += [text] * (POSITIVE_REPEAT - 1)
            extra_c += [cat] * (POSITIVE_REPEAT - 1)
    texts += extra_t
    cats += extra_c
    # Every label needs a value in every example: what is not marked is absent.
    cats = [{label: cat.get(label, 0.0) for label in labels} for cat in cats]
    for text in sampled:
        texts.append(text)
        cats.append({label: 0.0 for label in labels})
    return TrainingData(texts, cats, labels, positives, digest.hexdigest())


def training_due(project) -> tuple[bool, str]:
    """Whether automatic (background) retraining should run now, and why (not)."""
    from qualcode.suggest import model as learned

    counts = dict(project.db.execute("SELECT code_id, COUNT(*) FROM codings GROUP BY code_id").fetchall())
    ready = sorted(c for c, n in counts.items() if n >= MIN_CODINGS)
    if not ready:
        return False, f"no code has {MIN_CODINGS} codings yet"
    meta = learned.read_meta(learned.model_path(project))
    if meta is not None and meta.get("fingerprint") == collect(project).fingerprint:
        return False, "the model is up to date"
    return True, f"{len(ready)} codes have at least {MIN_CODINGS} codings and the coding changed"


def train(project, force: bool = False, epochs: int | None = None):
    """Train (incrementally when the stored model has the same codes); `force` trains even when not due."""
    from spacy.tokens import Doc

    from qualcode.suggest import engine
    from qualcode.suggest import model as learned

    started = time.perf_counter()
    if not force:
        due, reason = training_due(project)
        if not due:
            return learned.TrainReport(False, reason)
    with _train_lock:
        data = collect(project)
        path = learned.model_path(project)
        if not data.labels:
            return learned.TrainReport(False, "nothing to learn from yet: no codings and no codebook examples")
        try:
            existing = learned.load(path)
        except ValueError as error:
            learned.warn_damaged(path, str(error))
            existing = None
        resume = existing is not None and existing[1].get("labels") == data.labels
        nlp = existing[0] if resume else learned.make_nlp(project.language, data.labels)
        st = engine.state(project)
        stop = learned.model_stop_words(project.language)
        docs = [Doc(nlp.vocab, words=learned.features(st.lexicon, st.compiled, t, stop, r) or ["_"])
                for t, r in zip(data.texts, _signals(st, data.texts))]
        rounds = epochs or (EPOCHS_RESUME if resume else EPOCHS)
        learned.fit(nlp, docs, data.cats, rounds, resume, drop=DROPOUT)
        meta = {"version": learned.VERSION, "labels": data.labels, "positives": data.positives,
                "examples": len(docs), "fingerprint": data.fingerprint, "trained_at": time.time()}
        learned.save(nlp, path, meta)
    seconds = time.perf_counter() - started
    kind = "resumed" if resume else "trained"
    return learned.TrainReport(True, f"{kind} on {len(docs)} examples for {len(data.labels)} codes in {seconds:.1f} s",
                               data.labels, len(docs), data.positives, resume, seconds, str(path))


def _signals(st, texts: list[str]) -> list:
    """Rule evidence and profile similarity of each training text, computed in one pass."""
    from qualcode.suggest.rules import rules_for_text

    spans, joined, at = [], [], 0
    for text in texts:
        spans.append((at, at + len(text)))
        joined.append(text)
        at += len(text) + 2
    return rules_for_text(st.compiled, st.lexicon, "\n\n".join(joined), spans, st.profiles)


def train_in_background(project, force: bool = False, on_done=None) -> threading.Thread:
    """Train in a daemon thread with its own database connection; `on_done(report_or_error)` after."""
    root = project.root

    def work() -> None:
        from qualcode.project import Project

        own = Project(root)
        try:
            result = train(own, force=force)
        except Exception as error:  # reported to the caller, never raised in the thread
            result = error
        finally:
            own.close()
        if on_done is not None:
            on_done(result)

    thread = threading.Thread(target=work, name="qualcode-train", daemon=True)
    thread.start()
    return thread
