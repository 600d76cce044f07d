"""Structured logs: a request id per callback, JSON lines, and no bodies or secrets at INFO."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from flask import Flask

from bot import logs
from bot.config import ConfigError
from sandbox.state import SANDBOX_SECRET
from tests.helpers import AES_KEY, TOKEN

SECRET_WORDS = "机密内容XYZ在此"


def _record(message: str) -> logging.LogRecord:
    record = logging.LogRecord("bot.test", logging.INFO, __file__, 1, message, (), None)
    logs.RequestIdFilter().filter(record)
    return record


def test_one_id_per_request_and_the_callers_id_kept(app: Flask) -> None:
    with app.test_request_context("/wecom/callback"):
        first, second = _record("a"), _record("b")
        assert first.request_id == second.request_id and len(first.request_id) == 16
    with app.test_request_context("/wecom/callback"):
        assert _record("c").request_id != first.request_id
    with app.test_request_context("/wecom/callback", headers={"X-Request-Id": "lb-42.a"}):
        assert _record("d").request_id == "lb-42.a"
    with app.test_request_context("/wecom/callback", headers={"X-Request-Id": "bad id;drop"}):
        assert _record("e").request_id != "bad id;drop"
    assert _record("outside").request_id == "-"


def test_json_lines_carry_the_request_id() -> None:
    token = logs.REQUEST_ID.set("job-123")
    try:
        line = logs.JsonFormatter().format(_record("已发送 3 条"))
    finally:
        logs.REQUEST_ID.reset(token)
    entry = json.loads(line)
    assert entry["request_id"] == "job-123" and entry["message"] == "已发送 3 条"
    assert entry["level"] == "INFO" and entry["logger"] == "bot.test"


def test_no_message_body_or_secret_is_logged_at_info(app: Flask, make_member: Any,
                                                     send_text: Any, sim: Any, client: Any,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    member = make_member("logger1", "张日志")
    caplog.set_level(logging.INFO)
    send_text(member, "帮助")
    send_text(member, "写心得")
    send_text(member, SECRET_WORDS * 5)
    send_text(member, "完成")
    send_text(member, "确认")
    send_text(member, SECRET_WORDS)  # the fallback
    sim.event(member.userid, "unknown_event_kind", SECRET_WORDS)
    query, body = sim.envelope(sim.inner(member.userid, "text", {"Content": SECRET_WORDS,
                                                                 "MsgId": 9}))
    query["msg_signature"] = "0" * 40
    assert client.post("/wecom/callback", query_string=query, data=body).status_code == 403
    text = "\n".join(record.getMessage() for record in caplog.records)
    assert caplog.records  # something was logged, so the check means something
    for secret in (SECRET_WORDS, TOKEN, AES_KEY, SANDBOX_SECRET, "sbx-"):
        assert secret not in text


@pytest.mark.parametrize(("name", "value"), [("LOG_LEVEL", "LOUD"), ("LOG_FORMAT", "xml")])
def test_bad_log_settings_stop_start_up(app: Flask, name: str, value: str) -> None:
    app.config[name] = value
    with pytest.raises(ConfigError, match=name):
        logs.configure(app, install=False)
