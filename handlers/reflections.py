"""Writing reflections in chat: 写心得 → subject → parts → 完成 → 确认; 继续, 我的心得, 修改.

    写心得 ──▶ subject ──(number)──▶ writing ──(完成, long enough)──▶ confirm ──(确认)──▶ done
                                     ▲   │ text/photo: stored at once      │
                                     └───┴──────────────(继续)─────────────┘
Every part is committed as it arrives; the draft is kept 24 hours (继续 resumes it).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

import clock
from bot.context import Context
from bot.conversation import Flow
from bot.inbound import ImageMessage, TextMessage
from bot.replies import Reply, Text
from bot.router import Command
from campaigns.campaigns import current_campaign
from content import reflection_texts as texts
from content.titles import quoted
from models import (
    Material,
    MaterialRead,
    Reflection,
    ReflectionStatus,
    SubjectKind,
)
from reflections import drafts
from reflections.photos import enqueue_photo_fetch

FLOW = "reflection"
RECENT_READS = 5
RECENT_DAYS = 60
MINE_SHOWN = 10


def _options(ctx: Context) -> list[dict]:
    """Recent reads and the running campaign, as subject choices."""
    assert ctx.member is not None
    rows = ctx.session.execute(
        select(Material.id, Material.title).join(MaterialRead, MaterialRead.material_id ==
                                                 Material.id)
        .where(MaterialRead.member_id == ctx.member.id,
               MaterialRead.last_opened_at >= ctx.now - timedelta(days=RECENT_DAYS))
        .order_by(MaterialRead.last_opened_at.desc()).limit(RECENT_READS)).all()
    options = [{"kind": SubjectKind.MATERIAL, "id": mid,
                "title": quoted(title)} for mid, title in rows]
    campaign = current_campaign(clock.today(ctx.now))
    if campaign is not None:
        options.append({"kind": SubjectKind.CAMPAIGN, "id": campaign.id,
                        "title": texts.SUBJECT_CAMPAIGN.format(name=campaign.name)})
    return options


def _start_draft(ctx: Context, option: dict) -> Reply:
    assert ctx.member is not None
    reflection = Reflection(member_id=ctx.member.id, subject_kind=option["kind"],
                            subject_title=option["title"], created_at=ctx.now,
                            updated_at=ctx.now)
    if option["kind"] == SubjectKind.MATERIAL:
        reflection.material_id = option["id"]
    elif option["kind"] == SubjectKind.CAMPAIGN:
        reflection.campaign_id = option["id"]
    ctx.session.add(reflection)
    ctx.session.flush()
    ctx.start(FLOW, "writing", reflection_id=reflection.id)
    return Text(texts.START_WRITING.format(subject=option["title"],
                                           min_chars=drafts.limits().min_chars))


def write(ctx: Context) -> Reply:
    """写心得 [材料编号]: choose a subject (or take the material given) and start writing."""
    words = ctx.text.split()
    if len(words) > 1 and words[1].isdecimal():
        material = ctx.session.get(Material, int(words[1]))
        if material is None or not material.active:
            return Text(texts.UNKNOWN_MATERIAL.format(number=words[1]))
        return _start_draft(ctx, {"kind": SubjectKind.MATERIAL, "id": material.id,
                                  "title": quoted(material.title)})
    options = _options(ctx)
    if not options:
        return _start_draft(ctx, {"kind": SubjectKind.FREE, "id": None,
                                  "title": texts.SUBJECT_FREE})
    lines = "\n".join(texts.SUBJECT_LINE.format(number=n, title=o["title"])
                      for n, o in enumerate(options, 1))
    ctx.start(FLOW, "subject", options=options)
    return Text(texts.CHOOSE_SUBJECT.format(lines=lines))


def choose_subject(ctx: Context) -> Reply:
    """The member picked a subject number (0: free)."""
    options: list[dict] = ctx.data.get("options", [])
    answer = ctx.text.strip().rstrip(".。")
    if not answer.isdecimal():
        ctx.stay()
        return Text(texts.SUBJECT_ASK_AGAIN)
    number = int(answer)
    if number == 0:
        return _start_draft(ctx, {"kind": SubjectKind.FREE, "id": None,
                                  "title": texts.SUBJECT_FREE})
    if number > len(options):
        ctx.stay()
        return Text(texts.SUBJECT_OUT_OF_RANGE.format(number=number, count=len(options)))
    return _start_draft(ctx, options[number - 1])


def _draft(ctx: Context) -> Reflection | None:
    reflection = ctx.session.get(Reflection, ctx.data.get("reflection_id"))
    if reflection is None or reflection.status != ReflectionStatus.DRAFT:
        return None
    return reflection


def writing(ctx: Context) -> Reply:
    """A part of the reflection, or 完成."""
    message, draft_id = ctx.message, ctx.data.get("reflection_id")
    if isinstance(message, TextMessage) and ctx.text and ctx.text not in (
            texts.FINISH_WORD, texts.CONTINUE_WORD):
        added = drafts.add_text(draft_id, message.content.strip(), message.key, ctx.now,
                                processed=ctx.processed_row())
        if added is None:
            ctx.finish()
            return Text(texts.NO_DRAFT)
        ctx.stay()
        chars, cut = added
        if cut:
            return Text(texts.PART_CUT.format(max_chars=drafts.limits().max_chars, cut=cut))
        return Text(texts.PART_SAVED.format(chars=chars))
    if isinstance(message, ImageMessage):
        reflection = _draft(ctx)
        if reflection is None:
            ctx.finish()
            return Text(texts.NO_DRAFT)
        part = drafts.add_image(reflection, message.media_id, message.key, ctx.now)
        ctx.session.flush()
        ctx.after_commit(lambda part_id=part.id: _fetch_photo(part_id))
        ctx.stay()
        return Text(texts.PHOTO_SAVED.format(count=reflection.image_count))
    draft = drafts.find_draft(draft_id)
    if draft is None:
        ctx.finish()
        return Text(texts.NO_DRAFT)
    ctx.stay()
    if ctx.text == texts.CONTINUE_WORD:  # already writing: nothing to resume
        return Text(texts.BACK_TO_WRITING.format(chars=draft.word_count))
    if ctx.text != texts.FINISH_WORD:
        return Text(texts.ONLY_TEXT_OR_PHOTO)
    missing = drafts.shortfall(draft)
    if missing:
        return Text(texts.TOO_SHORT.format(chars=draft.word_count, missing=missing))
    ctx.goto("confirm")
    return Text(texts.CONFIRM.format(summary=texts.summary(
        draft.word_count, draft.image_count, drafts.preview(draft))))


def _fetch_photo(part_id: int) -> None:
    enqueue_photo_fetch([part_id])


def confirm(ctx: Context) -> Reply:
    """确认 / 匿名提交 submits; 继续 goes back to writing."""
    reflection = _draft(ctx)
    if reflection is None:
        ctx.finish()
        return Text(texts.NO_DRAFT)
    if ctx.text in texts.CONFIRM_WORDS or ctx.text in texts.ANONYMOUS_WORDS:
        drafts.submit(reflection, ctx.message.key, ctx.text in texts.CONFIRM_WORDS, ctx.now)
        ctx.session.flush()
        ctx.finish()
        return Text(texts.SUBMITTED.format(number=reflection.number))
    if ctx.text == texts.CONTINUE_WORD:
        ctx.goto("writing")
        return Text(texts.BACK_TO_WRITING.format(chars=reflection.word_count))
    ctx.stay()
    return Text(texts.CONFIRM_ASK_AGAIN)


def resume(ctx: Context) -> Reply:
    """继续 (outside a conversation): pick up the newest draft kept within 24 hours."""
    assert ctx.member is not None
    reflection = drafts.open_draft(ctx.member, ctx.now)
    if reflection is None:
        return Text(texts.NO_DRAFT)
    ctx.start(FLOW, "writing", reflection_id=reflection.id)
    return Text(texts.RESUMED.format(subject=reflection.subject_title,
                                     chars=reflection.word_count))


def mine(ctx: Context) -> Reply:
    """我的心得: the member's recent reflections and where each stands."""
    assert ctx.member is not None
    rows = ctx.session.scalars(
        select(Reflection).where(Reflection.member_id == ctx.member.id,
                                 Reflection.status != ReflectionStatus.DRAFT)
        .order_by(Reflection.id.desc()).limit(MINE_SHOWN)).all()
    if not rows:
        return Text(texts.MINE_NONE)
    lines = [texts.MINE_HEAD.format(count=len(rows))]
    for row in rows:
        line = texts.MINE_LINE.format(number=row.number, subject=row.subject_title,
                                      status=texts.STATUS_NAMES.get(row.status, row.status))
        if row.status == ReflectionStatus.RETURNED:
            line += texts.MINE_RETURNED.format(comment=row.review_comment or "",
                                               number=row.number)
        lines.append(line)
    return Text("\n".join(lines))


