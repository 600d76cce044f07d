"""Periodic ticks for `rq cron pioneer/cron.py`: each feature's ticks, each an ordinary RQ job."""

from rq import cron

from pioneer.features import FEATURES

for tick in FEATURES.ticks():
    cron.register(tick.job, queue_name="pioneer", interval=tick.every_s)
