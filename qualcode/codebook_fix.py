"""`qualcode codebook validate --fix`: add missing uuids to a codebook file, leaving the rest untouched."""

from __future__ import annotations

import uuid as uuidlib
from pathlib import Path

import yaml

from qualcode.codebook_validate import compose, read_text


def fix_uuids(path: str | Path) -> int:
    """Insert a `uuid:` line after each `id:` line that lacks one; the rest of the file is untouched."""
    path = Path(path)
    raw = path.read_bytes() if path.is_file() else b""
    text = read_text(path)
    root = compose(text, str(path))
    inserts: list[tuple[int, int]] = []  # (line index of the id value, column of the id key)
    if isinstance(root, yaml.MappingNode):
        for key_node, seq in root.value:
            if key_node.value not in ("themes", "codes") or not isinstance(seq, yaml.SequenceNode):
                continue
            for item in seq.value:
                if not isinstance(item, yaml.MappingNode) or item.flow_style:
                    continue
                keys = {k.value: (k, v) for k, v in item.value if isinstance(k, yaml.ScalarNode)}
                if "uuid" in keys or "id" in keys and not isinstance(keys["id"][1], yaml.ScalarNode):
                    continue
                if "id" in keys and keys["id"][1].start_mark.line == keys["id"][1].end_mark.line:
                    inserts.append((keys["id"][1].end_mark.line, keys["id"][0].start_mark.column))
    if not inserts:
        return 0
    lines = text.splitlines(keepends=True)
    for index, column in sorted(inserts, reverse=True):
        ending = "\r\n" if lines[index].endswith("\r\n") else "\n"
        if not lines[index].endswith(("\n", "\r")):
            lines[index] += ending
        lines.insert(index + 1, " " * column + f"uuid: {uuidlib.uuid4()}" + ending)
    bom = "\ufeff" if raw.startswith(b"\xef\xbb\xbf") else ""
    path.write_text(bom + "".join(lines), encoding="utf-8", newline="")
    return len(inserts)
