"""One screen per module: project, coding, codebook, excerpts, help."""
