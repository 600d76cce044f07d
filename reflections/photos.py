"""Photos of handwritten reflections: fetched from WeCom (media/get) soon after they arrive.

WeCom keeps a media id for 3 days only, so each photo part is fetched by its own RQ job
right after the part is committed; the bytes then live in the part's row.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass

import requests
from wechatpy.enterprise import WeChatClient
from wechatpy.exceptions import WeChatClientException

from bot.extensions import jobs
from bot.jobs import app_context, run_or_enqueue
from bot.services import wecom_client
from bot.wecom import WeComClient, WeComError, WeComRateLimited, WeComUnavailable
from models import ReflectionPart, db

log = logging.getLogger(__name__)

MAX_PHOTO_BYTES = 10 * 1024 * 1024
CHUNK_BYTES = 64 * 1024
ERROR_BODY_BYTES = 4096  # a JSON error answer is tiny
JSON_TYPES = ("application/json", "text/json", "text/plain", "")


@dataclass(frozen=True)
class Download:
    """What media/get answered: the bytes and type, or why they were not kept."""

    content_type: str
    data: bytes = b""
    too_big: bool = False


def _media_type(response: requests.Response) -> str:
    return response.headers.get("Content-Type", "").split(";")[0].strip().lower()


def _read(response: requests.Response, limit: int) -> bytes | None:
    """The body, or None as soon as it is longer than `limit` bytes."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    data = bytearray()
    for chunk in response.iter_content(CHUNK_BYTES):
        data.extend(chunk)
        if len(data) > limit:
            return None
    return bytes(data)


def _raise_errcode(body: bytes | None) -> None:
    """Raise wechatpy's exception for a JSON error answer, so WeComClient.call maps it."""
    try:
        result = json.loads((body or b"").decode("utf-8", "replace"))
    except ValueError:
        return
    if isinstance(result, dict) and int(result.get("errcode", 0) or 0) != 0:
        raise WeChatClientException(int(result["errcode"]), result.get("errmsg", ""))


def download_media(api: WeChatClient, media_id: str, limit: int = MAX_PHOTO_BYTES) -> Download:
    """GET media/get, streamed, keeping only an image of at most `limit` bytes.

    Runs inside WeComClient.call, so token refresh, backoff and error mapping apply.
    """
    response = api._http.get(
        api.API_BASE_URL + "media/get",
        params={"access_token": api.access_token, "media_id": media_id},
        timeout=api.timeout, stream=True,
    )
    with response:
        response.raise_for_status()
        content_type = _media_type(response)
        if not content_type.startswith("image/"):
            if content_type in JSON_TYPES:  # WeCom answers errors as JSON
                _raise_errcode(_read(response, ERROR_BODY_BYTES))
            return Download(content_type)
        data = _read(response, limit)
        return Download(content_type, data or b"", too_big=data is None)


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
    try:
        download = client.call(lambda api: download_media(api, media_id))
    except (WeComRateLimited, WeComUnavailable):
        raise
    except WeComError as exc:
        log.warning("photo of reflection part %s not fetched: %s", part_id, exc)
        return "failed"
    if download.too_big:
        log.warning("photo of reflection part %s refused: larger than %s bytes",
                    part_id, MAX_PHOTO_BYTES)
        return "refused"
    if not download.content_type.startswith("image/") or not download.data:
        log.warning("photo of reflection part %s refused: type %r, %s bytes",
                    part_id, download.content_type, len(download.data))
        return "refused"
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
