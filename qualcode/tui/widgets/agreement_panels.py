"""Texts of the agreement screen: the progress and figures header, table cells, and the selected row's detail."""

from __future__ import annotations

from rich.text import Text

from qualcode.tui.cells import one_line
from qualcode.tui.codeinfo import Codes
from qualcode.tui.widgets.side_panel import entry_text

PAIRS = (("a_b", "A–B"), ("a_consensus", "A–consensus"), ("b_consensus", "B–consensus"))
CHOICE_LABELS = {"a": "A's", "b": "B's", "both": "both", "neither": "neither"}


def _number(value, digits: int = 3) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def figure_line(figures: dict | None, note: str | None) -> Text:
    """κ, α and % agreement of one pair (pooled over codes), or why they are undefined."""
    text = Text()
    if figures is None:
        text.append(f"— {note or 'no figures'}", style="dim italic")
        return text
    text.append("κ ", style="bold")
    text.append(_number(figures.get("kappa")))
    text.append("  α ", style="bold")
    text.append(_number(figures.get("alpha")))
    text.append("  agreement ", style="bold")
    pct = figures.get("percent_agreement")
    text.append("—" if pct is None else f"{pct:.1f}%")
    restricted = figures.get("restricted") or {}
    if restricted.get("percent_agreement") is not None:
        text.append(f"   on coded units: κ {_number(restricted.get('kappa'))}"
                    f"  {restricted['percent_agreement']:.1f}%", style="dim")
    reason = figures.get("kappa_reason") or figures.get("alpha_reason")
    if reason:
        text.append(f"  ({reason})", style="dim italic")
    return text


def header_text(setup, progress: dict | None, position: tuple[int, int] | None) -> Text:
    """Who is compared where, how many disagreements are resolved, and the three pairs' figures."""
    text = Text()
    text.append(f" A {setup.coder_a}", style="bold")
    text.append("  vs  ")
    text.append(f"B {setup.coder_b}", style="bold")
    text.append(f"  →  {setup.consensus}", style="bold")
    if progress is None:
        text.append("\n Loading…", style="dim italic")
        return text
    where = f"  {position[0] + 1}/{position[1]}" if position else ""
    text.append(f"   {progress['transcript']}{where}  per {progress['unit']}", style="dim")
    done, total = progress["resolved"], progress["disagreements"]
    text.append("\n Resolved ")
    text.append(f"{done}/{total}", style="bold green" if total and done == total else "bold")
    text.append(f"   remaining {progress['remaining']}", style="bold" if progress["remaining"] else "dim")
    for key, label in PAIRS:
        text.append(f"\n {label:<13}", style="bold dim")
        note = progress["notes"].get(key)
        if note and key != "a_b" and f"'{setup.consensus}'" in note:  # the usual case at the start
            note = f"no codings by {setup.consensus} here yet: resolve rows (a b B n) or copy agreements (S)"
        text.append_text(figure_line(progress["figures"].get(key), note))
    return text


def mark(coded: bool, color: str) -> Text:
    return Text("██ yes", style=color) if coded else Text("·  no", style="dim")


def consensus_cell(d) -> Text:
    if d.resolved is None:
        return Text("open", style="dim italic")
    label = CHOICE_LABELS.get(d.choice or "", "")
    if d.resolved == "coded":
        return Text(f"✓ coded{f' ({label})' if label else ''}", style="green")
    return Text(f"✗ not coded{f' ({label})' if label else ''}", style="yellow")


def _spans(text: Text, title: str, rows: list[dict], full: str) -> None:
    text.append(f"\n{title}: ", style="bold")
    if not rows:
        text.append("not coded", style="dim")
    for r in rows:
        text.append(f"\n  “{one_line(full[r['start']:r['end']], 160)}”", style="italic")
        if r.get("memo"):
            text.append(f"\n  ✎ {r['memo']}", style="italic yellow")


def detail_text(d, codes: Codes, transcript_text: str) -> Text:
    """The unit, what A, B and the consensus coder coded there, and the code's boundaries."""
    code = codes.get(d.code)
    text = Text()
    text.append(f"{d.unit.capitalize()} {d.number}\n", style="bold dim")
    text.append(one_line(d.text, 600))
    _spans(text, f"A {d.coder_a}", d.codings_a, transcript_text)
    _spans(text, f"B {d.coder_b}", d.codings_b, transcript_text)
    text.append("\n\n")
    if code is None:
        text.append(d.code, style="bold")
    else:
        text.append_text(Text.assemble(("█ ", code.color), (code.both_labels(), "bold"), "\n"))
        text.append_text(entry_text(code, brief=True))
    return text
