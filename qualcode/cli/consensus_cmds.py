"""Commands: disagreements between two coders, resolving them into a consensus coder, seeding it."""

from __future__ import annotations

import click

from qualcode.cli.agreement_cmds import figure_cells
from qualcode.cli.base import cli, pass_project, print_json, print_table, shorten
from qualcode.errors import QualcodeError

coders_option = click.option("--coders", required=True, metavar="A,B", help="The two coders, comma-separated.")
unit_option = click.option("--unit", type=click.Choice(["segment", "turn"]), default="segment", show_default=True,
                           help="What one decision is about: a sentence segment or a speaker turn.")


def _pair(coders: str) -> tuple[str, str]:
    names = [name.strip() for name in coders.split(",")]
    if len(names) != 2 or not all(names):
        raise QualcodeError(f"--coders takes two names separated by a comma, got {coders!r}")
    return names[0], names[1]


def _spans(rows: list[dict]) -> str:
    return ", ".join(f"{r['start']}-{r['end']}" for r in rows) or "—"


@cli.command()
@coders_option
@click.argument("transcript")
@unit_option
@click.option("--code", "codes", multiple=True, metavar="ID", help="Only this code (repeatable).")
@click.option("--into", "consensus", metavar="CONSENSUS", help="Also show this consensus coder's decisions.")
@click.option("--agreements", is_flag=True, help="Also list the units both coders coded.")
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
@pass_project
def disagreements(project, coders, transcript, unit, codes, consensus, agreements, as_json):
    """List the units one coder coded with a code and the other did not, side by side.

    A and B show each coder's coding spans (offsets) on the unit; — means not coded.

    \b
    Example:
        qualcode disagreements --coders anna,bo norr-01
        qualcode disagreements --coders anna,bo norr-01 --unit turn --code warm-start --into team --json
    """
    from qualcode.consensus import disagreements as find
    from qualcode.transcripts import resolve

    a, b = _pair(coders)
    t = resolve(project.db, transcript)
    found = find(project.db, a, b, t.id, unit=unit, codes=codes or None, consensus=consensus,
                 include_agreements=agreements)
    if as_json:
        print_json({"transcript": t.name, "unit": unit, "coders": [a, b], "consensus": consensus,
                    "disagreements": [d.to_dict() for d in found]})
        return
    if not found:
        click.echo(f"{a} and {b} do not disagree on {t.name} ({unit}s)")
        return
    headers = [unit, "code", f"A ({a})", f"B ({b})"] + ([f"consensus ({consensus})"] if consensus else []) + ["text"]
    rows = [[d.number, d.code, _spans(d.codings_a), _spans(d.codings_b)]
            + ([d.resolved or "open"] if consensus else []) + [shorten(d.text)] for d in found]
    print_table(rows, headers)


@cli.command("resolve")
@coders_option
@click.option("--into", "consensus", required=True, metavar="CONSENSUS", help="The consensus coder to write.")
@click.argument("transcript")
@click.option("--segment", type=int, help="Segment number, as `qualcode show` lists it.")
@click.option("--turn", type=int, help="Turn number (instead of --segment).")
@click.option("--code", "code_id", required=True, metavar="ID", help="The code disagreed on.")
@click.option("--take", required=True, type=click.Choice(["a", "b", "both", "neither"]),
              help="Whose coding the consensus keeps: A's, B's, the union of both, or none.")
