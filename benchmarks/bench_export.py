"""Export speed: 5,000 excerpts to .docx; `qualcode matrix` over 50,000 codings (after start-up)."""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGETS = {"docx_seconds": ("<=", 10.0), "matrix_ms": ("<=", 200.0), "matrix_words_ms": ("<=", 200.0)}

REPO = Path(__file__).resolve().parent.parent


def build(root: Path, transcripts: int = 40, words: int = 6_000, codings: int = 50_000,
          report_codings: int = 5_000, seed: int = 3):
    """A project from the generated corpus with `codings` codings by direct inserts.

    `report_codings` of them, by coder "report", sit on every other segment so they stay
    separate quotes; the rest are spread over coders "a" and "b".
    """
    from benchmarks.corpus import generate
    from qualcode import store
    from qualcode.ingest import import_paths
    from qualcode.project import init_project

    book = REPO / "codebooks" / "implementation-theory.yaml"
    project = init_project(root, language="sv", codebook=book if book.is_file() else None, coder="report")
    import_paths(project, generate(root / "corpus", transcripts, words))
    db = project.db
    codes = [r[0] for r in db.execute("SELECT id FROM codes WHERE codable = 1")]
    segments = db.execute('SELECT transcript_id, start, "end" FROM segments ORDER BY transcript_id, number').fetchall()
    rng = random.Random(seed)
    rows = []
    step = max(2, len(segments) // report_codings)
    for tid, start, end in segments[::step][:report_codings]:
        rows.append((tid, start, end, rng.choice(codes), "report", rng.choice([None, None, "memo: note"])))
    while len(rows) < codings:
        tid, start, end = rng.choice(segments)
        rows.append((tid, start, end, rng.choice(codes), rng.choice("ab"), None))
    with store.transaction(db):
        for coder in ("report", "a", "b"):
            store.ensure_coder(db, coder)
        db.conn.executemany(
            'INSERT INTO codings (transcript_id, start, "end", code_id, coder, memo, created_at) '
            "VALUES (?, ?, ?, ?, ?, ?, '2026-01-01T00:00:00+00:00')", rows)
    return project


CHILD = r"""
import json, sys, time
from qualcode.project import Project
from qualcode.export.matrix import compute
project = Project(__import__("pathlib").Path(sys.argv[1]))
out = {}
for count in ("codings", "words"):
    times = []
    for _ in range(3):
        t = time.perf_counter()
        m = compute(project.db, rows="code", cols="site", count=count)
        times.append(time.perf_counter() - t)
    out[count] = min(times)
    out["total_" + count] = sum(sum(r.values()) for r in m["matrix"].values())
print(json.dumps(out))
"""


def run() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "p"
        project = build(root)
        n = project.db.execute("SELECT COUNT(*) FROM codings").fetchone()[0]
        project.close()
        out = subprocess.run([sys.executable, "-c", CHILD, str(root)], check=True, capture_output=True, text=True)
        m = json.loads(out.stdout.strip().splitlines()[-1])
        exe = Path(sys.executable).with_name("qualcode")
        target = root / "exports" / "bench.docx"
        t = time.perf_counter()
        done = subprocess.run([str(exe), "--project", str(root), "export", "docx", "--coder", "report", "--memos",
                               "-o", str(target)], check=True, capture_output=True, text=True)
        docx_seconds = time.perf_counter() - t
        quotes, codings = (int(x) for x in re.search(r"(\d+) quotes from (\d+) codings", done.stdout).groups())
        t = time.perf_counter()
        subprocess.run([str(exe), "--project", str(root), "matrix", "--json"], check=True, capture_output=True)
        matrix_cli = time.perf_counter() - t
        size = target.stat().st_size
    return {
        "codings": n,
        "matrix_ms": round(m["codings"] * 1000, 1),
        "matrix_words_ms": round(m["words"] * 1000, 1),
        "matrix_cli_seconds_with_startup": round(matrix_cli, 2),
        "docx_excerpts": codings,
        "docx_quotes": quotes,
        "docx_seconds": round(docx_seconds, 2),
        "docx_mb": round(size / 1e6, 1),
    }


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
