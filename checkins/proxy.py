"""代签: a contact (of the members' organisation) or an admin checks named members in, each
name matched within the contact's organisations and answered on its own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from checkins.checkin import CheckInError, CheckInResult, Target, check_in, check_open
from models import Member, Membership, MemberStatus, Role, db
from participation.settings import ParticipationSettings, participation_settings

MAX_PROXY = 50


@dataclass(frozen=True)
class ProxyLine:
    """The outcome for one name of a 代签 message."""

    token: str
    outcome: str  # done, already, unknown, ambiguous, not_yours, refused
    member: Member | None = None
    result: CheckInResult | None = None
    detail: str = ""  # the refusal's text, or the candidates of an ambiguous name


def contact_organizations(member: Member) -> set[int]:
    """Organisations the member is a contact of."""
    return {g.organization_id for g in member.grants
            if g.role == Role.CONTACT and g.organization_id is not None}


def may_proxy(member: Member) -> bool:
    """Contacts and admins may check others in."""
    return member.has_role(Role.ADMIN) or member.has_role(Role.CONTACT)


def _member_organizations(member_id: int) -> set[int]:
    return set(db.session.scalars(select(Membership.organization_id)
                                  .where(Membership.member_id == member_id)))


def match_names(tokens: list[str], organizations: set[int] | None
                ) -> dict[str, tuple[str, list[Member]]]:
    """For each typed name or userid: ("found" | "unknown" | "ambiguous", matches).

    Within `organizations` first (None: everywhere); a name found only outside them is
    returned as "outside" with its matches, so the caller can say it is not theirs."""
    found: dict[str, tuple[str, list[Member]]] = {}
    for token in tokens:
        by_userid = db.session.scalars(select(Member).where(Member.userid == token)).all()
        candidates = list(by_userid) or list(db.session.scalars(
            select(Member).where(Member.name == token,
                                 Member.status != MemberStatus.LEFT).order_by(Member.id)))
        inside = candidates if organizations is None else [
            m for m in candidates if _member_organizations(m.id) & organizations]
        if len(inside) == 1:
            found[token] = ("found", inside)
        elif len(inside) > 1:
            found[token] = ("ambiguous", inside)
        elif candidates:
            found[token] = ("outside", candidates)
        else:
            found[token] = ("unknown", [])
    return found


def proxy_check_in(proxy: Member, target: Target, tokens: list[str], now: datetime,
                   message_key: str, settings: ParticipationSettings | None = None
                   ) -> list[ProxyLine]:
    """代签: check in the named members for a contact (of their organisation) or an admin.

    The target must be open (CheckInError otherwise, nothing written); each name then gets
    its own outcome. The rows are flagged with `proxy_id`."""
    settings = settings or participation_settings()
    check_open(target, now, settings)
    organizations = None if proxy.has_role(Role.ADMIN) else contact_organizations(proxy)
    lines = []
    for token, (status, matches) in match_names(tokens, organizations).items():
        if status == "unknown":
            lines.append(ProxyLine(token, "unknown"))
        elif status == "ambiguous":
            lines.append(ProxyLine(token, "ambiguous", detail="、".join(
                f"{m.name} {m.userid}" for m in matches)))
        elif status == "outside":
            lines.append(ProxyLine(token, "not_yours", matches[0]))
        else:
            lines.append(_proxy_one(proxy, target, token, matches[0], now, message_key,
                                    settings))
    return lines


def _proxy_one(proxy: Member, target: Target, token: str, member: Member, now: datetime,
               message_key: str, settings: ParticipationSettings) -> ProxyLine:
    try:
        result = check_in(member, target, now, f"{message_key}:{member.id}"[:255], proxy,
                          settings)
    except CheckInError as exc:
        return ProxyLine(token, "refused", member, detail=exc.text())
    return ProxyLine(token, "done" if result.new else "already", member, result)

