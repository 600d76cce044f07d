"""Tracked reading: /r/<token> identifies the opener through WeCom OAuth, records the read
and shows the material; the page's heartbeats (/r/<token>/beat) count the time it is read
(study/reading_time.py), and its 读完了 form records completion once that time reaches the
material's minimum.

A link opened by someone it was not sent to, forged or expired records nothing; a beat or a
读完了 is the signed-in opener's only, with the page's signed stamp and the session's CSRF token.
"""

from __future__ import annotations

import hmac
import json
import logging
import re
import secrets
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

import markdown
import nh3
from flask import (
    Blueprint,
    Response,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.blueprints import BlueprintSetupState
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from markupsafe import Markup
from sqlalchemy import exists, select, update
from sqlalchemy.exc import IntegrityError

from bot import keys, oauth
from content import reading_texts as t
from content.titles import quoted
from models import (
    Material,
    MaterialRead,
    Member,
    ParticipationKind,
    PushDelivery,
    db,
    find_member,
    utcnow,
)
from participation import ledger
from participation.settings import participation_settings
from study import reading_time
from study.links import LinkClaims, LinkError, parse_token

log = logging.getLogger(__name__)
bp = Blueprint("reading", __name__, template_folder="templates", static_folder="static",
               static_url_path="/r/static")

LOGIN_MAX_AGE_S = 24 * 3600  # after a day the opener is asked again (silently, in-client)
DONE_FORM_TTL_S = 24 * 3600  # a page's stamp (读完了 and its beats) is good for a day
STAMP_SALT = "pioneer-read-opened"
SESSION_USER, SESSION_LOGIN_AT = "read_userid", "read_login_at"
SESSION_STATES, SESSION_CSRF = "read_oauth_states", "read_csrf"
CSP = ("default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
Notice = tuple[str, str]


@dataclass(frozen=True)
class MaterialView:
    """What the page shows of a material (read before the commit expires the row)."""

    id: int
    title: str
    kind_name: str
    minutes: int
    summary: str
    body: str
    source_url: str | None


@bp.record_once
def _session_cookie(setup: BlueprintSetupState) -> None:
    """The login lives in Flask's signed session cookie: HttpOnly, Lax, Secure on https."""
    config = setup.app.config
    config["SESSION_COOKIE_HTTPONLY"] = True
    config["SESSION_COOKIE_SAMESITE"] = config.get("SESSION_COOKIE_SAMESITE") or "Lax"
    if str(config.get("PUBLIC_URL", "")).startswith("https://"):
        config["SESSION_COOKIE_SECURE"] = True


@bp.after_request
def _security_headers(response: Response) -> Response:
    """Strict headers on every reading page."""
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Cache-Control"] = "no-store"
    return response


def _now() -> float:
    return time.time()


def _page(template: str, status: int = 200, **context: Any) -> Response:
    return Response(render_template(f"reading/{template}", t=t, **context), status=status,
                    mimetype="text/html")


def _notice(notice: Notice, status: int) -> Response:
    return _page("notice.html", status, title=notice[0], detail=notice[1])


def _stamps() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=STAMP_SALT)


def is_web_url(url: str | None) -> bool:
    """True for an absolute http(s) URL (the only kind we link or redirect to)."""
    return bool(url) and str(url).startswith(("https://", "http://"))


# What Markdown "extra" (tables, footnotes, abbreviations, definition lists, fenced code) and
# sane_lists produce, and nothing else: no script, style, event handler or javascript: URL.
BODY_TAGS = frozenset({
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "a", "ul", "ol", "li",
    "blockquote", "code", "pre", "table", "thead", "tbody", "tr", "th", "td", "img", "hr",
    "br", "sup", "abbr", "dl", "dt", "dd", "div",  # div: the footnotes' wrapper, no attributes
})
BODY_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "abbr": {"title"},
                   "ol": {"start"}, "sup": {"id"}, "li": {"id"}}
BODY_ATTRIBUTE_VALUES = {tag: {"align": {"left", "right", "center"}} for tag in ("th", "td")}
BODY_URL_SCHEMES = frozenset({"http", "https", "mailto"})  # relative URLs pass as well
FOOTNOTE_ID = re.compile(r"fn(ref)?:[\w-]{1,40}")  # the only ids: footnote anchors


def _footnote_ids(_tag: str, attribute: str, value: str) -> str | None:
    """Keep an id only when it is a footnote anchor (fn:1, fnref:1)."""
    return value if attribute != "id" or FOOTNOTE_ID.fullmatch(value) else None


@lru_cache(maxsize=256)
def render_body(body: str) -> Markup:
    """A material's Markdown body as sanitised HTML: the members' page and the console's
    preview both show exactly this (raw HTML in the body is cleaned, not trusted)."""
    html = markdown.markdown(body, extensions=["extra", "sane_lists"],
                             extension_configs={"extra": {"tables": {
                                 "use_align_attribute": True}}})
    return Markup(nh3.clean(html, tags=set(BODY_TAGS), attributes=BODY_ATTRIBUTES,
                            tag_attribute_values=BODY_ATTRIBUTE_VALUES,
                            attribute_filter=_footnote_ids, url_schemes=set(BODY_URL_SCHEMES),
                            link_rel="noopener noreferrer"))


