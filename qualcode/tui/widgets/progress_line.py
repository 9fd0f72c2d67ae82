"""One line of progress for slow background work: what is running, how far, and a bar."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, ProgressBar


class ProgressLine(Horizontal):
    """Hidden while idle; `show(key, label, done, total)` per kind of work, `finish(key)` when it ends."""

    DEFAULT_CSS = """
    ProgressLine { height: 1; padding: 0 1; display: none; }
    ProgressLine Label { width: auto; color: $text-muted; margin-right: 2; }
    ProgressLine ProgressBar { width: 1fr; }
    ProgressLine ProgressBar Bar { width: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.jobs: dict[str, tuple[str, int | None, int | None]] = {}

    def compose(self) -> ComposeResult:
        yield Label("")
        yield ProgressBar(show_eta=False, show_percentage=False)

    def show(self, key: str, label: str, done: int | None = None, total: int | None = None) -> None:
        self.jobs[key] = (label, done, total)
        self._render_jobs()

    def finish(self, key: str) -> None:
        if self.jobs.pop(key, None) is not None:
            self._render_jobs()

    @property
    def text(self) -> str:
        return str(self.query_one(Label).content)

    def _render_jobs(self) -> None:
        if not self.jobs:
            self.display = False
            return
        # The newest job owns the bar; the others stay named in the label.
        key = next(reversed(self.jobs))
        label, done, total = self.jobs[key]
        self.query_one(Label).update(" · ".join(_describe(*job) for job in self.jobs.values()))
        # Without a count done the bar runs indeterminate: the work is alive but cannot say how far.
        known = done is not None and bool(total)
        self.query_one(ProgressBar).update(total=total if known else None, progress=done if known else 0)
        self.display = True


def _describe(label: str, done: int | None, total: int | None) -> str:
    return f"{label} {done}/{total}" if done is not None and total else f"{label}…"
