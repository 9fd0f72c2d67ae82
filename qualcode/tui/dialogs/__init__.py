"""Modal dialogs, one per module, each returning its result through dismiss()."""
