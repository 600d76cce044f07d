"""The webhook benchmark's own logic: which apps a round measures, what the ceiling answers,
how the servers' priority is set and given back. No load, no timing: the bench reports those."""

from __future__ import annotations

import argparse
import importlib
import os
from pathlib import Path

import pytest

from bench import webhook_apps, webhook_figures, webhook_harness, webhook_report, webhook_state
from sandbox.simulator import FlaskTransport, MemberSimulator
from sandbox.state import SANDBOX_AGENT_ID, SANDBOX_CORP_ID


def _args(mode: str = "help", app: str = "bot") -> argparse.Namespace:
    return argparse.Namespace(mode=mode, app=app, nice=-10, prioritised=["PostgreSQL"],
                              bot_reply="帮助文字")


def test_help_round_measures_both_ceilings_then_the_bot() -> None:
    apps = webhook_apps.apps(_args("help"), "帮助：可用的命令")
    assert [a.name for a in apps] == ["ceiling", "short", "bot"]
    assert dict(apps[0].env) == {"CEILING_REPLY_TEXT": "帮助：可用的命令"}
    assert apps[1].env == () and apps[1].expect == webhook_apps.SHORT_REPLY
    assert apps[2].target == "wsgi:app" and apps[2].env == ()


def test_write_round_has_one_ceiling_answering_the_bots_reply() -> None:
    apps = webhook_apps.apps(_args("write"), "已记下，共 24 字")
    assert [a.name for a in apps] == ["ceiling", "bot"]
    assert dict(apps[0].env)["CEILING_REPLY_TEXT"] == "已记下，共 24 字"


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
