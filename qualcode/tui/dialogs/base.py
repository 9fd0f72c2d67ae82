"""What the modal dialogs share: a titled box with a hint line, cancel returning None, a movable highlight."""

from __future__ import annotations

from typing import TypeVar

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList

ResultType = TypeVar("ResultType")


class Dialog(ModalScreen[ResultType]):
    """A box (`BOX`: its classes in app.tcss) holding the title, the dialog's `body()` and the `HINT` line.

    Each dialog declares its own escape binding (`<dialog>.cancel`): a user keymap remaps bindings by id.
    """

    BOX = "dialog"
    HINT = ""

    def __init__(self, title: str) -> None:
        super().__init__()
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(classes=self.BOX):
            yield Label(self.title_text, classes="dialog-title")
            yield from self.body()
            if self.HINT:
                yield Label(self.HINT, classes="dialog-hint")

    def body(self) -> ComposeResult:
        raise NotImplementedError

    def action_cancel(self) -> None:
        self.dismiss(None)


def move_highlight(options: OptionList, step: int) -> None:
    """Move the list's highlight by `step` and stay on the list (↑↓ while the typing goes to an Input)."""
    if options.option_count:
        current = options.highlighted if options.highlighted is not None else -1
        options.highlighted = max(0, min(options.option_count - 1, current + step))
