"""Periodic ticks for `rq cron bot/cron.py`: each tick is an ordinary RQ job."""

from rq import cron

from bot.jobs import sweep_outbound

cron.register(sweep_outbound, queue_name="pioneer", interval=60)
