"""The `qualcode` command line: one small command per subcommand over the core library."""

from qualcode.cli.base import cli

# Each module registers its commands on `cli` when imported; the order is the help order.
from qualcode.cli import project_cmds  # noqa: E402,F401
from qualcode.cli import transcript_cmds  # noqa: E402,F401
from qualcode.cli import codebook_cmds  # noqa: E402,F401
from qualcode.cli import coding_cmds  # noqa: E402,F401
from qualcode.cli import suggest_cmds  # noqa: E402,F401
from qualcode.cli import export_cmds  # noqa: E402,F401
from qualcode.cli import team_cmds  # noqa: E402,F401
from qualcode.cli import agreement_cmds  # noqa: E402,F401
from qualcode.cli import consensus_cmds  # noqa: E402,F401


def main() -> None:
    cli(prog_name="qualcode")
