"""Media a member sent in WeCom, downloaded with media/get before it expires.

WeCom keeps a temporary media id for 3 days only, so what Pioneer keeps (a handwritten
reflection's photo, a 学习强国 screenshot) is downloaded by a job right after it arrives, and
the bytes are kept in Pioneer's own rows. `download_media` streams the answer and keeps only
an image of at most `limit` bytes; `fetch_image` is the jobs' call of it, saying what came of
it.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

import requests
from wechatpy.enterprise import WeChatClient
from wechatpy.exceptions import WeChatClientException

from bot.wecom import WeComClient, WeComError, WeComRateLimited, WeComUnavailable

log = logging.getLogger(__name__)

MAX_MEDIA_BYTES = 10 * 1024 * 1024
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
    if declared.isdecimal() and int(declared) > limit:
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


def download_media(api: WeChatClient, media_id: str, limit: int = MAX_MEDIA_BYTES) -> Download:
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


def fetch_image(client: WeComClient, media_id: str, what: str) -> Download | str:
    """The image behind `media_id`, or what came instead ("failed", "refused"), logged as `what`.

    Rate limits and outages raise (the job is retried); other WeCom errors, such as an expired
    media id (40007), are "failed"; an answer that is no image, empty or over the limit is
    "refused"."""
    try:
        download = client.call(lambda api: download_media(api, media_id))
    except (WeComRateLimited, WeComUnavailable):
        raise
    except WeComError as exc:
        log.warning("%s not fetched: %s", what, exc)
        return "failed"
    if download.too_big:
        log.warning("%s refused: larger than %s bytes", what, MAX_MEDIA_BYTES)
        return "refused"
    if not download.content_type.startswith("image/") or not download.data:
        log.warning("%s refused: type %r, %s bytes", what, download.content_type,
                    len(download.data))
        return "refused"
    return download
