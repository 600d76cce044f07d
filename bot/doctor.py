"""`flask --app wsgi doctor`: check settings, PostgreSQL, Redis, the WeCom token, the callback,
the job workers, the periodic ticks and the console accounts, one line each saying what is
wrong and how to fix it. `--only NAME` runs some of them (the health checks of
deploy/compose.yaml: `--only database --only redis`, `--only workers`, `--only ticks`)."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import click
import requests
from flask import Flask, current_app
from flask.cli import with_appcontext
from rq.cron import CronScheduler
from sqlalchemy import text

from bot import MIGRATIONS_DIR
from bot.config import DEFAULT_API_BASE
from bot.crypto import sign
from bot.demo_data import is_demo_account_name, is_demo_database
from bot.extensions import jobs, redis_store
from bot.services import crypto, wecom_client
from bot.wecom import WeComError, WeComUnavailable
from models import ConsoleAccount, audit, db


@dataclass(frozen=True)
class Check:
    """The outcome of one check: ok, warn (works, but not for production) or fail."""

    name: str
    status: str  # "ok", "warn", "fail"
    message: str

    def line(self) -> str:
        """One line for the terminal."""
        return f"{self.status.upper():<5} {self.name:<9} {self.message}"


def _redacted(url: str) -> str:
    """A service URL without its password."""
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return parts._replace(netloc=netloc).geturl()
    return url


def check_settings(app: Flask) -> Check:
    """Settings that start the app but are wrong for production."""
    config = app.config
    problems = []
    if len(config.get("SECRET_KEY") or "") < 32:
        problems.append("SECRET_KEY is shorter than 32 characters: set a long random value")
    if not config.get("REDIS_URL"):
        problems.append("REDIS_URL is unset (in-process Redis, demo only): set redis://…")
    if not str(config.get("PUBLIC_URL", "")).startswith("https://"):
        problems.append("PUBLIC_URL is not https: set the app's 可信域名 over https")
    if config.get("WECOM_API_BASE") != DEFAULT_API_BASE:
        problems.append(f"WECOM_API_BASE is {config.get('WECOM_API_BASE')} (the sandbox?), "
                        f"not {DEFAULT_API_BASE}")
    if problems:
        return Check("settings", "warn", "; ".join(problems))
    return Check("settings", "ok", "every setting present and fit for production")


def check_database(app: Flask) -> Check:
    """PostgreSQL answers and the schema is at the newest migration."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    url = _redacted(app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            current = MigrationContext.configure(connection).get_current_revision()
    except Exception as exc:
        reason = str(exc).strip().splitlines()[0][:160]
        return Check("database", "fail", f"cannot reach {url}: {reason} — start the database "
                     "or fix DATABASE_URL")
    head = ScriptDirectory(MIGRATIONS_DIR).get_current_head()
    if current != head:
        return Check("database", "fail", f"schema at {current or 'nothing'}, newest is {head} "
                     "— run `flask --app wsgi db upgrade`")
    kind = "SQLite (demo only: use PostgreSQL in production)" if url.startswith("sqlite") \
        else "PostgreSQL"
    status = "warn" if url.startswith("sqlite") else "ok"
    return Check("database", status, f"{kind} at {url}, schema at {head} (newest)")


def check_redis(app: Flask) -> Check:
    """Redis answers PING and keeps a value."""
    if not app.config.get("REDIS_URL"):
        return Check("redis", "warn", "in-process Redis (demo only): set REDIS_URL=redis://…")
    url = _redacted(app.config["REDIS_URL"])
    key = f"pioneer:doctor:{secrets.token_hex(4)}"
    try:
        client = redis_store.client
        client.ping()
        client.set(key, "1", ex=10)
        stored = client.get(key)
        client.delete(key)
    except Exception as exc:
        return Check("redis", "fail", f"cannot use {url}: {exc} — start Redis or fix REDIS_URL")
    if stored != b"1":
        return Check("redis", "fail", f"{url} does not keep values — check its configuration")
    return Check("redis", "ok", f"{url} answers and keeps values")


