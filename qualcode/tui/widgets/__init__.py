"""Widgets of the terminal UI: the transcript view and the side panels."""
