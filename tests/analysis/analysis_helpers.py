"""Helpers of the 研判 tests: a small committee of two kinds of enterprise, texts written at
given Shanghai moments, and the analysis built the way the console starts it."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Flask
from sqlalchemy import select

from analysis import jobs
from analysis.scope import period_spec
from models import (
    Analysis,
    AuditEntry,
    Member,
    Organization,
    OrgKind,
    Question,
    Reflection,
    ReflectionStatus,
    db,
)
from tests.helpers import SHANGHAI

FILLER = (
    "这次集中学习让我收获很大", "支部组织大家认真研读原文", "结合岗位实际谈了几点想法",
    "会后大家围绕主题展开讨论", "我将把学到的用到日常工作中", "车间里的同事也积极发言",
    "老党员分享了入党时的经历", "青年党员表示要勇挑重担", "我们还观看了专题纪录片",
    "讨论气氛热烈大家畅所欲言", "感到责任重大使命光荣", "要从身边小事做起",
)


def shanghai(text: str) -> datetime:
    """A Shanghai wall-clock time, e.g. "2026-11-30 23:59"."""
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@dataclass(frozen=True)
class Committee:
    """The ids the tests use: members of a foreign and a private enterprise, the admin, a
    contact, and the two organisations."""

    foreign: list[int]
    private: list[int]
    admin: str
    contact: str
    foreign_org: int
    private_org: int


def committee(app: Flask, make_member: Any, size: int = 3) -> Committee:
    """Two organisations (外资 and 民营) of `size` members each, an admin and a contact."""
    foreign = [make_member(f"f{i}", f"外企员{i}", org="外资党支部").id for i in range(size)]
    private = [make_member(f"p{i}", f"民企员{i}", org="民营党支部").id for i in range(size)]
    make_member("a-admin", "管理员甲", org="党委办公室", roles=("admin",))
    make_member("a-contact", "联络员乙", org="外资党支部", roles=("contact",))
    with app.app_context():
        orgs = {o.name: o for o in db.session.scalars(select(Organization))}
        orgs["外资党支部"].kind = OrgKind.FOREIGN
        orgs["民营党支部"].kind = OrgKind.PRIVATE
        db.session.commit()
        return Committee(foreign, private, "a-admin", "a-contact", orgs["外资党支部"].id,
                         orgs["民营党支部"].id)


def sentence(rng: random.Random, *planted: str) -> str:
    """A reflection of filler sentences with the planted phrases among them."""
    parts = rng.sample(FILLER, 3) + [f"特别是{word}方面的内容" for word in planted]
    rng.shuffle(parts)
    return "，".join(parts) + "。"


def reflect(app: Flask, member_id: int, text: str, when: datetime) -> int:
    """A submitted reflection written at `when`; its id."""
    with app.app_context():
        row = Reflection(member_id=member_id, subject_title="学习", text=text,
                         word_count=len(text), status=ReflectionStatus.SUBMITTED,
                         submitted_at=when, created_at=when, updated_at=when)
        db.session.add(row)
        db.session.commit()
        return row.id


def ask(app: Flask, member_id: int, text: str, when: datetime) -> int:
    """A question in the box asked at `when` (open); its id."""
    with app.app_context():
        member = db.session.get(Member, member_id)
        assert member is not None
        org = member.main_organization
        row = Question(member_id=member_id, organization_id=org.id if org else None, text=text,
                       asked_at=when)
        db.session.add(row)
        db.session.commit()
        return row.id


def analyse(app: Flask, unit: str, year: int, number: int,
            scope: dict[str, Any] | None = None, idle_weeks: int = 4) -> dict[str, Any]:
    """Start and build an analysis (the job runs inline); its result."""
    with app.app_context():
        row = jobs.start(period_spec(unit, year, number), scope or {"kind": "all", "values": []},
                         idle_weeks, "test", datetime.now(SHANGHAI))
        db.session.commit()
        jobs.enqueue_analysis(row.id)
        done = db.session.get(Analysis, row.id)
        assert done is not None
        db.session.refresh(done)
        assert done.status == "done", done.error
        assert done.result is not None
        return done.result


def audits(app: Flask, action: str) -> list[AuditEntry]:
    """The audit rows of one action, oldest first."""
    with app.app_context():
        rows = list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)
                                       .order_by(AuditEntry.id)))
        db.session.expunge_all()
        return rows
