"""gunicorn's access log (gunicorn.conf.py): one line per request naming its request id, the
console user, the status and the time, and never a query string (the callback's signature)."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
import signal
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from gunicorn.config import Config

from bot import logs
from sandbox.server import SandboxServer
from sandbox.simulator import MemberSimulator
from tests.console_helpers import ADMIN_PASSWORD, CSRF, local_login, login_as, make_account
from tests.helpers import ROOT

CONF = ROOT / "gunicorn.conf.py"
GENERATED_ID = re.compile(r"[0-9a-f]{16}")
# host, request id, user, [time], "method path protocol", status, bytes, seconds
LINE = re.compile(r'(\S+) (\S+) (\S+) \[([^\]]+)\] "(\S+) (\S+) (HTTP/1\.[01])" (\d{3}) (\S+) '
                  r"(\d+\.\d{6})")


def _conf(monkeypatch: pytest.MonkeyPatch, access: str | None) -> ModuleType:
    """gunicorn.conf.py as gunicorn reads it, with PIONEER_ACCESS_LOG set to `access`."""
    if access is None:
        monkeypatch.delenv("PIONEER_ACCESS_LOG", raising=False)
    else:
        monkeypatch.setenv("PIONEER_ACCESS_LOG", access)
    spec = importlib.util.spec_from_file_location("pioneer_gunicorn_conf", CONF)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(("given", "accesslog"), [
    (None, "-"), ("", "-"), ("/var/log/pioneer/access.log", "/var/log/pioneer/access.log"),
    ("off", None), ("OFF", None)])
def test_access_log_is_on_unless_turned_off(monkeypatch: pytest.MonkeyPatch, given: str | None,
                                            accesslog: str | None) -> None:
    conf = _conf(monkeypatch, given)
    assert conf.accesslog == accesslog
    assert "%(U)s" in conf.access_log_format
    for leaky in ("%(r)s", "%(q)s", "%(f)s", "{raw_uri}e", "{query_string}e"):
        assert leaky not in conf.access_log_format


def test_control_characters_cannot_forge_a_line(monkeypatch: pytest.MonkeyPatch) -> None:
    conf = _conf(monkeypatch, None)
    cfg = Config()
    cfg.set("access_log_format", conf.access_log_format)
    cfg.set("accesslog", os.devnull)
    logger = conf.AccessLogger(cfg)
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/x\n1.2.3.4 - - [forged]",
               "RAW_URI": "/x%0A", "SERVER_PROTOCOL": "HTTP/1.1", logs.USER_ENVIRON: "u\r1",
               "HTTP_USER_AGENT": "a\nb"}
    response = SimpleNamespace(status="200 OK", headers=[(logs.HEADER, "id-1")], sent=2)
    atoms = logger.atoms(response, SimpleNamespace(headers=[]), environ, timedelta(0, 1, 5))
    assert atoms["U"] == "/x\\n1.2.3.4 - - [forged]" and atoms["{pioneer.user}e"] == "u\\r1"
    assert atoms["a"] == "a\nb"  # not in the format: left alone
    assert atoms["L"] == "1.000005" and atoms["{x-request-id}o"] == "id-1"
    assert conf.printable("你好\x00\u2028") == "你好\\x00\\u2028"


def test_every_answer_names_its_request_id(client: FlaskClient, sim: MemberSimulator) -> None:
    page = client.get("/console/login")
    assert GENERATED_ID.fullmatch(page.headers[logs.HEADER])
    assert client.get("/console/login").headers[logs.HEADER] != page.headers[logs.HEADER]
    assert client.get("/nowhere", headers={logs.HEADER: "nginx-7.a"}).headers[logs.HEADER] \
        == "nginx-7.a"
    refused = client.get("/console/login", headers={logs.HEADER: "a b\"c"})
    assert GENERATED_ID.fullmatch(refused.headers[logs.HEADER])
    verified = client.get("/wecom/callback", query_string=sim.verify_query("echo-1"),
                          headers={logs.HEADER: "wecom-1"})
    assert verified.get_data(as_text=True) == "echo-1"
    assert verified.headers[logs.HEADER] == "wecom-1"
    refused_callback = client.post("/wecom/callback")  # no signature: 400, still an id
    assert refused_callback.status_code == 400
    assert GENERATED_ID.fullmatch(refused_callback.headers[logs.HEADER])


def _environs(app: Flask, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The WSGI environ of each request the app answers, as gunicorn's access log sees it
    (werkzeug's test client hands the app a copy of its own)."""
    seen: list[dict[str, Any]] = []
    inner = app.wsgi_app

    def spy(environ: dict[str, Any], start_response: Any) -> Any:
        seen.append(environ)
        return inner(environ, start_response)

    monkeypatch.setattr(app, "wsgi_app", spy)
    return seen


