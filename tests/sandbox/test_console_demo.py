"""Does `./dev demo` tell how to open the web console, with a local login that works?"""

from __future__ import annotations

import io
import re
import sqlite3
from pathlib import Path

import pytest
from werkzeug.security import check_password_hash

from sandbox.chat import DEMO_CONSOLE_USER, main

SETTINGS = ("WECOM_CORP_ID", "WECOM_SECRET", "WECOM_AGENT_ID", "WECOM_TOKEN", "WECOM_AES_KEY",
            "WECOM_API_BASE", "WECOM_MAX_CLOCK_SKEW", "SECRET_KEY", "DATABASE_URL", "REDIS_URL",
            "WECOM_OAUTH_URL", "WECOM_WEB_LOGIN_URL", "PUBLIC_URL")


def test_demo_prints_the_console_url_and_login(monkeypatch: pytest.MonkeyPatch,
                                                 tmp_path: Path) -> None:
    """Is the console URL printed with the demo logins, is the local account's password new
    and random at every start and stored hashed, and is there a lecturer application?"""
    for name in SETTINGS:  # set then deleted: whatever the demo sets is undone afterwards
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    script = tmp_path / "script.txt"
    script.write_text("/quit\n", encoding="utf-8")
    passwords = []
    for _start in range(2):
        out = io.StringIO()
        assert main(["--instance", str(tmp_path / "instance"), "--script", str(script)],
                    out=out) == 0
        printed = out.getvalue()
        assert "/console/" in printed and "chenjing" in printed
        found = re.search(rf"{DEMO_CONSOLE_USER} / (\S+) ", printed)
        assert found is not None, printed
        passwords.append(found.group(1))
    first, second = passwords
    assert first != second and len(second) >= 12  # a new random password at every start
    with sqlite3.connect(tmp_path / "instance" / "pioneer.db") as connection:
        stored = connection.execute("SELECT password_hash FROM console_accounts WHERE username=?",
                                    (DEMO_CONSOLE_USER,)).fetchone()[0]
        pending = connection.execute(
            "SELECT m.userid FROM lecturer_applications a JOIN members m ON m.id = a.member_id "
            "WHERE a.status = 'pending'").fetchall()
    assert check_password_hash(stored, second) and not check_password_hash(stored, first)
    assert pending == [("wangfang",)]  # the console's 讲师报名 page has one to decide
