"""One member's study: today's materials in the order that suits them, and their reading record.

今日学习 puts first what is asked of the member and not yet done, then what they have not
opened, then what they have read, each group in the library's order for everyone (the material
pushed most recently, then the newest: `study.library.todays_materials`). What a running
campaign requires is handed in by the caller (study may not know campaigns): material id to the
campaign's name. A required material is done once finished (读完了), as campaign progress counts
it; any other material is read once opened.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from models import Material, MaterialRead, db
from study.library import todays_materials


@dataclass(frozen=True)
class TodayItem:
    """One material of a member's 今日学习, with why it stands where it does."""

    material: Material
    required_by: str | None  # the running campaign that requires it and the member owes
    read_at: datetime | None  # when the member last opened it (None: never)

    @property
    def read(self) -> bool:
        """Whether the member has opened it."""
        return self.read_at is not None


@dataclass(frozen=True)
class ReadRecord:
    """One page of a member's reading record, the most recently opened first."""

    total: int
    rows: list[MaterialRead]


def _reads(member_id: int) -> dict[int, tuple[datetime, datetime | None]]:
    """Material id to (last opened, completed) for every material the member opened."""
    return {material_id: (opened, completed) for material_id, opened, completed in
            db.session.execute(select(MaterialRead.material_id, MaterialRead.last_opened_at,
                                      MaterialRead.completed_at)
                               .where(MaterialRead.member_id == member_id))}


def materials_for(member_id: int, limit: int,
                  required: Mapping[int, str] | None = None) -> list[TodayItem]:
    """今日学习 for one member: owed (required, unfinished), then unread, then read."""
    required = required or {}
    reads = _reads(member_id)
    owed: list[TodayItem] = []
    unread: list[TodayItem] = []
    done: list[TodayItem] = []
    for material in todays_materials():
        opened, completed = reads.get(material.id, (None, None))
        if material.id in required and completed is None:
            owed.append(TodayItem(material, required[material.id], opened))
        elif opened is None:
            unread.append(TodayItem(material, None, None))
        else:
            done.append(TodayItem(material, None, opened))
    return [*owed, *unread, *done][:limit]


def reading_record(member_id: int, offset: int, limit: int) -> ReadRecord:
    """The materials the member opened, the most recently opened first: `limit` from `offset`."""
    total = db.session.scalar(select(func.count(MaterialRead.id))
                              .where(MaterialRead.member_id == member_id)) or 0
    rows = list(db.session.scalars(
        select(MaterialRead).options(joinedload(MaterialRead.material))
        .where(MaterialRead.member_id == member_id)
        .order_by(MaterialRead.last_opened_at.desc(), MaterialRead.id.desc())
        .offset(offset).limit(limit)))
    return ReadRecord(int(total), rows)
