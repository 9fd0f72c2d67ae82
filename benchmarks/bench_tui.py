"""Benchmark: the coding screen on a 300,000-character transcript with 2,000 codings (pilot, headless).

Targets: open and render the first screen < 300 ms; key press to updated screen < 50 ms
for moving, selecting, applying a code and undoing it.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.memory import peak_mb

CHARS = 300_000
CODINGS = 2_000
REPEATS = 15
SIZE = (120, 40)
TARGETS = {
    "open_first_screen_ms": ("<=", 300),
    "move_ms": ("<=", 50),
    "select_sentence_ms": ("<=", 50),
    "select_word_ms": ("<=", 50),
    "apply_code_ms": ("<=", 50),
    "undo_ms": ("<=", 50),
}
CODEBOOK = """\
name: Bench
version: "1"
language: sv
themes:
  - {id: theme, uuid: 00000000-0000-4000-8000-000000000100, label: {sv: Tema, en: Theme}, color: "#4C78A8"}
codes:
""" + "".join(
    f'  - {{id: code-{k}, uuid: 00000000-0000-4000-8000-{k:012d}, parent: theme, label: {{sv: kod {k}, en: code {k}}}, definition: "Kod {k}.", '
    f'color: "#{(k * 2654435761) % 0xFFFFFF:06x}", shortcut: "{(k + 1) % 10}"}}\n'
    for k in range(10)
)


def build(root: Path, seed: int = 3) -> int:
    """A project with one long transcript and CODINGS random codings; returns the transcript id."""
    from benchmarks import corpus
    from qualcode import store
    from qualcode.ingest import import_paths
    from qualcode.project import init_project

    rng = random.Random(seed)
    book = root / "bench.yaml"
    book.write_text(CODEBOOK, encoding="utf-8")
    project = init_project(root / "proj", language="sv", codebook=book, coder="bench")
    source = root / "src" / "long.md"
    source.parent.mkdir()
    text = corpus.transcript(rng, CHARS // 6, 0)
    source.write_text(text, encoding="utf-8")
    import_paths(project, [source])
    db = project.db
    (tid,) = db.execute("SELECT id FROM transcripts").fetchone()
    segments = db.execute('SELECT start, "end" FROM segments WHERE transcript_id = ?', [tid]).fetchall()
    body = db.execute("SELECT text FROM transcripts WHERE id = ?", [tid]).fetchone()[0]
    rows = []
    for _ in range(CODINGS):
        i = rng.randrange(len(segments))
        j = min(i + rng.choice([0, 0, 0, 1, 2]), len(segments) - 1)
        a, b = segments[i][0], segments[j][1]
        rows.append((tid, a, b, f"code-{rng.randrange(10)}", rng.choice(["bench", "other"]), store.now(), body[a:b]))
    with store.transaction(db):
        store.ensure_coder(db, "other")
        store.ensure_coder(db, "bench")
        db.conn.executemany(
            'INSERT INTO codings (transcript_id, start, "end", code_id, coder, created_at, quote) VALUES (?,?,?,?,?,?,?)',
            rows)
    project.close()
    return tid


async def _measure(root: Path, tid: int) -> dict:
    from qualcode.tui.app import create_app
    from qualcode.tui.screens.coding import CodingScreen

    app = create_app(root, watch_interval=0, log_file=False)
    figures: dict = {}
    frames: list[float] = []
    display = app._display

    def timed_display(screen, renderable):
        # The headless driver discards the frame, but it has been composed by now: that is "on screen".
        if renderable is not None and getattr(screen, "doc", None) is not None:
            frames.append(time.perf_counter())
        return display(screen, renderable)

    app._display = timed_display
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.5)   # the project screen, and the coding screen prepared in the background
        frames.clear()
        started = time.perf_counter()
        app.open_transcript(tid)
        while not (isinstance(app.screen, CodingScreen) and app.screen.doc is not None):
            await pilot.pause(0)
        await pilot.pause()
        figures["open_first_screen_ms"] = round((frames[0] - started) * 1000, 1)
        screen = app.screen
        doc = screen.doc
        figures["characters"] = len(doc.text)
        figures["codings"] = len(doc.codings)
        figures["display_lines"] = len(doc.lines)
        await pilot.press("G")
        await pilot.press("g")
        for _ in range(200):   # somewhere in the middle
            await pilot.press("J")

        async def timed(*keys: str) -> float:
            """From the key press to the last frame it caused (pilot's own idle wait excluded)."""
            frames.clear()
            t0 = time.perf_counter()
            await pilot.press(*keys)
            return ((frames[-1] if frames else t0) - t0) * 1000

        figures["move_ms"] = _median([await timed("j") for _ in range(REPEATS)])
        figures["select_sentence_ms"] = _median([await timed("shift+down") for _ in range(REPEATS)])
        figures["select_word_ms"] = _median([await timed("shift+right") for _ in range(REPEATS)])
        apply, undo = [], []
        for _ in range(REPEATS):
            await pilot.press("j")
            apply.append(await timed("1"))
            undo.append(await timed("u"))
        figures["apply_code_ms"] = _median(apply)
        figures["undo_ms"] = _median(undo)
    figures["peak_rss_mb"] = round(peak_mb(), 1)  # includes building the project in this process
    return figures


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 1)


def run() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        tid = build(Path(tmp))
        return asyncio.run(_measure(Path(tmp) / "proj", tid))


if __name__ == "__main__":
    results = run()
    width = max(map(len, results))
    for key, value in results.items():
        target = TARGETS.get(key)
        print(f"{key.ljust(width)}  {value:>10}  {'' if target is None else ' '.join(map(str, target))}")
