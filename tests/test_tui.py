"""Pilot tests of the terminal UI: real key sequences, asserting on widgets and on the database."""

from __future__ import annotations

import pytest
from test_tui_support import (SIZE, codings, make_app, open_first_transcript, run_palette, screen_text, segment_spans,
                              sync, wait_for, wait_for_screen)

from qualcode import coding as core


async def goto_segment(pilot, screen, index: int) -> None:
    await pilot.press("g")
    for _ in range(index):
        await pilot.press("j")
    await wait_for(pilot, lambda: screen.anchor == index, what=f"segment {index}")


@sync
async def test_code_segment_by_shortcut(imported):
    project, transcript = imported
    spans = segment_spans(project, transcript.id)
    app = make_app(project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first_transcript(pilot)
        await goto_segment(pilot, screen, 2)
        await pilot.press("1")
        await wait_for(pilot, lambda: codings(project), what="a coding in the database")
        [row] = codings(project)
        assert (row["start"], row["end"]) == spans[2]
        assert row["code_id"] == "warm-start" and row["coder"] == "anna"
        assert [c.code_id for c in screen.here()] == ["warm-start"]
        assert "varmstart" in screen.query_one("#side-panel").parts["codes"].plain
        # "." applies the same code again, on the next segment
        await pilot.press("j", "full_stop")
        await wait_for(pilot, lambda: len(codings(project)) == 2, what="the repeated code")
        assert (codings(project)[1]["start"], codings(project)[1]["end"]) == spans[3]


@sync
async def test_code_segment_by_picker_searching_english_label(imported):
    project, transcript = imported
    spans = segment_spans(project, transcript.id)
    app = make_app(project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first_transcript(pilot)
        await goto_segment(pilot, screen, 3)
        await pilot.press("c")
        await wait_for_screen(pilot, "CodePicker")
        await pilot.press(*"cold")
        await pilot.press("enter")
        await wait_for(pilot, lambda: codings(project), what="a coding")
        [row] = codings(project)
        assert row["code_id"] == "cold-start" and (row["start"], row["end"]) == spans[3]
        assert app.screen is screen and screen.focus_code == "cold-start"


def test_picker_ranks_definitions_and_both_languages(project):
    from qualcode.tui.codeinfo import load_codes
    from qualcode.tui.dialogs.code_picker import rank_codes

    codes = load_codes(project.db).codable()
    assert rank_codes(codes, "varmst")[0].id == "warm-start"
    assert rank_codes(codes, "cold")[0].id == "cold-start"
    assert rank_codes(codes, "oförberedd")[0].id == "cold-start"   # a word of the definition only
    assert rank_codes(codes, "zzzzqqq") == []


@sync
async def test_extend_selection_and_code_it(imported):
    project, transcript = imported
    spans = segment_spans(project, transcript.id)
    app = make_app(project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first_transcript(pilot)
        await goto_segment(pilot, screen, 1)
        await pilot.press("shift+down")
        await wait_for(pilot, lambda: screen.view.selection == (spans[1][0], spans[2][1]), what="sentence extension")
        await pilot.press("shift+right")
        await wait_for(pilot, lambda: screen.view.selection[1] > spans[2][1], what="word extension")
        selection = screen.view.selection
        await pilot.press("2")
        await wait_for(pilot, lambda: codings(project), what="a coding")
        [row] = codings(project)
        assert (row["start"], row["end"]) == selection and row["code_id"] == "cold-start"
        # escape resets to the segment; shift+up from there grows the selection backwards
        await pilot.press("escape")
        await wait_for(pilot, lambda: screen.view.selection == spans[1], what="reset")
        await pilot.press("shift+up")
        await wait_for(pilot, lambda: screen.view.selection == (spans[0][0], spans[1][1]), what="backwards")
        await pilot.press("shift+left")
        await wait_for(pilot, lambda: screen.view.selection[0] < spans[0][0] or spans[0][0] == 0,
                       what="word backwards")


@sync
async def test_undo_and_redo_persist_across_restarts(imported):
    project, transcript = imported
    app = make_app(project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first_transcript(pilot)
        await goto_segment(pilot, screen, 2)
        await pilot.press("1")
        await wait_for(pilot, lambda: len(codings(project)) == 1, what="a coding")
        await pilot.press("u")
        await wait_for(pilot, lambda: not codings(project), what="undo in the database")
        assert screen.here() == [] and not screen.doc.codings
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: len(codings(project)) == 1, what="redo in the database")
        await wait_for(pilot, lambda: [c.code_id for c in screen.here()] == ["warm-start"], what="redo on screen")
    # a new process (here: a new app) can still undo the last action
    app = make_app(project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first_transcript(pilot)
        await pilot.press("u")
        await wait_for(pilot, lambda: not codings(project), what="undo after restart")
        assert not screen.doc.codings


@sync
async def test_remove_a_chosen_coding_and_edit_its_memo(imported):
    project, transcript = imported
    a, b = segment_spans(project, transcript.id)[2]
    core.add_coding(project.db, transcript.id, a, b, "warm-start", "anna")
    core.add_coding(project.db, transcript.id, a, b, "cold-start", "anna")
    app = make_app(project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first_transcript(pilot)
        await goto_segment(pilot, screen, 2)
        await pilot.press("m")
        await wait_for_screen(pilot, "ChooseDialog")
        await pilot.press("down", "enter")  # the second: cold-start (codebook order)
        await wait_for_screen(pilot, "MemoDialog")
        await pilot.press(*"chefsbyte", "ctrl+s")
        await wait_for(pilot, lambda: codings(project, code_id="cold-start")[0]["memo"] == "chefsbyte", what="memo")
        assert "memo" in screen.query_one("#side-panel").parts["codes"].plain
        await pilot.press("d")
        await wait_for_screen(pilot, "ChooseDialog")
        await pilot.press("enter")  # the first: warm-start
        await wait_for(pilot, lambda: [r["code_id"] for r in codings(project)] == ["cold-start"], what="removal")
        assert [c.code_id for c in screen.here()] == ["cold-start"]
        await pilot.press("M")
        await wait_for_screen(pilot, "MemoDialog")
        await pilot.press(*"bra intervju", "ctrl+s")
        await wait_for(pilot, lambda: project.db.execute("SELECT text FROM memos").fetchall() == [("bra intervju",)],
                       what="transcript memo")


@sync
async def test_moving_by_turn_uncoded_and_edges(imported):
    project, transcript = imported
    spans = segment_spans(project, transcript.id)
    core.add_coding(project.db, transcript.id, *spans[0], "warm-start", "anna")
    app = make_app(project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first_transcript(pilot)
        await pilot.press("g")
        await wait_for(pilot, lambda: screen.anchor == 0)
        await pilot.press("J")
        first_turn = screen.doc.turn_of_segment(0)
        await wait_for(pilot, lambda: screen.doc.turn_of_segment(screen.anchor) == first_turn + 1, what="next turn")
        await pilot.press("g", "n")
        await wait_for(pilot, lambda: screen.anchor == 1, what="next uncoded")
        await pilot.press("G")
        await wait_for(pilot, lambda: screen.anchor == len(spans) - 1, what="end")
        await pilot.press("K")
        await wait_for(pilot, lambda: screen.doc.turn_of_segment(screen.anchor)
                       == screen.doc.turn_of_segment(len(spans) - 1) - 1, what="previous turn")


@sync
async def test_search_in_transcript_jumps_to_the_hit(imported):
    project, transcript = imported
    app = make_app(project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first_transcript(pilot)
        await pilot.press("ctrl+f")
        await wait_for_screen(pilot, "SearchDialog")
        await pilot.press(*"handledning", "enter")
        await wait_for(pilot, lambda: app.screen is screen, what="back on the coding screen")
        a, b = screen.doc.segment_span(screen.anchor)
        assert "handledning" in transcript.text[a:b]


@sync
async def test_accept_and_reject_suggestions(imported):
    project, transcript = imported
    from qualcode.tui import suggestions

    if suggestions.engine() is None:
        pytest.skip("the suggestion engine (qualcode.suggest.engine) is not available")
    project.set_setting("threshold", 0.01)
    app = make_app(project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first_transcript(pilot)
        await wait_for(pilot, lambda: screen.suggest_status is None, timeout=60, what="suggestions")
        if not screen.pending:
            pytest.skip("the engine made no suggestions for the test transcript")
        await pilot.press("g", "s")
        await wait_for(pilot, lambda: screen.anchor in screen.pending, what="a segment with suggestions")
        top = screen.pending[screen.anchor][0]
        await pilot.press("a")
        await wait_for(pilot, lambda: codings(project, from_suggestion=1), what="an accepted coding")
        [row] = codings(project, from_suggestion=1)
        assert (row["start"], row["end"], row["code_id"]) == (top.start, top.end, top.code)
        assert top.code in [c.code_id for c in screen.here()]
        assert all(s.code != top.code for s in screen.pending.get(screen.anchor, []))
        await pilot.press("g", "s")
        await wait_for(pilot, lambda: screen.anchor in screen.pending, what="another suggestion")
        other = screen.pending[screen.anchor][0]
        await pilot.press("x")
        await wait_for(pilot, lambda: project.db.execute(
            "SELECT decision FROM suggestion_decisions WHERE code_id = ? AND start = ?",
            [other.code, other.start]).fetchall() == [("rejected",)], what="a rejection")
        assert all(s.code != other.code for s in screen.pending.get(screen.doc.segment_at(other.start), []))


@sync
async def test_no_engine_means_no_suggestions_and_no_crash(imported, monkeypatch):
    project, transcript = imported
    from qualcode.tui import suggestions

    monkeypatch.setattr(suggestions, "engine", lambda: None)
    app = make_app(project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first_transcript(pilot)
        await wait_for(pilot, lambda: screen.suggest_status == "No suggestions available", what="no suggestions")
        assert "No suggestions available" in screen.query_one("#side-panel").parts["suggestions"].plain
        await pilot.press("a", "x", "s")
        assert app.is_running and not codings(project)


def _seed_excerpts(project, transcript):
    spans = segment_spans(project, transcript.id)
    core.add_coding(project.db, transcript.id, *spans[2], "warm-start", "anna")
    core.add_coding(project.db, transcript.id, *spans[3], "warm-start", "anna")
    core.add_coding(project.db, transcript.id, *spans[4], "cold-start", "anna")
    core.add_coding(project.db, transcript.id, *spans[4], "cold-start", "bo")
    return spans


@sync
async def test_filter_excerpts_by_code_and_coder(imported):
    project, transcript = imported
    _seed_excerpts(project, transcript)
    app = make_app(project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        screen = app.screen
        table = screen.query_one("#excerpt-table")
        await wait_for(pilot, lambda: table.row_count == 4, what="all excerpts")
        screen.query_one("#filter-code").focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.query_one("#filter-code").expanded, what="the code list")
        await pilot.press("down", "enter")  # options in id order: cold-start, warm-start
        await wait_for(pilot, lambda: table.row_count == 2, what="filtered excerpts")
        assert {r["code"] for r in screen.shown} == {"cold-start"}
        db_count = project.db.execute("SELECT COUNT(*) FROM codings WHERE code_id = 'cold-start'").fetchone()[0]
        assert table.row_count == db_count
        assert all(r["attribution"] for r in screen.shown)
        screen.query_one("#filter-coder").focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.query_one("#filter-coder").expanded, what="the coder list")
        await pilot.press("down", "down", "enter")  # anna, bo
        await wait_for(pilot, lambda: table.row_count == 1, what="one coder")
        assert screen.shown[0]["coder"] == "bo"
        await pilot.press("r")
        await wait_for(pilot, lambda: table.row_count == 4, what="cleared filters")


@sync
async def test_matrix_cell_opens_its_excerpts_and_jumps_to_transcript(imported):
    project, transcript = imported
    spans = _seed_excerpts(project, transcript)
    app = make_app(project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        screen = app.screen
        matrix = screen.query_one("#matrix-table")
        await wait_for(pilot, lambda: matrix.row_count == 2, what="the matrix")
        await pilot.press("t")
        await wait_for(pilot, lambda: matrix.has_focus, what="matrix focus")
        sites = screen.matrix_cols
        assert screen.matrix_rows == ["cold-start", "warm-start"]
        # cold-start by speaker-level site Syd: both codings of segment 4
        await pilot.press("right", "enter")
        table = screen.query_one("#excerpt-table")
        await wait_for(pilot, lambda: screen.filters().get("code") == "cold-start" and table.has_focus,
                       what="cell excerpts")
        expected = [r for r in screen.rows if r["code"] == "cold-start" and r["site"] == sites[0]]
        assert len(screen.shown) == len(expected) == int(str(matrix.get_cell_at((0, 1))))
        # Enter on an excerpt opens the transcript at its place
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.current_mode == "coding" and app.screen.doc is not None, what="jump")
        assert app.screen.doc.segment_span(app.screen.anchor) == spans[4]


@sync
async def test_codebook_tree_shows_counts_and_entries(imported):
    project, transcript = imported
    _seed_excerpts(project, transcript)
    app = make_app(project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("b")
        tree = app.screen.query_one("Tree")
        await wait_for(pilot, lambda: len(tree.root.children) == 1, what="the tree")
        theme = tree.root.children[0]
        assert "4" in str(theme.label)  # 2 warm + 2 cold under the theme
        await pilot.press("down", "down")
        await wait_for(pilot, lambda: "Definition" in str(app.screen.query_one("#codebook-body").render()),
                       what="an entry")


@sync
async def test_help_lists_keys_from_bindings(imported):
    project, _ = imported
    app = make_app(project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await wait_for_screen(pilot, "HelpScreen")
        text = screen_text(app)
        for description in ("Next segment", "Undo", "Accept suggestion", "Search all transcripts"):
            assert description in text
        await pilot.press("escape")
        await wait_for_screen(pilot, "ProjectScreen")


@sync
async def test_empty_project_says_how_to_import(project):
    app = make_app(project)
    async with app.run_test(size=SIZE) as pilot:
        message = app.screen.query_one("#project-empty")
        await wait_for(pilot, lambda: message.display, what="empty message")
        assert "qualcode import PATH" in str(message.render())


@sync
async def test_small_terminal_gets_a_message(imported):
    project, _ = imported
    app = make_app(project)
    async with app.run_test(size=(60, 20)) as pilot:
        await wait_for_screen(pilot, "TooSmallScreen")
        assert "at least 80×24" in str(app.screen.query_one("#too-small").render())


@sync
async def test_changes_by_another_process_show_up(imported):
    project, transcript = imported
    from qualcode.project import Project

    app = make_app(project, watch_interval=0.1)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first_transcript(pilot)
        other = Project(project.root)  # a second connection, as another qualcode process would have
        a, b = segment_spans(project, transcript.id)[0]
        core.add_coding(other.db, transcript.id, a, b, "cold-start", "bo")
        other.close()
        await wait_for(pilot, lambda: any(c.coder == "bo" for c in screen.doc.codings), what="the other coding")


@sync
async def test_failing_action_shows_one_line_and_keeps_running(imported, monkeypatch):
    project, _ = imported
    app = make_app(project)

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first_transcript(pilot)
        monkeypatch.setattr(core, "add_coding", broken)
        await pilot.press("1")
        await wait_for(pilot, lambda: any("disk on fire" in str(n.message) for n in app._notifications),
                       what="an error notification")
        assert app.is_running
        await pilot.press("j")
        await wait_for(pilot, lambda: screen.anchor == 1, what="still moving")


@sync
async def test_command_palette_reaches_coding_actions(imported):
    project, _ = imported
    app = make_app(project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first_transcript(pilot)
        await run_palette(pilot, "Apply code: kallstart")
        await wait_for(pilot, lambda: codings(project, code_id="cold-start"), what="coded from the palette")
        assert app.screen is screen


def test_code_entry_shows_the_first_indicators_and_counts_the_rest():
    from qualcode.tui.codeinfo import Code
    from qualcode.tui.widgets.side_panel import SHOWN_INDICATORS, entry_text

    many = [f"term{n}" for n in range(SHOWN_INDICATORS + 12)]
    code = Code("fidelity", "strategy", True, {"sv": "programtrohet"}, indicators={"sv": many, "en": ["fidelity"]})
    plain = entry_text(code).plain
    assert f"term{SHOWN_INDICATORS - 1}" in plain and f"term{SHOWN_INDICATORS}," not in plain
    assert "and 12 more in the codebook file" in plain
    assert "Indicators (en): fidelity" in plain and plain.count("more in the codebook file") == 1
