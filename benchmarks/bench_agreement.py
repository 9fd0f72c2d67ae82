"""Benchmark: agreement of two coders with 20,000 codings each over a 1M-word corpus (target < 2 s)."""

from __future__ import annotations

import random
import tempfile
import time
import uuid
from pathlib import Path

TRANSCRIPTS = 100
WORDS = 10_000  # per transcript
WORDS_PER_TURN = 100
WORDS_PER_SEGMENT = 17  # about 60,000 segments in all
CODINGS = 20_000  # per coder
CODES = 20
TARGET_SECONDS = 2.0
TARGETS = {f"{unit}_seconds": ("<=", TARGET_SECONDS) for unit in ("segment", "turn", "character")}
VOCABULARY = "och att det som en på är av för med inte den till har de om ett vi men så var jag kan".split()


def build(root: Path, seed: int = 1) -> tuple:
    """A project with the corpus and both coders' codings, written with direct inserts."""
    from qualcode import store
    from qualcode.project import init_project

    rng = random.Random(seed)
    project = init_project(root, language="sv", coder="a")
    db = project.db
    now = store.now()
    turns, segments, codings = [], [], []
    with store.transaction(db):
        db.conn.executemany("INSERT INTO coders (name, created_at) VALUES (?, ?)", [("a", now), ("b", now)])
        db.conn.executemany(
            "INSERT INTO codes (id, uuid, codable, position) VALUES (?, ?, 1, ?)",
            [(f"code-{k}", str(uuid.UUID(int=k + 1)), k) for k in range(CODES)],
        )
        for t in range(1, TRANSCRIPTS + 1):
            parts, offset, turn_spans, sentence_spans = [], 0, [], []
            for w in range(WORDS):
                if w % WORDS_PER_TURN == 0:
                    label = "I: " if (w // WORDS_PER_TURN) % 2 == 0 else "IP 1: "
                    if w:
                        parts.append("\n")
                        offset += 1
                    parts.append(label)
                    offset += len(label)
                    turn_spans.append([offset, offset])
                    sentence_start = offset
                elif w % WORDS_PER_TURN % WORDS_PER_SEGMENT == 0:
                    sentence_spans.append((len(turn_spans), sentence_start, offset - 1))
                    sentence_start = offset
                word = VOCABULARY[rng.randrange(len(VOCABULARY))]
                parts.append(word + " ")
                offset += len(word) + 1
                turn_spans[-1][1] = offset - 1
                if (w + 1) % WORDS_PER_TURN == 0 or w + 1 == WORDS:
                    sentence_spans.append((len(turn_spans), sentence_start, offset - 1))
            text = "".join(parts)
            db.conn.execute(
                "INSERT INTO transcripts (id, name, text, content_hash, word_count) VALUES (?, ?, ?, ?, ?)",
                [t, f"t{t:03d}", text, f"hash{t}", WORDS],
            )
            first_turn = len(turns) + 1
            first_segment = len(segments) + 1
            turns += [(first_turn + n - 1, t, n, None, s, e) for n, (s, e) in enumerate(turn_spans, 1)]
            segments += [(first_segment + k - 1, t, first_turn + n - 1, k, s, e)
                         for k, (n, s, e) in enumerate(sentence_spans, 1)]
            for _ in range(CODINGS // TRANSCRIPTS):
                codings += _pair(rng, t, sentence_spans, now)
        for sql, rows in (
            ('INSERT INTO turns (id, transcript_id, number, speaker, start, "end") VALUES (?, ?, ?, ?, ?, ?)', turns),
            ('INSERT INTO segments (id, transcript_id, turn_id, number, start, "end") VALUES (?, ?, ?, ?, ?, ?)',
             segments),
            ('INSERT INTO codings (transcript_id, start, "end", code_id, coder, created_at) VALUES (?, ?, ?, ?, ?, ?)',
             codings),
        ):
            db.conn.executemany(sql, rows)
    return project, len(segments), len(turns), len(codings)


def _pair(rng: random.Random, t: int, sentences: list, now: str) -> list:
    """One coding by A over one to three sentences, and B's: mostly alike, sometimes not."""
    k = rng.randrange(len(sentences) - 3)
    start, end = sentences[k][1], sentences[k + rng.randrange(3)][2]
    code = f"code-{rng.randrange(CODES)}"
    roll = rng.random()
    if roll < 0.6:  # same code, boundaries a few characters off
        other = (max(0, start + rng.randint(-5, 5)), end + rng.randint(-5, 5), code)
    elif roll < 0.8:  # another code on the same text
        other = (start, end, f"code-{rng.randrange(CODES)}")
    else:  # elsewhere entirely
        j = rng.randrange(len(sentences))
        other = (sentences[j][1], sentences[j][2], code)
    return [(t, start, end, code, "a", now), (t, other[0], other[1], other[2], "b", now)]


def run() -> dict:
    """Build the corpus in a temporary project and time `compute_agreement` for each unit."""
    from qualcode import store
    from qualcode.agreement_units import compute_agreement

    with tempfile.TemporaryDirectory() as folder:
        began = time.perf_counter()
        project, n_segments, n_turns, n_codings = build(Path(folder) / "bench")
        built = time.perf_counter() - began
        project.close()
        figures = {"build_seconds": round(built, 2), "transcripts": TRANSCRIPTS, "words": TRANSCRIPTS * WORDS,
                   "segments": n_segments, "turns": n_turns, "codings": n_codings}
        for unit in ("segment", "turn", "character"):
            began = time.perf_counter()
            db = store.open_db(Path(folder) / "bench" / store.DB_NAME)
            result = compute_agreement(db, ("a", "b"), unit=unit)
            figures[f"{unit}_seconds"] = round(time.perf_counter() - began, 3)
            figures[f"{unit}_pooled_kappa"] = result["pooled"]["kappa"]
            db.close()
        began = time.perf_counter()
        db = store.open_db(Path(folder) / "bench" / store.DB_NAME)
        compute_agreement(db, ("a", "b"), per_transcript=True)
        figures["segment_per_transcript_seconds"] = round(time.perf_counter() - began, 3)
        db.close()
    return figures


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value}")
