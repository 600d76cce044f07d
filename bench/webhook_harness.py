"""The webhook benchmark's harness: child processes, gunicorn, priorities and wrk."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import redis

from bench.webhook_cpu import app_counters, busy_ticks, cpu_ticks, cpu_used, wait_for_quiet
from bench.webhook_figures import Gunicorn, Measurement
from bench.webhook_state import PG_ADMIN, REDIS_URL, REPO

LUA = REPO / "bench" / "callbacks.lua"


class Processes:
    """The child processes this run started; all stopped on exit, whatever happened."""

    def __init__(self) -> None:
        self.children: list[subprocess.Popen[bytes]] = []

    def start(self, argv: list[str], env: dict[str, str], log: Path,
              preexec: Callable[[], None] | None = None) -> subprocess.Popen[bytes]:
        """Start argv in its own session and process group, output to `log`."""
        with log.open("ab") as out:
            child = subprocess.Popen(argv, cwd=REPO, env=env, stdout=out,
                                     stderr=subprocess.STDOUT, start_new_session=True,
                                     preexec_fn=preexec)
        self.children.append(child)
        return child

    def stop(self, child: subprocess.Popen[bytes], grace: float = 10.0) -> None:
        """TERM the child's process group, KILL it after `grace` seconds."""
        if child.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGTERM)
            try:
                child.wait(grace)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(child.pid, signal.SIGKILL)
                child.wait(5)
        if child in self.children:
            self.children.remove(child)

    def stop_all(self) -> None:
        """Stop every child still running."""
        for child in list(reversed(self.children)):
            self.stop(child)


def free_port() -> int:
    """An unused TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_http(url: str, child: subprocess.Popen[bytes], log: Path, timeout: float = 30) -> None:
    """Wait until something answers HTTP at url (any status), or fail with the log's tail."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and child.poll() is None:
        try:
            urllib.request.urlopen(url, timeout=1).close()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
    raise RuntimeError(f"server at {url} did not come up; log tail:\n{tail}")


def prioritised(niceness: int) -> Callable[[], None] | None:
    """A preexec_fn giving a child (in its own session) the niceness, or None for 0."""
    # With the kernel's autogroups (Debian's default) CPU is shared between sessions first, so
    # a plain nice value only orders processes of one session; the session's autogroup gets
    # the niceness too. For gunicorn and wrk; `servers_prioritised` gives PostgreSQL's and
    # Redis's autogroups the same.
    if not niceness:
        return None

    def apply() -> None:
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, 0, niceness)
        with contextlib.suppress(OSError):
            Path("/proc/self/autogroup").write_text(str(niceness))
    return apply


def server_pids() -> dict[str, int]:
    """PIDs of the bench's PostgreSQL postmaster and Redis server when visible in /proc."""
    # Empty when they run elsewhere (not on this machine, or in another PID namespace).
    pids: dict[str, int] = {}
    with contextlib.suppress(psycopg.Error, OSError, ValueError, IndexError):
        with psycopg.connect(PG_ADMIN, connect_timeout=3) as conn:  # the backend lives only
            row = conn.execute("SELECT pg_backend_pid()").fetchone()  # while connected
            stat = Path("/proc", str(row[0] if row else 0), "stat").read_text()
        pids["PostgreSQL"] = int(stat[stat.rindex(")") + 2 :].split()[1])  # the postmaster
    with contextlib.suppress(redis.RedisError, OSError, KeyError, ValueError):
        pid = int(redis.Redis.from_url(REDIS_URL, socket_timeout=3).info("server")["process_id"])
        if Path("/proc", str(pid)).exists():
            pids["Redis"] = pid
    return pids


def autogroup_nice(pid: int) -> int | None:
    """The niceness of a process's autogroup ("/autogroup-5 nice 0"), or None if unknown."""
    try:
        return int(Path("/proc", str(pid), "autogroup").read_text().split()[-1])
    except (OSError, ValueError, IndexError):
        return None


@contextlib.contextmanager
def servers_prioritised(niceness: int) -> Iterator[list[str]]:
    """PostgreSQL's and Redis's autogroups at `niceness` for the run; yields their names."""
    # Restored after the run. The bot's database and Redis are part of the system under test:
    # with gunicorn and wrk at -10 and them at 0, the kernel gives their autogroups a tenth of
    # gunicorn's share, and a write that waits on PostgreSQL waits for CPU besides. Measured
    # 2026-12-02 (write mode, `sync -w 4`): 423-590 req/s with the servers at 0, 559-791 with
    # them at -10.
    changed: dict[int, int] = {}
    names: list[str] = []
    try:
        if niceness:
            for name, pid in server_pids().items():
                before = autogroup_nice(pid)
                if before is None:
                    continue
                if before != niceness:
                    try:
                        Path("/proc", str(pid), "autogroup").write_text(str(niceness))
                    except OSError:
                        continue
                    changed[pid] = before
                names.append(name)
        yield names
    finally:
        for pid, before in changed.items():
            with contextlib.suppress(OSError):
                Path("/proc", str(pid), "autogroup").write_text(str(before))


