"""Commands: codebook validate, show and load."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import click

from qualcode.cli.base import cli, pass_project, print_json
from qualcode.errors import QualcodeError

if TYPE_CHECKING:
    from qualcode.codebook import Codebook


@cli.group()
def codebook() -> None:
    """Check, show and load YAML codebook files.

    \b
    Example:
        qualcode codebook validate codebooks/implementation-theory.yaml
        qualcode codebook load codebooks/implementation-theory.yaml
        qualcode codebook show
    """


@codebook.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--fix", is_flag=True, help="Add a fresh uuid to each code that has none, in place.")
def validate(file: str, fix: bool) -> None:
    """Report every problem in FILE, one per line, as FILE:LINE: field: problem.

    Exit code 2 if there are problems.

    \b
    Example:
        qualcode codebook validate codebooks/implementation-theory.yaml
        qualcode codebook validate --fix codebooks/my-codes.yaml
    """
    from qualcode.codebook import validate_codebook
    from qualcode.codebook_validate import parse_file

    if fix:
        from qualcode.codebook_fix import fix_uuids

        added = fix_uuids(file)
        if added:
            click.echo(f"added {added} uuid{'s' if added != 1 else ''} to {file}", err=True)
    problems = validate_codebook(file)
    if problems:
        for problem in problems:
            click.echo(str(problem))
        click.get_current_context().exit(2)
    book, _ = parse_file(file)
    click.echo(f"OK: {len(book.themes())} themes, {len(book.codable())} codes")


def book_for(state, file) -> Codebook:
    """The codebook in FILE if given, else the project's; an empty project's is refused."""
    if file is not None:
        from qualcode.codebook import load_codebook

        return load_codebook(file)
    from qualcode.codes import codebook_from_store

    book = codebook_from_store(state.project.db)
    if not book.nodes:
        raise QualcodeError("no codebook loaded; load one with `qualcode codebook load FILE`", state.project.root)
    return book


def _counts(state, has_file: bool) -> dict[str, int] | None:
    """Codings per code if we are in a project; a codebook FILE can be shown outside one."""
    from qualcode.codes import coding_counts

    try:
        project = state.project
    except QualcodeError:
        if has_file and state.project_dir is None:
            return None
        raise
    return coding_counts(project.db)


@codebook.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of themes and codes.")
@click.option("--language", type=click.Choice(["sv", "en"]),
              help="Language of labels and texts (default: the codebook's).")
@click.pass_obj
def show(state, file: str | None, as_json: bool, language: str | None) -> None:
    """Print the project's codebook (or FILE) as a tree with shortcut keys and coding counts.

    \b
    Example:
        qualcode codebook show
        qualcode codebook show --language en
        qualcode codebook show codebooks/implementation-theory.yaml --json
    """
    counts = _counts(state, file is not None)
    book = book_for(state, file)
    if as_json:
        from qualcode.codebook import PROSE_FIELDS

        rows = []
        for node in book.walk():
            row = {"id": node.id, "label": book.label(node.id, language), "parent": node.parent,
                   "codable": node.codable, "uuid": node.uuid, "labels": node.labels, "theme": book.theme_of(node.id),
                   "color": node.color, "shortcut": node.shortcut}
            # Prose in the chosen language (falling back like labels), so a script need not pick.
            row.update({name: book.text(node.id, name, language) for name in PROSE_FIELDS
                        if book.text(node.id, name, language)})
            if counts is not None:
                row["codings"] = counts.get(node.id, 0)
            rows.append(row)
        print_json(rows)
        return
    click.echo(f"{book.name} {book.version} ({book.language}): {len(book.themes())} themes, {len(book.codable())} codes")
    for node in book.walk():
        key = f"[{node.shortcut}] " if node.shortcut else ("    " if node.codable else "")
        line = "  " * book.depth(node.id) + key + book.label(node.id, language) + f"  ({node.id})"
        if node.codable and counts is not None:
            line += f"  {counts.get(node.id, 0)}"
        click.echo(line)


@codebook.command()
@click.argument("file", type=click.Path(dir_okay=False))
@pass_project
def load(project, file: str) -> None:
    """Mirror codebook FILE into the project: add, update and rename codes.

    A FILE outside the project is copied into its codebooks/ folder first.
    Removing a code that has codings is refused; codings are never lost.

    \b
    Example:
        qualcode codebook load codebooks/implementation-theory.yaml
        qualcode codebook load ~/shared/team-codebook.yaml
    """
    from qualcode.codebook import load_codebook
    from qualcode.codes import load_into_project
    from qualcode.files import replace_when_done

    source = Path(file)
    book = load_codebook(source)  # validate before touching anything
    folder = Path(project.root) / "codebooks"
    inside = source.resolve().is_relative_to(folder.resolve())
    target = source if inside else folder / source.name
    temp = None
    if not inside:
        # Copy beside the target first; it replaces the target only once the store has the codes.
        folder.mkdir(exist_ok=True)
        temp = folder / f".{source.name}.loading"
        shutil.copyfile(source, temp)
    with replace_when_done(temp, target):
        summary = load_into_project(project, target, book)
    shown = target.relative_to(project.root) if not inside else target
    click.echo(f"Loaded {book.name} {book.version} from {shown}: {summary}")
