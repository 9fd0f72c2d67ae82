"""Pilot tests of the agreement screen (disagreements resolved into a consensus coder) and the coder filter."""

from __future__ import annotations

from test_tui_support import (SIZE, codings, make_app, open_first_transcript, run_palette, screen_text, segment_spans,
                              sync, wait_for, wait_for_screen)

from qualcode import coding as core
from qualcode import consensus


def seed_two_coders(project, transcript):
    """anna and bo differ on segments 1, 2, 4 (two codes) and 5; both code segment 3 alike."""
    spans = segment_spans(project, transcript.id)
    add = lambda i, code, coder: core.add_coding(project.db, transcript.id, *spans[i], code, coder)  # noqa: E731
    add(1, "warm-start", "anna")
    add(2, "cold-start", "bo")
    add(3, "warm-start", "anna")
    add(3, "warm-start", "bo")
    add(4, "cold-start", "anna")
    add(4, "warm-start", "bo")
    add(5, "warm-start", "anna")
    project.set_setting("threshold", 1.01)  # no suggestion work in these tests
    return spans


def header(screen) -> str:
    return screen.query_one("#agreement-header").text.plain


async def open_agreement(pilot):
    """r opens the screen; the dialog's defaults (the two busiest coders, "consensus") are accepted with enter."""
    app = pilot.app
    await pilot.press("r")
    await wait_for_screen(pilot, "CompareDialog")
    dialog = app.screen
    assert dialog.query_one("#compare-a").value == "anna" and dialog.query_one("#compare-b").value == "bo"
    await pilot.press("enter")
    await wait_for(pilot, lambda: type(app.screen).__name__ == "AgreementScreen" and app.screen.loads >= 1,
                   what="the agreement screen")
    return app.screen


async def press_and_reload(pilot, screen, key: str) -> None:
    loads = screen.loads
    await pilot.press(key)
    await wait_for(pilot, lambda: screen.loads > loads, what=f"a reload after {key}")


def consensus_spans(project, code: str) -> list[tuple[int, int]]:
    return [(r["start"], r["end"]) for r in codings(project, coder="consensus", code_id=code)]


@sync
async def test_resolve_each_way_updates_store_and_figures_and_undoes(imported):
    project, transcript = imported
    spans = seed_two_coders(project, transcript)
    app = make_app(project, coder="anna")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_agreement(pilot)
        table = screen.query_one("#disagreements")
        expected = consensus.disagreements(project.db, "anna", "bo", transcript.id, consensus="consensus")
        assert len(expected) == 5 and table.row_count == 5
        assert [(d.number, d.code, d.coder) for d in screen.rows] == [(d.number, d.code, d.coder) for d in expected]
        assert [str(table.get_cell_at((i, 0))) for i in range(5)] == [str(d.number) for d in expected]
        assert "Resolved 0/5" in header(screen) and screen.progress["figures"]["a_consensus"] is None
        assert "Definition" not in header(screen)
        detail = str(screen.query_one("#agreement-detail").render())
        assert expected[0].text.strip()[:20] in detail and "Organisationen startar" in detail  # the boundaries

        # a: take A's on segment 1 (warm-start, anna only)
        await press_and_reload(pilot, screen, "a")
        assert consensus_spans(project, "warm-start") == [spans[1]]
        assert "Resolved 1/5" in header(screen) and screen.progress["figures"]["a_consensus"] is not None
        kappa_after_one = screen.progress["figures"]["a_consensus"]["kappa"]
        assert table.cursor_row == 1  # on to the next open disagreement
        # b: take B's on segment 2 (cold-start, bo only)
        await press_and_reload(pilot, screen, "b")
        assert consensus_spans(project, "cold-start") == [spans[2]]
        # B: both on segment 4's warm-start (bo only), n: neither on segment 4's cold-start (anna only)
        rows = {(d.number, d.code): i for i, d in enumerate(screen.rows)}
        assert table.cursor_row == rows[expected[2].number, expected[2].code]
        await press_and_reload(pilot, screen, "B")
        assert consensus_spans(project, "warm-start") == [spans[1], spans[4]]
        await press_and_reload(pilot, screen, "n")
        assert consensus_spans(project, "cold-start") == [spans[2]]
        assert "Resolved 4/5" in header(screen) and "remaining 1" in header(screen)
        assert screen.progress["figures"]["a_consensus"]["kappa"] != kappa_after_one
        assert [d.resolved for d in screen.rows][:4] == ["coded", "coded", "coded", "not coded"]
        assert "not coded (neither)" in str(table.get_cell_at((3, 4)))

        # u undoes one resolve at a time: first "neither", then "both"
        await press_and_reload(pilot, screen, "u")
        assert "Resolved 3/5" in header(screen)
        await press_and_reload(pilot, screen, "u")
        assert consensus_spans(project, "warm-start") == [spans[1]]
        assert "Resolved 2/5" in header(screen)
        assert screen.rows == consensus.disagreements(project.db, "anna", "bo", transcript.id, consensus="consensus")


