"""Is every way a material reaches a member (push, 群发, digest, nudge card) one delivery,
counted once, and does every delivered figure (学习材料, the annual report) read it?"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from broadcasts import compose, sending
from broadcasts.sending import BroadcastDraft
from models import (
    Broadcast,
    Material,
    MaterialDelivery,
    MaterialRead,
    Member,
    PushDelivery,
    PushOccurrence,
    ReflectionStatus,
    db,
)
from nudges import nudges
from reflections.digest import publish_digest
from report import figures as report_figures
from study.links import material_of
from study.pushes import create_push, run_due
from study.stats import by_organization, material_figures
from tests.console_helpers import login_as
from tests.reflections.reflection_helpers import make_reflection
from tests.study_helpers import make_library

NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)  # Tuesday 10:00 in Shanghai: the nudge's day
LONG_AGO = datetime(2026, 1, 1, tzinfo=UTC)
JIA = ("j1", "j2", "j3")  # 甲党支部
YI = ("y1", "y2", "y3")  # 乙党支部


@pytest.fixture
def world(app: Flask, make_member: Any) -> dict[str, int]:
    """Six members of two organisations (on the roster long enough to be idle), an admin, and
    the small library; ids by userid and by slug."""
    library = make_library(app)
    ids = {u: make_member(u, org="甲党支部").id for u in JIA}
    ids |= {u: make_member(u, org="乙党支部").id for u in YI}
    ids["admin"] = make_member("admin", "管理员", org="党委办公室", roles=("admin",)).id
    with app.app_context():
        for member in db.session.scalars(select(Member)):
            member.created_at = LONG_AGO
        db.session.commit()
    return ids | library


def _material(slug: str) -> Material:
    return db.session.scalars(select(Material).where(Material.slug == slug)).one()


def _push(slug: str, at: datetime, audience: dict[str, Any] | None = None) -> None:
    create_push("test", audience or {"kind": "all"}, at, material=_material(slug),
                now=at - timedelta(hours=1))
    db.session.commit()
    run_due(at)


def _broadcast(slug: str, audience: dict[str, Any], key: str) -> Broadcast:
    kind, payload = compose.material_payload(_material(slug), slug)
    row, _ = sending.create(BroadcastDraft("admin", kind, payload, audience), key, NOW)
    db.session.commit()
    return row


def _delivered(material_id: int) -> list[tuple[int, str, str]]:
    return sorted(db.session.execute(
        select(MaterialDelivery.member_id, MaterialDelivery.via, MaterialDelivery.source)
        .where(MaterialDelivery.material_id == material_id)).all())


def _everything(app: Flask, world: dict[str, int]) -> dict[str, int]:
    """Every way out, in order: the nudge card, two pushes of one material, a 群发 of another
    to 甲 and then to everyone, a text 群发, the featured-reflections digest. Returns the
    digest material's id."""
    with app.app_context():
        assert nudges.run_weekly(NOW).idle == 7  # all six members and the admin are idle
        _push("dangshi-1", NOW + timedelta(hours=1))
        _push("dangshi-1", NOW + timedelta(days=1), {"kind": "orgs", "values": ["甲党支部"]})
        org_jia = db.session.scalar(select(Member).where(Member.userid == "j1")
                                    ).main_organization.id
        _broadcast("zhangcheng", {"kind": "orgs", "values": [org_jia]}, "b1")
        _broadcast("zhangcheng", {"kind": "all", "values": []}, "b2")
        kind, payload = compose.text_payload("今晚七点开会")
        sending.create(BroadcastDraft("admin", kind, payload, {"kind": "all", "values": []}),
                       "b3", NOW)
        db.session.commit()
        author = db.session.get(Member, world["j1"])
        db.session.expunge(author)
    make_reflection(app, author, status=ReflectionStatus.FEATURED,
                    reviewed_at=NOW - timedelta(days=2))
    with app.app_context():
        material, _ = publish_digest("test", date(2026, 11, 1), date(2026, 11, 30),
                                     {"kind": "orgs", "values": ["乙党支部"]},
                                     NOW + timedelta(days=2), now=NOW)
        db.session.commit()
        digest_id = material.id
        run_due(NOW + timedelta(days=2))
    return {"digest": digest_id}


