"""Trainings (培训班) as admins run them: create one, enrol members (all or none of a list),
take an enrolment back before any attendance, schedule its sessions (activities of kind
training with a check-in code).

Everything writes in the caller's transaction and never commits; every change is audited
("training.create", "training.enrol", "training.unenrol", "training.session"). Refused input
raises TrainingError (one reason, Chinese text in content.training_texts.ERRORS) or
EnrolProblems (the names that could not be enrolled), and nothing is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select

import clock
from bot.outbox import Outbox
from bot.refusal import Refusal
from checkins.codes import new_checkin_code
from checkins.proxy import match_names
from content import training_texts as texts
from content.titles import quoted
from models import (
    Activity,
    ActivityKind,
    CheckIn,
    Member,
    MemberStatus,
    OutboundMessage,
    ParticipationKind,
    Training,
    TrainingEnrolment,
    TrainingKind,
    audit,
    db,
)
from participation.settings import participation_settings

MAX_TITLE = 200
MAX_PLACE = 100
MAX_SESSION_TITLE = 100  # a session's own name, after the training's title
MAX_PLANNED = 100  # sessions planned for one training
MAX_ENROL = 200  # names in one enrolment form
NAME_SPLIT = re.compile(r"[\s,，、;；]+")


class TrainingError(Refusal):
    """Refused training input; `reason` keys content.training_texts.ERRORS."""

    ERRORS = texts.ERRORS


@dataclass
class EnrolProblems(ValueError):
    """Names of an enrolment list that cannot be enrolled; nothing of the list was written."""

    unknown: list[str] = field(default_factory=list)
    ambiguous: dict[str, list[Member]] = field(default_factory=dict)
    inactive: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.unknown or self.ambiguous or self.inactive)

    def lines(self) -> list[str]:
        """One Chinese line per refused name."""
        found = [texts.NAME_UNKNOWN.format(name=name) for name in self.unknown]
        found += [texts.NAME_AMBIGUOUS.format(name=name, candidates="、".join(
            f"{m.name} {m.userid}" for m in members)) for name, members in self.ambiguous.items()]
        found += [texts.NAME_INACTIVE.format(name=name) for name in self.inactive]
        return found


@dataclass(frozen=True)
class Enrolled:
    """The outcome of an enrolment list: the members enrolled now and those enrolled before."""

    new: list[Member]
    already: list[Member]


def hours_cap() -> float:
    """The most study hours one session may credit (the ledger's cap of a training session)."""
    return float(participation_settings().hours.get(ParticipationKind.TRAINING, 0.0))


def clean_title(text: str, limit: int = MAX_TITLE) -> str:
    """The title stripped; TrainingError when empty or too long."""
    value = " ".join((text or "").split())
    if not value:
        raise TrainingError("title_empty")
    if len(value) > limit:
        raise TrainingError("title_long", length=len(value), limit=limit)
    return value


def clean_place(text: str) -> str:
    """The place stripped (may be empty); TrainingError when too long."""
    value = " ".join((text or "").split())
    if len(value) > MAX_PLACE:
        raise TrainingError("place_long", length=len(value), limit=MAX_PLACE)
    return value


def check_training(kind: str, title: str, planned: int | None, hours: float | None,
                   starts_on: date | None, ends_on: date | None, place: str
                   ) -> dict[str, TrainingError]:
    """Every problem of a training's fields, by field name (empty: all good)."""
    problems: dict[str, TrainingError] = {}
    if kind not in set(TrainingKind):
        problems["kind"] = TrainingError("kind")
    for name, value, check in (("title", title, clean_title), ("place", place, clean_place)):
        try:
            check(value)
        except TrainingError as exc:
            problems[name] = exc
    if planned is None or not 1 <= planned <= MAX_PLANNED:
        problems["planned"] = TrainingError("planned", limit=MAX_PLANNED)
    cap = hours_cap()
    if hours is None or not 0 < hours <= cap:
        problems["hours"] = TrainingError("hours", limit=f"{cap:g}")
    if starts_on is None or ends_on is None:
        problems["dates"] = TrainingError("dates")
    elif ends_on < starts_on:
        problems["dates"] = TrainingError("dates_order")
    return problems


def create_training(kind: str, title: str, planned: int | None, hours: float | None,
                    starts_on: date | None, ends_on: date | None, place: str, actor: str,
                    form_key: str | None = None) -> Training:
    """A new training (audited); the first problem raised as TrainingError, nothing written."""
    problems = check_training(kind, title, planned, hours, starts_on, ends_on, place)
    if problems:
        raise next(iter(problems.values()))
    assert planned is not None and hours is not None
    assert starts_on is not None and ends_on is not None
    training = Training(kind=kind, title=clean_title(title), planned_sessions=planned,
                        session_hours=round(hours, 2), starts_on=starts_on, ends_on=ends_on,
                        place=clean_place(place), created_by=actor[:100], form_key=form_key)
    db.session.add(training)
    db.session.flush()
    audit(actor, "training.create", f"training:{training.id}", kind=kind, title=training.title,
          planned=planned, hours=float(training.session_hours), starts_on=str(starts_on),
          ends_on=str(ends_on))
    return training


def find(training_id: int) -> Training | None:
    """The training with this id, or None."""
    return db.session.get(Training, training_id)


def split_tokens(text: str) -> list[str]:
    """The names or userids of a pasted list, in order, each once."""
    return list(dict.fromkeys(token for token in NAME_SPLIT.split(text or "") if token))


def enrolled_ids(training_id: int) -> set[int]:
    """The ids of the members enrolled in the training."""
    return set(db.session.scalars(select(TrainingEnrolment.member_id).where(
        TrainingEnrolment.training_id == training_id)))


def _members_of(tokens: list[str]) -> list[Member]:
    """The members the tokens name, or EnrolProblems listing every one that names none."""
    problems = EnrolProblems()
    members: list[Member] = []
    for token, (status, matches) in match_names(tokens, None).items():
        if status == "unknown":
            problems.unknown.append(token)
        elif status == "ambiguous":
            problems.ambiguous[token] = matches
        elif matches[0].status != MemberStatus.ACTIVE:
            problems.inactive.append(token)
        elif matches[0] not in members:
            members.append(matches[0])
    if problems:
        raise problems
    return members


def enrol(training: Training, text: str, actor: str, now: datetime) -> Enrolled:
    """Enrol the members a pasted list names (names or userids), all or none (audited).

    TrainingError for an empty or too long list; EnrolProblems when any name is unknown,
    ambiguous or of a member who left. Members enrolled before are reported, not doubled."""
    tokens = split_tokens(text)
    if not tokens:
        raise TrainingError("names_empty")
    if len(tokens) > MAX_ENROL:
        raise TrainingError("names_many", limit=MAX_ENROL, count=len(tokens))
    members = _members_of(tokens)
    before = enrolled_ids(training.id)
    new = [m for m in members if m.id not in before]
    for member in new:
        db.session.add(TrainingEnrolment(training_id=training.id, member_id=member.id,
                                         enrolled_by=actor[:100], enrolled_at=now))
    db.session.flush()
    if new:
        audit(actor, "training.enrol", f"training:{training.id}",
              members=[m.userid for m in new])
    return Enrolled(new, [m for m in members if m.id in before])


def session_ids(training_id: int) -> list[int]:
    """The ids of the training's sessions (cancelled ones too), in time order."""
    return list(db.session.scalars(select(Activity.id).where(
        Activity.training_id == training_id, Activity.kind == ActivityKind.TRAINING)
        .order_by(Activity.starts_at, Activity.id)))


def unenrol(training: Training, member_id: int, actor: str) -> Member:
    """Take back an enrolment (audited) while the member has no check-in or leave at any of
    its sessions; TrainingError("not_enrolled") or ("attended") otherwise."""
    member = db.session.get(Member, member_id)
    row = db.session.scalar(select(TrainingEnrolment).where(
        TrainingEnrolment.training_id == training.id, TrainingEnrolment.member_id == member_id))
    if member is None or row is None:
        raise TrainingError("not_enrolled", name=member.name if member else str(member_id))
    sessions = session_ids(training.id)
    if sessions and db.session.scalar(select(CheckIn.id).where(
            CheckIn.member_id == member_id, CheckIn.activity_id.in_(sessions)).limit(1)):
        raise TrainingError("attended", name=member.name)
    db.session.delete(row)
    db.session.flush()
    audit(actor, "training.unenrol", f"training:{training.id}", member=member.userid)
    return member


def add_session(training: Training, title: str, starts_at: datetime | None,
                ends_at: datetime | None, place: str, actor: str, now: datetime,
                form_key: str | None = None) -> Activity:
    """Schedule a session: an activity of kind training with a fresh check-in code (audited).

    The title defaults to 第N场 and the place to the training's; TrainingError when a time is
    missing, the end is not after the start, or its day is outside the training's dates."""
    if starts_at is None or ends_at is None:
        raise TrainingError("session_time")
    if ends_at <= starts_at:
        raise TrainingError("session_order")
    if not (training.starts_on <= clock.today(starts_at) <= training.ends_on
            and clock.today(ends_at) <= training.ends_on):
        raise TrainingError("session_outside", starts=str(training.starts_on),
                            ends=str(training.ends_on))
    number = len(session_ids(training.id)) + 1
    name = clean_title(title, MAX_SESSION_TITLE) if (title or "").strip() else (
        texts.SESSION_DEFAULT.format(number=number))
    session = Activity(kind=ActivityKind.TRAINING, title=f"{training.title} {name}"[:MAX_TITLE],
                       training_id=training.id, organization_id=None, starts_at=starts_at,
                       ends_at=ends_at, place=clean_place(place) or training.place,
                       checkin_code=new_checkin_code(now), created_by=actor[:100],
                       created_at=now, form_key=form_key)
    db.session.add(session)
    db.session.flush()
    audit(actor, "training.session", f"training:{training.id}", activity=session.id,
          title=session.title, starts_at=starts_at.isoformat(), ends_at=ends_at.isoformat())
    return session


def day_text(day: date) -> str:
    """A date as members read it: 5月10日."""
    return texts.DATE.format(month=day.month, day=day.day)


def enrol_notice(training: Training) -> str:
    """What a member is told when enrolled."""
    return texts.ENROL_NOTICE.format(
        kind=texts.KIND_NAMES.get(training.kind, ""), title=quoted(training.title),
        starts=day_text(training.starts_on), ends=day_text(training.ends_on),
        place=training.place or texts.NO_PLACE, planned=training.planned_sessions,
        hours=f"{float(training.session_hours):g}")


def notify_enrolled(outbox: Outbox, training: Training, members: list[Member]
                    ) -> list[OutboundMessage]:
    """Queue the enrolment notice to the newly enrolled active members (sent after commit)."""
    users = [m.userid for m in members if m.status == MemberStatus.ACTIVE]
    if not users:
        return []
    return outbox.text(users, enrol_notice(training), once=True)
