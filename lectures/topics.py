"""The lecture menu (宣讲菜单): content/topics.yaml, checked whole, synced by slug.

The file is a YAML list of topics. Every topic is checked, and every lecturer looked up in
the roster, before anything is written; each problem names the file and the line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select

from bot.fields import Invalid, Problem, ProblemsError, SyncResult, slug
from bot.fields import text as text_field
from models import LectureMode, Member, Role, Topic, TopicLecturer, db
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
        raise Invalid(f"{value!r} is not a whole number from {low} to {high}")
    return value


def _modes(value: Any) -> list[str]:
    if (not isinstance(value, list) or not value
            or not all(isinstance(m, str) and m in MODES for m in value)):
        raise Invalid(f"must be a non-empty list of {', '.join(MODES)}, e.g. [offline, live]")
    if len(set(value)) != len(value):
        raise Invalid("lists a mode twice")
    return [m for m in MODES if m in value]  # always in the same order


def _lecturers(value: Any) -> list[str]:
    if (not isinstance(value, list) or not value
            or not all(isinstance(u, str | int) and str(u).strip() for u in value)):
        raise Invalid("must be a non-empty list of WeCom userids, e.g. [liuyang]")
    userids = [str(u).strip() for u in value]
    if len(set(userids)) != len(userids):
        raise Invalid("lists a lecturer twice")
    return userids


CHECKS: dict[str, Callable[[Any], Any]] = {
    "slug": slug, "title": text_field(200), "summary": text_field(500), "category": text_field(50),
    "minutes": _minutes, "modes": _modes, "lecturers": _lecturers,
}


def _entry(where: str, loader: yaml.SafeLoader, node: yaml.Node,
           problems: list[Problem]) -> TopicEntry | None:
    """One topic from its mapping node; None (and problems) when anything is wrong."""
    start = node.start_mark.line + 1
    if not isinstance(node, yaml.MappingNode):
        problems.append(Problem(where, start, "expected a topic (slug: ..., title: ...)"))
        return None
    values: dict[str, Any] = {}
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
        try:
            values[name] = CHECKS[name](loader.construct_object(value_node, deep=True))
        except Invalid as exc:
            problems.append(Problem(where, line, f"{name}: {exc}"))
    problems.extend(Problem(where, start, f"missing field {name!r}")
                    for name in REQUIRED if name not in lines)
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


def _lecturer_ids(where: str, entries: list[TopicEntry]) -> dict[str, int]:
    """Member id of every listed lecturer; TopicsError names each one not usable."""
    wanted = {u for entry in entries for u in entry.lecturers}
    members = {m.userid: m for m in db.session.scalars(
        select(Member).where(Member.userid.in_(wanted)))}
    problems: list[Problem] = []
    for entry in entries:
        line = entry.lines["lecturers"]
        for userid in entry.lecturers:
            member = members.get(userid)
            if member is None:
                problems.append(Problem(where, line, f"lecturer {userid!r} is not in the roster"))
            elif not member.is_active:
                problems.append(Problem(where, line, f"lecturer {userid!r} is not active"))
            elif not member.has_role(Role.LECTURER):
                problems.append(Problem(where, line,
                                        f"{userid!r} does not hold the lecturer role"))
    if problems:
        raise TopicsError(problems)
    return {userid: member.id for userid, member in members.items()}


def _apply(topic: Topic, entry: TopicEntry, member_ids: list[int]) -> bool:
    """Make the row say what the file says; True if anything changed."""
    columns = {"title": entry.title, "summary": entry.summary, "category": entry.category,
               "minutes": entry.minutes, "modes": entry.modes, "active": True}
    changed = any(getattr(topic, name) != value for name, value in columns.items())
    for name, value in columns.items():
        setattr(topic, name, value)
    current = {link.member_id for link in topic.lecturers}
    if current != set(member_ids):
        changed = True
        topic.lecturers[:] = [link for link in topic.lecturers if link.member_id in member_ids]
        topic.lecturers.extend(TopicLecturer(member_id=mid) for mid in member_ids
                               if mid not in current)
    return changed


def sync_topics(path: Path = TOPICS_FILE) -> SyncResult:
    """Upsert every topic by slug with exactly its lecturers (all or nothing); retire others."""
    entries = load_topics(path)
    ids = _lecturer_ids(display_path(path), entries)
    existing = {t.slug: t for t in db.session.scalars(select(Topic))}
    result = SyncResult()
    for entry in entries:
        member_ids = [ids[userid] for userid in entry.lecturers]
        topic = existing.pop(entry.slug, None)
        if topic is None:
            topic = Topic(slug=entry.slug)
            db.session.add(topic)
            _apply(topic, entry, member_ids)
            result.added += 1
        elif _apply(topic, entry, member_ids):
            result.updated += 1
        else:
            result.unchanged += 1
    for topic in existing.values():  # never deleted: orders point at them
        if topic.active:
            topic.active = False
            result.deactivated += 1
    db.session.flush()
    return result


def active_topics() -> list[Topic]:
    """The menu as contacts see it: active topics in the order they were added."""
    return list(db.session.scalars(select(Topic).where(Topic.active).order_by(Topic.id)))
