"""Commands: import, transcripts, show."""

from __future__ import annotations

import click

from qualcode.cli.base import cli, pass_project, print_json, print_table
from qualcode.errors import QualcodeError


def parse_attrs(pairs: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise QualcodeError(f"--attr expects KEY=VALUE, got '{pair}'")
        out[key.strip()] = value.strip()
    return out


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--site", help="Site for every file in this batch, e.g. 'Väst 1'.")
@click.option("--organisation", "--organization", "organisation", help="Organisation, e.g. kommun or psykiatri.")
@click.option("--role", help="Informant role, e.g. chef or 'case manager'.")
@click.option("--attr", "attrs", multiple=True, metavar="KEY=VALUE", help="Any other attribute (repeatable).")
@click.option("--name", help="Name for the transcript (one file only; default: file name without extension).")
@click.option("--replace", is_flag=True, help="Replace a changed transcript that has no codings yet.")
@pass_project
def import_cmd(project, paths, site, organisation, role, attrs, name, replace) -> None:
    """Import transcripts: .txt, .md (YAML front matter), .docx, .vtt, .srt, or folders of them.

    Speaker labels (I:, IP:, IP 1:, Anna:, [Anna]) and leading timestamps become
    turns; turns are split into sentence segments. Importing an unchanged file
    again does nothing.

    \b
    Example:
        qualcode import interviews/syd/ --site Syd --organisation kommun
        qualcode import norr-chef.docx --role chef --attr kön=kvinna
    """
    from qualcode.ingest import import_paths

    attributes = parse_attrs(attrs)
    for key, value in (("site", site), ("organisation", organisation), ("role", role)):
        if value:
            attributes[key] = value
    report = import_paths(project, list(paths), attributes=attributes, name=name, replace=replace)
    for line in report.lines():
        click.echo(line)


@cli.command("transcripts")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_project
def transcripts_cmd(project, as_json: bool) -> None:
    """List transcripts with attributes, turn and word counts, and how much is coded.

    \b
    Example:
        qualcode transcripts
        qualcode transcripts --json | jq '.[].name'
    """
    from qualcode.transcripts import list_transcripts

    rows = list_transcripts(project.db)
    if as_json:
        print_json(rows)
        return
    if not rows:
        click.echo("no transcripts yet: qualcode import PATH...")
        return
    print_table(
        [[r["id"], r["name"], r["attributes"].get("site", ""), r["attributes"].get("organisation", ""),
          r["attributes"].get("role", ""), r["turns"], r["words"], f"{r['coded_share']:.0%}", r["codings"]]
         for r in rows],
        ["id", "name", "site", "organisation", "role", "turns", "words", "coded", "codings"],
    )


@cli.command()
@click.argument("transcript")
@click.option("--json", "as_json", is_flag=True, help="Print the segments as JSON.")
@pass_project
def show(project, transcript: str, as_json: bool) -> None:
    """Print a transcript as turns and numbered segments with their speakers.

    \b
    Example:
        qualcode show norr-chef-kommun
        qualcode show 3 --json
    """
    from qualcode import transcripts as tr

    t = tr.resolve(project.db, transcript)
    segs = tr.segments(project.db, t.id)
    if as_json:
        print_json([{k: s[k] for k in ("segment", "turn", "speaker", "start", "end", "text")} for s in segs])
        return
    attrs = ", ".join(f"{k}: {v}" for k, v in t.attributes.items())
    click.echo(f"{t.name}  ({attrs})" if attrs else t.name)
    current = None
    for s in segs:
        if s["turn"] != current:
            current = s["turn"]
            stamp = f" [{s['timestamp']}]" if s["timestamp"] else ""
            click.echo(f"\nturn {s['turn']}{stamp} {s['speaker'] or '-'}:")
        click.echo(f"  {s['segment']:>4}  {s['text']}")
