"""Commands: codebook_cmds."""
