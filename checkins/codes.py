"""Check-in codes and QR codes: what finds the lecture, meeting or activity a member checks in to.

A lecture, meeting or activity has a six-digit code, unique among everything whose window is
near, and a QR code holding "pioneer-checkin:L12:482913" (M for a meeting, A for an activity),
which the menu's scan
button sends back as the scan result; a contact may have the QR image sent in chat.
"""

from __future__ import annotations

import io
import re
import secrets
import unicodedata
from datetime import datetime, timedelta

import segno
from sqlalchemy import select

from bot.extensions import jobs
from bot.jobs import app_context, enqueue_deliveries, run_or_enqueue
from bot.outbox import Outbox
from bot.services import wecom_client
from checkins.checkin import QR_PREFIX, Target, of_activity, of_lecture, of_meeting
from models import Activity, Lecture, OrgMeeting, db
from participation.settings import ParticipationSettings, participation_settings

CODE_KEPT = timedelta(days=1)  # a code stays reserved this long after its window closed
CODE = re.compile(r"\d{6}")
QR_CONTENT = re.compile(rf"{QR_PREFIX}:([LMA])(\d+):(\d{{6}})")


def new_checkin_code(now: datetime, settings: ParticipationSettings | None = None) -> str:
    """A random six-digit code that no lecture, meeting or activity whose window is near uses."""
    settings = settings or participation_settings()
    since = now - CODE_KEPT - timedelta(minutes=settings.checkin_after_min)
    taken = set(db.session.scalars(select(Lecture.checkin_code).where(Lecture.ends_at >= since)))
    taken |= set(db.session.scalars(select(OrgMeeting.checkin_code).where(
        OrgMeeting.ends_at >= since, OrgMeeting.checkin_code.is_not(None))))
    taken |= set(db.session.scalars(select(Activity.checkin_code).where(
        Activity.ends_at >= since, Activity.checkin_code.is_not(None))))
    while True:
        code = f"{secrets.randbelow(10**6):06d}"
        if code not in taken:
            return code


def normalize_code(text: str) -> str | None:
    """The six digits of a typed code (full-width digits and spaces forgiven), or None."""
    value = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    return value if CODE.fullmatch(value) else None


def _distance(target: Target, now: datetime, settings: ParticipationSettings) -> timedelta:
    """How far `now` is from the target's window (zero inside it)."""
    if now < target.opens(settings):
        return target.opens(settings) - now
    if now > target.closes(settings):
        return now - target.closes(settings)
    return timedelta(0)


def find_target(code: str, now: datetime,
                settings: ParticipationSettings | None = None) -> Target | None:
    """What the code belongs to now: the lecture, meeting or activity whose window is nearest
    to `now`."""
    settings = settings or participation_settings()
    candidates = [of_lecture(lecture) for lecture in db.session.scalars(
        select(Lecture).where(Lecture.checkin_code == code))]
    candidates += [of_meeting(meeting) for meeting in db.session.scalars(
        select(OrgMeeting).where(OrgMeeting.checkin_code == code))]
    candidates += [of_activity(activity) for activity in db.session.scalars(
        select(Activity).where(Activity.checkin_code == code))]
    if not candidates:
        return None
    return min(candidates, key=lambda t: (_distance(t, now, settings), -t.starts_at.timestamp()))


def target_from_scan(result: str) -> Target | None:
    """The lecture, meeting or activity a scanned QR code names (its code must still match),
    or None."""
    match = QR_CONTENT.fullmatch(result.strip())
    if match is None:
        return None
    letter, ident, code = match.groups()
    kind = {"L": "lecture", "M": "meeting", "A": "activity"}[letter]
    target = _target(kind, int(ident))
    return target if target is not None and target.code == code else None


def qr_png(target: Target, scale: int = 12) -> bytes:
    """A printable PNG of the target's QR code."""
    buffer = io.BytesIO()
    segno.make(target.qr_content(), error="m", micro=False).save(
        buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


# -- the QR image in chat -------------------------------------------------------------------

def _target(kind: str, target_id: int) -> Target | None:
    if kind == "lecture":
        lecture = db.session.get(Lecture, target_id)
        return of_lecture(lecture) if lecture is not None else None
    if kind == "activity":
        activity = db.session.get(Activity, target_id)
        return of_activity(activity) if activity is not None else None
    meeting = db.session.get(OrgMeeting, target_id)
    return of_meeting(meeting) if meeting is not None else None


def send_qr(userid: str, kind: str, target_id: int) -> str:
    """RQ job: upload the target's QR PNG (media/upload) and send it to `userid` as an image."""
    with app_context():
        target = _target(kind, target_id)
        if target is None or not target.code:
            return "missing"
        png = qr_png(target)
        answer = wecom_client().call(lambda api: api.media.upload(
            "image", (f"checkin-{target.code}.png", png, "image/png")))
        outbox = Outbox(db.session, source_key=f"checkin-qr:{kind}:{target_id}")
        outbox.send({"msgtype": "image", "image": {"media_id": answer["media_id"]}},
                    users=[userid], once=True)  # a new media_id for every request
        db.session.commit()
        enqueue_deliveries(outbox.pending_ids())
        return "sent"


def enqueue_qr(userid: str, kind: str, target_id: int) -> None:
    """Queue `send_qr` (run after the request's commit)."""
    run_or_enqueue(jobs.queue.enqueue, send_qr, userid, kind, target_id)
