"""The coding screen's side panel: codes on the current span, suggestions, and the focused code's entry."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from qualcode.tui.codeinfo import Code, Codes


class SidePanel(VerticalScroll):
    """Three stacked sections, refreshed by the coding screen whenever the cursor or data change."""

    def compose(self) -> ComposeResult:
        yield Static("Codes here", classes="panel-title")
        yield Static("", id="panel-codes")
        yield Static("Suggestions", classes="panel-title")
        yield Static("", id="panel-suggestions")
        yield Static("Code", classes="panel-title", id="panel-code-title")
        yield Static("", id="panel-definition")

    def show_codings(self, codings, codes: Codes, me: str) -> None:
        text = Text()
        if not codings:
            text.append("(none)  ", style="dim")
            text.append("1-9 shortcut · c picker", style="dim italic")
        for i, c in enumerate(codings):
            if i:
                text.append("\n")
            text.append("█ ", style=codes.color(c.code_id))
            text.append(codes.label(c.code_id))
            who = c.coder if c.coder != me else f"{c.coder} (you)"
            text.append(f"  {who}", style="dim")
            if c.memo:
                text.append("  ✎ memo", style="italic yellow")
            if c.from_suggestion:
                text.append("  ◆", style="#d7af00")
        self.query_one("#panel-codes", Static).update(text)

    def show_suggestions(self, suggestions, codes: Codes, status: str | None = None) -> None:
        text = Text()
        if status:
            text.append(status, style="dim italic")
        elif not suggestions:
            text.append("(none for this segment)", style="dim")
        for i, s in enumerate(suggestions or []):
            if i:
                text.append("\n")
            text.append("◆ ", style=codes.color(s.code))
            text.append(codes.label(s.code))
            text.append(f"  {s.score:.0%}", style="bold")
            evidence = _evidence(s)
            if evidence:
                text.append(f"\n   {evidence}", style="dim italic")
        if suggestions:
            text.append("\n a accept top · A choose · x reject", style="dim")
        self.query_one("#panel-suggestions", Static).update(text)

    def show_code(self, code: Code | None, codes: Codes) -> None:
        title = self.query_one("#panel-code-title", Static)
        body = self.query_one("#panel-definition", Static)
        if code is None:
            title.update("Code")
            body.update(Text("Move to a coded segment to see its code's definition here.", style="dim"))
            return
        title.update(Text.assemble(("█ ", code.color), code.both_labels()))
        body.update(entry_text(code, brief=True))


def entry_text(code: Code, brief: bool = False) -> Text:
    """A code's codebook entry as styled text (brief: the boundary fields only)."""
    text = Text()
    text.append(f"{code.id}", style="dim")
    if code.shortcut:
        text.append(f"  key {code.shortcut}", style="dim")
    fields = [("Definition", code.definition), ("Include", code.inclusion), ("Exclude", code.exclusion)]
    if not brief:
        fields.insert(1, ("Source", code.source))
    for name, value in fields:
        if value:
            text.append(f"\n{name}: ", style="bold")
            text.append(value.strip())
    if not brief:
        if code.examples:
            text.append("\nExamples:", style="bold")
            for example in code.examples:
                text.append(f"\n  “{example}”", style="italic")
        for lang, terms in (code.indicators or {}).items():
            if terms:
                text.append(f"\nIndicators ({lang}): ", style="bold")
                text.append(", ".join(map(str, terms)))
    return text


def _evidence(suggestion) -> str:
    evidence = getattr(suggestion, "evidence", None)
    if not evidence:
        return ""
    if isinstance(evidence, str):
        return evidence
    try:
        return ", ".join(str(e) for e in evidence)
    except TypeError:
        return str(evidence)
