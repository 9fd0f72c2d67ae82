"""Ask for one line of text (a coder's name, a path to import), with optional known values."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, OptionList

from qualcode.tui.dialogs.base import Dialog


class PromptDialog(Dialog[str | None]):
    """Returns the typed (or chosen) text, or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt.cancel")]
    HINT = "enter ok · esc cancel"

    def __init__(self, title: str, value: str = "", choices: list[str] | None = None, placeholder: str = "") -> None:
        super().__init__(title)
        self.value = value
        self.choices = choices or []
        self.placeholder = placeholder

    def body(self) -> ComposeResult:
        yield Input(self.value, placeholder=self.placeholder, id="prompt-input")
        if self.choices:
            yield OptionList(*self.choices, id="prompt-choices")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        self.dismiss(value or None)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(str(event.option.prompt))
