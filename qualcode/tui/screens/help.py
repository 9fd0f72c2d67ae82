"""Help: every key, generated from the bindings (with the user's keymap applied), and the keymap format."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


def binding_rows(bindings, keymap: dict[str, str] | None = None) -> list[tuple[str, str, list[str]]]:
    """(keys, description, ids) per distinct description, keys joined (so 1 … 0 make one row)."""
    rows: dict[str, tuple[list[str], list[str]]] = {}
    for b in bindings:
        if not isinstance(b, Binding) or not b.description:
            continue
        keys, ids = rows.setdefault(b.description, ([], []))
        remapped = (keymap or {}).get(b.id) if b.id else None
        keys.extend(_key(k) for k in (remapped or b.key).split(","))
        if b.id:
            ids.append(b.id)
    return [(" ".join(dict.fromkeys(keys)), description, ids) for description, (keys, ids) in rows.items()]


def _key(key: str) -> str:
    names = {"full_stop": ".", "slash": "/", "question_mark": "?", "down": "↓", "up": "↑",
             "left": "←", "right": "→", "escape": "esc", "asterisk": "*", "comma": ",", "space": "space"}
    parts = key.strip().split("+")
    return "+".join(names.get(p, p) for p in parts)


def _ids(ids: list[str]) -> str:
    """Binding ids for the keymap; a numbered family (coding.shortcut-1 … 0) in one short cell."""
    if len(ids) <= 2:
        return " ".join(ids)
    stem = ids[0].rsplit("-", 1)[0] + "-"
    if all(i.startswith(stem) for i in ids):
        return f"{ids[0]} … {ids[-1][len(stem):]}"
    return f"{ids[0]} …"


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "close", "Close", id="help.close")]

    def compose(self) -> ComposeResult:
        from qualcode.tui.keymap import FORMAT_HELP, binding_sources

        keymap = getattr(self.app, "user_keymap", {})
        with VerticalScroll(classes="dialog help-dialog"):
            yield Static(Text("qualcode keys (ctrl+p finds every action by name)", style="bold"))
            for title, bindings in binding_sources():
                table = Table(title=title, title_justify="left", show_header=False, box=None, padding=(0, 2))
                table.add_column(style="bold cyan", no_wrap=True)
                table.add_column()
                table.add_column(style="dim", no_wrap=True)
                for keys, description, ids in binding_rows(bindings, keymap):
                    table.add_row(keys, description, _ids(ids))
                yield Static(table)
            yield Static(Text("\nYour own keys", style="bold"))
            yield Static(Text(FORMAT_HELP), id="keymap-help")

    def action_close(self) -> None:
        self.dismiss(None)