def run_wrk(url: str, requests_file: Path, seconds: float, args: argparse.Namespace,
            app_pid: int, window: tuple[int, int] | None = None
            ) -> tuple[dict[str, float], dict[str, float]]:
    """Run wrk once (on the file's lines `window` = (first, count), else all of them); return
    its BENCH figures and the cores used per process kind."""
    threads = args.wrk_threads
    argv = ["wrk", "-t", str(threads), "-c", str(args.connections), "-d", f"{seconds:g}s",
            "--timeout", "5s", "--latency", "-s", str(LUA), url, "--", str(requests_file),
            str(threads), *(str(n) for n in window or ())]
    before = cpu_ticks(app_pid)
    counters = app_counters(before)
    busy_before, start = busy_ticks(), time.monotonic()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(argv, capture_output=True, text=True, check=False,
                          start_new_session=True, preexec_fn=prioritised(args.nice))
    elapsed = time.monotonic() - start
    after_ticks = cpu_ticks(app_pid)
    cpu = cpu_used(before, after_ticks, elapsed)
    stime, voluntary, involuntary = (b - a for a, b in zip(counters, app_counters(after_ticks),
                                                             strict=True))
    cpu["app_sys"] = stime / os.sysconf("SC_CLK_TCK") / elapsed
    cpu["app_waits"], cpu["app_preempted"] = voluntary / elapsed, involuntary / elapsed
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # wrk has exited: its time is here
    wrk_seconds = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
    busy_after, hz = busy_ticks(), os.sysconf("SC_CLK_TCK")
    cpu["wrk"] = wrk_seconds / elapsed
    cpu["machine"] = (busy_after[0] - busy_before[0]) / hz / elapsed
    cpu["steal"] = (busy_after[1] - busy_before[1]) / hz / elapsed
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("BENCH ")]
    if done.returncode or not lines:
        raise RuntimeError(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return json.loads(lines[-1][6:]), cpu


def measure(name: str, url: str, app_pid: int, files: tuple[Path, Path],
            args: argparse.Namespace) -> Measurement:
    """Warm up, then measure one app with wrk."""
    warmup, stream = files
    warm = warm_up(url, app_pid, warmup, args)
    return window(name, url, app_pid, stream, args.duration, args, warm)


def warm_up(url: str, app_pid: int, warmup: Path, args: argparse.Namespace) -> tuple[int, int]:
    """The warm-up before an app's measured window(s): (requests answered, requests sent)."""
    if args.quiet_wait > 0:
        wait_for_quiet(args.quiet_wait)
    if args.warmup <= 0:
        return 0, 0
    warm, _cpu = run_wrk(url, warmup, args.warmup, args, app_pid)
    return int(warm["requests"]), int(warm["sent"])


def window(name: str, url: str, app_pid: int, stream: Path, seconds: float,
           args: argparse.Namespace, warm: tuple[int, int] = (0, 0),
           lines: tuple[int, int] | None = None) -> Measurement:
    """One measured window of one app (on the stream's `lines`, else all of it)."""
    load = os.getloadavg()[0]
    figures, cpu = run_wrk(url, stream, seconds, args, app_pid, lines)
    return Measurement(
        app=name, requests=int(figures["requests"]), warmup_requests=warm[0],
        warmup_sent=warm[1],
        rps=figures["requests"] / (figures["duration_us"] / 1e6),
        p50_ms=figures["p50_us"] / 1000, p99_ms=figures["p99_us"] / 1000,
        non200=int(figures["non200"]),
        socket_errors=int(figures["connect_errors"] + figures["read_errors"]
                          + figures["write_errors"] + figures["timeouts"]),
        wrapped=int(figures["wrapped"]), sent=int(figures["sent"]), cpu=cpu,
        percentiles=[(float(p), us / 1000) for p, us in figures.get("percentiles", [])],
        load=load, seconds=figures["duration_us"] / 1e6,
    )


def merged(parts: list[Measurement]) -> Measurement:
    """An app's slices of one round as one measurement: counts added, requests/s over the
    slices' whole time, cores (CPU kinds, waits) averaged over time, and each latency
    percentile averaged over the slices weighted by their requests (an approximation of the
    percentile of all of them: wrk reports each window's histogram only as percentiles)."""
    if len(parts) == 1:
        return parts[0]
    seconds = sum(m.seconds for m in parts)
    requests = sum(m.requests for m in parts)

    def by_requests(values: list[float]) -> float:
        return sum(v * m.requests for v, m in zip(values, parts, strict=True)) / max(requests, 1)

    kinds = {k for m in parts for k in m.cpu}
    shown = [p for p, _ in parts[0].percentiles]
    return Measurement(
        app=parts[0].app, requests=requests, warmup_requests=parts[0].warmup_requests,
        warmup_sent=parts[0].warmup_sent, rps=requests / seconds,
        p50_ms=by_requests([m.p50_ms for m in parts]),
        p99_ms=by_requests([m.p99_ms for m in parts]),
        non200=sum(m.non200 for m in parts), socket_errors=sum(m.socket_errors for m in parts),
        wrapped=sum(m.wrapped for m in parts), sent=sum(m.sent for m in parts),
        cpu={k: sum(m.cpu.get(k, 0.0) * m.seconds for m in parts) / seconds for k in kinds},
        percentiles=[(p, by_requests([dict(m.percentiles).get(p, 0.0) for m in parts]))
                     for p in shown],
        load=parts[0].load, seconds=seconds,
    )


def serve(procs: Processes, target: str, settings: Gunicorn, env: dict[str, str],
          log: Path, args: argparse.Namespace) -> tuple[subprocess.Popen[bytes], str]:
    """Start gunicorn for a WSGI target; return the process and the callback URL."""
    port = free_port()
    argv = [sys.executable, "-m", "gunicorn", *settings.args(), "-b", f"127.0.0.1:{port}",
            "--backlog", "2048", "--log-level", "warning", target]
    child = procs.start(argv, env, log, prioritised(args.nice))
    url = f"http://127.0.0.1:{port}/wecom/callback"
    wait_http(url, child, log)
    return child, url
