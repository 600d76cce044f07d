"""What the webhook benchmark measured: gunicorn settings, rounds, pairs and their ratios."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

RATIOS = ("bot/ceiling", "floor/ceiling", "bot/floor")  # each round's, measured back to back
MIN_ROUNDS = 5  # a target is judged on the median of at least this many rounds


@dataclass(frozen=True)
class Target:
    """What a mode is held to: the median round's `ratio` and the median bot p99."""

    ratio: str
    at_least: float
    p99_ms: float


# Issue 27: the write path >= 0.8 of the floor with p99 < 100 ms; 帮助 and a stranger's message
# >= 0.8 of the ceiling; 问答 >= 0.5; each the median of >= 5 alternating rounds. Issue 10: the
# step >= 0.5, p99 < 50 ms at 32 connections. Reported, never asserted.
TARGETS = {"help": Target("bot/ceiling", 0.8, 50.0), "step": Target("bot/ceiling", 0.5, 50.0),
           "write": Target("bot/floor", 0.8, 100.0),
           "stranger": Target("bot/ceiling", 0.8, 50.0),
           "answer": Target("bot/ceiling", 0.5, 50.0)}


@dataclass(frozen=True)
class Gunicorn:
    """The gunicorn settings both apps are served with."""

    worker_class: str = "sync"
    workers: int = 4  # gunicorn.conf.py's choice on 2 cores
    threads: int = 1
    keepalive: int | None = None  # gthread only: seconds; None = gunicorn's default (2)

    def args(self) -> list[str]:
        """Command-line flags for gunicorn."""
        flags = ["-k", self.worker_class, "-w", str(self.workers)]
        if self.worker_class == "gthread":
            flags += ["--threads", str(self.threads)]
            if self.keepalive is not None:
                flags += ["--keep-alive", str(self.keepalive)]
        return flags

    def label(self) -> str:
        """Short human form, e.g. 'sync -w 2'."""
        return " ".join(self.args()[1:])


@dataclass
class Measurement:
    """What wrk saw for one app in one measured window, plus CPU cores by process kind."""

    app: str
    requests: int
    warmup_requests: int
    warmup_sent: int
    rps: float
    p50_ms: float
    p99_ms: float
    non200: int
    socket_errors: int
    wrapped: int
    sent: int  # requests wrk wrote in the measured window (answered or not)
    cpu: dict[str, float] = field(default_factory=dict)
    handled: int | None = None  # bot only: messages marked done in Redis
    seeded: int = 0  # bot only: messages sent to open conversations before the load
    processed_rows: int | None = None  # bot only: processed_messages rows after the round
    percentiles: list[tuple[float, float]] = field(default_factory=list)  # (%, latency ms)
    load: float = 0.0  # the machine's 1-minute load average just before the window
    seconds: float = 0.0  # the measured time (wrk's own), all slices together

    @property
    def errors(self) -> int:
        """Non-200 answers plus connect/read/write errors and timeouts."""
        return self.non200 + self.socket_errors

    @property
    def app_ms(self) -> float:
        """CPU the app's processes spent per answered request (ms), user + system."""
        return 1000 * self.cpu.get("app", 0.0) / self.rps if self.rps else 0.0

    def app_detail(self) -> dict[str, float]:
        """Per answered request: the app's system CPU (ms), its blocking waits (voluntary
        context switches), its preemptions (involuntary ones), and PostgreSQL's and Redis's
        CPU (ms)."""
        if not self.rps:
            return {}
        return {"app_sys_ms": round(1000 * self.cpu.get("app_sys", 0.0) / self.rps, 3),
                "app_waits": round(self.cpu.get("app_waits", 0.0) / self.rps, 2),
                "app_preempted": round(self.cpu.get("app_preempted", 0.0) / self.rps, 2),
                "postgres_cpu_ms": round(1000 * self.cpu.get("postgres", 0.0) / self.rps, 3),
                "redis_cpu_ms": round(1000 * self.cpu.get("redis", 0.0) / self.rps, 3)}


@dataclass
class AppRuns:
    """One app's rounds under one gunicorn setting."""

    app: str
    rounds: list[Measurement] = field(default_factory=list)

    @property
    def best(self) -> Measurement:
        """The round with the highest throughput; its latencies are the ones reported."""
        # Other processes on a shared machine only ever slow a round down, so the best round
        # is the most repeatable estimate of what the app can do; spread() shows the rest.
        return max(self.rounds, key=lambda m: m.rps)

    @property
    def errors(self) -> int:
        """Errors over all rounds."""
        return sum(m.errors for m in self.rounds)

    def spread(self) -> str:
        """Min-max requests/s over the rounds, e.g. '3,061-4,209'."""
        rates = [m.rps for m in self.rounds]
        return f"{min(rates):,.0f}–{max(rates):,.0f}"


@dataclass
class Pair:
    """The ceiling, the floor and the bot measured under the same gunicorn settings."""

    settings: Gunicorn
    ceiling: AppRuns
    bot: AppRuns
    short: AppRuns = field(default_factory=lambda: AppRuns("short"))  # help mode only
    floor: AppRuns = field(default_factory=lambda: AppRuns("floor"))

    def runs(self, name: str) -> AppRuns:
        """The rounds of the app with this name (ceiling, short, floor or bot)."""
        return {"ceiling": self.ceiling, "short": self.short, "floor": self.floor,
                "bot": self.bot}[name]

    def measured(self) -> list[AppRuns]:
        """The apps measured, in table order."""
        return [r for r in (self.ceiling, self.short, self.floor, self.bot) if r.rounds]

    @property
    def ratio(self) -> float:
        """Best bot throughput as a share of the best ceiling throughput."""
        ceiling = self.ceiling.best.rps
        return self.bot.best.rps / ceiling if ceiling else 0.0

    @property
    def short_ratio(self) -> float | None:
        """Best bot throughput against the short-reply ceiling's, when it was measured."""
        if not self.short.rounds or not self.short.best.rps:
            return None
        return self.bot.best.rps / self.short.best.rps

    def round_ratios(self) -> list[dict[str, float]]:
        """Each round's bot/ceiling, floor/ceiling and bot/floor (those measured)."""
        rounds = []
        for n, ceiling in enumerate(self.ceiling.rounds):
            rates = {"ceiling": ceiling.rps}
            for runs in (self.floor, self.bot):
                if n < len(runs.rounds):
                    rates[runs.app] = runs.rounds[n].rps
            rounds.append({key: rates[a] / rates[b] for key in RATIOS
                           for a, b in [key.split("/")] if a in rates and rates.get(b)})
        return rounds

    def series(self, key: str) -> list[float]:
        """One ratio over the rounds, e.g. series('bot/floor')."""
        return [r[key] for r in self.round_ratios() if key in r]

    def median(self, key: str) -> float | None:
        """The median round's ratio, or None when it was not measured."""
        values = self.series(key)
        return statistics.median(values) if values else None

    def bot_p99_median(self) -> float:
        """The median of the bot's rounds' p99 (ms)."""
        return statistics.median(m.p99_ms for m in self.bot.rounds) if self.bot.rounds else 0.0

    def target_met(self, target: Target) -> bool:
        """The median round's ratio >= the target, median bot p99 below it, no errors."""
        ratio = self.median(target.ratio)
        return (ratio is not None and ratio >= target.at_least
                and self.bot_p99_median() < target.p99_ms
                and all(r.errors == 0 for r in self.measured()))
