"""Commands that export: export docx|csv|json (qdpx: team_cmds), matrix, cooccurrence."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.cli.base import cli, force_option, pass_project, print_csv, print_json, print_table
from qualcode.errors import QualcodeError

filter_options = [
    click.option("--code", "codes", multiple=True, metavar="ID", help="Only this code (repeatable; a theme id means its codes)."),
    click.option("--theme", "themes", multiple=True, metavar="ID", help="Only the codes of this theme (repeatable)."),
    click.option("--site", "sites", multiple=True, help="Only this site (repeatable)."),
    click.option("--organisation", "--organization", "organisations", multiple=True, help="Only this organisation."),
    click.option("--role", "roles", multiple=True, help="Only this role."),
    click.option("--coder", "coders", multiple=True, help="Only this coder's codings (default: all coders)."),
    click.option("--pseudonyms", type=click.Path(dir_okay=False, path_type=Path),
                 help="YAML map of real names to pseudonyms, applied to text and attributes."),
    click.option("-o", "--output", type=click.Path(path_type=Path),
                 help="Output file (default: a new file under exports/ named for what and when)."),
    force_option,
]


def with_filters(func):
    for option in reversed(filter_options):
        func = option(func)
    return func


@cli.group()
def export() -> None:
    """Export coded excerpts (a Word report, csv/json rows) or the whole project (.qdpx).

    \b
    Example:
        qualcode export docx --by theme,site --memos
        qualcode export csv --pseudonyms pseudonyms.yaml -o exports/excerpts.csv
        qualcode export qdpx -o exports/study.qdpx
    """


def _pseudonyms(path):
    from qualcode.export.pseudonyms import load_pseudonyms

    return load_pseudonyms(path) if path else None


def _target(project, output: Path | None, force: bool, what: str, suffix: str) -> tuple[Path, str]:
    """The checked output path and a note when a default name had to take a suffix."""
    from qualcode.export.paths import check_output, default_output

    if output is not None:
        return check_output(output, force, (suffix,)), ""
    (project.root / "exports").mkdir(exist_ok=True)
    path, taken = default_output(project.root, what, suffix)
    note = f" ({taken} exists, so a number was added)" if taken else ""
    return check_output(path, False), note


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@export.command("docx")
@click.option("--by", default="theme,site", show_default=True, metavar="ORDER",
              help="theme,site | site,theme | code | transcript (site may be any attribute, e.g. theme,role).")
@with_filters
@click.option("--memos", is_flag=True, help="Add coding memos as Word comments on their quotes.")
@click.option("--template", type=click.Path(path_type=Path), help="Your Word template (.docx/.dotx) for styles, fonts, margins.")
@click.option("--language", type=click.Choice(["sv", "en"]), help="Language of labels and headings (default: the project's).")
@pass_project
def export_docx(project, by, codes, themes, sites, organisations, roles, coders, pseudonyms, output, force,
                memos, template, language) -> None:
    """A Word report: title page, heat-map summary, a chapter per theme, quotes by site, codebook appendix.

    \b
    Example:
        qualcode export docx
        qualcode export docx --by site,theme --site Norr --site Syd --memos
        qualcode export docx --pseudonyms pseudonyms.yaml --template institution.dotx -o report.docx
    """
    from qualcode.export.docx_styles import check_template
    from qualcode.export.report_docx import write_report_docx
    from qualcode.export.report_model import build_report, parse_by

    if template is not None:
        check_template(template)
    names = _pseudonyms(pseudonyms)
    levels = parse_by(by)
    path, note = _target(project, output, force, "by-" + "-".join(x for x in levels if x != "code"), ".docx")
    report = build_report(project, by=by, codes=codes, themes=themes, sites=sites, organisations=organisations,
                          roles=roles, coders=coders, pseudonyms=names, memos=memos, language=language)
    write_report_docx(report, path, template)
    if not report.codings:
        note += " (nothing is coded yet, so the report holds the codebook)"
    click.echo(f"wrote {_shown(path)}: {report.quotes} quotes from {report.codings} codings{note}")


def _export_rows(project, fmt: str, codes, themes, sites, organisations, roles, coders, pseudonyms, output, force):
    from qualcode.codes import codebook_from_store
    from qualcode.files import write_atomically
    from qualcode.export.report_model import fetch_rows
    from qualcode.export.tabular import flat_rows, to_csv, to_json

    names = _pseudonyms(pseudonyms)
    to_stdout = output is not None and str(output) == "-"
    path, note = (None, "") if to_stdout else _target(project, output, force, "excerpts", f".{fmt}")
    book = codebook_from_store(project.db)
    rows = fetch_rows(project, codes=codes, themes=themes, sites=sites, organisations=organisations,
                      roles=roles, coders=coders, book=book)
    if names:
        rows = [names.row(r) for r in rows]
    columns, flat = flat_rows(rows, book, project.language)
    text = (to_csv if fmt == "csv" else to_json)(columns, flat)
    if to_stdout:
        click.echo(text, nl=False)
        return
    write_atomically(path, lambda tmp: tmp.write_text(text, encoding="utf-8", newline=""))
    click.echo(f"wrote {_shown(path)}: {len(flat)} excerpts{note}")


@export.command("csv")
@with_filters
@pass_project
def export_csv(project, **options) -> None:
    """One row per coded excerpt, every attribute a column, with the code's path (`-o -`: stdout).

    \b
    Example:
        qualcode export csv
        qualcode export csv --theme readiness --pseudonyms pseudonyms.yaml -o - > readiness.csv
    """
    _export_rows(project, "csv", **options)


@export.command("json")
@with_filters
@pass_project
def export_json(project, **options) -> None:
    """One object per coded excerpt, every attribute a key, with the code's path (`-o -`: stdout).

    \b
    Example:
        qualcode export json -o exports/excerpts.json
    """
    _export_rows(project, "json", **options)


@cli.command()
@click.option("--rows", "rows", type=click.Choice(["code", "theme"]), default="code", show_default=True)
@click.option("--cols", "cols", default="site", show_default=True, metavar="ATTR",
              help="site | organisation | role | transcript | coder | speaker | any attribute.")
@click.option("--count", type=click.Choice(["codings", "transcripts", "words"]), default="codings", show_default=True)
@click.option("--coder", "coders", multiple=True, help="Only this coder's codings (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV.")
@pass_project
def matrix(project, rows, cols, count, coders, as_json, as_csv) -> None:
    """Count codings (or transcripts, or words) by code or theme and site or another attribute.

    \b
    Example:
        qualcode matrix
        qualcode matrix --rows theme --cols role --count transcripts --csv
    """
    from qualcode.export.matrix import compute, known_columns

    if cols not in known_columns(project.db):
        raise QualcodeError(f"no transcript or speaker has the attribute '{cols}'")
    table = compute(project.db, rows=rows, cols=cols, count=count, coders=list(coders))
    wide = [{rows: r, **table["matrix"][r]} for r in table["row_values"]]
    if as_json:
        print_json(table)
    elif as_csv:
        print_csv(wide, [rows, *table["col_values"]])
    else:
        print_table([list(w.values()) for w in wide], [rows, *table["col_values"]])


@cli.command()
@click.option("--coder", "coders", multiple=True, help="Only this coder's codings (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV.")
@pass_project
def cooccurrence(project, coders, as_json, as_csv) -> None:
    """Which codes overlap on the same passages, and how often (pairs, most frequent first).

    \b
    Example:
        qualcode cooccurrence
        qualcode cooccurrence --coder anna --csv > pairs.csv
    """
    from qualcode.export.cooccurrence import cooccurrence as pairs

    found = pairs(project.db, coders=list(coders))
    columns = ["code_a", "code_b", "passages", "transcripts"]
    if as_json:
        print_json(found)
    elif as_csv:
        print_csv(found, columns)
    elif not found:
        click.echo("no codes overlap")
    else:
        print_table([[r[c] for c in columns] for r in found], columns)