def revise(ctx: Context) -> Reply:
    """修改 XD-…: reopen a returned reflection and write it again."""
    assert ctx.member is not None
    words = ctx.text.split()
    if len(words) < 2:
        return Text(texts.REVISE_USAGE)
    number = words[1].upper()
    reflection = next((r for r in ctx.session.scalars(
        select(Reflection).where(Reflection.member_id == ctx.member.id))
        if r.number == number), None)
    if reflection is None:
        return Text(texts.REVISE_NOT_FOUND.format(number=number))
    if reflection.status != ReflectionStatus.RETURNED:
        return Text(texts.REVISE_NOT_RETURNED.format(number=number))
    for part in reflection.parts:
        part.superseded = True
    reflection.status = ReflectionStatus.DRAFT
    drafts.refresh(reflection, ctx.now)
    ctx.start(FLOW, "writing", reflection_id=reflection.id)
    return Text(texts.REVISE_START.format(subject=reflection.subject_title,
                                          min_chars=drafts.limits().min_chars))


COMMANDS = [
    Command("write_reflection", ("写心得", "写心得体会"), write, texts.WRITE_SUMMARY),
    Command("resume_reflection", (texts.CONTINUE_WORD,), resume, texts.RESUME_SUMMARY,
            interrupts=False),  # inside a conversation 继续 answers its step
    Command("my_reflections", ("我的心得",), mine, texts.MINE_SUMMARY),
    Command("revise_reflection", ("修改",), revise),
]

FLOWS = [Flow(FLOW, {"subject": choose_subject, "writing": writing, "confirm": confirm},
              timeout_s=int(drafts.DRAFT_KEPT.total_seconds()))]
