"""One screen per module; the coding screen's actions are mixins in coding_*.py."""
