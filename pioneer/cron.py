"""Periodic ticks for `rq cron pioneer/cron.py`: each tick is an ordinary RQ job."""

from rq import cron

from bot.delivery import SWEEP_PERIOD_S
from bot.jobs import sweep_outbound
from bot.retention import retention_tick
from broadcasts.jobs import broadcast_tick
from campaigns.progress import campaign_tick
from lectures.jobs import lecture_tick
from meetings.meetings import meeting_tick
from nudges.jobs import nudge_tick
from qiangguo.qiangguo import qiangguo_tick
from study.jobs import push_tick

cron.register(sweep_outbound, queue_name="pioneer", interval=SWEEP_PERIOD_S)
cron.register(push_tick, queue_name="pioneer", interval=60)
cron.register(lecture_tick, queue_name="pioneer", interval=300)
cron.register(broadcast_tick, queue_name="pioneer", interval=60)
cron.register(nudge_tick, queue_name="pioneer", interval=900)
cron.register(meeting_tick, queue_name="pioneer", interval=900)
cron.register(campaign_tick, queue_name="pioneer", interval=3600)
cron.register(qiangguo_tick, queue_name="pioneer", interval=300)
cron.register(retention_tick, queue_name="pioneer", interval=86400)
