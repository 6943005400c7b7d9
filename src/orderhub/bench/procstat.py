"""CPU time of a process tree, from the kernel's own accounting in /proc (Linux).

The server's CPU per order is the bench's most stable figure on a shared machine: wall
clock throughput moves with whatever else runs, CPU seconds spent per order hardly do.
"""

from __future__ import annotations

import os
from pathlib import Path

PROC = Path("/proc")
TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def available() -> bool:
    return (PROC / "self" / "stat").exists()


def _stat_fields(pid: int) -> list[str] | None:
    try:
        raw = (PROC / str(pid) / "stat").read_text()
    except OSError:  # the process ended between listing and reading
        return None
    # The command name (field 2) may hold spaces and parentheses; it ends at the last ')'.
    # What follows starts at field 3 (state): ppid is field 4, utime 14, stime 15.
    return raw[raw.rindex(")") + 2 :].split()


def tree(root: int) -> list[int]:
    """The root and every descendant (uvicorn's supervisor and its worker processes)."""
    children: dict[int, list[int]] = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            fields = _stat_fields(int(entry.name))
            if fields:
                children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, pending = [], [root]
    while pending:
        pid = pending.pop()
        found.append(pid)
        pending.extend(children.get(pid, []))
    return found


def cpu_seconds(root: int) -> float | None:
    """User plus system CPU seconds used so far by the tree under `root` (None off Linux)."""
    if not available():
        return None
    total = 0
    for pid in tree(root):
        fields = _stat_fields(pid)
        if fields:
            total += int(fields[11]) + int(fields[12])
    return total / TICKS
