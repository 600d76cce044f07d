"""Tracked reading links: /r/<token>, signed, naming the material and whom the link was for.

A link sent in a member's own chat names that member; a link in a push names the push
occurrence (one message for thousands of members, so the opener is known only through
WeCom OAuth). Either way the token is signed with SECRET_KEY and expires.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

SALT = "pioneer-read-link"
DEFAULT_MAX_AGE_S = 90 * 24 * 3600


@dataclass(frozen=True)
class LinkClaims:
    """What a valid link says: the material, and the member or push occurrence it was for."""

    material_id: int
    userid: str | None = None
    occurrence_id: int | None = None


class LinkError(ValueError):
    """The link is forged, damaged or expired; `expired` tells which."""

    def __init__(self, expired: bool) -> None:
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def make_token(claims: LinkClaims) -> str:
    """A signed token for the claims."""
    payload: dict[str, object] = {"m": claims.material_id}
    if claims.userid:
        payload["u"] = claims.userid
    if claims.occurrence_id:
        payload["o"] = claims.occurrence_id
    return _serializer().dumps(payload)


def read_url(material_id: int, userid: str | None = None,
             occurrence_id: int | None = None) -> str:
    """The public tracked link for a material."""
    base = current_app.config.get("PUBLIC_URL", "").rstrip("/")
    token = make_token(LinkClaims(material_id, userid, occurrence_id))
    return f"{base}/r/{token}"


def parse_token(token: str) -> LinkClaims:
    """The claims of a token, or LinkError if it is forged, damaged or too old."""
    max_age = int(current_app.config.get("READ_LINK_MAX_AGE_S", DEFAULT_MAX_AGE_S))
    try:
        payload = _serializer().loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise LinkError(expired=True) from exc
    except BadSignature as exc:
        raise LinkError(expired=False) from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("m"), int):
        raise LinkError(expired=False)
    userid = payload.get("u")
    occurrence = payload.get("o")
    return LinkClaims(payload["m"], userid if isinstance(userid, str) else None,
                      occurrence if isinstance(occurrence, int) else None)


def material_of(payload: dict[str, object]) -> int | None:
    """The material a message/send payload links to (news or textcard), None if it links to
    none: read from its tracked link's signature, whatever the link's age."""
    url = ""
    news, card = payload.get("news"), payload.get("textcard")
    if isinstance(news, dict) and news.get("articles"):
        url = str(news["articles"][0].get("url", ""))
    elif isinstance(card, dict):
        url = str(card.get("url", ""))
    if "/r/" not in url:
        return None
    try:
        found = _serializer().loads(url.rsplit("/r/", 1)[1])  # no max_age: the age is not asked
    except BadSignature:
        return None
    return found.get("m") if isinstance(found, dict) and isinstance(found.get("m"), int) else None
