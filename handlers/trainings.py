"""我的培训 in chat: the member's enrolled trainings, each with its next session (time and
place), the sessions attended and the study hours credited.

Attendance itself is the check-in's: 签到 <code> at a session (handlers/checkin.py) checks an
enrolled member in and credits the training's hours; a member not enrolled is refused there.
"""

from __future__ import annotations

from bot.context import Context
from bot.replies import Reply, Text
from bot.router import Command
from content import training_texts as texts
from content.texts import local_time
from trainings import figures
from trainings.manage import day_text

SHOWN = 5  # trainings listed; older ones are counted


def _lines(item: figures.MyTraining) -> list[str]:
    """One training: its title and dates, the next session, attendance and hours."""
    training = item.training
    lines = [texts.MINE_LINE.format(kind=texts.KIND_SHORT.get(training.kind, ""),
                                    title=training.title, starts=day_text(training.starts_on),
                                    ends=day_text(training.ends_on))]
    session = item.next_session
    if session is not None:
        lines.append(texts.MINE_NEXT.format(title=session.title, time=local_time(session.starts_at),
                                            place=session.place or texts.NO_PLACE))
    else:
        lines.append(texts.MINE_NO_NEXT)
    lines.append(texts.MINE_ATTENDED.format(attended=item.attended, sessions=item.sessions,
                                            hours=f"{item.hours:g}"))
    return lines


def mine(ctx: Context) -> Reply:
    """我的培训: the member's trainings, newest first."""
    assert ctx.identity is not None
    items, total = figures.mine(ctx.identity.id, ctx.now, SHOWN)
    if not items:
        return Text(texts.MINE_EMPTY)
    parts = [texts.MINE_HEADER.format(count=total)]
    for item in items:
        parts += _lines(item)
    if total > len(items):
        parts.append(texts.MINE_MORE.format(more=total - len(items)))
    return Text("\n".join(parts))


COMMANDS = [
    Command("my_trainings", texts.MINE_WORDS, mine, texts.MINE_SUMMARY),
]
