"""Snapshot tests (pytest-textual-snapshot, pinned with textual in pyproject) of the coding and excerpts screens."""

from __future__ import annotations

from test_tui_support import SIZE, make_app, segment_spans, wait_for

from qualcode import coding as core


def _seed(project, transcript):
    spans = segment_spans(project, transcript.id)
    core.add_coding(project.db, transcript.id, spans[1][0], spans[2][1], "warm-start", "anna")
    core.add_coding(project.db, transcript.id, *spans[2], "cold-start", "anna", memo="byte av chef")
    core.add_coding(project.db, transcript.id, *spans[4], "cold-start", "bo")
    # rules-based suggestions depend on the engine's scoring; keep them out of the picture
    project.set_setting("threshold", 1.01)


def test_coding_screen_snapshot(imported, snap_compare):
    project, transcript = imported
    _seed(project, transcript)
    app = make_app(project, coder="anna")

    async def ready(pilot):
        await wait_for(pilot, lambda: app.screen.query_one("DataTable").row_count == 1, what="transcripts")
        await pilot.press("enter")
        await wait_for(pilot, lambda: getattr(app.screen, "doc", None) is not None, what="coding screen")
        await pilot.press("j", "j", "shift+right")
        await wait_for(pilot, lambda: app.screen.suggest_status != "Computing suggestions…", timeout=60,
                       what="suggestions settled")

    assert snap_compare(app, terminal_size=SIZE, run_before=ready)


def test_excerpts_screen_snapshot(imported, snap_compare):
    project, transcript = imported
    _seed(project, transcript)
    app = make_app(project, coder="anna")

    async def ready(pilot):
        await pilot.press("e")
        await wait_for(pilot, lambda: app.screen.query_one("#excerpt-table").row_count == 3, what="excerpts")

    assert snap_compare(app, terminal_size=SIZE, run_before=ready)


def test_excerpts_matrix_snapshot(imported, snap_compare):
    project, transcript = imported
    _seed(project, transcript)
    app = make_app(project, coder="anna")

    async def ready(pilot):
        await pilot.press("e")
        await wait_for(pilot, lambda: app.screen.query_one("#matrix-table").row_count == 2, what="matrix")
        await pilot.press("t")

    assert snap_compare(app, terminal_size=SIZE, run_before=ready)
