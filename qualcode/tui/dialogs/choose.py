"""Choose one of several items (a coding to remove or give a memo, a suggestion to accept)."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from qualcode.tui.dialogs.base import Dialog


class ChooseDialog(Dialog[Any]):
    """Returns the value paired with the chosen label, or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="choose.cancel")]
    HINT = "enter choose · esc cancel"

    def __init__(self, title: str, items: list[tuple[Any, Any]]) -> None:
        super().__init__(title)
        self.items = items

    def body(self) -> ComposeResult:
        yield OptionList(*[Option(label, id=str(i)) for i, (label, _v) in enumerate(self.items)], id="choose-options")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        if options.option_count:
            options.highlighted = 0

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.items[int(event.option.id)][1])
