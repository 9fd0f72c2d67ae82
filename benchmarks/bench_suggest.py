"""Speed of the suggestions: a 1M-word generated corpus, re-scoring after a coding, training on 500 codings."""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CODEBOOK = HERE.parent / "codebooks" / "implementation-theory.yaml"
TRANSCRIPTS, WORDS = 100, 10_000
TARGETS = {
    "words_per_second": (">=", 100_000),
    "rescore_ms": ("<=", 200),
    "train_500_seconds": ("<=", 10),
}


def _corpus(directory: Path) -> list[Path]:
    sys.path.insert(0, str(HERE.parent))
    from benchmarks.corpus import generate

    return generate(directory, TRANSCRIPTS, WORDS)


def run() -> dict:
    from qualcode.coding import add_coding
    from qualcode.ingest import import_paths
    from qualcode.project import init_project
    from qualcode.suggest import engine, suggest, suggest_for_transcript, train
    from qualcode.suggest.lexicon import get_lexicon

    figures: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        project = init_project(Path(tmp) / "bench", codebook=CODEBOOK, coder="bench")
        import_paths(project, _corpus(Path(tmp) / "corpus"))
        (words,) = project.db.execute("SELECT SUM(word_count) FROM transcripts").fetchone()
        get_lexicon(project.language)  # the pipeline is built once per process, not per call
        engine.forget()
        started = time.perf_counter()
        found = suggest(project)
        seconds = time.perf_counter() - started
        figures["corpus_words"] = words
        figures["suggest_seconds"] = round(seconds, 2)
        figures["words_per_second"] = int(words / seconds)
        figures["suggestions"] = len(found)

        tid = project.db.execute("SELECT id FROM transcripts ORDER BY id LIMIT 1").fetchone()[0]
        first = suggest_for_transcript(project, tid)
        add_coding(project.db, tid, first[0].start, first[0].end, first[0].code, "bench")
        started = time.perf_counter()
        suggest_for_transcript(project, tid)
        figures["rescore_ms"] = round((time.perf_counter() - started) * 1000, 1)
        engine.forget()
        engine.state(project)
        started = time.perf_counter()
        suggest_for_transcript(project, tid)
        figures["cold_transcript_ms"] = round((time.perf_counter() - started) * 1000, 1)

        rng = random.Random(1)
        codes = [c for (c,) in project.db.execute("SELECT id FROM codes WHERE codable = 1")]
        segments = project.db.execute('SELECT transcript_id, start, "end" FROM segments').fetchall()
        picked = rng.sample(segments, 500)
        for t, s, e in picked:
            add_coding(project.db, t, s, e, rng.choice(codes), "bench")
        started = time.perf_counter()
        report = train(project, force=True)
        figures["train_500_seconds"] = round(time.perf_counter() - started, 2)
        figures["train_examples"] = report.examples
        started = time.perf_counter()
        suggest_for_transcript(project, tid)
        figures["with_model_transcript_ms"] = round((time.perf_counter() - started) * 1000, 1)
        project.close()
        engine.forget()
    return figures


if __name__ == "__main__":
    results = run()
    width = max(map(len, results))
    for key, value in results.items():
        target = TARGETS.get(key)
        print(f"{key.ljust(width)}  {value}" + (f"  (target {target[0]} {target[1]})" if target else ""))
