"""Search as you type; the hits come from a function, the chosen hit's value is returned."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

MAX_HITS = 200


class SearchDialog(ModalScreen[Any]):
    """`find(query) -> [(label, value), ...]`; enter or a click chooses the highlighted hit."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="search.cancel"),
        Binding("down", "move(1)", "Next", show=False, id="search.down"),
        Binding("up", "move(-1)", "Previous", show=False, id="search.up"),
    ]

    def __init__(self, title: str, find: Callable[[str], list[tuple[Any, Any]]], query: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.find = find
        self.query_text = query
        self.values: list[Any] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog search-dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Input(self.query_text, placeholder="search text", id="search-input")
            yield OptionList(id="search-hits")
            yield Label("", id="search-count", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        if self.query_text:
            self._run(self.query_text)

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
        options = self.query_one(OptionList)
        if options.option_count:
            current = options.highlighted if options.highlighted is not None else -1
            options.highlighted = max(0, min(options.option_count - 1, current + step))

    def action_cancel(self) -> None:
        self.dismiss(None)
