"""gunicorn settings for Pioneer (the WeCom callback and the console).

    gunicorn -c gunicorn.conf.py wsgi:app

Sync workers, two per core: the work is CPU-bound, but each 帮助 waits twice on Redis
(the dedup claim, then the "done" mark) and gunicorn waits for the client to close after each
answer; a third and fourth worker per two cores fill those waits. Measured on the 2-core
bench machine (bench/README.md, "Why sync -w 4"): `sync -w 4` answered the most callbacks
with the lowest p99; gthread with keep-alive piles a client's connections onto one worker.
Sync workers belong behind a buffering reverse proxy (nginx): a slow client holds a worker.
Environment: WEB_CONCURRENCY (workers), PIONEER_BIND (default 127.0.0.1:8000, for the proxy),
PIONEER_ACCESS_LOG (where the access log goes: `-` stdout, the default; a file path; `off`).
They are read from the environment and from `.env` the same way as the app's own settings
(bot.config.load_env_file; the environment wins), so a PIONEER_BIND kept in `.env` is the one
gunicorn binds. Command-line flags override everything here (the benchmarks pass their own).

Access log: one line per request, Common Log Format with the request id in the ident field
and the console user in the user field, then the response time in seconds (one line; cut
here at the date):

    127.0.0.1 3f9a0c2e4b6d8f10 console:root-admin
        [12/Dec/2026:09:30:01 +0800] "GET /console/ HTTP/1.1" 200 5321 0.012345

The id is the answer's X-Request-Id (the id of the request's JSON log lines; a plain one from
nginx is kept); the user is what console.auth names in the WSGI environ (`pioneer.user`,
never sent to the browser), `-` outside the console or before login. The path is logged
WITHOUT its query string: WeCom's callback carries msg_signature, timestamp, nonce and
echostr there, OAuth returns carry a code. No referer either (it holds those same queries).
Control characters in a field are escaped, so a %0A in a path cannot forge a line.
docs/operations.md ("Access log") has the rest.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import sys
from typing import Any

from gunicorn.glogging import Logger

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:  # the `gunicorn` script reads this file before it adds the cwd
    sys.path.insert(0, HERE)

from bot.config import load_env_file  # noqa: E402  (needs the path above)

load_env_file()
bind = os.environ.get("PIONEER_BIND", "127.0.0.1:8000")
worker_class = "sync"
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * multiprocessing.cpu_count())
backlog = 2048  # a burst after a broadcast: members tapping the same button at once
timeout = 30  # WeCom gives up after 5 s; a worker stuck this long is restarted

OFF = ("off", "none", "no", "0", "false")
_access = os.environ.get("PIONEER_ACCESS_LOG", "").strip() or "-"
accesslog = None if _access.lower() in OFF else _access
access_log_format = ('%(h)s %({x-request-id}o)s %({pioneer.user}e)s %(t)s "%(m)s %(U)s %(H)s" '
                     '%(s)s %(b)s %(L)s')


def printable(value: str) -> str:
    """`value` with control characters escaped (a newline becomes the two characters \\n)."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in value)


class AccessLogger(Logger):
    """gunicorn's logger, escaping control characters in the access format's fields."""

    fields: tuple[str, ...] = ()

    def setup(self, cfg: Any) -> None:
        """gunicorn's setup, then note the fields the access format uses (flags included)."""
        super().setup(cfg)
        names = re.findall(r"%\(([^)]*)\)", cfg.access_log_format or "")
        self.fields = tuple(n.lower() if n.startswith("{") else n for n in names)

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any],
              request_time: Any) -> dict[str, Any]:
        """gunicorn's atoms; a used one holding a control character is escaped."""
        atoms = super().atoms(resp, req, environ, request_time)
        for name in self.fields:
            value = atoms.get(name)
            if isinstance(value, str) and not value.isprintable():
                atoms[name] = printable(value)
        return atoms


logger_class = AccessLogger
