"""学习强国 self-reports in chat: 强国积分 1234 (or 强国积分, then a number or a screenshot),
and 强国汇总 for contacts (their organisations) and admins (every organisation).

    强国积分 1234 ──▶ recorded (a second report this week replaces the score)
    强国积分 ──▶ waiting ──(number | screenshot)──▶ recorded
                   │ anything else: asked again; 取消 ends it (handled by bot/)
"""

from __future__ import annotations

from bot.context import Context
from bot.conversation import Flow
from bot.inbound import ImageMessage, TextMessage
from bot.replies import Reply, Text
from bot.router import Command
from content import qiangguo_texts as texts
from models import Organization, Role
from qiangguo import qiangguo
from qiangguo.screenshots import enqueue_screenshot_fetch
from roster.contacts import contact_organizations
from roster.manage import RosterError, find_organization

FLOW = "qiangguo"


def _rest(text: str) -> str:
    """The text after a leading report word (强国积分 / 强国), if there is one."""
    words = text.split(maxsplit=1)
    if words and words[0] in texts.REPORT_WORDS:
        return words[1] if len(words) > 1 else ""
    return text


def _refusal(exc: qiangguo.ScoreError) -> str:
    template = {"negative": texts.NEGATIVE, "too_big": texts.TOO_BIG}.get(exc.reason,
                                                                         texts.NOT_A_NUMBER)
    return template.format(text=exc.text.strip(), limit=qiangguo.MAX_SCORE)


def _score_reply(result: qiangguo.Reported) -> str:
    week = qiangguo.week_label(result.week)
    score = result.report.score
    if result.first or result.old_score is None:
        return texts.SAVED.format(week=week, score=score)
    return texts.REPLACED.format(week=week, old=result.old_score, score=score)


def _screenshot_reply(result: qiangguo.Reported) -> str:
    week = qiangguo.week_label(result.week)
    if result.had_screenshot:
        return texts.SCREENSHOT_REPLACED.format(week=week)
    reply = texts.SCREENSHOT_SAVED.format(week=week)
    return reply + texts.SCREENSHOT_FIRST_HINT if result.report.score is None else reply


def report(ctx: Context) -> Reply:
    """强国积分 [积分]: record this week's score, or ask for it (a number or a screenshot)."""
    assert ctx.member is not None
    rest = _rest(ctx.text)
    if not rest:
        ctx.start(FLOW, "waiting")
        return Text(texts.ASK)
    try:
        score = qiangguo.parse_score(rest)
    except qiangguo.ScoreError as exc:
        return Text(_refusal(exc))
    return Text(_score_reply(qiangguo.report(ctx.member, ctx.now, score=score)))


def waiting(ctx: Context) -> Reply:
    """The score or the screenshot, after a bare 强国积分."""
    assert ctx.member is not None
    message = ctx.message
    if isinstance(message, ImageMessage) and message.media_id:
        ctx.finish()
        result = qiangguo.report(ctx.member, ctx.now, media_id=message.media_id)
        report_id = result.report.id
        ctx.after_commit(lambda: enqueue_screenshot_fetch(report_id))  # media ids expire
        return Text(_screenshot_reply(result))
    rest = _rest(ctx.text) if isinstance(message, TextMessage) else ""
    if not rest:
        ctx.stay()
        return Text(texts.ASK_AGAIN)
    try:
        score = qiangguo.parse_score(rest)
    except qiangguo.ScoreError as exc:
        ctx.stay()
        return Text(_refusal(exc) + "\n" + texts.ASK_AGAIN)
    ctx.finish()
    return Text(_score_reply(qiangguo.report(ctx.member, ctx.now, score=score)))


def _score_text(line: qiangguo.MemberLine) -> str:
    if line.score is None:
        return texts.SCREENSHOT_ONLY
    template = texts.SCORE_WITH_SCREENSHOT if line.screenshot else texts.SCORE
    return template.format(score=line.score)


def _organization_text(organization: Organization, ctx: Context) -> str:
    """One organisation's reports this week: n/m, each score, who has not reported."""
    week = qiangguo.organization_week(organization, qiangguo.week_of(ctx.now))
    if not week.lines:
        return texts.ORG_NO_MEMBERS.format(org=organization.name)
    lines = [texts.ORG_SUMMARY.format(org=organization.name,
                                      week=qiangguo.week_label(week.week),
                                      reported=len(week.reported), members=len(week.lines))]
    lines += [texts.ORG_REPORT_LINE.format(name=line.name, score=_score_text(line))
              for line in week.reported]
    missing = week.missing
    lines.append(texts.ORG_MISSING.format(count=len(missing), names=texts.NAME_JOINER.join(
        line.name for line in missing)) if missing else texts.ORG_NONE_MISSING)
    return "\n".join(lines)


def _overview_text(ctx: Context) -> str:
    week = qiangguo.week_of(ctx.now)
    lines, reported, members = qiangguo.overview(week)
    if not lines:
        return texts.OVERVIEW_EMPTY
    body = "\n".join(texts.OVERVIEW_LINE.format(org=line.organization.name,
                                                reported=line.reported, members=line.members)
                     for line in lines)
    return texts.OVERVIEW.format(week=qiangguo.week_label(week), reported=reported,
                                 members=members, lines=body) + texts.OVERVIEW_HINT


def summary(ctx: Context) -> Reply:
    """强国汇总 [党组织]: a contact's organisations this week; for admins, every organisation."""
    member = ctx.member
    assert member is not None
    name = ctx.text.split(maxsplit=1)[1].strip() if len(ctx.text.split()) > 1 else ""
    is_admin = member.has_role(Role.ADMIN)
    own = contact_organizations(member)
    if not name:
        if is_admin:
            return Text(_overview_text(ctx))
        if not own:
            return Text(texts.NO_ORGANIZATION)
        return Text("\n\n".join(_organization_text(org, ctx) for org in own))
    try:
        organization = find_organization(name)
    except RosterError:
        return Text(texts.UNKNOWN_ORG.format(name=name))
    if not is_admin and organization.id not in {org.id for org in own}:
        if not own:
            return Text(texts.NO_ORGANIZATION)
        return Text(texts.NOT_YOUR_ORG.format(orgs=texts.ORG_JOINER.join(o.name for o in own)))
    return Text(_organization_text(organization, ctx))


COMMANDS = [
    Command("qiangguo_report", texts.REPORT_WORDS, report, texts.REPORT_SUMMARY),
    Command("qiangguo_summary", ("强国汇总",), summary, texts.SUMMARY_SUMMARY,
            role=(Role.CONTACT, Role.ADMIN)),
]

FLOWS = [Flow(FLOW, {"waiting": waiting}, answers={"waiting": texts.REPORT_WORDS})]
