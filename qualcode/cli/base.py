"""The click group, project lookup and the one place bad input becomes exit code 2."""

from __future__ import annotations

import functools
import json
import sys

import click

from qualcode.errors import QualcodeError


class QualcodeGroup(click.Group):
    """Turns QualcodeError anywhere below into one line on stderr and exit code 2."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except QualcodeError as error:
            click.echo(f"error: {error}", err=True)
            ctx.exit(2)
        except KeyboardInterrupt:
            click.echo("interrupted; nothing half-written was kept", err=True)
            ctx.exit(130)

    def list_commands(self, ctx):
        return list(self.commands)  # in the order they were defined


class State:
    """What every command may need: the project (found lazily)."""

    def __init__(self, project_dir: str | None):
        self.project_dir = project_dir
        self._project = None

    @property
    def project(self):
        if self._project is None:
            from qualcode.project import find_project

            self._project = find_project(self.project_dir)
        return self._project


@click.group(cls=QualcodeGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--project",
    "project_dir",
    metavar="DIR",
    help="Project folder (default: $QUALCODE_PROJECT, then the nearest folder above with qualcode.db).",
)
@click.version_option(package_name="qualcode")
@click.pass_context
def cli(ctx: click.Context, project_dir: str | None) -> None:
    """Code qualitative interview transcripts with a theory-derived codebook.

    Run without a command inside a project to open the terminal UI.

    \b
    Example:
        qualcode init study --codebook codebooks/implementation-theory.yaml
        cd study && qualcode import ~/interviews/norr/*.docx --site Norr
        qualcode
    """
    ctx.obj = State(project_dir)
    if ctx.invoked_subcommand is None:
        from qualcode.cli.project_cmds import open_tui

        open_tui(ctx.obj)


force_option = click.option("--force", is_flag=True, help="Replace the output file if it exists.")


def pass_project(func):
    """Give the command the current Project as its first argument."""

    @click.pass_obj
    @functools.wraps(func)
    def wrapper(state: State, *args, **kwargs):
        return func(state.project, *args, **kwargs)

    return wrapper


def print_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def print_csv(rows: list[dict], columns: list[str] | None = None) -> None:
    import csv

    columns = columns or (list(rows[0]) if rows else [])
    writer = csv.DictWriter(sys.stdout, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: (json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v) for k, v in row.items()})


def print_table(rows: list[list], headers: list[str]) -> None:
    """A plain aligned table for the terminal."""
    cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    for n, row in enumerate(cells):
        click.echo("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
        if n == 0:
            click.echo("  ".join("-" * w for w in widths))


def shorten(text: str, width: int = 60) -> str:
    """One line of at most `width` characters for a table cell."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def resolve_target(project, transcript: str, **span):
    """The transcript (name or id) and the span one of segment=, turn= or start= and end= names in it."""
    from qualcode.coding import resolve_span
    from qualcode.transcripts import resolve

    t = resolve(project.db, transcript)
    return t, resolve_span(project.db, t.id, **span)
