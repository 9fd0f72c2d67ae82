"""Commands: agreement between coders (owned by the agreement work)."""
