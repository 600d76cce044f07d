"""The lecture menu edited in the console: create, edit, retire and restore a topic.

Every write goes through the checks content/topics.yaml goes through (lectures.topics:
`check_fields` for the fields, `lecturer_problem` for each lecturer), writes nothing when any
field is wrong, marks the topic edited (so `topics sync` leaves it alone) and is audited with
what the topic said before and after.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select

from bot.fields import Invalid
from content.titles import quoted
from lectures.topics import check_fields, lecturer_problem, roster_members, set_lecturers, snapshot
from models import Member, Topic, audit, db

COLUMNS = ("title", "category", "minutes", "modes", "summary")


class TopicFormError(Exception):
    """The form cannot be saved; carries each field's problems (nothing was written)."""

    def __init__(self, problems: dict[str, list[Invalid]]) -> None:
        super().__init__("; ".join(f"{name}: {exc}" for name, found in problems.items()
                                   for exc in found))
        self.problems = problems


def target(topic: Topic) -> str:
    """How audit rows name a topic."""
    return f"topic {topic.slug}"


def as_raw(topic: Topic) -> dict[str, Any]:
    """A stored topic as the fields the checks take (an empty summary is left out)."""
    raw: dict[str, Any] = {"slug": topic.slug, "title": topic.title, "category": topic.category,
                           "minutes": topic.minutes, "modes": list(topic.modes or []),
                           "lecturers": [link.member.userid for link in topic.lecturers]}
    if topic.summary:
        raw["summary"] = topic.summary
    return raw


def checked(raw: Mapping[str, Any], new: bool) -> tuple[dict[str, Any], list[Member]]:
    """The clean values and the lecturers' members of a topic's fields; TopicFormError with
    every field's problems. A new topic's slug must not be taken."""
    values, wrong = check_fields(raw)
    problems = {name: [exc] for name, exc in wrong.items()}
    members: list[Member] = []
    if "lecturers" in values:
        found = roster_members(values["lecturers"])
        refused = [problem for userid in values["lecturers"]
                   if (problem := lecturer_problem(userid, found.get(userid))) is not None]
        if refused:
            problems["lecturers"] = refused
        members = [found[userid] for userid in values["lecturers"] if userid in found]
    if new and "slug" in values:
        other = db.session.scalars(select(Topic).where(Topic.slug == values["slug"])).first()
        if other is not None:
            problems["slug"] = [Invalid(f"slug {values['slug']!r} is taken", "slug_taken",
                                        title=quoted(other.title))]
    if problems:
        raise TopicFormError(problems)
    return values, members


def created_with(key: str) -> Topic | None:
    """The topic a create form with this key already made, if any."""
    return db.session.scalars(select(Topic).where(Topic.create_key == key)).first()


def create_topic(raw: Mapping[str, Any], actor: str, key: str, now: datetime) -> Topic:
    """A new active topic from the form, once per form key (a resubmitted form returns the
    topic it made); TopicFormError when any field is wrong."""
    made = created_with(key)
    if made is not None:
        return made
    values, members = checked(raw, new=True)
    topic = Topic(slug=values["slug"], title=values["title"], category=values["category"],
                  minutes=values["minutes"], modes=values["modes"],
                  summary=values.get("summary", ""), active=True, edited_at=now,
                  create_key=key)
    db.session.add(topic)
    set_lecturers(topic, members)
    db.session.flush()
    audit(actor, "topic.create", target(topic), before=None, after=snapshot(topic))
    return topic


def update_topic(topic: Topic, raw: Mapping[str, Any], actor: str, now: datetime) -> bool:
    """Save the form over the topic (its slug stays); True if anything changed.
    TopicFormError when any field is wrong."""
    values, members = checked({**raw, "slug": topic.slug}, new=False)
    before = snapshot(topic)
    for name in COLUMNS:
        setattr(topic, name, values.get(name, ""))
    set_lecturers(topic, members)
    after = snapshot(topic)
    if after == before:
        return False
    topic.edited_at = now
    audit(actor, "topic.edit", target(topic), before=before, after=after)
    return True


def retire_topic(topic: Topic, actor: str, now: datetime) -> bool:
    """下架: off the menu (kept, orders point at it); False if it was retired already."""
    if not topic.active:
        return False
    before = snapshot(topic)
    topic.active = False
    topic.edited_at = now
    audit(actor, "topic.retire", target(topic), before=before, after=snapshot(topic))
    return True


def restore_topic(topic: Topic, actor: str, now: datetime) -> bool:
    """恢复: back on the menu, checked as an edit is (a lecturer may have lost the role since);
    False if it was active already. TopicFormError when it no longer passes the checks."""
    if topic.active:
        return False
    checked(as_raw(topic), new=False)
    before = snapshot(topic)
    topic.active = True
    topic.edited_at = now
    audit(actor, "topic.restore", target(topic), before=before, after=snapshot(topic))
    return True
