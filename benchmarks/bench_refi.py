"""Benchmark: .qdpx export and re-import of 100 transcripts x 10,000 words with 20,000 codings (< 30 s each)."""

from __future__ import annotations

import random
import re
import tempfile
import time
from pathlib import Path

TRANSCRIPTS = 100
WORDS = 10_000
CODINGS = 20_000
TARGETS = {"qdpx_export_s": ("<=", 30.0), "qdpx_import_s": ("<=", 30.0), "selections_landed_share": (">=", 1.0)}
CODEBOOK = Path(__file__).resolve().parent.parent / "codebooks" / "implementation-theory.yaml"


def build(root: Path, seed: int = 3):
    """A project with the generated corpus imported and CODINGS codings by two coders inserted directly."""
    from benchmarks.corpus import generate
    from qualcode import store
    from qualcode.ingest import import_paths
    from qualcode.project import init_project

    project = init_project(root / "proj", language="sv", codebook=CODEBOOK if CODEBOOK.is_file() else None, coder="a")
    import_paths(project, generate(root / "corpus", TRANSCRIPTS, WORDS))
    db = project.db
    rng = random.Random(seed)
    codes = [r[0] for r in db.execute("SELECT id FROM codes WHERE codable = 1")]
    if not codes:
        db.execute("INSERT INTO codes (id, uuid, codable) VALUES ('c', '6a0f4f52-8f3c-4a49-9d43-0c6a4d7f0c01', 1)")
        codes = ["c"]
    texts = list(db.execute("SELECT id, text FROM transcripts"))
    words = {tid: [m.start() for m in re.finditer(r"\b\w", text)] for tid, text in texts}
    now = store.now()
    rows = []
    for n in range(CODINGS):
        tid, text = texts[n % len(texts)]
        k = rng.randrange(len(words[tid]) - 40)
        start, end = words[tid][k], words[tid][k + rng.randint(3, 30)] - 1
        rows.append((tid, start, end, rng.choice(codes), rng.choice("ab"), "memo" if n % 50 == 0 else None, now,
                     text[start:end]))
    with store.transaction(db):
        store.ensure_coder(db, "a")
        store.ensure_coder(db, "b")
        db.conn.executemany('INSERT INTO codings (transcript_id, start, "end", code_id, coder, memo, created_at, quote) '
                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    return project


def run() -> dict:
    from qualcode.refi.materialise import import_project
    from qualcode.refi.qdpx_write import write_qdpx

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        project = build(root)
        setup = time.perf_counter() - started
        started = time.perf_counter()
        write_qdpx(project, root / "bench.qdpx")
        export_s = time.perf_counter() - started
        started = time.perf_counter()
        copy, read = import_project(root / "bench.qdpx", root / "copy")
        import_s = time.perf_counter() - started
        (n,) = copy.db.execute("SELECT COUNT(*) FROM codings").fetchone()
        size = (root / "bench.qdpx").stat().st_size
        copy.close()
        project.close()
    return {"setup_s": round(setup, 1), "qdpx_export_s": round(export_s, 2), "qdpx_import_s": round(import_s, 2),
            "qdpx_mb": round(size / 1e6, 1), "codings_reimported": n,
            "selections_landed_share": round(read.landed / max(read.selections, 1), 4)}


if __name__ == "__main__":
    print(run())
