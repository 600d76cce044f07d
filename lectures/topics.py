"""The lecture menu (宣讲菜单): the checks of a topic, and content/topics.yaml synced by slug.

The file is a YAML list of topics. Every topic is checked, and every lecturer looked up in
the roster, before anything is written; each problem names the file and the line. The
console's topic form goes through the same checks (`check_fields`, `lecturer_problem`).

The console edits topics too. A sync leaves alone a topic edited in the console since the
file last wrote it (reported; `force` overwrites it), and never retires a topic the file
never wrote (created in the console) for not being in the file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from bot.fields import Invalid, Kept, Problem, ProblemsError, SyncResult, slug
from bot.fields import text as text_field
from models import LectureMode, Member, Role, Topic, TopicLecturer, db, utcnow
from study.library import display_path

TOPICS_FILE = Path(__file__).resolve().parents[1] / "content" / "topics.yaml"
REQUIRED = ("slug", "title", "category", "minutes", "modes", "lecturers")
MINUTES = (15, 240)
MODES = tuple(LectureMode)


class TopicsError(ProblemsError):
    """The menu cannot be synced; carries every problem found."""


@dataclass
class TopicEntry:
    """One checked topic of the file, with the line of each field."""

    slug: str
    title: str
    category: str
    minutes: int
    modes: list[str]
    lecturers: list[str]
    summary: str = ""
    line: int = 1
    lines: dict[str, int] = field(default_factory=dict)


def _minutes(value: Any) -> int:
    low, high = MINUTES
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise Invalid(f"{value!r} is not a whole number from {low} to {high}", "minutes",
                      low=low, high=high)
    return value


def _modes(value: Any) -> list[str]:
    if (not isinstance(value, list) or not value
            or not all(isinstance(m, str) and m in MODES for m in value)):
        raise Invalid(f"must be a non-empty list of {', '.join(MODES)}, e.g. [offline, live]",
                      "modes")
    if len(set(value)) != len(value):
        raise Invalid("lists a mode twice", "mode_twice")
    return [m for m in MODES if m in value]  # always in the same order


def _lecturers(value: Any) -> list[str]:
    if (not isinstance(value, list) or not value
            or not all(isinstance(u, str | int) and str(u).strip() for u in value)):
        raise Invalid("must be a non-empty list of WeCom userids, e.g. [liuyang]", "lecturers")
    userids = [str(u).strip() for u in value]
    if len(set(userids)) != len(userids):
        raise Invalid("lists a lecturer twice", "lecturer_twice")
    return userids


CHECKS: dict[str, Callable[[Any], Any]] = {
    "slug": slug, "title": text_field(200), "summary": text_field(500), "category": text_field(50),
    "minutes": _minutes, "modes": _modes, "lecturers": _lecturers,
}


def check_fields(raw: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Invalid]]:
    """Check a topic's given fields (known names only) and that the required ones are there:
    the clean values, and each wrong or missing field's problem, in the order given."""
    values: dict[str, Any] = {}
    problems: dict[str, Invalid] = {}
    for name, value in raw.items():
        try:
            values[name] = CHECKS[name](value)
        except Invalid as exc:
            problems[name] = exc
    for name in REQUIRED:
        if name not in raw:
            problems[name] = Invalid(f"missing field {name!r}", "missing")
    return values, problems


def roster_members(userids: Iterable[str]) -> dict[str, Member]:
    """The roster's members of these userids (with their roles), by userid."""
    wanted = set(userids)
    if not wanted:
        return {}
    return {m.userid: m for m in db.session.scalars(
        select(Member).where(Member.userid.in_(wanted)).options(selectinload(Member.grants)))}


def lecturer_problem(userid: str, member: Member | None) -> Invalid | None:
    """Why this userid cannot offer a topic (not in the roster, not active, not a lecturer),
    or None when it can."""
    if member is None:
        return Invalid(f"lecturer {userid!r} is not in the roster", "not_in_roster",
                       userid=userid, name=userid)
    if not member.is_active:
        return Invalid(f"lecturer {userid!r} is not active", "inactive", userid=userid,
                       name=member.name)
    if not member.has_role(Role.LECTURER):
        return Invalid(f"{userid!r} does not hold the lecturer role", "not_lecturer",
                       userid=userid, name=member.name)
    return None


def _entry(where: str, loader: yaml.SafeLoader, node: yaml.Node,
           problems: list[Problem]) -> TopicEntry | None:
    """One topic from its mapping node; None (and problems) when anything is wrong."""
    start = node.start_mark.line + 1
    if not isinstance(node, yaml.MappingNode):
        problems.append(Problem(where, start, "expected a topic (slug: ..., title: ...)"))
        return None
    raw: dict[str, Any] = {}
    lines: dict[str, int] = {}
    found = len(problems)
    for key_node, value_node in node.value:
        name = str(loader.construct_object(key_node, deep=True))
        line = key_node.start_mark.line + 1
        if name in lines:
            problems.append(Problem(where, line, f"field {name!r} given twice"))
            continue
        lines[name] = line
        if name not in CHECKS:
            problems.append(Problem(where, line, f"unknown field {name!r}"))
            continue
        raw[name] = loader.construct_object(value_node, deep=True)
    values, wrong = check_fields(raw)
    for name, exc in wrong.items():
        message = str(exc) if exc.reason == "missing" else f"{name}: {exc}"
        problems.append(Problem(where, lines.get(name, start), message))
    if len(problems) > found:
        return None
    return TopicEntry(line=start, lines=lines, **values)


