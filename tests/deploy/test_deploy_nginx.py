"""deploy/nginx/pioneer.conf.template in front of the real gunicorn (tests/deploy/conftest.py):
the callback's signature and query survive the proxy, the scheme and the client's address
are nginx's and never the client's own headers, bodies past the limit stop at nginx, static
files and images carry their cache and safety headers, and an .html file is never a page."""

from __future__ import annotations

import http.client
import io
import os
import re
import ssl
import subprocess
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from PIL import Image

from media.storage import DirectoryStore
from sandbox.simulator import HttpTransport, MemberSimulator
from sandbox.state import SANDBOX_AGENT_ID, SANDBOX_CORP_ID
from tests.console_helpers import ADMIN_PASSWORD, CSRF
from tests.deploy.deploy_helpers import (
    MEMBER,
    Stack,
    need_nginx,
    nginx_conf,
    self_signed,
    site_file,
)
from tests.helpers import AES_KEY, ROOT, TOKEN

pytestmark = pytest.mark.filterwarnings(  # the throwaway certificate
    "ignore::urllib3.exceptions.InsecureRequestWarning")


def _session() -> requests.Session:
    session = requests.Session()
    session.verify = False
    session.trust_env = False  # else REQUESTS_CA_BUNDLE and proxies from the environment win
    return session


def _access_lines(stack: Stack, request_id: str) -> list[str]:
    """gunicorn's access-log lines of one request id (written just after the answer)."""
    for _ in range(50):
        lines = [line for line in stack.access_log.read_text().splitlines()
                 if f" {request_id} " in line]
        if lines:
            return lines
        time.sleep(0.02)
    return []


