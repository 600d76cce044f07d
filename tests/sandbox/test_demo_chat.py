"""Does the demo (`./dev demo`) start on embedded defaults and chat as members?"""

from __future__ import annotations

import io
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from sqlalchemy import create_engine, inspect, text

from content import texts
from sandbox.chat import DEMO_AES_KEY, Chat, main, pushed_lines
from sandbox.simulator import MemberSimulator
from sandbox.state import SandboxState

SETTINGS = ("WECOM_CORP_ID", "WECOM_SECRET", "WECOM_AGENT_ID", "WECOM_TOKEN", "WECOM_AES_KEY",
            "WECOM_API_BASE", "WECOM_MAX_CLOCK_SKEW", "SECRET_KEY", "DATABASE_URL", "REDIS_URL",
            "WECOM_OAUTH_URL", "WECOM_WEB_LOGIN_URL", "PUBLIC_URL")


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No Pioneer settings in the environment; whatever the demo sets is undone afterwards."""
    for name in SETTINGS:  # set then deleted, so monkeypatch restores the absence too
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)


def run_demo(tmp_path: Path, *lines: str) -> str:
    """Run the demo in-process on a script of chat lines; return what it printed."""
    script = tmp_path / "script.txt"
    script.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = io.StringIO()
    status = main(["--instance", str(tmp_path / "instance"), "--script", str(script)], out=out)
    assert status == 0
    return out.getvalue()


def test_demo_script(clean_env: None, tmp_path: Path) -> None:
    """Does a scripted demo show help, lina's organisation and the stranger refusal?"""
    output = run_demo(tmp_path, "帮助", "/as lina", "我的信息", "/as nobody", "hello", "/quit")
    assert "张伟同志，您好" in output  # the enter_agent greeting
    assert "可以为您做这些事" in output  # 帮助
    assert "李娜（lina）" in output and "华芯微电子党支部" in output
    assert texts.NOT_IN_ROSTER in output
    assert "not in the demo roster" in output
    assert (tmp_path / "instance" / "pioneer.db").exists()


def test_demo_commands(clean_env: None, tmp_path: Path) -> None:
    """Do the slash commands list members, the menu, its keys and the sandbox calls?"""
    output = run_demo(tmp_path, "/members", "/menu", "/click", "/click help", "/calls", "/nope")
    assert "chenjing" in output and "admin" in output
    assert "使用帮助" in output and "keys: study, series, write_reflection" in output
    assert "menu/create  errcode=0" in output
    assert "unknown command /nope" in output
    assert "bye" in output


def test_pushed_messages_are_shown_once() -> None:
    """Does the chat print a member's new inbox messages, marked as pushed, only once?"""
    state = SandboxState()
    state.add_user("zhangwei", "张伟")
    state.send_message({"msgtype": "text", "text": {"content": "请参加学习"}},
                       ["zhangwei"], [], [])
    out = io.StringIO()
    sim = MemberSimulator(lambda q, b, t: (200, b""), "t", DEMO_AES_KEY, "corp", 1)
    chat = Chat(sim, state, out)
    chat.show_inbox()
    chat.show_inbox()
    assert out.getvalue() == "[pushed text] 请参加学习\n"
    assert pushed_lines({"msgtype": "news", "recalled": True, "content": {
        "articles": [{"title": "学习材料", "url": "https://x"}]}}) == [
        "[pushed news, recalled] [学习材料] https://x"]


def test_demo_roster_sync_and_contact_event(clean_env: None, tmp_path: Path) -> None:
    """Does /sync find the demo roster already in step, and /contact apply a live change?"""
    output = run_demo(tmp_path, "/sync", "/contact update_user zhangwei Position=高级工程师",
                      "/as chenjing", "未登记", "/quit")
    assert "roster sync: members unchanged" in output and "added" not in output
    assert "change_contact update_user: HTTP [200]" in output
    assert texts.REFUSED_NONE in output


@pytest.fixture
def real_database(tmp_path: Path) -> Iterator[str]:
    """A database standing in for a real deployment's: a fresh PostgreSQL database when the
    suite has a server (PIONEER_TEST_DATABASE_URL), else a SQLite file that does not exist."""
    base = os.environ.get("PIONEER_TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path / 'production.db'}"
        return
    parts = urlsplit(base)
    name = f"{parts.path.lstrip('/')}_not_the_demos_{os.getpid()}"
    admin = create_engine(urlunsplit(parts._replace(scheme="postgresql+psycopg",
                                                    path="/postgres")),
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _tables(url: str) -> list[str]:
    """The tables in the database at `url` ([] for a SQLite file that was never made)."""
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        if not path.exists():
            return []
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        return inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_the_demo_never_touches_the_configured_database(clean_env: None, tmp_path: Path,
                                                        real_database: str,
                                                        monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    """With DATABASE_URL and REDIS_URL naming a real deployment's services, does the demo
    run on its own SQLite and in-process Redis, say so, and leave that database empty?"""
    monkeypatch.setenv("DATABASE_URL", real_database)
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:9/0")  # nothing listens: never used
    output = run_demo(tmp_path, "我的信息", "/quit")
    assert "张伟" in output and str(tmp_path / "instance" / "pioneer.db") in output
    assert "DATABASE_URL and REDIS_URL from the environment and .env are never used" in output
    assert "DATABASE_URL and REDIS_URL from the environment or .env ignored" in (
        capsys.readouterr().err)
    assert _tables(real_database) == []


def test_the_demo_refuses_a_file_it_did_not_fill(clean_env: None, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """Is an instance file holding rows the demo did not write refused, and left as it was?"""
    folder = tmp_path / "instance"
    folder.mkdir()
    with sqlite3.connect(folder / "pioneer.db") as connection:
        connection.execute("CREATE TABLE members (id INTEGER PRIMARY KEY, name TEXT)")
        connection.execute("INSERT INTO members (name) VALUES ('真实党员')")
    script = tmp_path / "script.txt"
    script.write_text("/quit\n", encoding="utf-8")
    assert main(["--instance", str(folder), "--script", str(script)], out=io.StringIO()) == 1
    assert "holds data the demo did not write (rows in members)" in capsys.readouterr().err
    with sqlite3.connect(folder / "pioneer.db") as connection:
        assert connection.execute("SELECT name FROM members").fetchall() == [("真实党员",)]
