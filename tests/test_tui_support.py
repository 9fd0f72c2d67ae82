"""Helpers for the TUI tests: waiting for a condition, and a small project with a transcript."""

from __future__ import annotations

import asyncio
import functools
import time

TIMEOUT = 10.0


def sync(test):
    """Run an async pilot test on a fresh event loop (no pytest async plugin needed)."""

    @functools.wraps(test)
    def wrapper(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    return wrapper


async def wait_for(pilot, predicate, timeout: float = TIMEOUT, what: str = "condition") -> None:
    """Let the app run until predicate() is true (never a fixed number of pauses)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if predicate():
                return
        except Exception:  # the widget may not be mounted yet
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.02)


def codings(project, **where) -> list[dict]:
    sql = 'SELECT id, transcript_id, start, "end", code_id, coder, memo, from_suggestion FROM codings'
    if where:
        sql += " WHERE " + " AND ".join(f'"{k}" = ?' for k in where)
    sql += " ORDER BY id"
    cols = ("id", "transcript_id", "start", "end", "code_id", "coder", "memo", "from_suggestion")
    return [dict(zip(cols, row)) for row in project.db.execute(sql, list(where.values()))]


def segment_spans(project, transcript_id: int) -> list[tuple[int, int]]:
    return project.db.execute(
        'SELECT start, "end" FROM segments WHERE transcript_id = ? ORDER BY number', [transcript_id]
    ).fetchall()


async def open_first_transcript(pilot):
    """From the project screen, Enter opens the first transcript; returns the coding screen."""
    from qualcode.tui.screens.coding import CodingScreen

    app = pilot.app
    await wait_for(pilot, lambda: app.screen.query_one("DataTable").row_count > 0, what="transcript list")
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, CodingScreen) and app.screen.doc is not None,
                   what="coding screen")
    return app.screen
