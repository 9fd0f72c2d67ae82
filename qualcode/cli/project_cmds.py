"""Commands: init, status, open, demo."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.cli.base import State, cli, pass_project, print_json
from qualcode.errors import QualcodeError


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--language", type=click.Choice(["sv", "en"]), default="sv", show_default=True,
              help="Language of the interviews (sentence splitting, suggestions).")
@click.option("--codebook", type=click.Path(dir_okay=False, path_type=Path),
              help="A codebook YAML file to copy into the project and load.")
@click.option("--coder", help="Default coder name for this project.")
def init(directory: Path, language: str, codebook: Path | None, coder: str | None) -> None:
    """Create a project folder with transcripts/, codebooks/, exports/ and its database.

    \b
    Example:
        qualcode init act-study --language sv --codebook codebooks/implementation-theory.yaml
    """
    from qualcode.project import init_project

    if codebook is not None and not codebook.is_file():
        raise QualcodeError("no such codebook file", codebook)
    project = init_project(directory, language=language, codebook=codebook, coder=coder)
    click.echo(f"created project {project.root} (language {language})")
    click.echo(f"next: qualcode --project {directory} import TRANSCRIPTS...")


def summary(project) -> dict:
    """Counts that sum a project up."""
    db = project.db
    one = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
    sites: dict[str, int] = {}
    from qualcode.transcripts import list_transcripts

    listed = list_transcripts(db)
    for t in listed:
        site = t["attributes"].get("site") or "(no site)"
        sites[site] = sites.get(site, 0) + 1
    return {
        "project": str(project.root),
        "language": project.language,
        "codebook": project.setting("codebook"),
        "codebook_name": project.setting("codebook_name"),
        "transcripts": len(listed),
        "words": sum(t["words"] for t in listed),
        "segments": sum(t["segments"] for t in listed),
        "coded_segments": sum(t["coded_segments"] for t in listed),
        "codes": one("SELECT COUNT(*) FROM codes WHERE codable = 1"),
        "themes": one("SELECT COUNT(*) FROM codes WHERE codable = 0"),
        "codings": one("SELECT COUNT(*) FROM codings"),
        "coders": [r[0] for r in db.execute("SELECT name FROM coders ORDER BY name")],
        "memos": one("SELECT COUNT(*) FROM memos"),
        "sites": sites,
        "threshold": project.setting("threshold"),
    }


def echo_summary(info: dict) -> None:
    click.echo(f"project      {info['project']}")
    click.echo(f"language     {info['language']}")
    book = info["codebook"] or "(none loaded: qualcode codebook load FILE)"
    if info["codebook_name"]:
        book = f"{info['codebook_name']} ({book})"
    click.echo(f"codebook     {book}: {info['themes']} themes, {info['codes']} codes")
    sites = ", ".join(f"{k} {v}" for k, v in sorted(info["sites"].items())) or "-"
    click.echo(f"transcripts  {info['transcripts']} ({info['words']:,} words) by site: {sites}")
    share = info["coded_segments"] / info["segments"] if info["segments"] else 0
    click.echo(f"coded        {info['codings']} codings; {info['coded_segments']}/{info['segments']} segments ({share:.0%})")
    click.echo(f"coders       {', '.join(info['coders']) or '-'}")
    click.echo(f"memos        {info['memos']}")
    if not info["transcripts"]:
        click.echo("next: qualcode import PATH...   (txt, md, docx, vtt, srt)")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_project
def status(project, as_json: bool) -> None:
    """Sum the project up: codebook, transcripts by site, codings, coders.

    \b
    Example:
        qualcode status
        qualcode --project ~/studies/act status --json
    """
    info = summary(project)
    print_json(info) if as_json else echo_summary(info)


def open_tui(state: State) -> None:
    """Open the terminal UI on the project, or print the summary when no TUI is available."""
    project = state.project
    try:
        from qualcode.tui.app import run_app
    except ImportError:
        echo_summary(summary(project))
        return
    project.close()
    run_app(project.root)


@cli.command("open")
@click.argument("directory", required=False, type=click.Path(file_okay=False))
@click.pass_obj
def open_cmd(state: State, directory: str | None) -> None:
    """Open the terminal UI (the same as running `qualcode` with no command).

    \b
    Example:
        qualcode open ~/studies/act
    """
    if directory:
        state.project_dir = directory
    open_tui(state)


@cli.command()
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="Where to build the demo project (default: the repository itself).")
@click.option("--source", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="Folder holding transcripts/ and codebooks/.")
def demo(directory: Path, source: Path) -> None:
    """Build the demo project from the repository's transcripts/ and codebooks/.

    By default the repository itself becomes the project (its qualcode.db is ignored by git).

    A new demo project gets the seeded coding in transcripts/demo-coding.yaml.
    An existing one is kept, with its coding; new transcripts are added.

    \b
    Example:
        qualcode demo && qualcode
        qualcode demo --dir /tmp/demo --source . && qualcode --project /tmp/demo
    """
    from qualcode.demo import build_demo

    project, lines = build_demo(directory, source)
    for line in lines:
        click.echo(line)
    echo_summary(summary(project))
