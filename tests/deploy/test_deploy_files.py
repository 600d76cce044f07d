"""The rest of deploy/: the systemd units pass `systemd-analyze verify`, the compose file has
the services and health checks a single host needs, the scripts stop on the first failure,
and .env.example names every setting the code reads."""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

from bot import doctor
from bot.config import SETTINGS
from pioneer.features import FEATURES
from tests.helpers import ROOT

DEPLOY = ROOT / "deploy"
SYSTEMD_ANALYZE = shutil.which("systemd-analyze")
# The product's packages (the import contract's root packages, without the tools).
PRODUCT = [p for p in tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
           ["root_packages"] if p not in ("bench", "fuzz", "sandbox")]
READ = re.compile(r"""(?:config|environ|env)\.get\(\s*["']([A-Z][A-Z0-9_]+)["']"""
                  r"""|config\[["']([A-Z][A-Z0-9_]+)["']\]|_positive\(["']([A-Z][A-Z0-9_]+)["']""")
NOT_SETTINGS = {  # read from the config, but set by code or tests, never by an operator
    "TESTING", "SQLALCHEMY_ENGINE_OPTIONS", "SQLALCHEMY_DATABASE_URI", "SESSION_COOKIE_SAMESITE",
    "REDIS_EMBEDDED", "RQ_INLINE", "RQ_QUEUE", "WECOM_SLEEP", "WECOM_TIMEOUT", "MAX_CONTENT_LENGTH",
    "TEST_SLEEPS", "TEST_BACKEND", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SECURE",
    "PIONEER_ENV_FILE",  # names the file itself: set in the environment, not in the file
    # WSGI environ keys, read with the same .get
    "CONTENT_LENGTH", "HTTP_X_REQUEST_ID", "PATH_INFO", "QUERY_STRING", "REQUEST_METHOD"}


def _units(tmp_path: Path) -> list[Path]:
    """The units with /srv/pioneer pointed at this checkout (its .venv must exist)."""
    for unit in (DEPLOY / "systemd").iterdir():
        (tmp_path / unit.name).write_text(unit.read_text().replace("/srv/pioneer", str(ROOT)))
    return sorted(tmp_path.iterdir())


def test_the_systemd_units_verify(tmp_path: Path) -> None:
    if SYSTEMD_ANALYZE is None:
        pytest.skip("systemd-analyze is not installed")
    if not (ROOT / ".venv" / "bin" / "rq").exists():
        pytest.skip("the units run .venv/bin/gunicorn and .venv/bin/rq: no .venv here")
    units = _units(tmp_path)
    names = [u.name for u in units]
    assert set(names) == {"pioneer-web.service", "pioneer-worker@.service", "pioneer-cron.service",
                          "pioneer-backup.service", "pioneer-backup.timer"}
    (tmp_path / "pioneer-worker@.service").rename(tmp_path / "pioneer-worker@1.service")
    targets = [str(tmp_path / n.replace("worker@.", "worker@1.")) for n in names]
    result = subprocess.run([SYSTEMD_ANALYZE, "verify", "--man=no", *targets],
                            capture_output=True, text=True, cwd=tmp_path)
    problems = [line for line in (result.stdout + result.stderr).splitlines()
                if "pioneer" in line and "Failed to" not in line.split(":", 1)[0]]
    if result.returncode != 0 and not problems:
        pytest.skip(f"systemd-analyze verify cannot run here: {result.stderr.strip()[:200]}")
    assert result.returncode == 0 and not problems, problems or result.stderr


def test_the_units_supervise_as_promised() -> None:
    """Unprivileged, reading .env, restarting on failure, a stop that lets a batch finish."""
    for name in ("pioneer-web.service", "pioneer-worker@.service", "pioneer-cron.service"):
        text = (DEPLOY / "systemd" / name).read_text()
        for line in ("User=pioneer", "EnvironmentFile=/srv/pioneer/.env",
                     "Restart=on-failure", "WorkingDirectory=/srv/pioneer"):
            assert f"\n{line}\n" in text, (name, line)
    worker = (DEPLOY / "systemd" / "pioneer-worker@.service").read_text()
    assert "--worker-class rq.worker.SimpleWorker" in worker and "-c deploy.rq_settings" in worker
    assert "KillMode=mixed" in worker and "TimeoutStopSec=600" in worker
    cron = (DEPLOY / "systemd" / "pioneer-cron.service").read_text()
    assert "rq cron -c deploy.rq_settings pioneer/cron.py" in cron
    timer = (DEPLOY / "systemd" / "pioneer-backup.timer").read_text()
    assert "OnCalendar=" in timer and "Persistent=true" in timer


