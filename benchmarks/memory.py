"""Peak memory of this process, measured so that a parent's size does not leak in."""

from __future__ import annotations

import resource


def peak_mb() -> float:
    """VmHWM of this process's own address space; ru_maxrss where /proc is missing.

    Linux carries ru_maxrss across fork and exec, so a child started by a large
    benchmark process would report the parent's peak; VmHWM starts afresh at exec.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
