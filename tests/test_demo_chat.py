"""Does the demo (`./dev demo`) start on embedded defaults and chat as members?"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bot.sandbox.chat import DEMO_AES_KEY, Chat, main, pushed_lines
from bot.sandbox.simulator import MemberSimulator
from bot.sandbox.state import SandboxState
from content import texts

SETTINGS = ("WECOM_CORP_ID", "WECOM_SECRET", "WECOM_AGENT_ID", "WECOM_TOKEN", "WECOM_AES_KEY",
            "WECOM_API_BASE", "WECOM_MAX_CLOCK_SKEW", "SECRET_KEY", "DATABASE_URL", "REDIS_URL")


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No Pioneer settings in the environment; whatever the demo sets is undone afterwards."""
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)


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