TOKEN_HINTS = {
    40013: "the corp id is wrong — check WECOM_CORP_ID (我的企业 → 企业信息)",
    40001: "the secret is wrong — check WECOM_SECRET (应用管理 → 自建应用 → Secret)",
    40091: "the secret is wrong — check WECOM_SECRET (应用管理 → 自建应用 → Secret)",
    60020: "this server's IP is not trusted — add it to the app's 企业可信IP",
}


def check_token(app: Flask) -> Check:
    """WeCom gives an access token for the corp id and secret."""
    try:
        result = wecom_client().fetch_token()
    except WeComUnavailable as exc:
        return Check("token", "fail", f"{app.config['WECOM_API_BASE']} not reachable "
                     f"({exc.errmsg}) — check the network or WECOM_API_BASE")
    except WeComError as exc:
        hint = TOKEN_HINTS.get(exc.errcode or 0, "see WeCom's error code list")
        return Check("token", "fail", f"gettoken answered {exc.errcode} {exc.errmsg}: {hint}")
    return Check("token", "ok", f"access token received (valid {result.get('expires_in')} s)")


def check_callback(app: Flask, probe: Callable[..., requests.Response] | None = None) -> Check:
    """The callback verifies a signed echostr with our token and key, here and at PUBLIC_URL."""
    echo = secrets.token_hex(8)
    timestamp, nonce = str(int(time.time())), secrets.token_hex(5)
    echostr = crypto().encrypt(echo)
    query = {"msg_signature": sign(app.config["WECOM_TOKEN"], timestamp, nonce, echostr),
             "timestamp": timestamp, "nonce": nonce, "echostr": echostr}
    local = app.test_client().get("/wecom/callback", query_string=query)
    if local.status_code != 200 or local.get_data(as_text=True) != echo:
        return Check("callback", "fail", f"the app's own URL verification failed "
                     f"({local.status_code}) — check WECOM_TOKEN and WECOM_AES_KEY")
    url = app.config["PUBLIC_URL"].rstrip("/") + "/wecom/callback"
    try:
        remote = (probe or requests.get)(url, params=query, timeout=3)
    except requests.RequestException as exc:
        return Check("callback", "warn", f"token and key are consistent, but {url} is not "
                     f"reachable from here ({type(exc).__name__}) — WeCom must reach it; "
                     "check PUBLIC_URL and the proxy")
    if remote.status_code != 200 or remote.text != echo:
        return Check("callback", "fail", f"{url} answered {remote.status_code} to a URL "
                     "verification — is PUBLIC_URL this deployment?")
    return Check("callback", "ok", f"{url} passes WeCom's URL verification; set it (with "
                 "WECOM_TOKEN and WECOM_AES_KEY) as the app's 接收消息 URL")


def check_workers(app: Flask) -> Check:
    """RQ workers listen on the queue (messages to members wait for them)."""
    from rq import Worker

    if not app.config.get("REDIS_URL"):
        return Check("workers", "warn", "jobs run inline (no Redis server): demo only")
    try:
        workers = Worker.all(connection=redis_store.client, queue=jobs.queue)
    except Exception as exc:
        return Check("workers", "fail", f"cannot list RQ workers: {exc}")
    if not workers:
        return Check("workers", "fail", f"no RQ worker listens on '{jobs.queue.name}' — start "
                     f"`{WORKER_COMMAND} {jobs.queue.name}` (deploy/systemd: "
                     "pioneer-worker@1.service)")
    return Check("workers", "ok", f"{len(workers)} RQ worker(s) on '{jobs.queue.name}'")


WORKER_COMMAND = ("rq worker -c deploy.rq_settings --with-scheduler "
                  "--worker-class rq.worker.SimpleWorker")
CRON_COMMAND = "rq cron -c deploy.rq_settings pioneer/cron.py"
TICKS_STALE_S = 120  # RQ's cron scheduler beats at least once a minute; its entry lives 120 s