def test_the_compose_file_has_the_services_and_health_checks() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) == {"app", "worker", "cron", "postgres", "redis", "nginx"}
    for name, check in (("app", ["database", "redis"]), ("worker", ["workers"]),
                        ("cron", ["ticks"])):
        test = services[name]["healthcheck"]["test"]
        assert test[:5] == ["CMD", "flask", "--app", "wsgi", "doctor"], name
        assert [test[i + 1] for i, word in enumerate(test) if word == "--only"] == check
        assert set(check) <= set(doctor.NAMES)
        assert services[name]["env_file"] == "../.env"
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert "--appendonly" in services["redis"]["command"]
    assert "redis" in {v.split(":")[0] for v in services["redis"]["volumes"]}
    assert services["worker"]["command"][:2] == ["rq", "worker"]
    assert "rq.worker.SimpleWorker" in services["worker"]["command"]
    assert services["cron"]["command"] == ["rq", "cron", "-c", "deploy.rq_settings",
                                           "pioneer/cron.py"]
    assert services["nginx"]["depends_on"]["app"]["condition"] == "service_healthy"
    assert all("healthcheck" in s for s in services.values())


def test_the_scripts_stop_on_the_first_failure() -> None:
    for name in ("backup.sh", "upgrade.sh"):
        script = DEPLOY / name
        assert script.stat().st_mode & 0o111, f"{name} is not executable"
        assert "set -euo pipefail" in script.read_text()
        subprocess.run(["bash", "-n", str(script)], check=True)
    order = [line.split('"')[1] for line in (DEPLOY / "upgrade.sh").read_text().splitlines()
             if line.startswith('step "')]
    assert [o.split()[1] for o in order[:5]] == ["backup", "code", "migrate", "restart", "restart"]


def test_a_failing_backup_stops_with_one_line(tmp_path: Path) -> None:
    """No PostgreSQL URL: the backup says so and exits non-zero, writing nothing."""
    result = subprocess.run([str(DEPLOY / "backup.sh")], capture_output=True, text=True,
                            env={"PATH": "/usr/bin:/bin", "BACKUP_DIR": str(tmp_path / "b"),
                                 "DATABASE_URL": "sqlite:///x.db",
                                 "PIONEER_ENV_FILE": str(tmp_path / "none.env"),
                                 "PIONEER_PYTHON": str(ROOT / ".venv" / "bin" / "python")})
    assert result.returncode == 2 and "not a PostgreSQL URL" in result.stderr
    assert not (tmp_path / "b").exists()


def _read_by_code() -> set[str]:
    """Every setting name the product reads from its config or the environment."""
    found: set[str] = set()
    for package in PRODUCT:
        for path in (ROOT / package).rglob("*.py"):
            for match in READ.finditer(path.read_text(encoding="utf-8")):
                found.add(next(g for g in match.groups() if g))
    found |= {s.name for s in SETTINGS}
    found |= set(re.findall(r'environ\.get\("([A-Z_]+)"', (ROOT / "gunicorn.conf.py").read_text()))
    return found - NOT_SETTINGS


def test_env_example_names_every_setting() -> None:
    listed = set(re.findall(r"^#?([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))
    missing = sorted(_read_by_code() - listed)
    assert not missing, f".env.example does not name {missing}"
    prefixes = tuple(p for s in FEATURES.settings() for p in s.prefixes)
    for name in ("BROADCAST_CONTACTS", "RETENTION_DRAFT_DAYS", "RETENTION_PROCESSED_DAYS",
                 "DELIVERY_DUPLICATE_CHECK_S", "WEB_CONCURRENCY", "PIONEER_BIND", "PROXY_HOPS"):
        assert name in listed
    unread = sorted(n for n in listed - _read_by_code()
                    if not n.startswith(prefixes) and n not in {"POSTGRES_PASSWORD",
                                                                "PIONEER_DOMAIN"})
    assert not unread, f".env.example names settings nothing reads: {unread}"
