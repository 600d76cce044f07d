"""Live sessions (红色直播间): a viewer list imported from a spreadsheet becomes participations.

read the file (.xlsx, or .csv in UTF-8/GB18030) → check every row (nothing written unless the
whole file is valid) → match viewers to members by userid, or by name within an organisation
→ one LIVE ledger row per matched member (minutes watched credited as hours, up to the kind's).
Viewers not in the roster, or whose name is ambiguous, are counted and listed, never invented.
A session (title + start time) is imported once: a second import of it is refused.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

import clock
from content import live_texts as texts
from models import (
    Lecture,
    LiveSession,
    Member,
    Membership,
    Organization,
    Participation,
    ParticipationKind,
    audit,
    db,
)
from participation import ledger
from roster.sheet_read import Problem, SheetError, read_table

MAX_MINUTES = 24 * 60
TITLE_MAX = 200
TIME_FORMAT = "%Y-%m-%d %H:%M"
LOOKUP_CHUNK = 10_000  # userids per lookup
LINK_WINDOW = timedelta(days=7)  # a session is linked to a lecture this close to its start
LECTURE_CHOICES = 50


class LiveError(ValueError):
    """An import that cannot run (bad title, time or lecture, a session imported before).

    `reason` names what is wrong for the console to say in Chinese: "title", "time",
    "lecture", "far" (a lecture too far from the session's time), "imported" (with the
    session's id when known)."""

    def __init__(self, message: str, reason: str = "", session_id: int | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.session_id = session_id


@dataclass(frozen=True)
class Viewer:
    """One valid row of the viewer list."""

    row: int
    userid: str
    name: str
    organization: str
    minutes: float

    def label(self) -> str:
        """Who the row names, as the summary shows it."""
        if self.userid:
            return texts.VIEWER_USERID.format(userid=self.userid)
        return texts.VIEWER.format(name=self.name, org=self.organization or "-")


@dataclass(frozen=True)
class Unmatched:
    """A viewer counted but not matched to a member, and why."""

    row: int
    viewer: str
    reason: str


@dataclass
class Matching:
    """Matched members (minutes summed over their rows) and the viewers left unmatched."""

    minutes: dict[int, float] = field(default_factory=dict)
    rows: dict[int, list[int]] = field(default_factory=dict)
    unmatched: list[Unmatched] = field(default_factory=list)

    def add(self, member_id: int, viewer: Viewer) -> None:
        """Credit a member with one row's minutes."""
        self.minutes[member_id] = round(self.minutes.get(member_id, 0.0) + viewer.minutes, 2)
        self.rows.setdefault(member_id, []).append(viewer.row)


def _normal(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def _cell(row: int, column: str, message: str) -> Problem:
    return Problem(texts.CELL_PROBLEM.format(row=row, column=texts.HEADERS[column],
                                             message=message), row, column)


def parse_minutes(text: str) -> float | None:
    """Minutes watched from "45", "45.5", "45分钟"; None when not 0 to MAX_MINUTES."""
    value = _normal(text).removesuffix("分钟").removesuffix("分")
    try:
        minutes = float(value)
    except ValueError:
        return None
    if not math.isfinite(minutes) or not 0 <= minutes <= MAX_MINUTES:
        return None
    return round(minutes, 2)


def _columns(header: list[str], row: int) -> dict[str, int]:
    """Column key → position; SheetError for unknown, repeated or missing columns."""
    ignored = {_normal(word) for word in texts.IGNORED_HEADERS}
    positions: dict[str, int] = {}
    problems: list[Problem] = []
    for position, text in enumerate(header):
        word = _normal(text)
        if not word or word in ignored:
            continue
        key = texts.HEADER_WORDS.get(word)
        if key is None:
            problems.append(Problem(texts.UNKNOWN_HEADER.format(row=row, position=position + 1,
                                                                value=text), row))
        elif key in positions:
            problems.append(Problem(texts.HEADER_TWICE.format(row=row,
                                                              column=texts.HEADERS[key]), row))
        else:
            positions[key] = position
    if "minutes" not in positions:
        problems.append(Problem(texts.MINUTES_MISSING.format(row=row), row))
    if "userid" not in positions and not {"name", "organization"} <= positions.keys():
        problems.append(Problem(texts.WHO_MISSING.format(row=row), row))
    if problems:
        raise SheetError(problems)
    return positions


def parse_viewers(table: list[list[str]], name: str = "") -> list[Viewer]:
    """Every row of a viewer list, checked; SheetError listing every problem by row."""
    header_index = next((i for i, row in enumerate(table) if any(row)), None)
    if header_index is None:
        raise SheetError([Problem(texts.NO_VIEWERS.format(name=name))])
    positions = _columns(table[header_index], header_index + 1)
    viewers: list[Viewer] = []
    problems: list[Problem] = []
    for index in range(header_index + 1, len(table)):
        values, number = table[index], index + 1
        if not any(values):
            continue
        cells = {key: values[pos].strip() if pos < len(values) else ""
                 for key, pos in positions.items()}
        userid, who, org = cells.get("userid", ""), cells.get("name", ""), cells.get(
            "organization", "")
        if not userid and not who:
            problems.append(Problem(texts.ROW_PROBLEM.format(row=number,
                                                             message=texts.NO_IDENTITY), number))
        text = cells["minutes"]
        minutes = parse_minutes(text) if text else None
        if not text:
            problems.append(_cell(number, "minutes", texts.EMPTY_MINUTES))
        elif minutes is None:
            problems.append(_cell(number, "minutes", texts.BAD_MINUTES.format(
                value=text, limit=MAX_MINUTES)))
        if minutes is not None and (userid or who):
            viewers.append(Viewer(number, userid, who, org, minutes))
    if not problems and not viewers:
        problems.append(Problem(texts.NO_VIEWERS.format(name=name)))
    if problems:
        raise SheetError(problems)
    return viewers


def read_viewers(path: Path) -> list[Viewer]:
    """Read and check a viewer list file; SheetError with every problem."""
    return parse_viewers(read_table(path), path.name)


def _organizations(names: Iterable[str]) -> dict[str, list[Organization]]:
    found: dict[str, list[Organization]] = {}
    wanted = set(names)
    if wanted:
        for org in db.session.scalars(select(Organization).where(Organization.name.in_(wanted))
                                      .order_by(Organization.id)):
            found.setdefault(org.name, []).append(org)
    for name, orgs in found.items():  # two of one name: the active ones, if any are
        if len(orgs) > 1:
            found[name] = [org for org in orgs if org.active] or orgs
    return found


def match_viewers(viewers: list[Viewer]) -> Matching:
    """Match each viewer to a member by userid, or by name within the named organisation."""
    userids = sorted({v.userid for v in viewers if v.userid})
    by_userid: dict[str, int] = {}
    for start in range(0, len(userids), LOOKUP_CHUNK):  # a driver takes <= 65,535 binds
        by_userid.update((uid, mid) for uid, mid in db.session.execute(
            select(Member.userid, Member.id)
            .where(Member.userid.in_(userids[start:start + LOOKUP_CHUNK]))))
    orgs = _organizations(v.organization for v in viewers if not v.userid and v.organization)
    org_ids = [o.id for found in orgs.values() if len(found) == 1 for o in found]
    by_name: dict[tuple[int, str], list[int]] = {}
    if org_ids:
        for org_id, name, member_id in db.session.execute(
                select(Membership.organization_id, Member.name, Member.id)
                .join(Member, Member.id == Membership.member_id)
                .where(Membership.organization_id.in_(org_ids))):
            by_name.setdefault((org_id, name), []).append(member_id)
    matching = Matching()
    for viewer in viewers:
        reason, member_id = _match(viewer, by_userid, orgs, by_name)
        if member_id is not None:
            matching.add(member_id, viewer)
        else:
            matching.unmatched.append(Unmatched(viewer.row, viewer.label(), reason))
    return matching


def _match(viewer: Viewer, by_userid: dict[str, int], orgs: dict[str, list[Organization]],
           by_name: dict[tuple[int, str], list[int]]) -> tuple[str, int | None]:
    """The member a viewer is, or why none can be chosen."""
    if viewer.userid:
        member_id = by_userid.get(viewer.userid)
        return (texts.NOT_IN_ROSTER.format(userid=viewer.userid), None) if member_id is None \
            else ("", member_id)
    if not viewer.organization:
        return texts.NO_ORGANIZATION.format(name=viewer.name), None
    found = orgs.get(viewer.organization, [])
    if not found:
        return texts.UNKNOWN_ORG.format(org=viewer.organization), None
    if len(found) > 1:
        return texts.AMBIGUOUS_ORG.format(count=len(found), org=viewer.organization), None
    members = by_name.get((found[0].id, viewer.name), [])
    if not members:
        return texts.NO_SUCH_MEMBER.format(org=viewer.organization, name=viewer.name), None
    if len(members) > 1:
        return texts.AMBIGUOUS_NAME.format(org=viewer.organization, count=len(members),
                                           name=viewer.name), None
    return "", members[0]


@dataclass
class LiveImport:
    """What an import did (or in a dry run would do)."""

    title: str
    starts_at: datetime
    viewers: int
    matched: int
    recorded: int
    unmatched: list[Unmatched]
    dry_run: bool
    session_id: int | None = None
    lecture_id: int | None = None
    lecture_viewers: int | None = None

    def lines(self) -> list[str]:
        """The summary, then every unmatched viewer (in Chinese, like the file's problems)."""
        local = clock.local(self.starts_at).strftime(TIME_FORMAT)
        summary = texts.SUMMARY.format(title=self.title, time=local, viewers=self.viewers,
                                       matched=self.matched, recorded=self.recorded,
                                       unmatched=len(self.unmatched))
        out = [(texts.DRY_RUN if self.dry_run else "") + summary]
        if self.lecture_id is not None and self.lecture_viewers is not None:
            out.append(texts.LECTURE_LINE.format(lecture=self.lecture_id,
                                                 viewers=self.lecture_viewers))
        if self.unmatched:
            out.append(texts.UNMATCHED_HEADING)
            out += [texts.UNMATCHED_LINE.format(row=u.row, viewer=u.viewer, reason=u.reason)
                    for u in self.unmatched]
        return out


def parse_start(text: str) -> datetime:
    """"YYYY-MM-DD HH:MM" on the committee's clock, as UTC; LiveError otherwise."""
    try:
        local = datetime.strptime(text.strip(), TIME_FORMAT)
    except ValueError as exc:
        raise LiveError(f"{text!r} is not a start time; use \"YYYY-MM-DD HH:MM\" "
                        "(the committee's local time)", "time") from exc
    return clock.from_wall(local)


def find_session(title: str, starts_at: datetime) -> LiveSession | None:
    """The session imported under this title and start time, or None."""
    return db.session.scalars(select(LiveSession).where(
        LiveSession.title == title, LiveSession.starts_at == starts_at)).first()


def check_title(title: str) -> None:
    """LiveError ("title") unless the (stripped) title has 1 to TITLE_MAX characters."""
    if not title or len(title) > TITLE_MAX:
        raise LiveError(f"a live session needs a title of 1 to {TITLE_MAX} characters", "title")


def check_session(title: str, starts_at: datetime, lecture_id: int | None = None
                  ) -> Lecture | None:
    """The lecture named (if any) when a session of this title and start may be imported;
    LiveError for a bad title, an unknown lecture or a session imported before."""
    check_title(title)
    lecture = None
    if lecture_id is not None:
        lecture = db.session.get(Lecture, lecture_id)
        if lecture is None:
            raise LiveError(f"no lecture {lecture_id}", "lecture")
    previous = find_session(title, starts_at)
    if previous is not None:
        raise LiveError(
            f"live session {previous.id} \"{title}\" at "
            f"{clock.local(starts_at):{TIME_FORMAT}} was imported already "
            f"(from {previous.source_file or 'a file'} by {previous.imported_by}); a session is "
            "imported once, so nobody is counted twice", "imported", previous.id)
    return lecture


def _lecture_viewers(lecture: Lecture) -> int:
    """The viewers of every session imported for the lecture (人次)."""
    return int(db.session.scalar(select(func.coalesce(func.sum(LiveSession.viewers), 0))
                                 .where(LiveSession.lecture_id == lecture.id)) or 0)


def import_live(path: Path, title: str, starts_at: datetime, actor: str,
                lecture_id: int | None = None, dry_run: bool = False) -> LiveImport:
    """Check and import a viewer list (no commit); LiveError or SheetError writes nothing."""
    title = title.strip()
    lecture = check_session(title, starts_at, lecture_id)
    viewers = read_viewers(path)
    matching = match_viewers(viewers)
    result = LiveImport(title, starts_at, len(viewers), len(matching.minutes), 0,
                        matching.unmatched, dry_run, lecture_id=lecture_id)
    if dry_run:  # a session is new, so each matched member would get its one ledger row
        result.recorded = result.matched
        if lecture is not None:
            result.lecture_viewers = _lecture_viewers(lecture) + len(viewers)
        return result
    session = LiveSession(title=title, starts_at=starts_at, lecture_id=lecture_id,
                          viewers=len(viewers), unmatched_viewers=len(matching.unmatched),
                          source_file=path.name[:300], imported_by=actor)
    db.session.add(session)
    try:
        db.session.flush()
    except IntegrityError as exc:  # another import of this session committed after our check
        db.session.rollback()
        raise LiveError(f"live session \"{title}\" at "
                        f"{clock.local(starts_at):{TIME_FORMAT}} was imported already, "
                        "by an import running at the same time; nothing was written",
                        "imported") from exc
    result.recorded = len(ledger.record_many(
        (ledger.Credit(member_id, minutes / 60,
                       {"minutes": minutes, "rows": matching.rows[member_id]})
         for member_id, minutes in matching.minutes.items()),
        ParticipationKind.LIVE, f"live:{session.id}", starts_at))
    if lecture is not None:
        lecture.live_viewers = result.lecture_viewers = _lecture_viewers(lecture)
    result.session_id = session.id
    audit(actor, "live.import", f"live {session.id}", title=title,
          starts_at=starts_at.isoformat(), file=path.name, viewers=result.viewers,
          matched=result.matched, unmatched=len(result.unmatched), recorded=result.recorded,
          lecture=lecture_id)
    return result


def credited(session_ids: Iterable[int] | None = None) -> dict[int, int]:
    """The members credited for each session (all sessions, or the ones named)."""
    query = (select(Participation.source, func.count())
             .where(Participation.kind == ParticipationKind.LIVE)
             .group_by(Participation.source))
    if session_ids is not None:
        query = query.where(Participation.source.in_([f"live:{i}" for i in session_ids]))
    found = {}
    for source, count in db.session.execute(query):
        number = str(source).removeprefix("live:")
        if number.isdecimal():
            found[int(number)] = int(count)
    return found


def newest_first() -> Select[tuple[LiveSession]]:
    """Every imported session, the latest start first."""
    return select(LiveSession).order_by(LiveSession.starts_at.desc(), LiveSession.id.desc())


def sessions() -> list[tuple[LiveSession, int]]:
    """Every imported session, newest first, with the members credited for it."""
    counts = credited()
    return [(row, counts.get(row.id, 0)) for row in db.session.scalars(newest_first())]


def lectures_near(starts_at: datetime, limit: int = LECTURE_CHOICES) -> list[Lecture]:
    """The lectures starting within LINK_WINDOW of a session's start, the closest first."""
    found = db.session.scalars(
        select(Lecture).options(selectinload(Lecture.topic), selectinload(Lecture.lecturer))
        .where(Lecture.starts_at >= starts_at - LINK_WINDOW,
               Lecture.starts_at <= starts_at + LINK_WINDOW)
        .order_by(Lecture.starts_at, Lecture.id).limit(limit * 4)).all()
    return sorted(found, key=lambda lecture: (abs(lecture.starts_at - starts_at),
                                              lecture.id))[:limit]


def _set_lecture_viewers(lecture_id: int | None) -> int | None:
    """Store the lecture's live viewers as the sum over its sessions (None when it has none)."""
    if lecture_id is None:
        return None
    lecture = db.session.get(Lecture, lecture_id)
    if lecture is None:
        return None
    db.session.flush()
    has_sessions = db.session.scalar(select(func.count()).select_from(LiveSession)
                                     .where(LiveSession.lecture_id == lecture_id))
    lecture.live_viewers = _lecture_viewers(lecture) if has_sessions else None
    return lecture.live_viewers


def link_lecture(session: LiveSession, lecture_id: int | None, actor: str) -> bool:
    """Link the session to the lecture it streamed (None: unlink), within LINK_WINDOW of its
    start; both lectures' live viewers recounted, audited. False when nothing changed;
    LiveError ("lecture", "far") when the lecture cannot be chosen (no commit)."""
    before = session.lecture_id
    if lecture_id == before:
        return False
    if lecture_id is not None:
        lecture = db.session.get(Lecture, lecture_id)
        if lecture is None:
            raise LiveError(f"no lecture {lecture_id}", "lecture")
        if abs(lecture.starts_at - session.starts_at) > LINK_WINDOW:
            raise LiveError(f"lecture {lecture_id} is more than {LINK_WINDOW.days} days from "
                            "the session", "far")
    session.lecture_id = lecture_id
    viewers = {"before": _set_lecture_viewers(before), "after": _set_lecture_viewers(lecture_id)}
    audit(actor, "live.link", f"live {session.id}", title=session.title,
          before={"lecture": before}, after={"lecture": lecture_id},
          lecture_viewers=viewers)
    return True