def _claims(token: str) -> LinkClaims | Response:
    try:
        return parse_token(token)
    except LinkError as exc:
        return _notice(t.LINK_EXPIRED, 410) if exc.expired else _notice(t.LINK_INVALID, 400)


def _opener() -> str | None:
    """The WeCom userid this browser signed in as, if the login is recent enough."""
    userid, at = session.get(SESSION_USER), session.get(SESSION_LOGIN_AT)
    if isinstance(userid, str) and isinstance(at, int) and _now() - at < LOGIN_MAX_AGE_S:
        return userid
    return None


def _was_delivered(occurrence_id: int, member_id: int) -> bool:
    query = select(exists().where(PushDelivery.occurrence_id == occurrence_id,
                                  PushDelivery.member_id == member_id))
    return bool(db.session.scalar(query))


def check_opener(claims: LinkClaims, userid: str) -> tuple[Member, Material] | Response:
    """The member and material if this opener may use the link, else the notice to show."""
    member = find_member(userid)
    if member is None:
        return _notice(t.MEMBERS_ONLY, 403)
    if not member.is_active:
        return _notice(t.MEMBER_INACTIVE, 403)
    if claims.userid and claims.userid.lower() != member.userid.lower():
        return _notice(t.NOT_YOURS, 403)
    if claims.occurrence_id and not _was_delivered(claims.occurrence_id, member.id):
        return _notice(t.NOT_YOURS, 403)
    material = db.session.get(Material, claims.material_id)
    if material is None or not material.active:
        return _notice(t.NOT_FOUND, 404)
    return member, material


def _start_oauth(token: str) -> Response:
    """Remember where to come back to and send the browser to WeCom's authorize page."""
    state = oauth.begin_login(SESSION_STATES, keys.read_oauth_state, token)
    config = current_app.config
    query = urlencode({
        "appid": config["WECOM_CORP_ID"],
        "redirect_uri": f"{config['PUBLIC_URL']}/r/oauth",
        "response_type": "code",
        "scope": "snsapi_base",
        "state": state,
        "agentid": config["WECOM_AGENT_ID"],
    })
    return redirect(f"{config['WECOM_OAUTH_URL']}?{query}#wechat_redirect", 302)


