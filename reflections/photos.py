"""Photos of handwritten reflections: fetched from WeCom (media/get) soon after they arrive.

WeCom keeps a media id for 3 days only, so each photo part is fetched by its own RQ job
right after the part is committed; the bytes then live in the part's row.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from bot.extensions import jobs
from bot.jobs import app_context, run_or_enqueue
from bot.services import wecom_client
from bot.wecom import WeComClient
from media.download import MAX_MEDIA_BYTES, fetch_image
from models import ReflectionPart, db

log = logging.getLogger(__name__)

MAX_PHOTO_BYTES = MAX_MEDIA_BYTES


def fetch_photo(client: WeComClient, part_id: int) -> str:
    """Download one photo part's media and keep it in the row; returns what happened.

    Rate limits and outages raise (the job is retried); other WeCom errors, such as an
    expired media id (40007), are logged and leave the part with its media id and no bytes.
    """
    part = db.session.get(ReflectionPart, part_id)
    if part is None or part.kind != "image" or not part.media_id:
        log.warning("reflection part %s is not a photo to fetch", part_id)
        return "missing"
    if part.image is not None:
        return "already"
    media_id = part.media_id
    download = fetch_image(client, media_id, f"photo of reflection part {part_id}")
    if isinstance(download, str):
        return download
    part.image = download.data
    part.image_type = download.content_type
    db.session.commit()
    log.info("photo of reflection part %s fetched (%s bytes)", part_id, len(download.data))
    return "fetched"


def fetch_photo_job(part_id: int) -> str:
    """RQ job: fetch one photo part (see fetch_photo)."""
    with app_context():
        return fetch_photo(wecom_client(), part_id)


def enqueue_photo_fetch(part_ids: Iterable[int]) -> None:
    """Queue a fetch job for each photo part (call after the parts are committed)."""
    for part_id in part_ids:
        run_or_enqueue(jobs.queue.enqueue, fetch_photo_job, part_id)
