"""Does `./dev demo` carry the starter bank, show a quiz card's buttons and let the member
answer it with /tap (a button, and a vote card's ticked options)?"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from sandbox.chat import main

SETTINGS = ("WECOM_CORP_ID", "WECOM_SECRET", "WECOM_AGENT_ID", "WECOM_TOKEN", "WECOM_AES_KEY",
            "WECOM_API_BASE", "WECOM_MAX_CLOCK_SKEW", "SECRET_KEY", "DATABASE_URL", "REDIS_URL",
            "WECOM_OAUTH_URL", "WECOM_WEB_LOGIN_URL", "PUBLIC_URL")


def test_demo_answers_by_tapping(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """答题, then /tap on each card: a result pushed per tap, and the day's end after five."""
    for name in SETTINGS:
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    script = tmp_path / "script.txt"
    # 取消 first: the in-process Redis is the process's, and an earlier test may have left
    # 张伟 in a conversation
    script.write_text("取消\n答题\n" + "/tap 1 A B\n" * 5 + "/tap 9\n/quit\n",
                      encoding="utf-8")
    out = io.StringIO()
    assert main(["--instance", str(tmp_path / "instance"), "--script", str(script)],
                out=out) == 0
    output = out.getvalue()
    assert "<< 【每日答题 1/5 · " in output
    assert "[pushed template_card] 第1/5题 · " in output and "[1] " in output
    assert output.count("回答正确") + output.count("回答错误") == 5
    assert "今日答题已完成：5题答对" in output
    assert "出处：《" in output  # the starter bank's questions name their materials
