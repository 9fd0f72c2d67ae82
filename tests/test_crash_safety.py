"""A process killed mid-action loses at most that action; the database opens normally afterwards."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from qualcode import coding
from qualcode.project import Project

KILLED_WRITER = r"""
import sys, time
from qualcode.project import Project
from qualcode import coding, store
p = Project(sys.argv[1])
tid = int(sys.argv[2])
coding.add_coding(p.db, tid, 0, 5, "warm-start", "anna")          # committed
p.db.conn.execute("BEGIN IMMEDIATE")                               # an action in flight...
p.db.conn.execute("INSERT INTO codings (transcript_id, start, \"end\", code_id, coder) VALUES (?, 6, 9, 'cold-start', 'anna')", [tid])
print("in flight", flush=True)
time.sleep(60)                                                     # ...when the process is killed
"""


def test_killed_process_keeps_committed_work_and_releases_the_lock(imported):
    project, t = imported
    project.close()
    proc = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(project.root), str(t.id)],
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "in flight"
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    again = Project(project.root)
    rows = again.db.execute('SELECT code_id, start, "end" FROM codings').fetchall()
    assert rows == [("warm-start", 0, 5)]
    # the dead process's lock is gone: a new action commits at once
    started = time.perf_counter()
    coding.add_coding(again.db, t.id, 10, 20, "cold-start", "anna")
    assert time.perf_counter() - started < 5
    assert again.db.execute("SELECT COUNT(*) FROM codings").fetchone()[0] == 2
    assert again.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # and the undo log still knows the committed action
    assert coding.undo(again.db, "anna")["kind"] == "add"


def test_two_processes_code_the_same_project_at_once(imported):
    project, t = imported
    project.close()
    script = (
        "import sys\nfrom qualcode.project import Project\nfrom qualcode import coding\n"
        "p = Project(sys.argv[1])\n"
        "for i in range(40):\n"
        "    coding.add_coding(p.db, int(sys.argv[2]), i, i + 1, 'warm-start', sys.argv[3])\n"
    )
    procs = [subprocess.Popen([sys.executable, "-c", script, str(project.root), str(t.id), who])
             for who in ("anna", "bertil")]
    assert [p.wait(timeout=60) for p in procs] == [0, 0]
    again = Project(project.root)
    counts = dict(again.db.execute("SELECT coder, COUNT(*) FROM codings GROUP BY coder").fetchall())
    assert counts == {"anna": 40, "bertil": 40}
