"""Helpers of tests/deploy/: starting and stopping processes, a throwaway certificate, the
shipped nginx site file rendered for a test, and the running stack's addresses."""

from __future__ import annotations

import contextlib
import datetime
import ipaddress
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from bot.config import SETTINGS
from deploy.render_nginx import render, values_for

NGINX = shutil.which("nginx") or next(
    (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None)
GUNICORN = Path(sys.executable).with_name("gunicorn")  # the console script, as units run it
MEMBER = "deploy-member"
SETTING_NAMES = {s.name for s in SETTINGS} | {
    "PIONEER_BIND", "WEB_CONCURRENCY", "PIONEER_ACCESS_LOG", "MEDIA_DIR", "GUNICORN_CMD_ARGS",
    "FORWARDED_ALLOW_IPS", "PIONEER_ENV_FILE"}


def need_nginx() -> str:
    """nginx's path, or skip the test saying how to get it."""
    if NGINX is None:
        pytest.skip("nginx is not installed (apt-get install nginx; .ci/run does)")
    return NGINX


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_listening(port: int, child: subprocess.Popen[bytes], what: str, log: Path,
                   timeout: float = 20) -> None:
    """Wait until `port` accepts connections; fail with the child's log if it exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise AssertionError(f"{what} exited at start:\n{log.read_text()[-3000:]}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    raise AssertionError(f"{what} did not listen on {port} in time:\n{log.read_text()[-3000:]}")


def wait_answering(url: str, child: subprocess.Popen[bytes], log: Path,
                   timeout: float = 60) -> None:
    """Wait until gunicorn's worker answers `url` (the master listens before a worker has
    built the app; nginx would time a first callback out meanwhile)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise AssertionError(f"gunicorn exited at start:\n{log.read_text()[-3000:]}")
        with contextlib.suppress(requests.RequestException):
            if requests.get(url, timeout=timeout).status_code == 200:
                return
        time.sleep(0.1)
    raise AssertionError(f"gunicorn did not answer {url} in time:\n{log.read_text()[-3000:]}")


def stop(child: subprocess.Popen[bytes]) -> None:
    """TERM the child's process group (KILL after 10 s) and wait for it."""
    if child.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGTERM)
        try:
            child.wait(10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGKILL)
            child.wait(5)


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A throwaway certificate and key for 127.0.0.1 and localhost."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([
                x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                critical=False)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def ipv6_works() -> bool:
    """Can this host listen on IPv6 (the site file's `listen [::]:…` lines)?"""
    try:
        with socket.socket(socket.AF_INET6) as sock:
            sock.bind(("::1", 0))
    except OSError:
        return False
    return True


def nginx_conf(prefix: Path, site: Path) -> Path:
    """A main nginx.conf around the site file, everything it writes under `prefix`."""
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read the temp folders
    temps = "\n".join(f"    {kind}_temp_path {prefix}/{kind};"
                      for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    conf = prefix / "nginx.conf"
    conf.write_text(f"""{user}worker_processes 1;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {prefix}/access.log;
{temps}
    include {site};
}}
""")
    return conf


def site_file(prefix: Path, values: dict[str, str]) -> Path:
    """The shipped template rendered with `values` (IPv6 listens dropped where it is off)."""
    text = render(values_for(None, values))
    if not ipv6_works():
        text = "\n".join(line for line in text.splitlines() if "listen [::]" not in line)
    site = prefix / "pioneer.conf"
    site.write_text(text)
    return site


@dataclass
class Stack:
    """The running nginx and gunicorn, and where their files are."""

    https: str  # https://127.0.0.1:PORT
    http: str
    https_port: int
    gunicorn: str  # http://127.0.0.1:PORT, gunicorn itself
    access_log: Path  # gunicorn's
    media: Path
    folder: Path

