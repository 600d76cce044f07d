"""The shipped deployment, started for real: nginx with deploy/nginx/pioneer.conf.template
(rendered by deploy/render_nginx.py with test ports and paths, a throwaway self-signed
certificate) in front of `gunicorn -c gunicorn.conf.py wsgi:app` on a temporary SQLite
database, its settings only in a `.env` file (PIONEER_ENV_FILE), as an operator keeps them.

One stack per module (starting it takes a few seconds); each test skips with the reason when
nginx or gunicorn is not installed."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask_migrate import upgrade

from console.accounts import create_admin
from models import db
from pioneer import create_app
from roster.manage import add_member, ensure_organization
from sandbox.server import SandboxServer
from sandbox.state import SANDBOX_AGENT_ID, SANDBOX_CORP_ID, SANDBOX_SECRET
from tests.console_helpers import ADMIN_PASSWORD
from tests.deploy.deploy_helpers import (
    GUNICORN,
    MEMBER,
    SETTING_NAMES,
    Stack,
    free_port,
    need_nginx,
    nginx_conf,
    self_signed,
    site_file,
    stop,
    wait_answering,
    wait_listening,
)
from tests.helpers import AES_KEY, ROOT, TOKEN


def _database(folder: Path, sandbox: SandboxServer) -> dict[str, str]:
    """A migrated SQLite database with one member and one console account; its settings."""
    settings = {
        "WECOM_CORP_ID": SANDBOX_CORP_ID, "WECOM_AGENT_ID": str(SANDBOX_AGENT_ID),
        "WECOM_SECRET": SANDBOX_SECRET, "WECOM_TOKEN": TOKEN, "WECOM_AES_KEY": AES_KEY,
        "WECOM_API_BASE": sandbox.base_url, "SECRET_KEY": "deploy-test-" + "x" * 32,
        "DATABASE_URL": f"sqlite:///{folder}/pioneer.db", "MEDIA_DIR": str(folder / "media")}
    app = create_app({**settings, "TESTING": True, "RQ_INLINE": True})
    with app.app_context():
        upgrade()
        add_member(MEMBER, "部署测试", [ensure_organization("部署测试党支部")], ())
        create_admin("deploy-admin", ADMIN_PASSWORD, "test")
        db.session.commit()
        db.engine.dispose()
    sandbox.state.add_user(MEMBER, "部署测试")
    return settings


@pytest.fixture(scope="module")
def stack(sandbox: SandboxServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """nginx (the shipped site file, TLS) in front of gunicorn (the shipped config)."""
    nginx = need_nginx()
    if not GUNICORN.exists():
        pytest.skip(f"gunicorn is not installed beside {sys.executable}")
    folder = tmp_path_factory.mktemp("deploy")
    settings = _database(folder, sandbox)
    app_port, http_port, https_port = free_port(), free_port(), free_port()
    access_log = folder / "gunicorn-access.log"
    env_file = folder / "pioneer.env"
    env_file.write_text("".join(f"{k}={v}\n" for k, v in {
        **settings, "PUBLIC_URL": f"https://127.0.0.1:{https_port}",
        "PIONEER_BIND": f"127.0.0.1:{app_port}", "WEB_CONCURRENCY": "1",  # in-process Redis
        "PIONEER_ACCESS_LOG": str(access_log), "PROXY_HOPS": "1"}.items()))
    env = {k: v for k, v in os.environ.items() if k not in SETTING_NAMES}
    env["PIONEER_ENV_FILE"] = str(env_file)  # every setting comes from the file
    cert, key = self_signed(folder)
    site = site_file(folder, {
        "PIONEER_DOMAIN": "localhost 127.0.0.1", "PIONEER_HTTP_PORT": str(http_port),
        "PIONEER_HTTPS_PORT": str(https_port), "PIONEER_TLS_CERT": str(cert),
        "PIONEER_TLS_KEY": str(key), "PIONEER_UPSTREAM": f"127.0.0.1:{app_port}",
        "PIONEER_STATIC": str(ROOT / "console" / "static"), "PIONEER_MEDIA": settings["MEDIA_DIR"]})
    conf = nginx_conf(folder, site)
    app_log, nginx_log = folder / "gunicorn.log", folder / "nginx.log"
    with app_log.open("wb") as out:
        app = subprocess.Popen([str(GUNICORN), "-c", str(ROOT / "gunicorn.conf.py"),
                                "--no-control-socket", "wsgi:app"], cwd=ROOT, env=env,
                               stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    with nginx_log.open("wb") as out:
        proxy = subprocess.Popen([nginx, "-p", str(folder), "-c", str(conf)], stdout=out,
                                 stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_listening(https_port, proxy, "nginx", folder / "error.log")
        wait_listening(app_port, app, "gunicorn", app_log)
        wait_answering(f"http://127.0.0.1:{app_port}/console/login", app, app_log)
        yield Stack(f"https://127.0.0.1:{https_port}", f"http://127.0.0.1:{http_port}",
                    https_port, f"http://127.0.0.1:{app_port}", access_log,
                    Path(settings["MEDIA_DIR"]), folder)
    finally:
        stop(proxy)
        stop(app)
