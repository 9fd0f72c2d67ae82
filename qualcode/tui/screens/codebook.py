"""The codebook screen: themes and codes as a tree with counts, and the highlighted code's full entry."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static, Tree

from qualcode.tui.codeinfo import coding_counts, load_codes
from qualcode.tui.guard import guarded
from qualcode.tui.widgets.side_panel import entry_text


class CodebookScreen(Screen):
    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            yield Tree("Codebook", id="codebook-tree")
            with VerticalScroll(id="codebook-entry"):
                yield Static("", id="codebook-title")
                yield Static("", id="codebook-body")
        yield Footer(compact=True)

    def on_screen_resume(self) -> None:
        self.refresh_data()
        self.query_one(Tree).focus()

    @guarded
    def refresh_data(self) -> None:
        db = self.app.project.db
        self.codes = load_codes(db)
        counts = coding_counts(db)
        tree = self.query_one(Tree)
        tree.clear()
        tree.root.expand()
        name = self.app.project.setting("codebook_name") or "Codebook"
        tree.root.set_label(name)
        if not self.codes.ordered:
            tree.root.add_leaf("(no codebook loaded: qualcode codebook load FILE)")

        def subtotal(code_id: str) -> int:
            return counts.get(code_id, 0) + sum(subtotal(c.id) for c in self.codes.children(code_id))

        def add(parent, code) -> None:
            label = Text.assemble(("█ ", code.color), (code.both_labels(), "" if code.codable else "bold"))
            label.append(f"  {subtotal(code.id)}", style="dim")
            if code.shortcut:
                label.append(f"  [{code.shortcut}]", style="dim")
            kids = self.codes.children(code.id)
            node = parent.add(label, data=code.id, expand=True) if kids else parent.add_leaf(label, data=code.id)
            for kid in kids:
                add(node, kid)

        for root in self.codes.children(None):
            add(tree.root, root)
        self.show(None)

    @on(Tree.NodeHighlighted)
    def _highlighted(self, event: Tree.NodeHighlighted) -> None:
        self.show(event.node.data)

    def show(self, code_id: str | None) -> None:
        code = self.codes.get(code_id) if code_id else None
        title = self.query_one("#codebook-title", Static)
        body = self.query_one("#codebook-body", Static)
        if code is None:
            title.update(Text("Choose a code in the tree to see its entry.", style="dim"))
            body.update("")
            return
        title.update(Text.assemble(("█ ", code.color), (code.both_labels(), "bold"),
                                   ("" if code.codable else "  (theme)", "dim")))
        body.update(entry_text(code))
