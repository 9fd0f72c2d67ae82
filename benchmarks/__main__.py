"""`python -m benchmarks [NAME...]`: run every benchmarks/bench_*.py and print one table of figures.

Each module exposes `run() -> dict` of figures and may declare `TARGETS = {figure: ("<=", x) | (">=", x)}`.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time
import traceback
from pathlib import Path


def main(names: list[str]) -> int:
    here = Path(__file__).parent
    modules = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))
    if names:
        modules = [m for m in modules if any(n in m for n in names)]
    failed = 0
    rows = []
    for name in modules:
        module = importlib.import_module(f"benchmarks.{name}")
        targets = getattr(module, "TARGETS", {})
        started = time.perf_counter()
        try:
            figures = module.run()
        except Exception:
            traceback.print_exc()
            failed += 1
            rows.append((name, "ERROR", "", "", ""))
            continue
        for key, value in figures.items():
            target = targets.get(key)
            verdict = ""
            if target is not None and isinstance(value, (int, float)):
                # A target is ("<=", x) or (">=", x); a bare number means "at most".
                op, limit = target if isinstance(target, tuple) else ("<=", target)
                ok = value >= limit if op == ">=" else value <= limit
                verdict = "ok" if ok else "MISSED"
                target = f"{op} {limit}"
            rows.append((name, key, value, target if target is not None else "", verdict))
        print(f"# {name} done in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    widths = [max(len(str(r[i])) for r in rows + [("benchmark", "figure", "value", "target", "")]) for i in range(5)]
    print("  ".join(h.ljust(w) for h, w in zip(("benchmark", "figure", "value", "target", ""), widths)))
    for row in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
