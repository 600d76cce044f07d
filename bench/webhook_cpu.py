"""CPU accounting for the webhook benchmark: cores used per process kind, from /proc."""

from __future__ import annotations

import os
import time
from pathlib import Path

from bench.webhook_state import DB_NAME

NOISY_OTHER_CORES = 0.25  # other processes using more than this disturb the figures


def _process_kind(pid: str, comm: str, ppid: int, app_pid: int) -> str:
    """What a process counts as: this run's gunicorn, postgres (bench db), redis, or other."""
    if int(pid) == app_pid or ppid == app_pid:
        return "app"
    if int(pid) == os.getpid():
        return "bench"
    if comm == "redis-server":
        return "redis"
    if comm.startswith("postgres"):
        try:
            title = Path("/proc", pid, "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            return "other"
        is_backend = "127.0.0.1(" in title or "[local]" in title
        return "postgres" if DB_NAME in title or not is_backend else "other"
    return "other"


Ticks = dict[int, tuple[str, int, int]]  # pid: (kind, utime + stime, stime), clock ticks


def cpu_ticks(app_pid: int) -> Ticks:
    """utime+stime and stime (clock ticks) of every process, with its kind, by pid."""
    ticks: Ticks = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdecimal():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        kind = _process_kind(entry.name, comm, int(fields[1]), app_pid)
        ticks[int(entry.name)] = (kind, int(fields[11]) + int(fields[12]), int(fields[12]))
    return ticks


def busy_ticks() -> tuple[int, int]:
    """Machine-wide (busy, steal) clock ticks from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = values[:8]
    return user + nice + system + irq + softirq, steal


def app_counters(ticks: Ticks) -> tuple[int, int, int]:
    """The app's processes (gunicorn and its workers) of a `cpu_ticks` snapshot, summed:
    system-time clock ticks, and the voluntary (a blocking wait) and involuntary (preempted)
    context switches, read from their /proc status."""
    stime = voluntary = involuntary = 0
    for pid, (kind, _ticks, system) in ticks.items():
        if kind != "app":
            continue
        try:
            status = Path("/proc", str(pid), "status").read_text()
        except OSError:
            continue
        stime += system
        for line in status.splitlines():
            if line.startswith("voluntary_ctxt_switches:"):
                voluntary += int(line.split()[1])
            elif line.startswith("nonvoluntary_ctxt_switches:"):
                involuntary += int(line.split()[1])
    return stime, voluntary, involuntary


def cpu_used(before: Ticks, after: Ticks, seconds: float) -> dict[str, float]:
    """Cores used per kind between two snapshots (processes present in `after`)."""
    hz = os.sysconf("SC_CLK_TCK")
    used: dict[str, float] = {}
    for pid, (kind, ticks, _stime) in after.items():
        delta = ticks - before.get(pid, (kind, 0, 0))[1]
        used[kind] = used.get(kind, 0.0) + delta / hz / seconds
    return used


def background_load(seconds: float = 2.0) -> float:
    """Cores the machine is busy with right now (while nothing of ours is under load)."""
    before, start = busy_ticks()[0], time.monotonic()
    time.sleep(seconds)
    return (busy_ticks()[0] - before) / os.sysconf("SC_CLK_TCK") / (time.monotonic() - start)


def wait_for_quiet(max_wait: float) -> None:
    """Before loading, wait up to max_wait seconds for other processes to leave the CPU."""
    deadline = time.monotonic() + max_wait
    load = background_load(1.0)
    if load <= NOISY_OTHER_CORES:
        return
    print(f"    machine busy ({load:.2f} cores used by others); waiting up to "
          f"{max_wait:g} s for quiet", flush=True)
    while load > NOISY_OTHER_CORES and time.monotonic() < deadline:
        load = background_load(1.0)
