"""The project screen: group interviews' speaker attributes, pending counts filling in, import progress."""

from __future__ import annotations

import threading

import pytest
from test_tui_support import SIZE, make_app, sync, wait_for, wait_for_screen

from qualcode.tui import suggestions

GROUP = """\
---
site: Syd
date: 2024-05-08
speakers:
  IP 1: {role: case manager, organisation: psykiatri}
  IP 2: {role: case manager, organisation: kommun}
  IP 3: {role: chef, organisation: kommun}
---
I: Hur började det?
IP 1: Vi hade jobbat så förut.
IP 2: Chefen byttes tre gånger.
IP 3: Det var tufft.
"""
SINGLE = "---\nsite: Norr\norganisation: kommun\nrole: chef\n---\nI: Hej.\nIP: Hej, vi börjar.\n"


@pytest.fixture
def two(project, tmp_path):
    from qualcode.ingest import import_paths

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "syd-grupp.md").write_text(GROUP, encoding="utf-8")
    (folder / "norr-chef.md").write_text(SINGLE, encoding="utf-8")
    import_paths(project, [folder])
    ids = dict(project.db.execute("SELECT name, id FROM transcripts").fetchall())
    return project, ids


class Gate:
    """A stand-in engine: counts come from `counts`; transcripts in `held` wait until released."""

    def __init__(self, counts: dict[int, int], held=()):
        self.counts, self.held = counts, set(held)
        self.release = threading.Event()
        self.asked: list[int] = []

    def __call__(self, project, transcript_id):
        self.asked.append(transcript_id)
        if transcript_id in self.held:
            self.release.wait(10)
        return [object()] * self.counts.get(transcript_id, 0)


def _cell(app, tid: int, column: str) -> str:
    return str(app.screen.query_one("DataTable").get_cell(str(tid), column))


@sync
async def test_group_interview_shows_its_speakers_values(two):
    project, ids = two
    app = make_app(project)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.screen.query_one("DataTable").row_count == 2, what="rows")
        group = ids["syd-grupp"]
        assert _cell(app, group, "Organisation") == "psykiatri, kommun"
        assert _cell(app, group, "Role") == "case manager, chef"
        assert _cell(app, ids["norr-chef"], "Organisation") == "kommun"   # its own value, untouched


def test_many_speaker_values_are_counted():
    from qualcode.tui.screens.project import attribute_cell

    assert attribute_cell("role", None, ["chef", "personal"]).plain == "chef, personal"
    many = ["case manager", "chef", "personal", "företrädare"]
    assert attribute_cell("role", None, many).plain == "4 roles"
    assert attribute_cell("role", "chef", many).plain == "chef"


@sync
async def test_pending_counts_fill_in_one_by_one_with_progress(two, monkeypatch):
    project, ids = two
    first, second = sorted(ids.values())
    gate = Gate({first: 3, second: 5}, held={second})
    monkeypatch.setattr(suggestions, "engine", lambda: object())
    monkeypatch.setattr(suggestions, "for_transcript", gate)
    app = make_app(project)
    async with app.run_test(size=SIZE) as pilot:
        line = app.screen.query_one("#project-progress")
        await wait_for(pilot, lambda: _cell(app, first, "Pending") == "3", what="the first count")
        assert _cell(app, second, "Pending") == "…"
        assert line.display and "Counting suggestions 1/2" in line.text
        await pilot.press("j")            # the screen answers keys while counting
        await wait_for(pilot, lambda: app.screen.query_one("DataTable").cursor_row == 1, what="cursor moved")
        gate.release.set()
        await wait_for(pilot, lambda: _cell(app, second, "Pending") == "5", what="the second count")
        await wait_for(pilot, lambda: not line.display, what="progress hidden")
        assert sorted(gate.asked) == [first, second]


@sync
async def test_import_shows_progress_then_counts_the_new_transcript(two, monkeypatch, tmp_path):
    import qualcode.ingest as ingest

    project, ids = two
    gate = Gate({})
    monkeypatch.setattr(suggestions, "engine", lambda: object())
    monkeypatch.setattr(suggestions, "for_transcript", gate)
    real = ingest.import_paths
    started = threading.Event()

    def slow_import(*args, **kwargs):
        started.set()
        gate.release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(ingest, "import_paths", slow_import)
    (project.root / "nya").mkdir()
    (project.root / "nya" / "vast-chef.md").write_text(SINGLE.replace("Norr", "Väst"), encoding="utf-8")
    app = make_app(project)
    async with app.run_test(size=SIZE) as pilot:
        table = app.screen.query_one("DataTable")
        await wait_for(pilot, lambda: table.row_count == 2 and len(gate.asked) == 2, what="first counts")
        await pilot.press("I")
        await wait_for_screen(pilot, "PromptDialog")
        await pilot.press(*"nya", "enter")          # relative to the project folder
        line = app.screen.query_one("#project-progress")
        await wait_for(pilot, lambda: started.is_set() and "Importing 1 file" in line.text, what="import progress")
        assert line.display and "importing" in app.sub_title
        gate.release.set()
        await wait_for(pilot, lambda: table.row_count == 3, what="the imported transcript")
        new = project.db.execute("SELECT id FROM transcripts WHERE name = 'vast-chef'").fetchone()[0]
        await wait_for(pilot, lambda: _cell(app, new, "Pending") == "0", what="the new transcript counted")
        await wait_for(pilot, lambda: not line.display, what="progress hidden")
        assert "importing" not in app.sub_title
