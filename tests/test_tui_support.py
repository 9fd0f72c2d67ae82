"""Helpers for the TUI tests: the app on a test project, waiting for a condition or a screen, reading the store."""

from __future__ import annotations

import asyncio
import functools
import io
import time

TIMEOUT = 10.0
SIZE = (120, 40)   # the terminal size the layout is designed for


def make_app(project, **options):
    """The app on a test project: no store watching (pass watch_interval to test it) and no log file."""
    from qualcode.tui.app import create_app

    options.setdefault("watch_interval", 0)
    options.setdefault("log_file", False)
    return create_app(project.root, **options)


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


async def wait_for_screen(pilot, name: str) -> None:
    """Let the app run until the screen or dialog on top is of the class called `name`."""
    await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == name, what=name)


async def run_palette(pilot, command: str) -> None:
    """Open the command palette, type `command`, give its search a moment, and press enter."""
    await pilot.press("ctrl+p")
    await wait_for_screen(pilot, "CommandPalette")
    await pilot.press(*command)
    await pilot.pause(0.3)
    await pilot.press("enter")


def screen_text(app) -> str:
    """The top screen's Static widgets as plain text, as a 120-column terminal shows them (Help's tables)."""
    from rich.console import Console

    console = Console(width=120, record=True, file=io.StringIO())
    for static in app.screen.query("Static"):
        console.print(static.content)
    return console.export_text()


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
