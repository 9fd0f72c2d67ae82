"""Shown instead of a broken layout while the terminal is smaller than the app needs."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

MIN_WIDTH, MIN_HEIGHT = 80, 24


class TooSmallScreen(Screen):
    def compose(self) -> ComposeResult:
        yield Static("", id="too-small")

    def on_mount(self) -> None:
        self.update_message()

    def on_resize(self) -> None:
        self.update_message()

    def update_message(self) -> None:
        w, h = self.app.size
        self.query_one(Static).update(
            f"The terminal is {w}×{h}; qualcode needs at least {MIN_WIDTH}×{MIN_HEIGHT}.\n"
            "Enlarge the window (ctrl+q quits; nothing is lost)."
        )
