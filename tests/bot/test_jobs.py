"""Do queued jobs run on a real RQ worker, as they do in production?"""

from __future__ import annotations

from flask import Flask
from rq import Queue, SimpleWorker

from bot.extensions import redis_store
from bot.jobs import deliver_outbound
from bot.outbox import Outbox
from models import OutboundMessage, OutboundStatus, db
from sandbox.server import SandboxServer


def test_worker_delivers_a_queued_message(app: Flask, sandbox: SandboxServer):
    """Is an enqueued delivery picked up by an RQ worker and sent once?"""
    with app.app_context():
        row = Outbox(db.session).send({"msgtype": "text", "text": {"content": "开会通知"}},
                                      users=["zhangwei"])
        db.session.commit()
        queue = Queue("pioneer-test", connection=redis_store.client)
        queue.enqueue(deliver_outbound, row.id)
        queue.enqueue(deliver_outbound, row.id)  # a duplicate job sends nothing more
        SimpleWorker([queue], connection=redis_store.client).work(burst=True)
        db.session.expire_all()
        assert db.session.get(OutboundMessage, row.id).status == OutboundStatus.SENT
    assert [m["content"]["content"] for m in sandbox.state.inbox_since("zhangwei")] == ["开会通知"]