def test_nginx_accepts_the_shipped_site_file(tmp_path: Path) -> None:
    """`nginx -t` on the template rendered with a host install's defaults (paths of this run)."""
    nginx = need_nginx()
    cert, key = self_signed(tmp_path)
    site = site_file(tmp_path, {"PIONEER_DOMAIN": "pioneer.example.org",
                                "PIONEER_HTTP_PORT": "18080", "PIONEER_HTTPS_PORT": "18443",
                                "PIONEER_TLS_CERT": str(cert), "PIONEER_TLS_KEY": str(key)})
    result = subprocess.run([nginx, "-t", "-p", str(tmp_path), "-c",
                             str(nginx_conf(tmp_path, site))], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "[warn]" not in result.stderr and "[emerg]" not in result.stderr, result.stderr


def test_a_signed_callback_through_nginx_gets_its_reply(stack: Stack) -> None:
    """URL verification (its echostr is in the query) and a member's 帮助, over TLS."""
    sim = MemberSimulator(HttpTransport(f"{stack.https}/wecom/callback", _session()), TOKEN,
                          AES_KEY, SANDBOX_CORP_ID, SANDBOX_AGENT_ID)
    verified = _session().get(f"{stack.https}/wecom/callback", params=sim.verify_query("e-28"))
    assert verified.status_code == 200 and verified.text == "e-28"
    reply = sim.text(MEMBER, "帮助")
    assert reply.status == 200 and "帮助" in reply.text, reply
    assert verified.headers["Strict-Transport-Security"].startswith("max-age=")


def test_plain_http_is_sent_to_https_with_its_query(stack: Stack) -> None:
    answer = _session().get(f"{stack.http}/wecom/callback?a=1&b=2", allow_redirects=False)
    assert answer.status_code == 301
    assert answer.headers["Location"] == f"{stack.https}/wecom/callback?a=1&b=2"


def test_forwarded_proto_makes_redirects_https(stack: Stack) -> None:
    """The app builds its absolute URLs as https behind nginx; gunicorn alone says http."""
    slash = _session().get(f"{stack.https}/console", allow_redirects=False)
    assert slash.status_code == 308 and slash.headers["Location"] == f"{stack.https}/console/"
    direct = requests.get(f"{stack.gunicorn}/console", allow_redirects=False, timeout=5)
    assert direct.headers["Location"].startswith("http://")
    login = _session().get(f"{stack.https}/console/login/wecom", allow_redirects=False)
    assert login.status_code == 302
    back = parse_qs(urlsplit(login.headers["Location"]).query)["redirect_uri"][0]
    assert back == f"{stack.https}/console/login/wecom/return"


def test_a_forged_forwarded_for_is_not_trusted(stack: Stack) -> None:
    """A client on 127.0.0.5 sending X-Forwarded-For: 203.0.113.9 is logged as 127.0.0.5."""
    try:
        connection = http.client.HTTPSConnection(
            "127.0.0.1", stack.https_port, source_address=("127.0.0.5", 0), timeout=5,
            context=ssl._create_unverified_context())
        connection.request("GET", "/console/login", headers={
            "X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "http",
            "X-Request-Id": "forged-id"})
    except OSError as exc:
        pytest.skip(f"cannot connect from 127.0.0.5 here: {exc}")
    answer = connection.getresponse()
    answer.read()
    request_id = answer.getheader("X-Request-Id") or ""
    assert answer.status == 200 and request_id and request_id != "forged-id"
    lines = _access_lines(stack, request_id)
    assert len(lines) == 1 and lines[0].startswith("127.0.0.5 "), lines
    assert "203.0.113.9" not in stack.access_log.read_text()


def test_a_body_past_the_limit_is_refused_by_nginx(stack: Stack) -> None:
    session = _session()
    for path in ("/wecom/callback?msg_signature=x", "/console/login"):
        answer = session.post(f"{stack.https}{path}", data=b"x" * (3 * 1024 * 1024))
        assert answer.status_code == 413 and "nginx" in answer.text, path
    # gunicorn never saw them: no access line has the status 413 (a request id may hold "413")
    assert not re.search(r'" 413 ', stack.access_log.read_text())


def test_static_files_come_from_nginx_with_cache_headers(stack: Stack) -> None:
    answer = _session().get(f"{stack.https}/console/static/console.css")
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("text/css")
    assert answer.content == (ROOT / "console" / "static" / "console.css").read_bytes()
    assert answer.headers["Cache-Control"] == "public, max-age=3600"
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers.get("ETag") and answer.headers.get("Last-Modified")
    again = _session().get(f"{stack.https}/console/static/console.css",
                           headers={"If-None-Match": answer.headers["ETag"]})
    assert again.status_code == 304


def _logged_in(stack: Stack) -> tuple[requests.Session, str]:
    """A console session of the local admin, and its CSRF token."""
    session = _session()
    page = session.get(f"{stack.https}/console/login").text
    csrf = CSRF.search(page)
    assert csrf, "no CSRF field on the login page"
    done = session.post(f"{stack.https}/console/login", allow_redirects=False, data={
        "csrf": csrf.group(1), "username": "deploy-admin", "password": ADMIN_PASSWORD})
    assert done.status_code == 303, done.text
    page = session.get(f"{stack.https}/console/materials/new").text  # a token of its own now
    csrf = CSRF.search(page)
    assert csrf, "no CSRF field on the material form"
    return session, csrf.group(1)


def _png(size: int = 900) -> bytes:
    """A PNG of noise (it does not compress): past nginx's 2 MB default, within the 5 MB."""
    image = Image.frombytes("RGB", (size, size), os.urandom(size * size * 3))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_an_uploaded_image_is_served_as_an_image_and_html_never(stack: Stack) -> None:
    session, csrf = _logged_in(stack)
    png = _png()
    assert len(png) > 2 * 1024 * 1024  # the upload location's own limit lets it through
    uploaded = session.post(f"{stack.https}/console/uploads/image", data={"csrf": csrf},
                            files={"file": ("photo.png", png, "image/png")})
    assert uploaded.status_code == 200, uploaded.text
    url = uploaded.json()["url"]
    image = _session().get(f"{stack.https}{url}")
    assert image.status_code == 200 and image.headers["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(image.content)).format == "PNG"
    assert image.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert image.headers["X-Content-Type-Options"] == "nosniff"
    assert image.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "/media/" not in stack.access_log.read_text()  # nginx served it from disk

    page = b"<html><script>alert(1)</script></html>"
    refused = session.post(f"{stack.https}/console/uploads/image", data={"csrf": csrf},
                           files={"file": ("page.html", page, "text/html")})
    assert refused.status_code == 400 and "url" not in refused.json()
    # Even a file that reached the folder some other way is never a page.
    store = DirectoryStore(stack.media)
    html_key, disguised = store.save(page, ".html"), store.save(page, ".png")
    assert _session().get(f"{stack.https}/media/{html_key}").status_code == 404
    shown = _session().get(f"{stack.https}/media/{disguised}")
    assert shown.headers["Content-Type"] == "image/png"
    assert shown.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in shown.headers["Content-Security-Policy"]
    assert _session().get(f"{stack.https}/media/").status_code == 404  # no listing


def test_gunicorn_took_its_bind_from_the_env_file(stack: Stack) -> None:
    """PIONEER_BIND was only in the `.env` file, and gunicorn listens there."""
    answer = requests.get(f"{stack.gunicorn}/console/login", timeout=5)
    assert answer.status_code == 200
    assert re.search(r"^127\.0\.0\.1 ", stack.access_log.read_text(), re.M)