def test_console_user_is_noted_for_the_access_log_only(app: Flask, client: FlaskClient,
                                                       sandbox: SandboxServer, make_member: Any,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _environs(app, monkeypatch)
    assert client.get("/console/").status_code == 302  # to the login page
    assert logs.USER_ENVIRON not in seen[-1]
    make_member("log-admin", "管理员", roles=("admin",))
    login_as(client, sandbox, "log-admin")
    page = client.get("/console/")
    assert page.status_code == 200 and seen[-1][logs.USER_ENVIRON] == "log-admin"
    assert "log-admin" not in "".join(f"{k}: {v}" for k, v in page.headers.items())
    contact = app.test_client()
    make_member("log-contact", "联络员", roles=("contact",))
    login_as(contact, sandbox, "log-contact")
    assert contact.get("/console/audit").status_code == 403  # admins only: refused, but named
    assert seen[-1][logs.USER_ENVIRON] == "log-contact"
    make_account(app)
    other = app.test_client()
    assert local_login(other).status_code == 303
    assert other.get("/console/").status_code == 200
    assert seen[-1][logs.USER_ENVIRON] == "console:root-admin"


def test_note_user_keeps_one_field(app: Flask) -> None:
    with app.test_request_context("/console/") as context:
        logs.note_user('console:a b"c')
        assert context.request.environ[logs.USER_ENVIRON] == "console:a%20b%22c"


# -- the real thing: gunicorn -c gunicorn.conf.py wsgi:app ---------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_listening(port: int, child: subprocess.Popen[bytes], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert child.poll() is None, "gunicorn exited at start"
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.1)
    raise AssertionError("gunicorn did not listen in time")


def _stop(child: subprocess.Popen[bytes]) -> None:
    """TERM gunicorn's process group (KILL after 10 s) and wait for it."""
    if child.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGTERM)
        try:
            child.wait(10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGKILL)
            child.wait(5)


def _environment(app: Flask, port: int) -> dict[str, str]:
    """The production entry's settings: the test app's database, Redis and WeCom sandbox."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PIONEER_ACCESS_LOG", "REDIS_URL", "GUNICORN_CMD_ARGS"))}
    names = ("WECOM_CORP_ID", "WECOM_AGENT_ID", "WECOM_SECRET", "WECOM_TOKEN", "WECOM_AES_KEY",
             "WECOM_API_BASE", "WECOM_MAX_CLOCK_SKEW", "DATABASE_URL", "REDIS_URL")
    env.update({k: str(app.config[k]) for k in names if app.config.get(k)})
    env.update({"SECRET_KEY": "test-access-log", "PUBLIC_URL": f"http://127.0.0.1:{port}",
                "PIONEER_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1"})  # one worker:
    return env  # without REDIS_URL its in-process Redis holds the console login


def test_gunicorn_logs_one_line_per_request_without_query_strings(
        app: Flask, sim: MemberSimulator, tmp_path: Path) -> None:
    """Under `gunicorn -c gunicorn.conf.py wsgi:app` with the default settings: a console page
    by a logged-in admin and a signed callback each leave one access line with the id, the
    user, the status and the time, and none of the callback's query values."""
    make_account(app)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    out, err = tmp_path / "stdout.log", tmp_path / "stderr.log"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        child = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", str(CONF),
                                  "--no-control-socket", "wsgi:app"],
                                 cwd=ROOT, env=_environment(app, port), stdout=stdout,
                                 stderr=stderr, start_new_session=True)
    query = sim.verify_query("echo-42")
    try:
        _wait_listening(port, child)
        browser = requests.Session()
        login_page = browser.get(f"{base}/console/login", headers={logs.HEADER: "t-page"},
                                 timeout=10)
        csrf = CSRF.search(login_page.text)
        assert login_page.status_code == 200 and csrf
        login = browser.post(f"{base}/console/login", timeout=10, allow_redirects=False,
                             headers={logs.HEADER: "t-login"},
                             data={"csrf": csrf.group(1), "username": "root-admin",
                                   "password": ADMIN_PASSWORD})
        assert login.status_code == 303, login.text
        console = browser.get(f"{base}/console/?q=name", headers={logs.HEADER: "t-console"},
                              timeout=10)
        assert console.status_code == 200
        callback = requests.get(f"{base}/wecom/callback", params=query, timeout=10)
        assert callback.status_code == 200 and callback.text == "echo-42"
        forged = requests.get(f"{base}/console/x%0A1.2.3.4", headers={logs.HEADER: "t-forged"},
                              timeout=10)
        assert forged.status_code == 404
    finally:
        _stop(child)
    lines = out.read_text().splitlines()
    fields = [LINE.fullmatch(line) for line in lines]
    assert all(fields), lines  # stdout holds access lines only
    by_id = {m.group(2): m.groups() for m in fields if m}
    assert len(lines) == len(by_id) == 5, lines  # one line per request, each its own id
    callback_id = callback.headers[logs.HEADER]
    assert GENERATED_ID.fullmatch(callback_id)
    assert [by_id[i][2] for i in ("t-page", "t-login", "t-console", callback_id)] == [
        "-", "-", "console:root-admin", "-"]
    assert by_id["t-console"][4:8] == ("GET", "/console/", "HTTP/1.1", "200")
    assert by_id["t-login"][4:8] == ("POST", "/console/login", "HTTP/1.1", "303")
    assert by_id[callback_id][4:8] == ("GET", "/wecom/callback", "HTTP/1.1", "200")
    assert by_id["t-forged"][5] == "/console/x\\n1.2.3.4"
    logged = out.read_text() + err.read_text()
    assert "?" not in out.read_text() and "echo-42" not in logged
    for name, value in query.items():
        assert name not in out.read_text() and value not in logged, name
