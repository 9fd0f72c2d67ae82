"""The fuzzy code picker: type part of a label (Swedish or English), an id, or a definition word."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from qualcode.tui.codeinfo import Code, Codes
from qualcode.tui.dialogs.base import Dialog, move_highlight


def rank_codes(codes: list[Code], query: str, limit: int = 50) -> list[Code]:
    """Codes best matching `query`: labels and ids weigh more than definitions."""
    query = query.strip().lower()
    if not query:
        return list(codes)
    from rapidfuzz import fuzz

    scored = []
    for code in codes:
        names = [code.id, *[v for v in code.labels.values() if v]]
        name_score = max(fuzz.partial_ratio(query, n.lower()) for n in names)
        if any(n.lower().startswith(query) for n in names):
            name_score += 10
        prose = " ".join([code.definition, code.inclusion]).lower()
        prose_score = fuzz.partial_ratio(query, prose) * 0.8 if prose and len(query) > 2 else 0
        score = max(name_score, prose_score)
        if score >= 60:
            scored.append((score, -code.position, code))
    scored.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [code for _s, _p, code in scored[:limit]]


class CodePicker(Dialog[str | None]):
    """Returns the chosen code id, or None."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="picker.cancel"),
        Binding("down", "move(1)", "Next", show=False, id="picker.down"),
        Binding("up", "move(-1)", "Previous", show=False, id="picker.up"),
    ]
    HINT = "enter apply · ↑↓ choose · esc cancel"

    def __init__(self, codes: Codes, title: str = "Apply code") -> None:
        super().__init__(title)
        self.codes = codes

    def body(self) -> ComposeResult:
        yield Input(placeholder="type to search labels (sv/en), ids, definitions", id="picker-input")
        yield OptionList(id="picker-options")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one(Input).focus()

    def _fill(self, query: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        for code in rank_codes(self.codes.codable(), query):
            label = Text.assemble(("█ ", code.color), code.both_labels(), (f"  {code.id}", "dim"))
            if code.shortcut:
                label.append(f"  [{code.shortcut}]", style="bold dim")
            options.add_option(Option(label, id=code.id))
        if options.option_count:
            options.highlighted = 0

    @on(Input.Changed, "#picker-input")
    def _changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#picker-input")
    def _submitted(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None and options.option_count:
            self.dismiss(options.get_option_at_index(options.highlighted).id)

    @on(OptionList.OptionSelected, "#picker-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_move(self, step: int) -> None:
        move_highlight(self.query_one(OptionList), step)
