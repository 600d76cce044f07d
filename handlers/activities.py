"""教育片观看 in chat: a contact records a screening of a library film for their organisation
and gets its check-in code (the QR image follows).

    组织观影 ──▶ [organization ──(序号或名称)──▶] film ──(序号)──▶ time ──(parsed, echoed)──▶
        place ──▶ confirm ──(确认)──▶ saved: number, code, window; the QR image by message
Nothing is written before 确认; the rules (a film of the library, at most a day in the past,
the contact's own organisation) are activities.records'.
"""

from __future__ import annotations

from datetime import datetime

import clock
from activities import records
from activities.records import ActivityError
from bot.context import Context
from bot.conversation import Flow
from bot.replies import Reply, Text
from bot.router import Command
from checkins import checkin, codes
from content import activity_texts as texts
from content.texts import example_time, local_day_time, local_time
from content.titles import quoted
from models import Organization, Role
from participation.settings import participation_settings
from roster.contacts import STEP, OrganizationStep

FLOW = "screening"
CONFIRM_WORDS = ("确认", "确认保存", "保存")
FILMS_SHOWN = 30


def _ask_film(ctx: Context, organization: Organization) -> Reply:
    """List the library's films and ask for one (ending the flow when there is none)."""
    films = records.films()[:FILMS_SHOWN]
    if not films:
        ctx.finish()
        return Text(texts.NO_FILMS)
    choices = [[m.id, records.film_name(m), m.minutes] for m in films]
    ctx.start(FLOW, "film", organization_id=organization.id, organization=organization.name,
              films=choices)
    return Text(texts.ASK_FILM.format(organization=organization.name, choices="\n".join(
        texts.FILM_CHOICE.format(index=i, title=title, minutes=minutes)
        for i, (_id, title, minutes) in enumerate(choices, 1))))


ORGANIZATION = OrganizationStep(FLOW, texts.ASK_ORGANIZATION, texts.NOT_CONTACT, _ask_film)


def start(ctx: Context) -> Reply:
    """组织观影: pick the organisation (if several), then the film."""
    return ORGANIZATION.begin(ctx)


def _pick(text: str, count: int) -> int | None:
    """The 0-based index a typed number 1..count names, or None."""
    text = text.strip()
    return int(text) - 1 if text.isdecimal() and 1 <= int(text) <= count else None


def choose_film(ctx: Context) -> Reply:
    """The film, by its number in the list."""
    films = ctx.data["films"]
    index = _pick(ctx.text, len(films))
    if index is None:
        ctx.stay()
        return Text(texts.BAD_FILM.format(count=len(films)))
    material_id, title, minutes = films[index]
    ctx.goto("time", material_id=material_id, film=title, minutes=minutes)
    return Text(texts.ASK_TIME.format(film=quoted(title), example=example_time(ctx.now)))


def choose_time(ctx: Context) -> Reply:
    """The start, read forgivingly and checked (at most a day ago, a year ahead)."""
    starts_at = records.typed_start(ctx.text, ctx.now)
    if starts_at is None:
        ctx.stay()
        return Text(texts.BAD_TIME)
    try:
        when = records.check_when(starts_at, None, ctx.now, int(ctx.data["minutes"] or 0))
    except ActivityError as exc:
        ctx.stay()
        return Text(exc.text())
    ctx.goto("place", starts_at=when.starts_at.isoformat(), ends_at=when.ends_at.isoformat())
    return Text(texts.ASK_PLACE.format(time=local_day_time(when.starts_at)))


def _confirm_text(data: dict) -> str:
    starts, ends = (datetime.fromisoformat(data["starts_at"]),
                    datetime.fromisoformat(data["ends_at"]))
    return texts.CONFIRM.format(organization=data["organization"], film=quoted(data["film"]),
                                starts=local_day_time(starts), ends=f"{clock.local(ends):%H:%M}",
                                place=data["place"])


def choose_place(ctx: Context) -> Reply:
    """The place (1 to 100 characters)."""
    try:
        place = records.clean_place(ctx.text)
    except ActivityError as exc:
        ctx.stay()
        return Text(exc.text())
    if not place:
        ctx.stay()
        return Text(texts.ASK_PLACE.format(time=local_day_time(
            datetime.fromisoformat(ctx.data["starts_at"]))))
    ctx.goto("confirm", place=place)
    return Text(_confirm_text({**ctx.data, "place": place}))


def confirm(ctx: Context) -> Reply:
    """确认 saves the screening with a fresh code; anything else asks again."""
    if ctx.text.strip() not in CONFIRM_WORDS:
        ctx.stay()
        return Text(texts.CONFIRM_AGAIN)
    member = ctx.member
    assert member is not None
    data = dict(ctx.data)
    ctx.finish()
    try:
        organization = records.organization(int(data["organization_id"]))
        if not member.has_role(Role.CONTACT, organization.id):
            raise ActivityError("not_yours", organization=organization.name)
        film = records.film(int(data["material_id"]))
        when = records.check_when(datetime.fromisoformat(data["starts_at"]),
                                  datetime.fromisoformat(data["ends_at"]), ctx.now)
        activity = records.create_screening(member.userid, organization, film, when,
                                            data["place"], ctx.now,
                                            form_key=f"chat:{ctx.message.key}"[:64])
    except ActivityError as exc:
        return Text(exc.text())
    target = checkin.of_activity(activity)
    settings = participation_settings()
    userid, ident = member.userid, activity.id
    ctx.after_commit(lambda: codes.enqueue_qr(userid, "activity", ident))
    return Text(texts.SAVED.format(
        organization=organization.name, film=quoted(activity.title),
        number=records.activity_number(activity), starts=local_day_time(activity.starts_at),
        place=activity.place, code=activity.checkin_code,
        opens=local_time(target.opens(settings)), closes=local_time(target.closes(settings))))


COMMANDS = [
    Command("organize_screening", ("组织观影", "观看教育片"), start, texts.SCREENING_SUMMARY,
            role=Role.CONTACT),
]

FLOWS = [
    Flow(FLOW, {STEP: ORGANIZATION.choose_organization, "film": choose_film,
                "time": choose_time, "place": choose_place, "confirm": confirm}),
]
