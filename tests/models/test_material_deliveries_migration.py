"""Does migration 0025 copy the existing push deliveries into material_deliveries: each
member and material once, at its first occurrence, a digest's as the digest's?"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from models import (
    Material,
    MaterialDelivery,
    Member,
    Push,
    PushDelivery,
    PushOccurrence,
    db,
)

FIRST = datetime(2026, 3, 1, 1, 0, tzinfo=UTC)


def test_push_deliveries_are_backfilled(app: Flask):
    """Two occurrences of one material to the same members count once, at the first; a
    generated digest material counts as the digest; a push that sent nothing copies nothing."""
    with app.app_context():
        db.session.remove()
        downgrade(revision="0024")
        try:
            members = [Member(userid=f"u{i}", name=f"u{i}") for i in range(3)]
            article = Material(slug="a1", title="文章", kind="article",
                               published_on=date(2026, 3, 1))
            digest = Material(slug="digest-2026-03-01-1", title="选登", kind="article",
                              published_on=date(2026, 3, 1))
            push = Push(audience={"kind": "all"}, created_by="test")
            db.session.add_all([*members, article, digest, push])
            db.session.flush()
            first = PushOccurrence(push_id=push.id, due_at=FIRST, material_id=article.id)
            again = PushOccurrence(push_id=push.id, due_at=FIRST + timedelta(days=1),
                                   material_id=article.id)
            digest_sent = PushOccurrence(push_id=push.id, due_at=FIRST + timedelta(days=2),
                                         material_id=digest.id)
            finished = PushOccurrence(push_id=push.id, due_at=FIRST + timedelta(days=3))
            db.session.add_all([first, again, digest_sent, finished])
            db.session.flush()
            db.session.add_all(
                [PushDelivery(occurrence_id=first.id, member_id=m.id) for m in members[:2]]
                + [PushDelivery(occurrence_id=again.id, member_id=m.id) for m in members]
                + [PushDelivery(occurrence_id=digest_sent.id, member_id=members[2].id)])
            db.session.commit()
            ids = {"first": first.id, "again": again.id, "digest": digest_sent.id,
                   "article": article.id, "digest_material": digest.id,
                   "members": [m.id for m in members]}
            db.session.remove()
        finally:
            upgrade()
        rows = sorted(db.session.execute(select(
            MaterialDelivery.member_id, MaterialDelivery.material_id, MaterialDelivery.first_at,
            MaterialDelivery.via, MaterialDelivery.source)).all())
    m0, m1, m2 = ids["members"]
    assert rows == sorted([
        (m0, ids["article"], FIRST, "push", f"occurrence:{ids['first']}"),
        (m1, ids["article"], FIRST, "push", f"occurrence:{ids['first']}"),
        (m2, ids["article"], FIRST + timedelta(days=1), "push", f"occurrence:{ids['again']}"),
        (m2, ids["digest_material"], FIRST + timedelta(days=2), "digest",
         f"occurrence:{ids['digest']}"),
    ])
