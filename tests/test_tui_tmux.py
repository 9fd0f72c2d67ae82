"""The tmux smoke test: qualcode in a real terminal, keys sent as a person types, the coding in the store."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def _qualcode() -> Path:
    return Path(sys.executable).parent / "qualcode"


def _wait(predicate, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (make test installs it where it can)")
def test_code_a_segment_in_tmux_and_quit(imported):
    project, transcript = imported
    if not _qualcode().exists():
        pytest.skip(f"no qualcode script next to {sys.executable}")
    session = f"qc-{uuid.uuid4().hex[:8]}"
    tmux = ["tmux", "-L", session]   # a private server: nothing shared with the user's tmux
    command = f"{_qualcode()} --project {project.root} open"

    def screen() -> str:
        out = subprocess.run([*tmux, "capture-pane", "-p", "-t", session], capture_output=True, text=True)
        return out.stdout

    subprocess.run([*tmux, "new-session", "-d", "-s", session, "-x", "120", "-y", "40", command], check=True)
    try:
        assert _wait(lambda: "syd-grupp" in screen()), screen()
        subprocess.run([*tmux, "send-keys", "-t", session, "Enter"], check=True)
        assert _wait(lambda: "segment 1/" in screen()), screen()
        subprocess.run([*tmux, "send-keys", "-t", session, "j", "j", "1"], check=True)
        count = lambda: project.db.execute("SELECT COUNT(*) FROM codings").fetchone()[0]  # noqa: E731
        assert _wait(lambda: count() == 1), screen()
        subprocess.run([*tmux, "send-keys", "-t", session, "q", "q"], check=True)
        gone = lambda: subprocess.run([*tmux, "has-session", "-t", session], capture_output=True).returncode != 0  # noqa: E731
        assert _wait(gone, 15), "qualcode did not quit on q q"
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)
    row = project.db.execute('SELECT code_id, start, "end" FROM codings').fetchone()
    spans = project.db.execute(
        'SELECT start, "end" FROM segments WHERE transcript_id = ? ORDER BY number', [transcript.id]).fetchall()
    assert row == ("warm-start", *spans[2])
