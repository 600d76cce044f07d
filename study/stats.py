"""Per-material figures: delivered, opened, completed — overall and by organisation — and
per push, occurrence by occurrence.

A material's delivered figure is the members it reached by any way (push, 群发, digest, nudge
card; study/deliveries.py), each once (人); a push's own figures are its occurrences' push
deliveries (人次 over the occurrences)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, distinct, func, select

import clock
from models import (
    Material,
    MaterialRead,
    Membership,
    Organization,
    PushDelivery,
    PushOccurrence,
    db,
)
from study import deliveries


@dataclass(frozen=True)
class Figures:
    """How one material (or one organisation's share of it) did."""

    label: str
    delivered: int
    opened: int
    completed: int
    title: str = ""  # a material's title alone (the label leads with its slug, for operators)


def material_figures() -> list[Figures]:
    """Every active material's delivered / opened / completed counts (人: each member once)."""
    delivered = deliveries.delivered_counts()
    reads = {mid: (opened, done) for mid, opened, done in db.session.execute(
        select(MaterialRead.material_id, func.count(MaterialRead.id),
               func.count(MaterialRead.completed_at)).group_by(MaterialRead.material_id))}
    return [
        Figures(f"{m.slug} {m.title}", delivered.get(m.id, 0), *reads.get(m.id, (0, 0)),
                title=m.title)
        for m in db.session.scalars(select(Material).where(Material.active)
                                    .order_by(Material.published_on.desc()))
    ]


def by_organization(material_id: int) -> list[Figures]:
    """One material's figures per main organisation of the members it reached or who read it."""
    delivered = deliveries.delivered_by_organization(material_id)
    reads = db.session.execute(
        select(Membership.organization_id, MaterialRead.completed_at)
        .join(Membership, (Membership.member_id == MaterialRead.member_id) & Membership.is_main)
        .where(MaterialRead.material_id == material_id)).all()
    opened: dict[int, int] = {}
    completed: dict[int, int] = {}
    for org_id, done in reads:
        opened[org_id] = opened.get(org_id, 0) + 1
        completed[org_id] = completed.get(org_id, 0) + (done is not None)
    names = dict(db.session.execute(select(Organization.id, Organization.name)).all())
    org_ids = (set(delivered) - {-1}) | set(opened)
    return sorted(
        (Figures(names.get(o, str(o)), delivered.get(o, 0), opened.get(o, 0),
                 completed.get(o, 0)) for o in org_ids),
        key=lambda f: (-f.delivered, -f.opened, f.label))


@dataclass(frozen=True)
class OccurrenceFigures:
    """How one occurrence of a push did: its members, and those who opened and completed the
    material it sent at or after its time."""

    occurrence_id: int
    due_at: datetime
    title: str  # the material's ("" when nothing was sent)
    note: str | None  # why nothing was sent, if so
    figures: Figures


def push_figures(push_id: int) -> list[OccurrenceFigures]:
    """A push's occurrences, newest first, each with sent / opened / completed counts.

    Opened counts the members the occurrence reached whose read of its material was last
    opened at or after its time; completed, those of them who have completed it."""
    read = and_(MaterialRead.member_id == PushDelivery.member_id,
                MaterialRead.material_id == PushOccurrence.material_id,
                MaterialRead.last_opened_at >= PushOccurrence.due_at)
    rows = db.session.execute(
        select(PushOccurrence.id, PushOccurrence.due_at, Material.title, PushOccurrence.note,
               func.count(distinct(PushDelivery.member_id)), func.count(MaterialRead.id),
               func.count(MaterialRead.completed_at))
        .outerjoin(Material, Material.id == PushOccurrence.material_id)
        .outerjoin(PushDelivery, PushDelivery.occurrence_id == PushOccurrence.id)
        .outerjoin(MaterialRead, read)
        .where(PushOccurrence.push_id == push_id)
        .group_by(PushOccurrence.id, PushOccurrence.due_at, Material.title, PushOccurrence.note)
        .order_by(PushOccurrence.due_at.desc()))
    return [OccurrenceFigures(oid, due, title or "", note,
                              Figures(f"{clock.local(due):%Y-%m-%d %H:%M}", sent, opened, done))
            for oid, due, title, note, sent, opened, done in rows]


def totals(rows: list[OccurrenceFigures], label: str) -> Figures:
    """The occurrences' figures added up (person-times)."""
    return Figures(label, sum(r.figures.delivered for r in rows),
                   sum(r.figures.opened for r in rows), sum(r.figures.completed for r in rows))
