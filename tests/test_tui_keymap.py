"""The user keymap: the file format, its checks, and remapped keys working in the app, Help and the footer."""

from __future__ import annotations

import pytest
from test_tui_support import (SIZE, codings, make_app, open_first_transcript, screen_text, sync, wait_for,
                              wait_for_screen)

from qualcode.errors import QualcodeError
from qualcode.tui.keymap import check_key, known_ids, load_keymap, parse_keymap


@pytest.fixture(autouse=True)
def no_user_config(tmp_path, monkeypatch):
    """Keep the developer's own ~/.config/qualcode/keymap.yaml out of these tests."""
    config = tmp_path / "config"
    config.mkdir()
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    return config


def write(path, text: str):
    path.write_text(text, encoding="utf-8")
    return path


def test_parse_keys_as_string_list_or_comma_list(tmp_path):
    path = write(tmp_path / "keymap.yaml", "coding.undo: z\ncoding.next-segment: [j, down, ctrl+n]\n"
                                           "coding.accept: y\napp.help: 'f1,question_mark'\n# a comment\n")
    keymap = parse_keymap(path, known_ids())
    # `y` is a key here, not YAML's boolean
    assert keymap == {"coding.undo": "z", "coding.next-segment": "j,down,ctrl+n", "coding.accept": "y",
                      "app.help": "f1,question_mark"}


@pytest.mark.parametrize("text, line, words", [
    ("coding.undo: z\ncoding.undoo: y\n", 2, "did you mean 'coding.undo'"),
    ("coding.undo: ctrl+nothing\n", 1, "not a key name"),
    ("coding.undo: hyperx+z\n", 1, "modifiers are"),
    ("coding.undo: {a: b}\n", 1, "a key or a list of keys"),
    ("- coding.undo\n", 1, "a mapping of binding id"),
    ("coding.undo: [z\n", 2, "not valid YAML"),
])
def test_mistakes_name_file_line_and_problem(tmp_path, text, line, words):
    path = write(tmp_path / "keymap.yaml", text)
    with pytest.raises(QualcodeError) as caught:
        parse_keymap(path, known_ids())
    assert caught.value.path == str(path) and caught.value.line == line
    assert words in str(caught.value) and "\n" not in str(caught.value)


def test_key_names():
    for good in ("z", "Z", ".", "?", "ctrl+z", "shift+down", "f5", "pagedown", "enter", "full_stop", "space"):
        assert check_key(good) is None, good
    for bad in ("", " ", "ctrl+", "nosuchkey", "f99", "ctrl+nosuchkey"):
        assert check_key(bad), bad


def test_project_keymap_wins_over_the_user_one_and_a_bad_file_is_ignored(tmp_path, no_user_config):
    (no_user_config / "qualcode").mkdir()
    write(no_user_config / "qualcode" / "keymap.yaml", "coding.undo: z\ncoding.redo: Z\n")
    root = tmp_path / "proj"
    root.mkdir()
    write(root / "keymap.yaml", "coding.undo: U\n")
    keymap, problems = load_keymap(root)
    assert keymap == {"coding.undo": "U", "coding.redo": "Z"} and problems == []
    write(root / "keymap.yaml", "coding.undo: [\n")
    keymap, problems = load_keymap(root)
    assert keymap == {"coding.undo": "z", "coding.redo": "Z"}
    assert len(problems) == 1 and "keymap.yaml" in problems[0] and "default keys" in problems[0]


@sync
async def test_remapped_undo_works_and_shows_in_footer_and_help(imported):
    project, _ = imported
    write(project.root / "keymap.yaml", "coding.undo: z\napp.help: f1\n")
    app = make_app(project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first_transcript(pilot)
        await pilot.press("1")
        await wait_for(pilot, lambda: len(codings(project)) == 1, what="a coding")
        await pilot.press("u")           # the default key no longer undoes
        await pilot.pause(0.1)
        assert len(codings(project)) == 1
        await pilot.press("z")
        await wait_for(pilot, lambda: not codings(project), what="undo by the remapped key")
        footer = {key.key: key.description for key in screen.query("FooterKey")}
        assert footer.get("z") == "Undo" and "u" not in footer
        await pilot.press("f1")
        await wait_for_screen(pilot, "HelpScreen")
        text = screen_text(app)
        assert any(line.split()[:2] == ["z", "Undo"] for line in text.splitlines()), text
        assert "coding.undo" in text and "keymap.yaml" in text


@sync
async def test_bad_keymap_gives_one_line_and_the_defaults(imported):
    project, _ = imported
    write(project.root / "keymap.yaml", "coding.undo: z\ncoding.nonsense: q\n")
    app = make_app(project)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app._notifications, what="a notification")
        [note] = [n for n in app._notifications if "keymap" in n.message]
        assert "keymap.yaml:2" in note.message and "coding.nonsense" in note.message
        assert "\n" not in note.message
        await open_first_transcript(pilot)
        await pilot.press("1")
        await wait_for(pilot, lambda: len(codings(project)) == 1, what="a coding")
        await pilot.press("u")
        await wait_for(pilot, lambda: not codings(project), what="undo by the default key")
