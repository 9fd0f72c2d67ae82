"""Run the command line with `python -m qualcode`."""

from qualcode.cli import main

main()
