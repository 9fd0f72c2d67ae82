"""Choose one of several items (a coding to remove, a suggestion to accept, a search hit)."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option


class ChooseDialog(ModalScreen[Any]):
    """Returns the value paired with the chosen label, or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="choose.cancel")]

    def __init__(self, title: str, items: list[tuple[Any, Any]]) -> None:
        super().__init__()
        self.title_text = title
        self.items = items

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield OptionList(*[Option(label, id=str(i)) for i, (label, _v) in enumerate(self.items)], id="choose-options")
            yield Label("enter choose · esc cancel", classes="dialog-hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        if options.option_count:
            options.highlighted = 0

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.items[int(event.option.id)][1])

    def action_cancel(self) -> None:
        self.dismiss(None)
