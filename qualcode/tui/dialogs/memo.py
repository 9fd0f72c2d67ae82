"""Write or edit a memo; ctrl+s saves, escape cancels."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import TextArea

from qualcode.tui.dialogs.base import Dialog


class MemoDialog(Dialog[str | None]):
    """Returns the memo text (possibly empty, which clears a coding's memo), or None when cancelled."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="memo.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="memo.cancel"),
    ]
    BOX = "dialog memo-dialog"
    HINT = "ctrl+s save · esc cancel"

    def __init__(self, title: str, text: str = "") -> None:
        super().__init__(title)
        self.text = text

    def body(self) -> ComposeResult:
        yield TextArea(self.text, id="memo-text", soft_wrap=True)

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text.strip())