@sync
async def test_seed_agreements_and_open_unit(imported):
    project, transcript = imported
    spans = seed_two_coders(project, transcript)
    app = make_app(project, coder="anna")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_agreement(pilot)
        before = screen.progress["figures"]["b_consensus"]
        await press_and_reload(pilot, screen, "S")
        assert consensus_spans(project, "warm-start") == [spans[3]]  # the one unit both coded alike
        assert before is None and screen.progress["figures"]["b_consensus"] is not None
        await pilot.press("j", "enter")
        await wait_for(pilot, lambda: app.current_mode == "coding" and app.screen.doc is not None, what="coding")
        assert app.screen.doc.segment_span(app.screen.anchor) == spans[2]


@sync
async def test_no_second_coder_says_so(imported):
    project, transcript = imported
    core.add_coding(project.db, transcript.id, *segment_spans(project, transcript.id)[1], "warm-start", "anna")
    app = make_app(project, coder="anna")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f6")
        empty = app.screen.query_one("#agreement-empty")
        await wait_for(pilot, lambda: empty.display, what="the explanation")
        assert "two coders" in str(empty.render()) and app.is_running


@sync
async def test_help_lists_the_agreement_keys(imported):
    project, _ = imported
    app = make_app(project, coder="anna")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await wait_for_screen(pilot, "HelpScreen")
        text = screen_text(app)
        for description in ("Compare coders", "Take A's", "Take both", "Undo last resolve", "Show coders"):
            assert description in text


@sync
async def test_coding_screen_shows_the_chosen_coders_only(imported):
    project, transcript = imported
    seed_two_coders(project, transcript)
    app = make_app(project, coder="anna")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first_transcript(pilot)
        assert {c.coder for c in screen.doc.codings} == {"anna", "bo"}
        await pilot.press("v")
        await wait_for_screen(pilot, "ShowCodersDialog")
        await pilot.press("space", "enter")  # the list starts on anna (most codings): untick her
        await wait_for(pilot, lambda: app.screen is screen and {c.coder for c in screen.doc.codings} == {"bo"},
                       what="bo's codings only")
        assert "showing bo" in screen.query_one("#status").text.plain
        await pilot.press("v")
        await wait_for_screen(pilot, "ShowCodersDialog")
        await pilot.press("asterisk", "enter")
        await wait_for(pilot, lambda: {c.coder for c in screen.doc.codings} == {"anna", "bo"}, what="every coder")


@sync
async def test_next_transcript_skips_ones_only_one_coder_did(imported, tmp_path):
    project, transcript = imported
    seed_two_coders(project, transcript)
    from qualcode.ingest import import_paths
    from qualcode.transcripts import resolve

    for name, text in (("norr.txt", "I: Hur gick det?\nIP: Chefen slutade. Vi fick ingen tid.\n"),
                       ("vast.txt", "I: Och sedan?\nIP: Det gick bra. Vi hade erfarenhet.\n")):
        (tmp_path / name).write_text(text, encoding="utf-8")
        import_paths(project, [tmp_path / name])
    norr, vast = resolve(project.db, "norr"), resolve(project.db, "vast")
    [(a, b)] = segment_spans(project, norr.id)[-1:]
    core.add_coding(project.db, norr.id, a, b, "cold-start", "bo")
    core.add_coding(project.db, norr.id, a, b, "warm-start", "anna")
    core.add_coding(project.db, vast.id, *segment_spans(project, vast.id)[-1], "warm-start", "anna")  # anna only
    app = make_app(project, coder="anna")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_agreement(pilot)
        assert screen.setup.transcript_id == norr.id  # the first transcript both coded
        await press_and_reload(pilot, screen, "right_square_bracket")
        assert screen.setup.transcript_id == transcript.id  # by name: norr, syd-grupp (vast is anna's alone)
        assert screen.rows == consensus.disagreements(project.db, "anna", "bo", transcript.id, consensus="consensus")
        await press_and_reload(pilot, screen, "right_square_bracket")
        assert screen.setup.transcript_id == norr.id
        assert [(d.code, d.coder) for d in screen.rows] == [("warm-start", "a"), ("cold-start", "b")]
        assert "norr  1/2" in header(screen)


@sync
async def test_palette_reaches_compare_coders(imported):
    project, transcript = imported
    seed_two_coders(project, transcript)
    app = make_app(project, coder="anna")
    async with app.run_test(size=SIZE) as pilot:
        await run_palette(pilot, "Compare coders")
        await wait_for_screen(pilot, "CompareDialog")


@sync
async def test_keys_typed_quickly_resolve_successive_rows(imported):
    project, transcript = imported
    spans = seed_two_coders(project, transcript)
    app = make_app(project, coder="anna")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_agreement(pilot)
        await pilot.press("a", "b", "n")  # no waiting for the reloads in between
        await wait_for(pilot, lambda: screen.progress and screen.progress["resolved"] == 3, what="three resolves")
        assert [d.choice for d in screen.rows[:3]] == ["a", "b", "neither"]
        assert consensus_spans(project, "warm-start") == [spans[1]]
        assert consensus_spans(project, "cold-start") == [spans[2]]
