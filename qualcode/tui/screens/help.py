"""Help: every key, generated from the bindings of the app and each screen."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


def binding_rows(bindings) -> list[tuple[str, str]]:
    """(keys, description) per distinct description, keys joined (so 1 … 0 make one row)."""
    rows: dict[str, list[str]] = {}
    for b in bindings:
        if not isinstance(b, Binding) or not b.description:
            continue
        rows.setdefault(b.description, []).extend(_key(k) for k in b.key.split(","))
    return [(" ".join(keys), description) for description, keys in rows.items()]


def _key(key: str) -> str:
    names = {"full_stop": ".", "slash": "/", "question_mark": "?", "down": "↓", "up": "↑",
             "left": "←", "right": "→", "escape": "esc"}
    parts = key.split("+")
    return "+".join(names.get(p, p) for p in parts)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "close", "Close", id="help.close")]

    def compose(self) -> ComposeResult:
        from qualcode.tui.app import QualcodeApp
        from qualcode.tui.screens.agreement import AgreementScreen
        from qualcode.tui.screens.coding import CodingScreen
        from qualcode.tui.screens.excerpts import ExcerptsScreen
        from qualcode.tui.screens.project import ProjectScreen

        with VerticalScroll(classes="dialog help-dialog"):
            yield Static(Text("qualcode keys (ctrl+p finds every action by name)", style="bold"))
            for title, bindings in (
                ("Everywhere", QualcodeApp.BINDINGS),
                ("Coding", CodingScreen.BINDINGS),
                ("Project", ProjectScreen.BINDINGS),
                ("Excerpts", ExcerptsScreen.BINDINGS),
                ("Compare coders", AgreementScreen.BINDINGS),
            ):
                table = Table(title=title, title_justify="left", show_header=False, box=None, padding=(0, 2))
                table.add_column(style="bold cyan", no_wrap=True)
                table.add_column()
                for keys, description in binding_rows(bindings):
                    table.add_row(keys, description)
                yield Static(table)

    def action_close(self) -> None:
        self.dismiss(None)
