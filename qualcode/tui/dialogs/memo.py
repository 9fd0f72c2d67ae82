"""Write or edit a memo; ctrl+s saves, escape cancels."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, TextArea


class MemoDialog(ModalScreen[str | None]):
    """Returns the memo text (possibly empty, which clears a coding's memo), or None when cancelled."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="memo.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="memo.cancel"),
    ]

    def __init__(self, title: str, text: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog memo-dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield TextArea(self.text, id="memo-text", soft_wrap=True)
            yield Label("ctrl+s save · esc cancel", classes="dialog-hint")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