def load_topics(path: Path = TOPICS_FILE) -> list[TopicEntry]:
    """Every topic of the file, checked; TopicsError with every problem."""
    where = display_path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise TopicsError([Problem(where, 1, "no such file")]) from None
    except UnicodeDecodeError:
        raise TopicsError([Problem(where, 1, "not UTF-8 text")]) from None
    loader = yaml.SafeLoader(text)
    problems: list[Problem] = []
    entries: list[TopicEntry] = []
    try:
        root = loader.get_single_node()
        if root is None or not isinstance(root, yaml.SequenceNode) or not root.value:
            line = root.start_mark.line + 1 if root is not None else 1
            raise TopicsError([Problem(where, line, "expected a list of topics (- slug: ...)")])
        for node in root.value:
            entry = _entry(where, loader, node, problems)
            if entry is not None:
                entries.append(entry)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        reason = getattr(exc, "problem", None) or str(exc)
        raise TopicsError([Problem(where, mark.line + 1 if mark else 1, reason)]) from None
    finally:
        loader.dispose()
    seen: dict[str, TopicEntry] = {}
    for entry in entries:
        first = seen.setdefault(entry.slug, entry)
        if first is not entry:
            problems.append(Problem(where, entry.lines["slug"],
                                    f"duplicate slug {entry.slug!r} (also on line {first.line})"))
    if problems:
        raise TopicsError(sorted(problems, key=lambda p: p.line))
    return entries


def _lecturer_members(where: str, entries: list[TopicEntry]) -> dict[str, Member]:
    """Every listed lecturer's member, by userid; TopicsError names each one not usable."""
    members = roster_members(u for entry in entries for u in entry.lecturers)
    problems: list[Problem] = []
    for entry in entries:
        line = entry.lines["lecturers"]
        for userid in entry.lecturers:
            problem = lecturer_problem(userid, members.get(userid))
            if problem is not None:
                problems.append(Problem(where, line, str(problem)))
    if problems:
        raise TopicsError(problems)
    return members


def snapshot(topic: Topic) -> dict[str, Any]:
    """What a topic says, as audit rows record it before and after a change."""
    return {"slug": topic.slug, "title": topic.title, "category": topic.category,
            "minutes": topic.minutes, "modes": list(topic.modes or []),
            "summary": topic.summary or "", "active": topic.active,
            "lecturers": [link.member.userid for link in topic.lecturers
                          if link.member is not None]}


def set_lecturers(topic: Topic, members: list[Member]) -> bool:
    """Give the topic exactly these lecturers; True if that changed anything."""
    current = {link.member_id for link in topic.lecturers}
    wanted = {member.id for member in members}
    if current == wanted:
        return False
    topic.lecturers[:] = [link for link in topic.lecturers if link.member_id in wanted]
    topic.lecturers.extend(TopicLecturer(member_id=member.id, member=member)
                           for member in members if member.id not in current)
    return True


def _file_columns(entry: TopicEntry) -> dict[str, Any]:
    return {"title": entry.title, "summary": entry.summary, "category": entry.category,
            "minutes": entry.minutes, "modes": entry.modes, "active": True}


def _differs(topic: Topic, entry: TopicEntry, members: list[Member]) -> bool:
    """True when the row does not say what the file says."""
    return (any(getattr(topic, name) != value for name, value in _file_columns(entry).items())
            or {link.member_id for link in topic.lecturers} != {m.id for m in members})


def _apply(topic: Topic, entry: TopicEntry, members: list[Member]) -> None:
    """Make the row say what the file says."""
    for name, value in _file_columns(entry).items():
        setattr(topic, name, value)
    set_lecturers(topic, members)


@dataclass
class TopicSync(SyncResult):
    """A menu sync's counts, the topics left alone (conflicts) and those forced over."""

    kept: list[Kept] = field(default_factory=list)
    forced: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)


def sync_topics(path: Path = TOPICS_FILE, force: bool = False) -> TopicSync:
    """Upsert every topic by slug with exactly its lecturers (all or nothing); retire the
    file's others. Topics edited in the console since their last import are kept (listed)
    unless `force`; topics created in the console are never retired."""
    entries = load_topics(path)
    lecturers = _lecturer_members(display_path(path), entries)
    existing = {t.slug: t for t in db.session.scalars(
        select(Topic).options(selectinload(Topic.lecturers).selectinload(TopicLecturer.member)))}
    now = utcnow()
    result = TopicSync()
    for entry in entries:
        members = [lecturers[userid] for userid in entry.lecturers]
        topic = existing.pop(entry.slug, None)
        if topic is None:
            topic = Topic(slug=entry.slug, imported_at=now)
            db.session.add(topic)
            _apply(topic, entry, members)
            result.added += 1
        elif not _differs(topic, entry, members):
            if topic.edited_since_import:
                topic.imported_at = now  # the file now says what the console did
            result.unchanged += 1
        elif topic.edited_since_import and not force:
            result.kept.append(Kept(topic.slug, retire=False))
        else:
            before = snapshot(topic) if topic.edited_since_import else None
            _apply(topic, entry, members)
            topic.imported_at = now
            result.updated += 1
            if before is not None:
                result.forced.append((before, snapshot(topic)))
    for topic in existing.values():  # never deleted: orders point at them
        if topic.imported_at is None or not topic.active:
            continue  # created in the console, or retired already
        if topic.edited_since_import and not force:
            result.kept.append(Kept(topic.slug, retire=True))
            continue
        before = snapshot(topic) if topic.edited_since_import else None
        topic.active = False
        topic.imported_at = now
        result.deactivated += 1
        if before is not None:
            result.forced.append((before, snapshot(topic)))
    db.session.flush()
    return result


def active_topics() -> list[Topic]:
    """The menu as contacts see it: active topics in the order they were added."""
    return list(db.session.scalars(select(Topic).where(Topic.active).order_by(Topic.id)))
