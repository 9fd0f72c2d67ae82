"""The coding screen's side panel: codes on the current span, suggestions, and the focused code's entry."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from qualcode.tui.codeinfo import Code, Codes

SHOWN_INDICATORS = 30  # per language in a code's entry


class TextBox(Widget):
    """Text that repaints without a layout pass (Static.update re-lays the whole screen out)."""

    def __init__(self, text: Text | str = "", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._text = Text(text) if isinstance(text, str) else text

    @property
    def text(self) -> Text:
        return self._text

    def set(self, text: Text | str) -> None:
        text = Text(text) if isinstance(text, str) else text
        if text.plain != self._text.plain or text.spans != self._text.spans:
            self._text = text
            self.refresh()

    def render(self) -> Text:
        return self._text


class SidePanel(TextBox):
    """Codes on the span, suggestions, and the focused code's entry, as one text filling the panel."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.parts = {"codes": Text(), "suggestions": Text(), "code": Text()}

    def show(self, codings, suggestions, status: str | None, code: Code | None, codes: Codes, me: str) -> None:
        """Everything at once, so a key press composes the panel's text once."""
        self.parts = {"codes": _codings_text(codings, codes, me),
                      "suggestions": _suggestions_text(suggestions, codes, status),
                      "code": _code_text(code)}
        text = Text()
        for title, key in (("Codes here", "codes"), ("Suggestions", "suggestions"), (None, "code")):
            if title:
                text.append(f"{title}\n", style="bold dim")
            text.append_text(self.parts[key])
            text.append("\n\n")
        self.set(text)


def _codings_text(codings, codes: Codes, me: str) -> Text:
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
    return text


def _suggestions_text(suggestions, codes: Codes, status: str | None) -> Text:
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
        text.append("\na accept top · A choose · x reject", style="dim")
    return text


def _code_text(code: Code | None) -> Text:
    if code is None:
        text = Text("Code\n", style="bold dim")
        text.append("Move to a coded segment to see its code's definition here.", style="dim")
        return text
    text = Text.assemble(("█ ", code.color), (code.both_labels(), "bold"), "\n")
    text.append_text(entry_text(code, brief=True))
    return text


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
                # A theory-derived codebook can carry a hundred terms per language: show the first
                # ones, which codebooks list first because they name the concept, and count the rest.
                text.append(f"\nIndicators ({lang}): ", style="bold")
                text.append(", ".join(map(str, terms[:SHOWN_INDICATORS])))
                if len(terms) > SHOWN_INDICATORS:
                    text.append(f" … and {len(terms) - SHOWN_INDICATORS} more in the codebook file", style="dim")
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
