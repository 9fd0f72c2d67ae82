"""Reading untrusted REFI-QDA files: zip members without escapes or bombs, XML without entities or network."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path, PurePosixPath

from qualcode.errors import QualcodeError

# A real project of a few hundred interviews is far below both; a zip bomb is far above.
MAX_TOTAL_BYTES = 1 << 30  # 1 GiB uncompressed in all
MAX_MEMBERS = 20_000
_CHUNK = 1 << 20
_DRIVE = re.compile(r"^[A-Za-z]:")


def member_problem(name: str) -> str | None:
    """Why a zip member name is unsafe (absolute, a drive, or `..`), or None."""
    if not name or name.startswith(("/", "\\")) or _DRIVE.match(name):
        return "has an absolute path"
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if ".." in parts:
        return "climbs out of the archive with '..'"
    return None


class SafeZip:
    """A zip archive whose member names, count and total size were checked before any reading."""

    def __init__(self, path: str | Path, max_total: int | None = None, max_members: int | None = None):
        self.path = Path(path)
        self.max_total = MAX_TOTAL_BYTES if max_total is None else max_total
        max_members = MAX_MEMBERS if max_members is None else max_members
        try:
            self.zf = zipfile.ZipFile(self.path)
        except FileNotFoundError:
            raise QualcodeError("no such file", self.path) from None
        except (zipfile.BadZipFile, OSError) as error:
            raise QualcodeError(f"not a zip archive (a .qdpx is one): {error}", self.path) from None
        infos = self.zf.infolist()
        if len(infos) > max_members:
            self.zf.close()
            raise QualcodeError(f"refused: {len(infos)} archive members (limit {max_members}); a zip bomb?", self.path)
        declared = 0
        for info in infos:
            problem = member_problem(info.filename)
            if problem:
                self.zf.close()
                raise QualcodeError(f"refused: archive member '{info.filename}' {problem}", self.path)
            declared += info.file_size
        if declared > self.max_total:
            self.zf.close()
            raise QualcodeError(
                f"refused: {declared:,} bytes uncompressed (limit {self.max_total:,}); a zip bomb?", self.path)
        self.read_so_far = 0
        # Lookup by lower-case name: tools write sources/ or Sources/, project.qde or Project.qde.
        self.by_lower = {info.filename.replace("\\", "/").lower(): info for info in infos if not info.is_dir()}

    def names(self) -> list[str]:
        return [info.filename for info in self.by_lower.values()]

    def find(self, name: str):
        return self.by_lower.get(name.replace("\\", "/").lower())

    def read(self, info) -> bytes:
        """A member's bytes, counting against the total even if its header lies about its size."""
        out = bytearray()
        with self.zf.open(info) as stream:
            while True:
                chunk = stream.read(_CHUNK)
                if not chunk:
                    break
                out += chunk
                self.read_so_far += len(chunk)
                if self.read_so_far > self.max_total:
                    raise QualcodeError(
                        f"refused: more than {self.max_total:,} bytes uncompressed; a zip bomb?", self.path)
        return bytes(out)

    def close(self) -> None:
        self.zf.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def parse_xml(data: bytes, source: str | Path):
    """An lxml tree of untrusted XML: no DTD, no entities, no network; refusals name `source`."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                             dtd_validation=False, remove_blank_text=False)
    head = data[:4096].lstrip(b"\xef\xbb\xbf")
    # REFI files never carry a DTD; refusing any is the simple, sure defence against entity tricks.
    if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in data.upper():
        raise QualcodeError("refused: XML with a DOCTYPE or entity declarations (entity expansion is not allowed)",
                            source)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        line = getattr(error, "lineno", None)
        raise QualcodeError(f"malformed XML: {error.msg}", source, line) from None
    tree = root.getroottree()
    if tree.docinfo.internalDTD is not None or tree.docinfo.doctype:
        raise QualcodeError("refused: XML with a DOCTYPE (entity expansion is not allowed)", source)
    return root


def local(tag) -> str:
    """`{urn:QDA-XML:project:0:10}Code` -> `Code`: read by local name whatever the namespace."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def children(element, name: str) -> list:
    """The child elements called `name`; none when `element` itself is missing (None)."""
    return [child for child in element if local(child.tag) == name] if element is not None else []


def child(element, name: str):
    """The first child element called `name`, or None (also when `element` is None)."""
    for item in element if element is not None else ():
        if local(item.tag) == name:
            return item
    return None


def text_of(element, name: str) -> str:
    found = child(element, name)
    return (found.text or "") if found is not None else ""
