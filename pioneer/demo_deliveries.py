"""The demo's pushes: every material its members read reached them first, by a push sent the
way the push tick sends it (study.pushes.send_occurrence writes the occurrence, its push
deliveries, the material deliveries and the message), so 送达 ≥ 阅读 ≥ 读完 on every page.

The ordinary materials went out one by one every few days over the months the demo's reads
cover, each to the whole committee at 07:30; the campaign's materials the morning the
campaign began. The messages are marked sent at their time (they belong to the past).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

import clock
from models import Material, OutboundMessage, OutboundStatus, db
from study import pushes

PUSH_TIME = time(7, 30)
EVERY_DAYS = 5  # one ordinary material every five days
AUDIENCE = {"kind": "all"}


def schedule(materials: Iterable[Material], campaign: tuple[str, ...], first_days_ago: int,
             campaign_days_ago: int, today: date) -> dict[int, datetime]:
    """When each material reached the committee, by material id: the ordinary ones in id
    order from `first_days_ago` on, every EVERY_DAYS days (never later than a week ago), the
    campaign's on the campaign's first day."""
    due: dict[int, datetime] = {}
    ordinary = [m for m in materials if m.slug not in campaign]
    for index, material in enumerate(ordinary):
        days_ago = max(first_days_ago - EVERY_DAYS * index, 7)
        due[material.id] = clock.at(today - timedelta(days=days_ago), PUSH_TIME)
    for material in materials:
        if material.slug in campaign:
            due[material.id] = clock.at(today - timedelta(days=campaign_days_ago), PUSH_TIME)
    return due


def send(actor: str, due: dict[int, datetime]) -> int:
    """Create and send one push per material at its time, as the tick would have; returns
    the deliveries written (members reached, summed over the pushes)."""
    reached = 0
    for material_id, at in sorted(due.items(), key=lambda item: (item[1], item[0])):
        material = db.session.get(Material, material_id)
        if material is None:
            continue
        push = pushes.create_push(actor, AUDIENCE, at, material=material,
                                  now=at - timedelta(days=1))
        occurrence = pushes.send_occurrence(push, at)
        if occurrence is None:
            continue
        reached += occurrence.recipients
        if occurrence.outbound_id is not None:
            outbound = db.session.get(OutboundMessage, occurrence.outbound_id)
            if outbound is not None:  # sent long ago: nothing for the demo to deliver now
                outbound.status, outbound.sent_at, outbound.sent_batches = \
                    OutboundStatus.SENT, at, 1
    db.session.flush()
    return reached
