"""Commands for teams: export qdpx, import-project, merge, agreement (owned by the teams work)."""