def test_each_way_out_is_one_delivery_counted_once(app: Flask, world: dict[str, int]):
    """Do the nudge card, a push sent twice, a 群发 sent twice and the digest each record
    their members once per material, in bulk, beside what push deliveries did before?"""
    made = _everything(app, world)
    members = sorted(world[u] for u in (*JIA, *YI))
    everyone = sorted([*members, world["admin"]])
    with app.app_context():
        shoudaoren = _delivered(world["shoudaoren"])  # today's material: the nudge card's
        assert [m for m, _, _ in shoudaoren] == everyone
        assert {(via, source) for _, via, source in shoudaoren} == {("nudge", "nudge:2026-W48")}
        pushed = _delivered(world["dangshi-1"])
        assert [m for m, _, _ in pushed] == everyone and {v for _, v, _ in pushed} == {"push"}
        # The push's own records are kept: both occurrences, 7 + 3 members.
        assert db.session.scalar(select(func.count()).select_from(PushDelivery)) == 10 + 3
        broadcast = _delivered(world["zhangcheng"])
        assert [m for m, _, _ in broadcast] == everyone
        first = sorted(m for m, _, source in broadcast if source.endswith(":1"))
        assert first == sorted(world[u] for u in JIA)  # 甲 first, the rest by the second
        assert {v for _, v, _ in broadcast} == {"broadcast"}
        digest = _delivered(made["digest"])
        assert [m for m, _, _ in digest] == sorted(world[u] for u in YI)
        assert {v for _, v, _ in digest} == {"digest"}
        # The text 群发 links to no material: nothing else was delivered.
        assert db.session.scalar(select(func.count()).select_from(MaterialDelivery)) == (
            7 + 7 + 7 + 3)


def test_delivered_at_least_read_at_least_completed(app: Flask, world: dict[str, int]):
    """For every pushed or broadcast material: delivered ≥ read ≥ completed, overall and per
    organisation, on 学习材料's figures as on the rows."""
    made = _everything(app, world)
    with app.app_context():
        readers = {"dangshi-1": ("j1", "j2", "y1"), "zhangcheng": JIA + YI,
                   "shoudaoren": ("y3",)}
        for slug, users in readers.items():
            for index, userid in enumerate(users):
                db.session.add(MaterialRead(
                    member_id=world[userid], material_id=world[slug],
                    completed_at=NOW + timedelta(days=3) if index % 2 == 0 else None))
        db.session.add(MaterialRead(member_id=world["y2"], material_id=made["digest"],
                                    completed_at=NOW + timedelta(days=3)))
        db.session.commit()
        sent = set(db.session.scalars(select(PushOccurrence.material_id)))
        sent |= {material_of(b.payload) for b in db.session.scalars(select(Broadcast))} - {None}
        assert sent == {world["dangshi-1"], world["zhangcheng"], made["digest"]}
        by_label = {f.label: f for f in material_figures()}
        for material_id in sent | {world["shoudaoren"]}:
            material = db.session.get(Material, material_id)
            found = by_label[f"{material.slug} {material.title}"]
            assert found.delivered >= found.opened >= found.completed, found
            assert found.delivered > 0
            for row in by_organization(material_id):
                assert row.delivered >= row.opened >= row.completed, row
        assert by_label["zhangcheng 学习党章"].delivered == 7
        assert by_label["zhangcheng 学习党章"].opened == 6
        assert by_label["zhangcheng 学习党章"].completed == 3
        jia = {row.label: row for row in by_organization(world["zhangcheng"])}["甲党支部"]
        assert (jia.delivered, jia.opened, jia.completed) == (3, 3, 2)


def test_the_report_counts_every_way_out(app: Flask, world: dict[str, int]):
    """推送 counts the pushes and material 群发 (次); 送达 every (member, material) once
    (人次); 覆盖 the members and their organisations (人, 个)."""
    _everything(app, world)
    with app.app_context():
        found = report_figures.build(2026, NOW + timedelta(days=3)).figures
    # 2 occurrences of dangshi-1 + 1 of the digest + 2 material 群发 (the text one is not).
    assert found["pushes"] == 5
    assert found["deliveries"] == 7 + 7 + 7 + 3
    assert found["covered_members"] == 7
    assert found["covered_organizations"] == 3  # 甲, 乙 and the admin's 党委办公室
    with app.app_context():
        next_year = report_figures.build(2027, NOW + timedelta(days=3)).figures
    assert (next_year["pushes"], next_year["deliveries"], next_year["covered_members"]) == (
        0, 0, 0)


def test_a_broadcast_by_department_records_the_members(app: Flask, world: dict[str, int]):
    """Sent by WeCom department (no userids in the message), does a material 群发 still record
    the members our own resolution names?"""
    with app.app_context():
        member = db.session.scalar(select(Member).where(Member.userid == "y1"))
        member.main_organization.wecom_dept_id = 77
        db.session.commit()
        row = _broadcast("zhangcheng", {"kind": "orgs",
                                        "values": [member.main_organization.id]}, "dept")
        assert row.outbound.toparty == "77" and row.outbound.touser == ""
        assert [m for m, _, _ in _delivered(world["zhangcheng"])] == sorted(
            world[u] for u in YI)


def test_the_console_shows_delivered(app: Flask, world: dict[str, int], sandbox: Any):
    """Does 学习材料 show 送达人数 beside 阅读人数, with the rule stated?"""
    _everything(app, world)
    client = app.test_client()
    assert login_as(client, sandbox, "admin").status_code == 303
    page = client.get("/console/materials").get_data(as_text=True)
    assert 'id="figures-hint"' in page
    row = page.split(f'/console/materials/{world["zhangcheng"]}"', 1)[1].split("</tr>", 1)[0]
    assert "<td>7</td>" in row
    detail = client.get(f"/console/materials/{world['zhangcheng']}").get_data(as_text=True)
    assert "<td>甲党支部</td><td>3</td>" in detail
