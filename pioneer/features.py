"""The features of Pioneer, in order: each one's chat handlers, CLI groups, periodic ticks,
settings, blueprints and console pages, declared once. The order is the order of 帮助 and
of the chat's commands; everything else reads it as a set. See docs/architecture.md."""

from __future__ import annotations

from analysis.jobs import analysis_tick
from answers.index import answers_settings
from books import cli as book_cli
from books.reminders import books_tick
from books.settings import book_settings
from bot import cli as bot_cli
from bot import doctor, retention
from bot.delivery import SWEEP_PERIOD_S, duplicate_check_s
from bot.feature import Feature, Features, Settings, Tick
from bot.jobs import sweep_outbound
from broadcasts import cli as broadcast_cli
from broadcasts import group_cli
from broadcasts.jobs import broadcast_tick
from campaigns import cli as campaign_cli
from campaigns.progress import campaign_tick
from checkins import cli as checkin_cli
from console import (
    activity_pages,
    analysis_pages,
    application_pages,
    assessment_pages,
    audit_pages,
    award_pages,
    book_pages,
    broadcast_pages,
    campaign_actions,
    campaign_pages,
    checkin_pages,
    dashboard,
    hall_pages,
    hall_slot_pages,
    lecturer_pages,
    live_pages,
    login,
    material_pages,
    meeting_pages,
    order_pages,
    participation_rules_pages,
    publication_pages,
    qiangguo_pages,
    question_pages,
    quiz_pages,
    quiz_stats_pages,
    reflection_pages,
    reports,
    robot_pages,
    roster_pages,
    study_pages,
    topic_pages,
    training_pages,
    upload_pages,
    watch_pages,
)
from console import cli as console_cli
from console.views import bp as console_bp
from handlers import (
    activities,
    answers,
    assessment,
    books,
    broadcast,
    checkin,
    contacts,
    dispatch,
    followup,
    hall,
    help,
    lectures,
    meetings,
    members,
    participation,
    qiangguo,
    questions,
    quiz,
    rates,
    reflections,
    review,
    study,
    trainings,
)
from lectures import cli as lecture_cli
from lectures import topic_cli
from lectures.jobs import lecture_tick
from lectures.settings import lecture_settings
from live import cli as live_cli
from media import serving
from media.settings import media_settings
from meetings import cli as meeting_cli
from meetings.requirements import meeting_tick
from meetings.settings import meeting_settings
from nudges.jobs import nudge_tick
from participation.settings import participation_settings
from pioneer import demo
from qiangguo.qiangguo import qiangguo_settings, qiangguo_tick
from quizzes import cli as quiz_cli
from quizzes.settings import quiz_settings
from reflections import cli as reflection_cli
from reflections.drafts import limits as reflection_limits
from report import cli as report_cli
from report.settings import report_settings
from roster import cli as roster_cli
from study import cli as study_cli
from study import push_cli, reading
from study.jobs import push_tick
from trainings import cli as training_cli

