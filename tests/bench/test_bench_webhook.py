"""The webhook benchmark's own logic: which apps a round measures, what the ceiling answers,
how the servers' priority is set and given back, the rounds' ratios, the JSON and the plot.
No load, no timing: the bench reports those."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bench import (
    webhook_apps,
    webhook_cpu,
    webhook_figures,
    webhook_harness,
    webhook_plot,
    webhook_report,
    webhook_results,
    webhook_state,
)
from sandbox.simulator import FlaskTransport, MemberSimulator
from sandbox.state import SANDBOX_AGENT_ID, SANDBOX_CORP_ID


def _args(mode: str = "help", app: str = "bot", floor: bool = True) -> argparse.Namespace:
    return argparse.Namespace(mode=mode, app=app, nice=-10, prioritised=["PostgreSQL"],
                              bot_reply="帮助文字", floor=floor and app == "bot")


def test_help_round_measures_both_ceilings_the_floor_then_the_bot() -> None:
    apps = webhook_apps.apps(_args("help"), "帮助：可用的命令")
    assert [a.name for a in apps] == ["ceiling", "short", "floor", "bot"]
    assert dict(apps[0].env) == {"CEILING_REPLY_TEXT": "帮助：可用的命令"}
    assert apps[1].env == () and apps[1].expect == webhook_apps.SHORT_REPLY
    assert apps[2].target == "bench.ceiling:floor" and apps[2].env == apps[0].env
    assert apps[3].target == "wsgi:app" and apps[3].env == ()


def test_write_round_has_the_ceiling_and_floor_answering_the_bots_reply() -> None:
    apps = webhook_apps.apps(_args("write"), "已记下，共 24 字")
    assert [a.name for a in apps] == ["ceiling", "floor", "bot"]
    assert dict(apps[0].env)["CEILING_REPLY_TEXT"] == "已记下，共 24 字"
    assert dict(apps[1].env)["CEILING_REPLY_TEXT"] == "已记下，共 24 字"
    no_floor = webhook_apps.apps(_args("stranger", floor=False), "您好")
    assert [a.name for a in no_floor] == ["ceiling", "bot"]


def test_floor_is_compared_with_the_short_ceiling() -> None:
    apps = webhook_apps.apps(_args("write", app="floor"), "已记下")
    assert [(a.name, a.target) for a in apps] == [("ceiling", "bench.ceiling:app"),
                                                  ("bot", "bench.ceiling:floor")]
    assert all(a.env == () for a in apps)


def _measurement(app: str, rps: float) -> webhook_figures.Measurement:
    return webhook_figures.Measurement(app=app, requests=int(rps * 10), warmup_requests=0,
                                       warmup_sent=0, rps=rps, p50_ms=10, p99_ms=20, non200=0,
                                       socket_errors=0, wrapped=0, sent=int(rps * 10))


def test_ratios_against_each_ceiling() -> None:
    pair = webhook_figures.Pair(webhook_figures.Gunicorn(), webhook_figures.AppRuns("ceiling"),
                                webhook_figures.AppRuns("bot"))
    pair.ceiling.rounds += [_measurement("ceiling", 2000), _measurement("ceiling", 2500)]
    pair.bot.rounds.append(_measurement("bot", 2000))
    assert pair.short_ratio is None
    assert [r.app for r in pair.measured()] == ["ceiling", "bot"]
    assert pair.ratio == pytest.approx(0.8)
    floor = webhook_report.table([pair], rounds=2, floor=True)
    assert "| floor |" in floor and "ceiling (the bot's reply)" not in floor
    pair.short.rounds.append(_measurement("short", 4000))
    assert pair.short_ratio == pytest.approx(0.5)
    table = webhook_report.table([pair], rounds=2)
    assert "ceiling (short reply)" in table and "(bot/short 0.50)" in table
    assert "**0.80**" in table


def test_report_lines_say_what_ran_at_which_priority() -> None:
    args = _args("help")
    assert webhook_report.priority_line(args) == ("gunicorn, wrk, PostgreSQL at niceness -10 "
                                                  "(Redis unchanged)")
    args.prioritised = ["PostgreSQL", "Redis"]
    restored = "(the servers' autogroups, restored after the run)"
    assert restored in webhook_report.priority_line(args)
    args.nice = 0
    assert webhook_report.priority_line(args) == "every process at its own niceness"
    assert "12 bytes" in webhook_report.ceiling_line(_args("help"))  # 帮助文字 in UTF-8
    assert "short" in webhook_report.ceiling_line(_args("help"))
    assert "short" not in webhook_report.ceiling_line(_args("step"))


def test_servers_priority_is_given_back(monkeypatch: pytest.MonkeyPatch,
                                        tmp_path: Path) -> None:
    proc = tmp_path / "proc"
    for pid, nice in ((11, 0), (22, -10)):
        (proc / str(pid)).mkdir(parents=True)
        (proc / str(pid) / "autogroup").write_text(f"/autogroup-{pid} nice {nice}\n")
    real_path = webhook_harness.Path
    monkeypatch.setattr(webhook_harness, "Path", lambda *parts: real_path(
        proc, *parts[1:]) if parts and parts[0] == "/proc" else real_path(*parts))
    monkeypatch.setattr(webhook_harness, "server_pids", lambda: {"PostgreSQL": 11, "Redis": 22})
    with webhook_harness.servers_prioritised(-10) as names:
        assert names == ["PostgreSQL", "Redis"]
        assert (proc / "11" / "autogroup").read_text() == "-10"
    assert (proc / "11" / "autogroup").read_text() == "0"
    assert "nice -10" in (proc / "22" / "autogroup").read_text()  # was already there: untouched
    with webhook_harness.servers_prioritised(0) as names:
        assert names == []


def test_ceiling_answers_the_text_it_is_given(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "心得已记下 ]]> 共 24 字"  # a CDATA end inside the text must survive
    monkeypatch.setenv("WECOM_TOKEN", webhook_state.TOKEN)
    monkeypatch.setenv("WECOM_AES_KEY", webhook_state.AES_KEY)
    monkeypatch.setenv("WECOM_CORP_ID", SANDBOX_CORP_ID)
    monkeypatch.setenv("CEILING_REPLY_TEXT", text)
    ceiling = importlib.import_module("bench.ceiling")
    try:
        ceiling = importlib.reload(ceiling)
        sim = MemberSimulator(FlaskTransport(ceiling.app.test_client()), webhook_state.TOKEN,
                              webhook_state.AES_KEY, SANDBOX_CORP_ID, SANDBOX_AGENT_ID)
        delivery = sim.deliver(sim.inner("zhangwei", "text", {"Content": "帮助", "MsgId": 1}))
        assert delivery.statuses == [200] and delivery.text == text
    finally:
        monkeypatch.delenv("CEILING_REPLY_TEXT")
        importlib.reload(ceiling)
    assert os.environ.get("CEILING_REPLY_TEXT") is None


def _run_pair(rates: list[tuple[float, float, float]]) -> webhook_figures.Pair:
    """A pair with one round per (ceiling, floor, bot) req/s."""
    pair = webhook_figures.Pair(webhook_figures.Gunicorn(), webhook_figures.AppRuns("ceiling"),
                                webhook_figures.AppRuns("bot"))
    for ceiling, floor, bot in rates:
        for runs, rps in ((pair.ceiling, ceiling), (pair.floor, floor), (pair.bot, bot)):
            m = _measurement(runs.app, rps)
            m.percentiles = [(50.0, 1000 / rps), (99.0, 4000 / rps), (99.9, 6000 / rps),
                             (100.0, 9000 / rps)]
            runs.rounds.append(m)
    return pair


ROUNDS = [(3000, 1500, 1200), (2000, 1000, 900), (2500, 1000, 700), (3000, 1200, 960),
          (2800, 1400, 1400)]


def test_each_rounds_ratios_and_their_median() -> None:
    pair = _run_pair(ROUNDS)
    assert pair.series("bot/floor") == pytest.approx([0.8, 0.9, 0.7, 0.8, 1.0])
    assert pair.series("floor/ceiling") == pytest.approx([0.5, 0.5, 0.4, 0.4, 0.5])
    assert pair.median("bot/floor") == pytest.approx(0.8)
    assert pair.median("bot/ceiling") == pytest.approx(0.4)
    write = webhook_figures.TARGETS["write"]
    assert pair.target_met(write)  # median bot/floor 0.8, p99 20 ms
    assert not pair.target_met(webhook_figures.TARGETS["help"])  # bot/ceiling 0.4
    table = webhook_report.rounds_table(pair)
    assert "| 3 | 0.00 | 2,500 | 1,000 | 700 | 20.0 | 0.28 | 0.40 | 0.70 |" in table
    assert "| median |  | 2,800 | 1,200 | 960 | 20.0 | 0.40 | 0.50 | 0.80 |" in table
    assert "| min |  | 2,000 | 1,000 | 700 | 20.0 | 0.28 | 0.40 | 0.70 |" in table
    spread = webhook_report.round_ratios(pair)
    assert "bot/floor 0.80, 0.90, 0.70, 0.80, 1.00, median **0.80** (0.70–1.00)" in spread


def test_fewer_rounds_than_the_target_needs_are_not_judged() -> None:
    pair = _run_pair(ROUNDS[:2])
    args = _args("write")
    assert "not judged: 2 of the 5 rounds" in webhook_report.target_line(pair, args)
    assert "**met**" in webhook_report.target_line(_run_pair(ROUNDS), args)


def test_the_runs_json_and_picture(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(webhook_results, "RESULTS", tmp_path)
    pair, args = _run_pair(ROUNDS), _args("write")
    args.connections, args.duration, args.warmup, args.load_before = 32, 10.0, 3.0, (1, 2, 3)
    args.apps = webhook_apps.apps(args, "已记下")
    started = datetime(2026, 12, 7, 2, 30, tzinfo=UTC)
    name = webhook_results.plot_name(started, "write")
    assert name == "webhook-write-2026-12-07-0230.png"
    picture = webhook_plot.plot(pair, tmp_path / name, "write", webhook_report.APP_LABELS,
                                webhook_figures.TARGETS["write"])
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    for _ in range(2):  # a second run of the day goes first
        path = webhook_results.save_json(webhook_results.record(pair, args, started, name),
                                         started, "write")
    assert path.name == "webhook-write-2026-12-07.json"
    runs = json.loads(path.read_text())["runs"]
    assert len(runs) == 2 and runs[0]["order"] == ["ceiling", "floor", "bot"]
    first = runs[0]["rounds"][0]
    assert (first["bot/ceiling"], first["floor/ceiling"], first["bot/floor"]) == (0.4, 0.5, 0.8)
    assert first["bot"]["rps"] == 1200 and first["bot"]["p99_ms"] == 20
    assert first["floor"]["percentiles"][0] == [50.0, 0.67]
    assert runs[0]["median"]["bot/floor"] == 0.8 and runs[0]["min"]["bot/floor"] == 0.7
    assert runs[0]["max"]["ceiling_rps"] == 3000 and runs[0]["plot"] == name
    assert runs[0]["target"] == {"ratio": "bot/floor", "at_least": 0.8, "p99_ms": 100.0,
                                 "met": True}


def test_app_counters_see_the_apps_waits() -> None:
    stime, waits, preempted = webhook_cpu.app_counters(webhook_cpu.cpu_ticks(os.getpid()))
    for _ in range(3):
        time.sleep(0.002)  # each sleep is a voluntary context switch of this process
    after = webhook_cpu.app_counters(webhook_cpu.cpu_ticks(os.getpid()))
    assert after[0] >= stime and after[2] >= preempted
    assert after[1] >= waits + 3
    assert webhook_cpu.app_counters(webhook_cpu.cpu_ticks(2**22 + 1)) == (0, 0, 0)  # no app


def test_per_request_detail_of_an_app() -> None:
    m = _measurement("bot", 1000)
    m.cpu = {"app": 1.0, "app_sys": 0.2, "app_waits": 1600.0, "app_preempted": 2500.0,
             "postgres": 0.25, "redis": 0.08}
    assert m.app_detail() == {"app_sys_ms": 0.2, "app_waits": 1.6, "app_preempted": 2.5,
                              "postgres_cpu_ms": 0.25, "redis_cpu_ms": 0.08}
    record = webhook_results.app_round(m)
    assert record["app_cpu_ms"] == 1.0 and record["app_waits"] == 1.6
    assert _measurement("bot", 0).app_detail() == {}


def test_slices_take_turns_and_add_up() -> None:
    apps = webhook_apps.apps(_args("write"), "已记下")
    order = webhook_apps.round_order(apps, 2)
    assert [a.name for a in webhook_apps.round_order(order, 1)] == ["bot", "floor", "ceiling"]
    assert [a.name for a in webhook_apps.round_order(order, 2)] == ["ceiling", "floor", "bot"]
    fast, slow = _measurement("bot", 1500), _measurement("bot", 500)
    fast.seconds, slow.seconds = 2.0, 2.0
    fast.requests, slow.requests = 3000, 1000
    fast.percentiles, slow.percentiles = [(50.0, 10.0), (99.0, 20.0)], [(50.0, 30.0), (99.0, 60.0)]
    fast.cpu, slow.cpu = {"app": 1.2, "app_waits": 1800.0}, {"app": 0.8}
    fast.non200, slow.non200 = 1, 2
    both = webhook_harness.merged([fast, slow])
    assert both.requests == 4000 and both.seconds == 4.0 and both.rps == 1000
    assert both.non200 == 3 and both.sent == 20000
    assert both.percentiles == [(50.0, 15.0), (99.0, 30.0)]  # weighted by requests
    assert both.p50_ms == 10 and both.p99_ms == 20
    assert both.cpu == {"app": pytest.approx(1.0), "app_waits": 900.0}  # averaged over time
    assert webhook_harness.merged([fast]) is fast
