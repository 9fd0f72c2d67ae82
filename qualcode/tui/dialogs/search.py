"""Search as you type; the hits come from a function, the chosen hit's value is returned."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from qualcode.tui.dialogs.base import Dialog, move_highlight

MAX_HITS = 200


class SearchDialog(Dialog[Any]):
    """`find(query) -> [(label, value), ...]`; enter or a click chooses the highlighted hit."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="search.cancel"),
        Binding("down", "move(1)", "Next", show=False, id="search.down"),
        Binding("up", "move(-1)", "Previous", show=False, id="search.up"),
    ]
    BOX = "dialog search-dialog"

    def __init__(self, title: str, find: Callable[[str], list[tuple[Any, Any]]]) -> None:
        super().__init__(title)
        self.find = find
        self.values: list[Any] = []

    def body(self) -> ComposeResult:
        yield Input(placeholder="search text", id="search-input")
        yield OptionList(id="search-hits")
        yield Label("", id="search-count", classes="dialog-hint")   # the hint line, with the count of hits

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Changed, "#search-input")
    def _changed(self, event: Input.Changed) -> None:
        self._run(event.value)

    def _run(self, query: str) -> None:
        hits = self.find(query) if len(query.strip()) >= 2 else []
        options = self.query_one(OptionList)
        options.clear_options()
        self.values = [value for _label, value in hits[:MAX_HITS]]
        options.add_options([Option(label, id=str(i)) for i, (label, _v) in enumerate(hits[:MAX_HITS])])
        if options.option_count:
            options.highlighted = 0
        more = f" (first {MAX_HITS})" if len(hits) > MAX_HITS else ""
        self.query_one("#search-count", Label).update(f"{len(hits)} hits{more} · enter go · esc cancel")

    @on(Input.Submitted, "#search-input")
    def _submitted(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None and self.values:
            self.dismiss(self.values[options.highlighted])

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.values[int(event.option.id)])

    def action_move(self, step: int) -> None:
        move_highlight(self.query_one(OptionList), step)