def _bump_open(member_id: int, material_id: int) -> int:
    """One more open on an existing read; the number of rows changed (0 when none yet)."""
    result = db.session.execute(
        update(MaterialRead)
        .where(MaterialRead.member_id == member_id, MaterialRead.material_id == material_id)
        .values(opens=MaterialRead.opens + 1, last_opened_at=utcnow())
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def record_open(member_id: int, material_id: int, *, untimed: bool = False) -> None:
    """Upsert the member's read of the material (one row, even under concurrent opens).

    An open alone earns nothing: 阅读 counts once the page has been in view a while (the
    heartbeats, study.reading_time). A material that is only a link elsewhere cannot be
    timed (`untimed`): its first open is the participation, with no points."""
    if not _bump_open(member_id, material_id):
        now = utcnow()
        db.session.add(MaterialRead(member_id=member_id, material_id=material_id,
                                    first_opened_at=now, last_opened_at=now, opens=1))
        try:
            db.session.flush()
        except IntegrityError:  # another open inserted it first: count ours on top
            db.session.rollback()
            _bump_open(member_id, material_id)
        else:
            if untimed:
                ledger.record(member_id, ParticipationKind.MATERIAL_READ,
                              f"material:{material_id}", now, points=0)
    db.session.commit()


@bp.get("/r/oauth")
def oauth_return() -> Response:
    """WeCom sends the browser back here with a code: learn who it is, then reopen the link."""
    state, code = request.args.get("state", ""), request.args.get("code", "")
    try:
        login = oauth.finish_login(SESSION_STATES, keys.read_oauth_state, state, code)
    except oauth.LoginExpired:
        return _notice(t.LOGIN_EXPIRED, 400)
    except oauth.LoginUnavailable as exc:
        log.warning("auth/getuserinfo failed: %s", exc.error)
        return _notice(t.LOGIN_UNAVAILABLE, 503)
    if not login.userid:  # not in the corp: WeCom answers with an openid only
        return _notice(t.MEMBERS_ONLY, 403)
    session[SESSION_USER], session[SESSION_LOGIN_AT] = login.userid, int(_now())
    session[SESSION_CSRF] = secrets.token_urlsafe(32)
    return redirect(url_for(".open_link", token=login.value), 302)


@bp.get("/r/<token>")
def open_link(token: str) -> Response:
    """Open a tracked link: sign in through WeCom if needed, record the read, show it."""
    claims = _claims(token)
    if isinstance(claims, Response):
        return claims
    userid = _opener()
    if userid is None:
        return _start_oauth(token)
    found = check_opener(claims, userid)
    if isinstance(found, Response):
        return found
    member, material = found
    view = MaterialView(material.id, material.title, t.KIND_NAMES.get(material.kind, ""),
                        material.minutes, material.summary or "", material.body or "",
                        material.source_url if is_web_url(material.source_url) else None)
    stamp = _stamps().dumps({"m": view.id, "u": member.userid, "n": secrets.token_urlsafe(16)})
    elsewhere = not view.body.strip() and bool(view.source_url)
    record_open(member.id, view.id, untimed=elsewhere)
    if elsewhere:
        return redirect(view.source_url, 302)  # type: ignore[return-value]
    if SESSION_CSRF not in session:
        session[SESSION_CSRF] = secrets.token_urlsafe(32)
    settings = participation_settings()
    needed = reading_time.needed_seconds(view.minutes, settings)
    read = db.session.scalar(select(MaterialRead.seconds_spent).where(
        MaterialRead.member_id == member.id, MaterialRead.material_id == view.id)) or 0
    return _page("material.html", material=view,
                 body_html=render_body(view.body) if view.body.strip() else None,
                 done_url=url_for(".mark_done", token=token),
                 beat_url=url_for(".heartbeat", token=token), beat_s=settings.reading_beat_s,
                 needed=needed, read=int(read), progress=progress_text(int(read), needed),
                 csrf=session[SESSION_CSRF], stamp=stamp)


def minutes_up(seconds: int) -> int:
    """Whole minutes, rounded up (still to read), at least 1."""
    return max(1, -(-seconds // 60))


def progress_text(read: int, needed: int) -> str:
    """What the page says of the time read against the minimum."""
    if read >= needed:
        return t.READ_ENOUGH
    return t.READ_PROGRESS.format(read=read // 60, left=minutes_up(needed - read))


def _page_member(token: str) -> tuple[Member, Material, str] | Response:
    """The signed-in opener, the material and the page's nonce, for a POST from a reading
    page (读完了 or a beat): the link, the login, the session's CSRF token and the page's
    signed stamp must all agree, else the notice to show."""
    claims = _claims(token)
    if isinstance(claims, Response):
        return claims
    userid = _opener()
    if userid is None:
        return _notice(t.LOGIN_EXPIRED, 400)
    expected = session.get(SESSION_CSRF)
    if not isinstance(expected, str) or not hmac.compare_digest(
            expected.encode(), request.form.get("csrf", "").encode()):
        return _notice(t.BAD_FORM, 400)
    found = check_opener(claims, userid)
    if isinstance(found, Response):
        return found
    member, material = found
    try:
        stamp = _stamps().loads(request.form.get("stamp", ""), max_age=DONE_FORM_TTL_S)
    except SignatureExpired:
        return _notice(t.FORM_EXPIRED, 400)
    except BadSignature:
        return _notice(t.BAD_FORM, 400)
    if (not isinstance(stamp, dict) or stamp.get("m") != material.id
            or stamp.get("u") != member.userid or not isinstance(stamp.get("n"), str)):
        return _notice(t.BAD_FORM, 400)
    return member, material, stamp["n"]


@bp.post("/r/<token>/beat")
def heartbeat(token: str) -> Response:
    """One heartbeat of a reading page in view: count the time since the previous one (at
    most a beat's worth); answers the time read and still needed, as JSON."""
    found = _page_member(token)
    if isinstance(found, Response):
        return Response(status=found.status_code)  # the page shows nothing of a refused beat
    member, material, page_nonce = found
    seq = request.form.get("seq", "")
    if not seq.isdecimal() or not 0 < int(seq) <= reading_time.MAX_SEQ:
        return Response(status=400)
    done = reading_time.beat(member.id, material.id, material.minutes, page_nonce, int(seq),
                             utcnow(), resume=request.form.get("resume") == "1")
    if done is None:
        return Response(status=400)
    return current_app.response_class(json.dumps({
        "seconds": done.seconds, "needed": done.needed, "counted": done.counted,
        "progress": progress_text(done.seconds, done.needed)}, ensure_ascii=False),
        mimetype="application/json")


@bp.post("/r/<token>/done")
def mark_done(token: str) -> Response:
    """读完了: record completion once the time read reaches the minimum (once per read),
    crediting the time read; before that, say how long is left."""
    found = _page_member(token)
    if isinstance(found, Response):
        return found
    member, material, _page_nonce = found
    material_id, title, minutes = material.id, material.title, material.minutes
    done = reading_time.complete(member.id, material_id, minutes, utcnow())
    if done is None:
        return _notice(t.BAD_FORM, 400)
    if not done.completed:
        return _page("not_yet.html", title=quoted(title), needed=minutes_up(done.needed),
                     read=done.seconds // 60, left=minutes_up(done.left),
                     back_url=url_for(".open_link", token=token))
    return _page("done.html", minutes=max(1, round(done.seconds / 60)), title=quoted(title),
                 material_id=material_id, hours=done.hours, points=done.points)
