"""What machine the figures were measured on (CPU model, cores, memory, load), for results.md."""

from __future__ import annotations

import os
import platform
import sys
from pathlib import Path


def _proc(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def cpu_model() -> str:
    """CPU model name from /proc/cpuinfo (falls back to ``platform.processor()``)."""
    for line in _proc("/proc/cpuinfo").splitlines():
        if line.lower().startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine() or "unknown"


def memory_mb() -> int | None:
    """Total memory in MB from /proc/meminfo."""
    for line in _proc("/proc/meminfo").splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) // 1024
    return None


def describe() -> dict[str, str]:
    """Key facts about this machine, as strings for the results header."""
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    mem = memory_mb()
    return {
        "cpu": cpu_model(),
        "cores": str(os.cpu_count() or "?"),
        "memory": f"{mem / 1024:.1f} GB" if mem else "unknown",
        "python": sys.version.split()[0],
        "os": f"{platform.system()} {platform.release()}",
        "load average at start": ", ".join(f"{x:.2f}" for x in load) if load else "unknown",
    }


def peak_rss_mb(pid: int | None = None) -> float | None:
    """Peak resident set size (VmHWM) of a process in MB, from /proc; ``None`` when unavailable."""
    peak = _proc_mb(pid, "status", "VmHWM")
    if peak is not None:
        return peak
    if pid is None:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux
    return None


def _proc_mb(pid: int | None, name: str, key: str) -> float | None:
    """The ``key:`` line (in kB) of ``/proc/PID/name``, in MB; None where /proc does not have it."""
    for line in _proc(f"/proc/{pid or 'self'}/{name}").splitlines():
        if line.startswith(f"{key}:"):
            return int(line.split()[1]) / 1024
    return None


def current_rss_mb(pid: int | None = None) -> float | None:
    """Current resident set size (VmRSS) of a process in MB."""
    return _proc_mb(pid, "status", "VmRSS")


def children_pids(pid: int | None = None) -> list[int]:
    """Direct child processes (e.g. the parse worker pool) of a process, from /proc."""
    pid = pid or os.getpid()
    text = _proc(f"/proc/{pid}/task/{pid}/children")
    return [int(x) for x in text.split()]


def descendants(pid: int | None = None) -> list[int]:
    """Every process below ``pid``: children, their children … (the fork server and its workers)."""
    out: list[int] = []
    todo = children_pids(pid)
    while todo:
        child = todo.pop()
        out.append(child)
        todo.extend(children_pids(child))
    return out


def pss_mb(pid: int | None = None) -> float | None:
    """Proportional set size in MB: pages shared with other processes count by share, so sums are fair."""
    return _proc_mb(pid, "smaps_rollup", "Pss")


def cpu_seconds(pid: int | None = None) -> float | None:
    """User + system CPU time a process has used so far, from /proc/PID/stat."""
    text = _proc(f"/proc/{pid or 'self'}/stat")
    if ")" not in text:
        return None
    fields = text.rsplit(")", 1)[1].split()  # after the command name, which may hold spaces
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
