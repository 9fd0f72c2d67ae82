"""A user's keymap (binding id -> keys) from the config folder and the project folder, checked before use."""

from __future__ import annotations

import difflib
import os
import re
import unicodedata
from pathlib import Path

from qualcode.errors import QualcodeError

KEYMAP_FILE = "keymap.yaml"
MODIFIERS = ("ctrl", "shift", "alt", "meta", "super", "hyper")
NAME = re.compile(r"^[a-z][a-z0-9_]*$")
FORMAT_HELP = f"""\
Keys can be changed in {KEYMAP_FILE}, in the project folder or in
$XDG_CONFIG_HOME/qualcode/ (~/.config/qualcode/); the project's file wins.
Each line maps a binding id (the grey column above) to a key or a list of keys:

    coding.undo: z
    coding.next-segment: [j, down, ctrl+n]
    app.help: f1

Keys are characters (j, J, .) or names (enter, escape, space, tab, up, pagedown,
f5) with modifiers (ctrl+z, shift+down). A listed id loses its default keys.
A file with a mistake is ignored as a whole (one message says where); restart
qualcode after editing it."""


def keymap_paths(root: Path) -> list[Path]:
    """Where keymaps are read, weakest first: the user's config folder, then the project folder."""
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return [Path(config) / "qualcode" / KEYMAP_FILE, Path(root) / KEYMAP_FILE]


def binding_sources() -> list[tuple[str, list]]:
    """(title, bindings) of the app and every screen and dialog, in the order Help lists them."""
    from qualcode.tui.app import QualcodeApp
    from qualcode.tui.dialogs.choose import ChooseDialog
    from qualcode.tui.dialogs.choose_coders import CompareDialog, ShowCodersDialog
    from qualcode.tui.dialogs.code_picker import CodePicker
    from qualcode.tui.dialogs.memo import MemoDialog
    from qualcode.tui.dialogs.prompt import PromptDialog
    from qualcode.tui.dialogs.search import SearchDialog
    from qualcode.tui.screens.agreement import AgreementScreen
    from qualcode.tui.screens.coding import CodingScreen
    from qualcode.tui.screens.excerpts import ExcerptsScreen
    from qualcode.tui.screens.help import HelpScreen
    from qualcode.tui.screens.project import ProjectScreen

    dialogs = [b for cls in (CodePicker, SearchDialog, ChooseDialog, MemoDialog, PromptDialog,
                             CompareDialog, ShowCodersDialog, HelpScreen) for b in cls.BINDINGS]
    return [
        ("Everywhere", QualcodeApp.BINDINGS),
        ("Coding", CodingScreen.BINDINGS),
        ("Project", ProjectScreen.BINDINGS),
        ("Excerpts", ExcerptsScreen.BINDINGS),
        ("Compare coders", AgreementScreen.BINDINGS),
        ("Dialogs", dialogs),
    ]


def known_ids() -> set[str]:
    return {getattr(b, "id", None) for _title, bindings in binding_sources() for b in bindings} - {None}


def check_key(key: str) -> str | None:
    """Why `key` is not a key Textual can bind, or None when it is fine."""
    if not key:
        return "an empty key"
    if len(key) == 1:
        return None if key.isprintable() and not key.isspace() else f"'{key}' is not a key"
    *mods, base = key.split("+")
    if any(m not in MODIFIERS for m in mods):
        return f"'{key}': modifiers are {', '.join(MODIFIERS)}"
    if len(base) == 1 or _named(base):
        return None
    return f"'{key}' is not a key name (e.g. enter, escape, space, up, pagedown, f5, ctrl+z)"


def _named(name: str) -> bool:
    from textual.keys import Keys

    if not NAME.match(name):
        return False
    if name in {k.value for k in Keys} or re.fullmatch(r"f([1-9]|1[0-9]|2[0-4])", name):
        return True
    try:  # Textual names punctuation by its Unicode name: full_stop, question_mark
        unicodedata.lookup(name.replace("_", " ").upper())
        return True
    except KeyError:
        return False


def parse_keymap(path: Path, known: set[str]) -> dict[str, str]:
    """The keymap in `path` as binding id -> comma-joined keys; QualcodeError (with line) on any mistake."""
    import yaml

    try:
        node = yaml.compose(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise QualcodeError(f"cannot read the keymap: {error}", path) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise QualcodeError(f"not valid YAML ({getattr(error, 'problem', None) or error})", path, line) from None
    if node is None:
        return {}
    if not isinstance(node, yaml.MappingNode):
        raise QualcodeError("a keymap is a mapping of binding id to key(s), e.g. 'coding.undo: z'", path,
                            node.start_mark.line + 1)
    out: dict[str, str] = {}
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1
        binding_id = str(key_node.value)
        if not isinstance(key_node, yaml.ScalarNode) or binding_id not in known:
            close = difflib.get_close_matches(binding_id, sorted(known), n=1)
            hint = f"did you mean '{close[0]}'?" if close else "Help (?) lists the ids"
            raise QualcodeError(f"unknown binding id '{binding_id}' ({hint})", path, line)
        if isinstance(value_node, yaml.ScalarNode):
            keys = str(value_node.value).split(",")
        elif isinstance(value_node, yaml.SequenceNode) and all(isinstance(v, yaml.ScalarNode)
                                                               for v in value_node.value):
            keys = [str(v.value) for v in value_node.value]  # raw text: `y` stays a key, not a boolean
        else:
            raise QualcodeError(f"{binding_id}: give a key or a list of keys", path, line)
        keys = [k.strip() for k in keys]
        for key in keys:
            problem = check_key(key)
            if problem:
                raise QualcodeError(f"{binding_id}: {problem}", path, line)
        out[binding_id] = ",".join(keys)
    return out


def load_keymap(root: Path, known: set[str] | None = None) -> tuple[dict[str, str], list[str]]:
    """The merged keymap and one line per file that was ignored for a mistake."""
    keymap: dict[str, str] = {}
    problems: list[str] = []
    paths = [p for p in keymap_paths(root) if p.is_file()]
    if not paths:
        return keymap, problems
    known = known_ids() if known is None else known
    for path in paths:
        try:
            keymap.update(parse_keymap(path, known))
        except QualcodeError as error:
            problems.append(f"{error}; using the default keys")
    return keymap, problems
