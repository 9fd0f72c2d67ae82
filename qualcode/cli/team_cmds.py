"""Commands for teams: codebook export/import (.qdc), export qdpx, import-project, merge."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.cli.base import cli, force_option, pass_project
from qualcode.cli.codebook_cmds import book_for, codebook
from qualcode.cli.export_cmds import export
from qualcode.errors import QualcodeError

@codebook.command("export")
@click.option("--format", "fmt", type=click.Choice(["qdc", "docx"]), default="qdc", show_default=True,
              help="qdc: REFI-QDA codebook for NVivo, ATLAS.ti, MAXQDA, QualCoder; docx: a Word document.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="File to write.")
@force_option
@click.option("--codebook", "source", type=click.Path(dir_okay=False, path_type=Path),
              help="A YAML codebook file to export instead of the project's.")
@click.pass_obj
def codebook_export(state, fmt: str, output: Path, force: bool, source: Path | None) -> None:
    """Write the project's codebook (or a YAML file) as a REFI-QDA .qdc or a Word document.

    Themes become non-codable parent codes; each code keeps its uuid, so another
    tool recognises it again; definition, inclusion, exclusion, examples and
    indicators go into the Description under == Section == markers.

    \b
    Example:
        qualcode codebook export --format qdc -o exports/implementation-theory.qdc
        qualcode codebook export --format docx -o exports/codebook.docx
        qualcode codebook export --codebook codebooks/mine.yaml -o mine.qdc
    """
    from qualcode.export.paths import check_output

    check_output(output, force)
    book = book_for(state, source)
    if fmt == "docx":
        try:
            from qualcode.export.codebook_docx import write_codebook_docx
        except ImportError:
            raise QualcodeError("Word export of codebooks is not available in this installation") from None
        write_codebook_docx(book, output)
    else:
        from qualcode.refi.qdc import write_qdc

        write_qdc(book, output)
    click.echo(f"wrote {output}: {len(book.themes())} themes, {len(book.codable())} codes")


@codebook.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="YAML file to write (default: codebooks/STEM.yaml in the project, else ./STEM.yaml).")
@click.option("--language", type=click.Choice(["sv", "en"]),
              help="Language of the code names (default: as recorded in the file, else sv).")
@force_option
@click.pass_obj
def codebook_import(state, file: Path, output: Path | None, language: str | None, force: bool) -> None:
    """Turn a REFI-QDA codebook (.qdc) from any tool into a qualcode YAML codebook.

    Nesting, isCodable folders (themes), flattened names (Parent::child), code
    groups (Sets become themes) and colours are understood. Load the result
    with `qualcode codebook load`.

    \b
    Example:
        qualcode codebook import colleague.qdc -o codebooks/colleague.yaml
        qualcode codebook load codebooks/colleague.yaml
    """
    from qualcode.codebook import dump_codebook
    from qualcode.refi.qdc import read_qdc

    book, warnings = read_qdc(file, language)
    if output is None:
        try:
            output = Path(state.project.root) / "codebooks" / f"{file.stem}.yaml"
        except QualcodeError:
            output = Path(f"{file.stem}.yaml")
    dump_codebook(book, output, overwrite=force)
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(f"wrote {output}: {len(book.themes())} themes, {len(book.codable())} codes")
    click.echo(f"next: qualcode codebook load {output}")


@export.command("qdpx")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="File to write.")
@force_option
@pass_project
def export_qdpx(project, output: Path, force: bool) -> None:
    """Write the whole project as a REFI-QDA project (.qdpx) for NVivo, ATLAS.ti, MAXQDA, QualCoder, qc.

    Coders become Users, attributes Variables and Cases, transcripts TextSources
    (UTF-8 text inside the archive), codings PlainTextSelections, memos Notes.

    \b
    Example:
        qualcode export qdpx -o exports/study.qdpx
    """
    from qualcode.export.paths import check_output
    from qualcode.refi.qdpx_write import write_qdpx

    counts = write_qdpx(project, check_output(output, force))
    click.echo(f"wrote {output}: " + ", ".join(f"{n} {k}" for k, n in counts.items()))


@cli.command("import-project")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--language", type=click.Choice(["sv", "en"]), help="Project language (default: from the file, else sv).")
@click.option("--allow-external-sources", is_flag=True,
              help="Follow absolute:// and relative:// source paths that point outside the archive.")
def import_project_cmd(file: Path, directory: Path | None, language: str | None, allow_external_sources: bool) -> None:
    """Create a project in DIRECTORY (default: FILE's name) from a .qdpx exported by any REFI-QDA tool.

    Positions are read in the exporting tool's unit (NVivo: UTF-16 units, CRLF as
    two) and every selection is checked against its text; selections that do not
    land are reported and left out, never misplaced.

    \b
    Example:
        qualcode import-project colleague.qdpx study-from-nvivo
        cd study-from-nvivo && qualcode status
    """
    from qualcode.refi.materialise import import_project

    project, read = import_project(file, directory or Path(file.stem), language, allow_external_sources)
    for line in read.report():
        click.echo(line)
    click.echo(f"created project {project.root}")


@cli.command()
@click.argument("source", type=click.Path(exists=False, path_type=Path))
@click.option("--add-codes", is_flag=True, help="Add codes missing here to the codebook instead of skipping their codings.")
@click.option("--no-new-transcripts", is_flag=True, help="Skip transcripts that are not in this project.")
@click.option("--allow-external-sources", is_flag=True, help="For a .qdpx: follow source paths outside the archive.")
@pass_project
def merge(project, source: Path, add_codes: bool, no_new_transcripts: bool, allow_external_sources: bool) -> None:
    """Bring another coder's work in from a qualcode project folder or a .qdpx.

    Transcripts match by content; codes by uuid, then id, then label; nothing is
    duplicated and identical codings are kept once. Whatever cannot be matched is
    reported. The database is backed up first (the path is printed).

    \b
    Example:
        qualcode merge ../study-bertil
        qualcode merge bertil.qdpx --add-codes
    """
    from qualcode.merge import merge_into

    result = merge_into(project, source, add_codes=add_codes, new_transcripts=not no_new_transcripts,
                        allow_external=allow_external_sources)
    for line in result.lines():
        click.echo(line)