def check_ticks(app: Flask) -> Check:
    """An `rq cron` runs the periodic ticks: RQ's cron registry has one with a recent beat."""
    if not app.config.get("REDIS_URL"):
        return Check("ticks", "warn", "no Redis server, so no `rq cron`: the periodic ticks "
                     "do not run (demo only)")
    try:
        schedulers = CronScheduler.all(connection=redis_store.client)
        beats = [(s, s.last_heartbeat) for s in schedulers]
    except Exception as exc:
        return Check("ticks", "fail", f"cannot list RQ cron schedulers: {exc}")
    now = time.time()
    alive = [(s, beat) for s, beat in beats
             if beat is not None and now - beat.timestamp() < TICKS_STALE_S]
    if not alive:
        return Check("ticks", "fail", "no `rq cron` runs the periodic ticks (pushes, reminders, "
                     f"retention) — start `{CRON_COMMAND}` (deploy/systemd: pioneer-cron.service)")
    ticks = max(len(s.get_jobs()) for s, _ in alive)
    if ticks == 0:
        return Check("ticks", "fail", "`rq cron` runs with no ticks registered — start it with "
                     f"`{CRON_COMMAND}`")
    return Check("ticks", "ok", f"{len(alive)} `rq cron` process(es), {ticks} periodic tick(s), "
                 f"last heartbeat {int(now - max(b.timestamp() for _, b in alive))} s ago")


def check_accounts(app: Flask) -> Check:
    """No console account named like the demo's may log in (its name and an old password are
    in public copies of the demo): each one found is disabled, audited, and fails the check.
    A database the demo marked as its own is reported too."""
    from sqlalchemy import select

    try:
        accounts = [a for a in db.session.scalars(select(ConsoleAccount))
                    if is_demo_account_name(a.username)]
        demo = is_demo_database()
    except Exception as exc:
        db.session.rollback()
        reason = str(exc).strip().splitlines()[0][:160]
        return Check("accounts", "fail", f"console accounts not checked: {reason}")
    disabled = [a.username for a in accounts if a.active]
    for account in accounts:
        if account.active:
            account.active = False
            audit("doctor", "console.account.disable", account.username,
                  reason="named like the demo's account")
    db.session.commit()
    if accounts:
        names = ", ".join(a.username for a in accounts)
        done = f"disabled now: {', '.join(disabled)}" if disabled else "already disabled"
        return Check("accounts", "fail", f"console account(s) named like the demo's: {names} "
                     f"({done}) — delete them, and give admins accounts of their own with "
                     "`flask --app wsgi console create-admin NAME`")
    if demo:
        return Check("accounts", "warn", "this database is the demo's (fictional members and "
                     "figures): a real deployment starts from an empty one")
    return Check("accounts", "ok", "no console account named like the demo's")


CHECKS: tuple[Callable[[Flask], Check], ...] = (
    check_settings, check_database, check_redis, check_token, check_callback, check_workers,
    check_ticks, check_accounts)
NAMES = tuple(check.__name__.removeprefix("check_") for check in CHECKS)


def run_checks(app: Flask, only: tuple[str, ...] = ()) -> list[Check]:
    """Every check (or those named in `only`), in order; one failing does not stop the others."""
    return [check(app) for check, name in zip(CHECKS, NAMES, strict=True)
            if not only or name in only]


@click.command("doctor")
@click.option("--only", multiple=True, type=click.Choice(NAMES),
              help="Run only this check (repeat for several).")
@with_appcontext
def doctor_command(only: tuple[str, ...]) -> None:
    """Check settings, PostgreSQL, Redis, the WeCom token, the callback, the workers, the
    periodic ticks and the console accounts."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    results = run_checks(app, only)
    for result in results:
        click.echo(result.line())
    failed = [r for r in results if r.status == "fail"]
    if failed:
        click.echo(f"{len(failed)} check(s) failed", err=True)
        raise click.exceptions.Exit(1)


COMMAND_GROUPS = (doctor_command,)
