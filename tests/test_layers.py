"""The headless core never imports textual; start-up stays light."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import qualcode


def core_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(qualcode.__path__, "qualcode."):
        if info.name.startswith("qualcode.tui") or info.name.endswith("__main__"):
            continue
        names.append(info.name)
    return names


def test_core_modules_exist():
    names = core_modules()
    for expected in ("qualcode.store", "qualcode.project", "qualcode.ingest", "qualcode.coding", "qualcode.cli"):
        assert expected in names


def test_no_core_module_imports_textual():
    code = (
        "import importlib, sys\n"
        f"for name in {core_modules()!r}:\n"
        "    importlib.import_module(name)\n"
        "    assert 'textual' not in sys.modules, name\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_cli_import_does_not_load_heavy_libraries():
    code = (
        "import sys, qualcode.cli\n"
        "heavy = [m for m in ('spacy', 'docx', 'lxml', 'textual', 'thinc') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""


def test_every_command_has_help_with_an_example():
    import click

    import qualcode.cli  # noqa: F401
    from qualcode.cli.base import cli

    def walk(group: click.Group, prefix: str):
        for name, command in group.commands.items():
            yield f"{prefix}{name}", command
            if isinstance(command, click.Group):
                yield from walk(command, f"{prefix}{name} ")

    commands = list(walk(cli, ""))
    assert len(commands) >= 10
    for name, command in commands:
        if isinstance(command, click.Group):
            continue
        assert command.help, f"{name} has no help"
        assert "Example" in command.help, f"{name} help has no example"
