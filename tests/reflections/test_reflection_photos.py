"""Are photos of handwritten reflections fetched from WeCom once, and only when they are images?"""

from __future__ import annotations

import base64

import pytest
from flask import Flask
from rq import Queue, SimpleWorker

from bot.extensions import redis_store
from bot.wecom import WeComRateLimited
from models import Member, Reflection, ReflectionPart, db
from reflections.photos import (
    MAX_PHOTO_BYTES,
    enqueue_photo_fetch,
    fetch_photo,
    fetch_photo_job,
)
from sandbox.server import SandboxServer

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC")


@pytest.fixture
def author(make_member) -> Member:
    """A member who writes a reflection by hand."""
    return make_member("liqiang", "李强", org="华芯党支部")


def photo_part(member: Member, media_id: str) -> int:
    """A draft with one photo part that is not fetched yet; returns the part's id."""
    reflection = Reflection(member_id=member.id, subject_title="手写心得", image_count=1)
    part = ReflectionPart(kind="image", media_id=media_id, source_key=f"msg-{media_id}")
    reflection.parts.append(part)
    db.session.add(reflection)
    db.session.commit()
    return part.id


def stored(part_id: int) -> ReflectionPart:
    """The part as the database holds it now."""
    db.session.expire_all()
    return db.session.get(ReflectionPart, part_id)


def test_fetch_stores_the_photo(app: Flask, sandbox: SandboxServer, author: Member):
    """Are the bytes and the type of a photo kept in its part?"""
    media_id = sandbox.state.add_media(PNG, content_type="image/png", filename="page1.png")
    with app.app_context():
        part_id = photo_part(author, media_id)
        assert fetch_photo(app.extensions["pioneer_wecom"], part_id) == "fetched"
        part = stored(part_id)
        assert part.image == PNG and part.image_type == "image/png"
        assert part.media_id == media_id


def test_second_fetch_does_nothing(app: Flask, sandbox: SandboxServer, author: Member):
    """Does a duplicate job leave a fetched photo alone, without calling WeCom again?"""
    media_id = sandbox.state.add_media(PNG, content_type="image/png", filename="page1.png")
    client = app.extensions["pioneer_wecom"]
    with app.app_context():
        part_id = photo_part(author, media_id)
        fetch_photo(client, part_id)
        assert fetch_photo(client, part_id) == "already"
    assert len(sandbox.state.calls_to("media/get")) == 1


def test_unknown_media_keeps_the_media_id(app: Flask, sandbox: SandboxServer, author: Member):
    """When WeCom no longer knows the media (40007), is nothing stored and nothing raised?"""
    with app.app_context():
        part_id = photo_part(author, "expired-media")
        assert fetch_photo(app.extensions["pioneer_wecom"], part_id) == "failed"
        part = stored(part_id)
        assert part.image is None and part.image_type is None
        assert part.media_id == "expired-media"


def test_non_image_is_refused(app: Flask, sandbox: SandboxServer, author: Member):
    """Is a file that is not an image refused, leaving the part without bytes?"""
    media_id = sandbox.state.add_media(b"%PDF-1.4 fake", content_type="application/pdf",
                                       filename="a.pdf")
    with app.app_context():
        part_id = photo_part(author, media_id)
        assert fetch_photo(app.extensions["pioneer_wecom"], part_id) == "refused"
        assert stored(part_id).image is None


def test_huge_image_is_refused(app: Flask, sandbox: SandboxServer, author: Member):
    """Is an image over 10 MB refused?"""
    media_id = sandbox.state.add_media(b"\xff" * (MAX_PHOTO_BYTES + 1),
                                       content_type="image/jpeg", filename="big.jpg")
    with app.app_context():
        part_id = photo_part(author, media_id)
        assert fetch_photo(app.extensions["pioneer_wecom"], part_id) == "refused"
        assert stored(part_id).image is None


def test_rate_limit_raises_for_a_retry(app: Flask, sandbox: SandboxServer, author: Member):
    """On 45009, does the fetch raise (so RQ retries) and succeed on the next run?"""
    media_id = sandbox.state.add_media(PNG, content_type="image/png", filename="page1.png")
    client = app.extensions["pioneer_wecom"]
    with app.app_context():
        part_id = photo_part(author, media_id)
        sandbox.state.fail_next("media/get", 45009)
        with pytest.raises(WeComRateLimited):
            fetch_photo(client, part_id)
        assert stored(part_id).image is None
        assert fetch_photo(client, part_id) == "fetched"


def test_expired_token_is_refreshed(app: Flask, sandbox: SandboxServer, author: Member):
    """When WeCom says the token expired (42001), is it refreshed and the photo fetched?"""
    media_id = sandbox.state.add_media(PNG, content_type="image/png", filename="page1.png")
    with app.app_context():
        part_id = photo_part(author, media_id)
        sandbox.state.fail_next("media/get", 42001)
        assert fetch_photo(app.extensions["pioneer_wecom"], part_id) == "fetched"
        assert stored(part_id).image == PNG


def test_enqueued_fetch_runs(app: Flask, sandbox: SandboxServer, author: Member):
    """Does enqueue_photo_fetch run the job (inline in tests) and store every photo?"""
    ids = [sandbox.state.add_media(PNG, content_type="image/png", filename=f"p{i}.png")
           for i in range(2)]
    with app.app_context():
        part_ids = [photo_part(author, media_id) for media_id in ids]
        enqueue_photo_fetch(part_ids)
        assert [stored(part_id).image for part_id in part_ids] == [PNG, PNG]


def test_enqueued_fetch_of_unknown_media_does_not_crash(app: Flask, author: Member):
    """Does a job for an expired media id end quietly, leaving the part as it was?"""
    with app.app_context():
        part_id = photo_part(author, "expired-media")
        enqueue_photo_fetch([part_id])
        assert stored(part_id).image is None


def test_worker_fetches_a_queued_photo(app: Flask, sandbox: SandboxServer, author: Member):
    """Is a queued fetch picked up by an RQ worker, as in production?"""
    media_id = sandbox.state.add_media(PNG, content_type="image/jpeg", filename="page1.jpg")
    with app.app_context():
        part_id = photo_part(author, media_id)
        queue = Queue("pioneer-test", connection=redis_store.client)
        queue.enqueue(fetch_photo_job, part_id)
        SimpleWorker([queue], connection=redis_store.client).work(burst=True)
        part = stored(part_id)
        assert part.image == PNG and part.image_type == "image/jpeg"
