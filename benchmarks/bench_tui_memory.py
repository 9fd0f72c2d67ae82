"""Peak memory of the terminal UI with the 1M-word generated project open (target < 400 MB)."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

TARGETS = {"tui_peak_mb_1m_words": ("<=", 400)}

CHILD = r"""
import asyncio, json, resource, sys, time
from pathlib import Path
from qualcode.tui.app import create_app
from qualcode.tui.screens.coding import CodingScreen

async def main(root):
    app = create_app(Path(root), watch_interval=0, log_file=False)
    async with app.run_test(size=(120, 40)) as pilot:
        t0 = time.perf_counter()
        await pilot.pause(0.5)
        # let the project screen's background work (pending suggestions) run for a while
        deadline = time.perf_counter() + 60
        while app.workers and any(w.is_running for w in app.workers) and time.perf_counter() < deadline:
            await pilot.pause(0.2)
        project_ready = time.perf_counter() - t0
        for tid in (1, 50, 100):
            app.open_transcript(tid)
            while not (isinstance(app.screen, CodingScreen) and app.screen.doc is not None):
                await pilot.pause(0)
            for _ in range(30):
                await pilot.press("j")
            await pilot.pause(0.3)
    from benchmarks.memory import peak_mb
    print(json.dumps({"peak_mb": peak_mb(),
                      "project_screen_ready_s": project_ready}))

asyncio.run(main(sys.argv[1]))
"""


def run(n: int = 100, words: int = 10_000) -> dict:
    from benchmarks.corpus import generate
    from qualcode.ingest import import_paths
    from qualcode.project import init_project

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "p"
        repo = Path(__file__).resolve().parent.parent
        book = repo / "codebooks" / "implementation-theory.yaml"
        project = init_project(root, language="sv", codebook=book if book.is_file() else None)
        import_paths(project, [generate(Path(tmp) / "corpus", n, words)[0].parent])
        project.close()
        out = subprocess.run([sys.executable, "-c", CHILD, str(root)], check=True, capture_output=True, text=True,
                             cwd=Path(__file__).resolve().parent.parent)
        result = json.loads(out.stdout.strip().splitlines()[-1])
    return {
        "tui_peak_mb_1m_words": round(result["peak_mb"]),
        "tui_project_screen_ready_s": round(result["project_screen_ready_s"], 2),
    }


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