FEATURES = Features((
    Feature("help", chat=(help,)),
    Feature("study", chat=(study,), cli=(*study_cli.COMMAND_GROUPS, *push_cli.COMMAND_GROUPS),
            ticks=(Tick(push_tick, 60),), settings=(Settings(("READ_LINK_",)),),
            blueprints=(reading.bp,), pages=(material_pages, study_pages, upload_pages)),
    Feature("answers", chat=(answers,), settings=(Settings(("ANSWERS_",), answers_settings),)),
    Feature("reflections", chat=(reflections, review), cli=reflection_cli.COMMAND_GROUPS,
            settings=(Settings(("REFLECTION_",), reflection_limits),),
            pages=(reflection_pages,)),
    Feature("lectures", chat=(lectures, followup, dispatch),
            cli=(*topic_cli.COMMAND_GROUPS, *lecture_cli.COMMAND_GROUPS),
            ticks=(Tick(lecture_tick, 300),), settings=(Settings(("LECTURE_",), lecture_settings),),
            pages=(order_pages, topic_pages, lecturer_pages, application_pages)),
    Feature("broadcasts", chat=(broadcast,),
            cli=(*group_cli.COMMAND_GROUPS, *broadcast_cli.COMMAND_GROUPS),
            ticks=(Tick(broadcast_tick, 60),),
            settings=(Settings(("BROADCAST_",), flags=("BROADCAST_CONTACTS",)),),
            pages=(broadcast_pages, robot_pages)),
    Feature("quizzes", chat=(quiz,), cli=quiz_cli.COMMAND_GROUPS,
            settings=(Settings(("QUIZ_",), quiz_settings),),
            pages=(quiz_pages, quiz_stats_pages)),
    Feature("checkins", chat=(checkin,), cli=checkin_cli.COMMAND_GROUPS, pages=(checkin_pages,)),
    Feature("activities", chat=(activities,), pages=(activity_pages,)),
    Feature("meetings", chat=(meetings,), cli=meeting_cli.COMMAND_GROUPS,
            ticks=(Tick(meeting_tick, 900),), settings=(Settings(("MEETING_",), meeting_settings),),
            pages=(meeting_pages,)),
    Feature("participation", chat=(rates, participation),
            settings=(Settings(("PARTICIPATION_", "STUDY_HOURS_", "CHECKIN_", "NUDGE_"),
                               participation_settings),),
            pages=(participation_rules_pages,)),
    Feature("qiangguo", chat=(qiangguo,), ticks=(Tick(qiangguo_tick, 300),),
            settings=(Settings(("QIANGGUO_",), qiangguo_settings),), pages=(qiangguo_pages,)),
    Feature("questions", chat=(questions,), pages=(question_pages,)),
    Feature("hall", chat=(hall,), pages=(hall_pages, hall_slot_pages)),
    Feature("books", chat=(books,), cli=book_cli.COMMAND_GROUPS, ticks=(Tick(books_tick, 900),),
            settings=(Settings(("BOOK_",), book_settings),), pages=(book_pages,)),
    Feature("trainings", chat=(trainings,), cli=training_cli.COMMAND_GROUPS,
            pages=(training_pages,)),
    Feature("roster", chat=(members, contacts),
            cli=roster_cli.COMMAND_GROUPS, pages=(roster_pages,)),
    Feature("campaigns", cli=campaign_cli.COMMAND_GROUPS, ticks=(Tick(campaign_tick, 3600),),
            pages=(campaign_pages, campaign_actions)),
    Feature("live", cli=live_cli.COMMAND_GROUPS, pages=(live_pages,)),
    Feature("nudges", ticks=(Tick(nudge_tick, 900),)),
    Feature("analysis", ticks=(Tick(analysis_tick, 300),), pages=(analysis_pages, watch_pages)),
    Feature("assessment", chat=(assessment,), pages=(assessment_pages,)),
    Feature("report", cli=report_cli.COMMAND_GROUPS,
            settings=(Settings(("REPORT_",), report_settings),), pages=(reports,)),
    Feature("publicity", pages=(publication_pages,)),
    Feature("awards", pages=(award_pages,)),
    Feature("media", blueprints=(serving.bp,),
            settings=(Settings(("MEDIA_",), media_settings),)),
    Feature("console", cli=console_cli.COMMAND_GROUPS, settings=(Settings(("CONSOLE_",)),),
            blueprints=(console_bp,), pages=(login, dashboard, audit_pages)),
    Feature("demo", cli=demo.COMMAND_GROUPS),
    Feature("machinery", cli=(*bot_cli.COMMAND_GROUPS, *doctor.COMMAND_GROUPS,
                              *retention.COMMAND_GROUPS),
            ticks=(Tick(sweep_outbound, SWEEP_PERIOD_S), Tick(retention.retention_tick, 86400)),
            settings=(Settings(("LOG_",)), Settings(("DELIVERY_",), duplicate_check_s),
                      Settings(("RETENTION_",), retention.retention_settings))),
))
