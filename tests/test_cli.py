"""The command line end to end: init, import, code, excerpts, and bad input as one line with exit code 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import run_cli


def cli_proc(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("qualcode")
    return subprocess.run([str(exe), *args], capture_output=True, text=True, cwd=cwd)


@pytest.fixture
def proj(tmp_path, codebook_file, group_file):
    root = tmp_path / "p"
    assert run_cli("init", str(root), "--codebook", str(codebook_file), "--coder", "anna").exit_code == 0
    assert run_cli("--project", str(root), "import", str(group_file)).exit_code == 0
    return root


def db_state(root: Path):
    import sqlite3

    con = sqlite3.connect(root / "qualcode.db")
    try:
        return [con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in ("transcripts", "turns", "segments", "codings", "codes")]
    finally:
        con.close()


def test_code_show_and_excerpts_round_trip(proj):
    segs = json.loads(run_cli("--project", str(proj), "show", "syd-grupp", "--json").output)
    assert set(segs[0]) == {"segment", "turn", "speaker", "start", "end", "text"}
    target = next(s for s in segs if s["text"] == "Chefen byttes tre gånger första året.")
    result = run_cli("--project", str(proj), "code", "syd-grupp", "--code", "cold-start",
                     "--segment", str(target["segment"]), "--coder", "bertil", "--memo", "chefsbyten")
    assert result.exit_code == 0, result.output
    rows = json.loads(run_cli("--project", str(proj), "excerpts", "--code", "cold-start", "--json").output)
    assert len(rows) == 1
    row = rows[0]
    assert (row["text"], row["start"], row["end"]) == (target["text"], target["start"], target["end"])
    assert row["coder"] == "bertil" and row["memo"] == "chefsbyten"
    assert row["attribution"] == "(Syd, chef, kommun)"
    csv_out = run_cli("--project", str(proj), "excerpts", "--csv").output.splitlines()
    assert csv_out[0].startswith("code,transcript,start,end,speaker")
    assert "(Syd, chef, kommun)" in csv_out[1]
    listed = json.loads(run_cli("--project", str(proj), "transcripts", "--json").output)
    assert listed[0]["codings"] == 1 and listed[0]["coded_segments"] == 1
    assert run_cli("--project", str(proj), "uncode", "syd-grupp", "--code", "cold-start",
                   "--segment", str(target["segment"]), "--coder", "bertil").exit_code == 0
    assert db_state(proj)[3] == 0


def test_status_summarises(proj):
    info = json.loads(run_cli("--project", str(proj), "status", "--json").output)
    assert info["transcripts"] == 1 and info["codes"] == 2 and info["themes"] == 1
    assert info["sites"] == {"Syd": 1}


BAD_INPUTS = [
    # (name, files to write, args, expected fragment)
    ("missing file", {}, ["import", "{tmp}/nope.txt"], "nope.txt: no such file"),
    ("unsupported folder", {"pdfs/a.pdf": b"%PDF"}, ["import", "{tmp}/pdfs"], "no supported transcripts"),
    ("empty file", {"tom.txt": b"\n  \n"}, ["import", "{tmp}/tom.txt"], "tom.txt"),
    ("binary file", {"bin.txt": bytes(range(256)) * 4}, ["import", "{tmp}/bin.txt"], "bin.txt"),
    ("docx not a zip", {"fake.docx": b"not a zip at all"}, ["import", "{tmp}/fake.docx"], "fake.docx"),
    ("bad front matter", {"fm.md": "---\nsite: [Norr\n---\nIP: Hej.\n".encode()}, ["import", "{tmp}/fm.md"], "fm.md:2"),
    ("unknown code", {}, ["code", "syd-grupp", "--code", "nope", "--segment", "1"], "unknown code id 'nope'"),
    ("segment out of range", {}, ["code", "syd-grupp", "--code", "cold-start", "--segment", "999"], "out of range"),
    ("start after end", {}, ["code", "syd-grupp", "--code", "cold-start", "--start", "50", "--end", "10"], "must be before"),
    ("unknown transcript", {}, ["code", "nope", "--code", "cold-start", "--segment", "1"], "no transcript named 'nope'"),
]


@pytest.mark.parametrize("name,files,args,fragment", BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_input_is_one_line_exit_2_and_no_change(proj, tmp_path, name, files, args, fragment):
    for rel, data in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    before = db_state(proj)
    out = cli_proc("--project", str(proj), *[a.format(tmp=tmp_path) for a in args])
    assert out.returncode == 2, out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    assert fragment in lines[0]
    assert "Traceback" not in out.stderr
    assert db_state(proj) == before


def test_malformed_codebook_yaml(proj, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\ncodes:\n  - id: a\n    label: {sv: [\n", encoding="utf-8")
    out = cli_proc("--project", str(proj), "codebook", "load", str(bad))
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "bad.yaml:" in out.stderr and "Traceback" not in out.stderr
    assert db_state(proj)[4] == 3


def test_project_folder_that_does_not_exist(tmp_path):
    out = cli_proc("--project", str(tmp_path / "nowhere"), "status")
    assert out.returncode == 2
    assert out.stderr.strip().endswith("project folder does not exist (from --project)")


def test_no_project_found_says_how_to_create_one(tmp_path):
    out = cli_proc("status", cwd=tmp_path)
    assert out.returncode == 2 and "qualcode init" in out.stderr


def test_demo_builds_from_repository(tmp_path):
    repo = Path(__file__).resolve().parent.parent
    if not any((repo / "transcripts").glob("*")):
        pytest.skip("no demo transcripts in this checkout")
    result = run_cli("demo", "--dir", str(tmp_path / "demo"), "--source", str(repo))
    assert result.exit_code == 0, result.output
    listed = json.loads(run_cli("--project", str(tmp_path / "demo"), "transcripts", "--json").output)
    assert len(listed) >= 6
    assert len({t["attributes"].get("site") for t in listed}) >= 4
    assert {t["format"] for t in listed} >= {"docx", "vtt"}
    again = run_cli("demo", "--dir", str(tmp_path / "demo"), "--source", str(repo))
    assert "unchanged" in again.output and "\nimported " not in "\n" + again.output


def test_demo_outside_the_repository_creates_nothing(tmp_path):
    out = cli_proc("demo", cwd=tmp_path)
    assert out.returncode == 2 and "transcripts/" in out.stderr
    assert list(tmp_path.iterdir()) == []


def test_demo_in_a_copy_of_the_repository_makes_it_the_project(tmp_path):
    import shutil

    repo = Path(__file__).resolve().parent.parent
    copy = tmp_path / "repo"
    for sub in ("transcripts", "codebooks"):
        shutil.copytree(repo / sub, copy / sub)
    out = cli_proc("demo", cwd=copy)
    assert out.returncode == 0, out.stderr
    assert (copy / "qualcode.db").is_file() and (copy / "exports").is_dir()
    listed = json.loads(cli_proc("transcripts", "--json", cwd=copy / "transcripts").stdout)
    assert len(listed) >= 6
    assert json.loads(cli_proc("status", "--json", cwd=copy).stdout)["codings"] > 0