@click.option("--coder", help="Who decides (default: $QUALCODE_CODER, then the project's default).")
@pass_project
def resolve_cmd(project, coders, consensus, transcript, segment, turn, code_id, take, coder):
    """Resolve one disagreement into the consensus coder by taking A's, B's, both or neither.

    A's and B's codings are copied with their exact spans; undo it with
    `qualcode consensus undo --into CONSENSUS`.

    \b
    Example:
        qualcode resolve --coders anna,bo --into team norr-01 --segment 12 --code warm-start --take a
        qualcode resolve --coders anna,bo --into team norr-01 --turn 4 --code cold-start --take neither
    """
    from qualcode import consensus as core
    from qualcode.transcripts import resolve

    if (segment is None) == (turn is None):
        raise QualcodeError("give exactly one of --segment N or --turn N")
    a, b = _pair(coders)
    t = resolve(project.db, transcript)
    unit, number = ("segment", segment) if segment is not None else ("turn", turn)
    ref = core.UnitRef(t.id, unit, number, code_id, a, b)
    done = core.resolve(project.db, ref, take, consensus, project.coder(coder))
    state = core.progress(project.db, a, b, consensus, t.id, unit)
    click.echo(f"{unit} {number}, {code_id}: took {take}; {consensus} has it {done.resolved}. "
               f"{state['resolved']} of {state['disagreements']} disagreements on {t.name} resolved")


@cli.group()
def consensus() -> None:
    """Build a consensus coder from two coders' work.

    \b
    Example:
        qualcode consensus seed --coders anna,bo --into team
        qualcode disagreements --coders anna,bo norr-01 --into team
        qualcode resolve --coders anna,bo --into team norr-01 --segment 3 --code warm-start --take both
        qualcode consensus progress --coders anna,bo --into team norr-01
    """


@consensus.command("seed")
@coders_option
@click.option("--into", "into", required=True, metavar="CONSENSUS", help="The consensus coder to write.")
@click.option("--transcript", "transcripts", multiple=True, metavar="NAME",
              help="Only this transcript (repeatable). Default: every transcript both coders coded.")
@unit_option
@pass_project
def consensus_seed(project, coders, into, transcripts, unit):
    """Copy every coding A and B agree on (same code, same unit) into the consensus coder.

    Only the disagreements are then left to resolve.

    \b
    Example:
        qualcode consensus seed --coders anna,bo --into team
        qualcode consensus seed --coders anna,bo --into team --transcript norr-01 --unit turn
    """
    from qualcode.consensus import seed_consensus
    from qualcode.transcripts import resolve

    a, b = _pair(coders)
    ids = [resolve(project.db, name).id for name in transcripts] or None
    added = seed_consensus(project.db, a, b, into, transcript_ids=ids, unit=unit)
    click.echo(f"copied {added} agreed coding{'s' if added != 1 else ''} into {into}")


@consensus.command("progress")
@coders_option
@click.option("--into", "into", required=True, metavar="CONSENSUS", help="The consensus coder.")
@click.argument("transcript")
@unit_option
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@pass_project
def consensus_progress(project, coders, into, transcript, unit, as_json):
    """How many disagreements are resolved, and pooled agreement of A, B and the consensus.

    \b
    Example:
        qualcode consensus progress --coders anna,bo --into team norr-01 --json
    """
    from qualcode.consensus import progress
    from qualcode.transcripts import resolve

    a, b = _pair(coders)
    state = progress(project.db, a, b, into, resolve(project.db, transcript).id, unit)
    if as_json:
        print_json(state)
        return
    click.echo(f"{state['resolved']} of {state['disagreements']} disagreements resolved, {state['remaining']} left")
    names = {"a_b": f"{a} vs {b}", "a_consensus": f"{a} vs {into}", "b_consensus": f"{b} vs {into}"}
    rows = [[label, *figure_cells(state["figures"][key])] for key, label in names.items()]
    print_table(rows, ["pooled", "% agreement", "kappa", "alpha"])
    for key, note in state["notes"].items():
        click.echo(f"{names[key]}: {note}")


@consensus.command("undo")
@click.option("--into", "into", required=True, metavar="CONSENSUS", help="The consensus coder.")
@pass_project
def consensus_undo(project, into):
    """Undo the consensus coder's last resolve as one step.

    \b
    Example:
        qualcode consensus undo --into team
    """
    from qualcode.consensus import undo_resolve

    payload = undo_resolve(project.db, into)
    if payload is None:
        raise QualcodeError(f"{into}'s last action is not a resolve; nothing undone")
    click.echo(f"undid {payload['unit']} {payload['number']}, {payload['code_id']} (took {payload['choice']})")
