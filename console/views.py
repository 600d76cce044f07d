"""The console blueprint and what every page shares: headers, CSRF check, rendering, paging."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    render_template,
    request,
    url_for,
)
from flask.blueprints import BlueprintSetupState
from sqlalchemy import Select, func, select

import clock
from console.auth import csrf_ok, csrf_token
from console.names import who
from content import console_texts as t
from lectures.applications import pending_count
from models import db

bp = Blueprint("console", __name__, url_prefix="/console", template_folder="templates",
               static_folder="static", static_url_path="/static")

PER_PAGE = 30
# Body limits (bytes, or a function of the settings) of the upload endpoints; upload_pages
# adds the material editor's.
UPLOAD_LIMITS: dict[str, int | Callable[[], int]] = {
    "console.roster_import": 5 * 1024 * 1024,  # a 6,000-member roster is ~300 KB
}
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


@bp.record_once
def _session_cookie(setup: BlueprintSetupState) -> None:
    """Session cookie: HttpOnly, SameSite=Lax, Secure unless this is a local development run."""
    config = setup.app.config
    config["SESSION_COOKIE_HTTPONLY"] = True
    config["SESSION_COOKIE_SAMESITE"] = config.get("SESSION_COOKIE_SAMESITE") or "Lax"
    host = urlsplit(str(config.get("PUBLIC_URL") or "")).hostname or ""
    if not config.get("TESTING") and host not in LOCAL_HOSTS:
        config["SESSION_COOKIE_SECURE"] = True


@bp.before_request
def _check_csrf() -> None:
    """Every form posted to the console must carry the browser's CSRF token.

    Uploads may be larger than the app-wide cap (sized for WeCom callbacks): the limit is raised
    for the upload endpoints only, before the form is read."""
    if request.endpoint in UPLOAD_LIMITS:
        limit = UPLOAD_LIMITS[request.endpoint]
        request.max_content_length = limit() if callable(limit) else limit
    if request.method not in ("GET", "HEAD", "OPTIONS") and not csrf_ok():
        abort(Response(render("notice.html", title=t.BAD_FORM_TITLE, detail=t.BAD_FORM),
                       status=400, mimetype="text/html"))


@bp.after_app_request
def _security_headers(response: Response) -> Response:
    """Strict headers on every console response (no inline script anywhere), including the
    app's own 404/405 answers under /console that no console view produced."""
    if request.blueprint != bp.name and not request.path.startswith(f"{bp.url_prefix}/"):
        return response
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Frame-Options"] = "DENY"
    if request.endpoint != "console.static":
        response.headers["Cache-Control"] = "no-store"
    return response


def local(moment: datetime | None, with_time: bool = True) -> str:
    """A stored UTC time on the committee's clock, e.g. 2026-11-22 14:05."""
    if moment is None:
        return ""
    shown = clock.local(moment)
    return f"{shown:%Y-%m-%d %H:%M}" if with_time else f"{shown:%Y-%m-%d}"


def wall_time(value: str) -> datetime | None:
    """A date-time typed in a form (a datetime-local field, or 2026-12-05 15:00) on the
    committee's wall clock, as UTC; None when empty or malformed."""
    value = value.strip()
    for layout in ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"):
        try:
            return clock.from_wall(datetime.strptime(value, layout))
        except ValueError:
            continue
    return None


def chart(label: str, pairs: list[tuple[str, float]], kind: str = "bar",
          horizontal: bool = False, maximum: float | None = None) -> dict[str, Any]:
    """A chart's spec for the page's JSON data island (console.js draws it with Chart.js)."""
    return {"type": kind, "label": label, "labels": [p[0] for p in pairs],
            "values": [p[1] for p in pairs], "horizontal": horizontal, "max": maximum}


def as_json(value: Any) -> str:
    """A stored JSON value as readable text (escaped by the template like any text)."""
    return json.dumps(value, ensure_ascii=False, default=str)


def page_url(page: int) -> str:
    """This page's URL with its filters and another page number."""
    args = request.args.to_dict()
    args["page"] = str(page)
    return url_for(str(request.endpoint), **(request.view_args or {}), **args)


def render(template: str, **context: Any) -> str:
    """A console template with the texts, the viewer, the CSRF token and the helpers."""
    viewer = g.get("viewer")
    waiting = pending_count() if viewer is not None and "admin" in viewer.roles else 0
    return render_template(f"console/{template}", t=t, viewer=viewer,
                           pending_applications=waiting,
                           contact_broadcasts=bool(current_app.config.get("BROADCAST_CONTACTS")),
                           csrf=csrf_token(), local=local, who=who, page_url=page_url,
                           as_json=as_json,
                           **context)


def page(template: str, code: int = 200, /, **context: Any) -> Response:
    """A console page as a response with HTTP status `code`."""
    return Response(render(template, **context), status=code, mimetype="text/html")


@bp.errorhandler(403)
def forbidden(_error: object = None) -> Response:
    """403: logged in, but this page is not for this viewer."""
    return page("notice.html", 403, title=t.FORBIDDEN_TITLE, detail=t.FORBIDDEN)


def not_found() -> Response:
    """404 for a record missing or outside the viewer's scope (same answer for both)."""
    return page("notice.html", 404, title=t.NOT_FOUND_TITLE, detail=t.NOT_FOUND)


@dataclass
class Page:
    """One page of a list: its items and where it sits."""

    items: Sequence[Any]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        """How many pages there are (at least one)."""
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        """True when there is an earlier page."""
        return self.page > 1

    @property
    def has_next(self) -> bool:
        """True when there is a later page."""
        return self.page < self.pages


def page_number() -> int:
    """The requested page number (1 when absent or malformed)."""
    return max(1, request.args.get("page", 1, type=int) or 1)


def paginate(query: Select[Any], per_page: int = PER_PAGE) -> Page:
    """One page of a query's rows, with the total."""
    number = page_number()
    total = int(db.session.scalar(select(func.count()).select_from(
        query.order_by(None).subquery())) or 0)
    rows = db.session.scalars(query.limit(per_page).offset((number - 1) * per_page)).unique()
    return Page(list(rows), number, per_page, total)


def paginate_list(items: Sequence[Any], per_page: int = PER_PAGE) -> Page:
    """One page of an already computed list."""
    number = page_number()
    start = (number - 1) * per_page
    return Page(items[start:start + per_page], number, per_page, len(items))


def date_arg(name: str) -> date | None:
    """A YYYY-MM-DD query argument, or None when absent or malformed."""
    value = request.args.get(name, "").strip()
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def config_value(name: str, default: str = "") -> str:
    """A string setting of the app."""
    return str(current_app.config.get(name) or default)
