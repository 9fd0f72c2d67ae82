"""Files qualcode writes: readable by others like any document, never replaced without --force."""

from __future__ import annotations

import stat

import pytest

from tests.conftest import run_cli


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_written_codebooks_and_refi_files_are_not_private(project, tmp_path):
    """mkstemp creates 0600 files; a shared codebook or .qdpx must stay readable for the team."""
    from qualcode.codebook import dump_codebook
    from qualcode.codes import codebook_from_store
    from qualcode.refi.qdc import write_qdc
    from qualcode.refi.qdpx_write import write_qdpx

    book = codebook_from_store(project.db)
    written = [dump_codebook(book, tmp_path / "copy.yaml"), write_qdc(book, tmp_path / "book.qdc")]
    write_qdpx(project, tmp_path / "study.qdpx")
    for path in [*written, tmp_path / "study.qdpx"]:
        assert mode(path) == 0o644, path


@pytest.mark.parametrize("args, name", [
    (["export", "qdpx"], "study.qdpx"),
    (["codebook", "export", "--format", "qdc"], "book.qdc"),
    (["codebook", "export", "--format", "docx"], "book.docx"),
])
def test_exports_refuse_to_replace_a_file_without_force(project, tmp_path, args, name):
    out = tmp_path / name
    out.write_text("a colleague's file", encoding="utf-8")
    result = run_cli("--project", str(project.root), *args, "-o", str(out))
    assert result.exit_code == 2
    assert result.output.strip() == f"error: {out}: already exists; use --force to replace it or choose another name"
    assert out.read_text(encoding="utf-8") == "a colleague's file"
    result = run_cli("--project", str(project.root), *args, "-o", str(out), "--force")
    assert result.exit_code == 0, result.output
    assert out.read_bytes() != b"a colleague's file"


def test_replace_when_done_moves_only_after_success(tmp_path):
    from qualcode.files import replace_when_done

    target, staged = tmp_path / "book.yaml", tmp_path / ".book.yaml.loading"
    target.write_text("old", encoding="utf-8")
    staged.write_text("new", encoding="utf-8")
    with pytest.raises(RuntimeError), replace_when_done(staged, target):
        raise RuntimeError("the transaction failed")
    assert target.read_text(encoding="utf-8") == "old" and not staged.exists()
    staged.write_text("new", encoding="utf-8")
    with replace_when_done(staged, target):
        pass
    assert target.read_text(encoding="utf-8") == "new" and not staged.exists()
