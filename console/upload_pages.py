"""The material editor's uploads (admins): an image into the media store, and a Word file
into Markdown. Both take the multipart field "file" (plus the form's "csrf", checked like
every console POST) and answer JSON: 200 with the result, 400 {"error": "<中文>"}.

POST /console/uploads/image          -> {"url": "/media/<key>", "markdown": "![](/media/<key>)"}
POST /console/materials/import-docx  -> {"markdown": "...", "title": "..." | null,
                                         "warnings": ["第 2 张图片未导入：..."]}

The app-wide body limit is sized for WeCom callbacks (64 KB), so these two endpoints raise it
for their request only (console.views.UPLOAD_LIMITS) to the file limit plus room for the
form; a larger body is refused before it is read, in JSON like any other refusal.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Response, jsonify, request
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import RequestEntityTooLarge

from console.auth import guard, viewer
from console.views import UPLOAD_LIMITS, bp
from content import media_texts as t
from media.images import ImageRefused, store_image
from media.settings import media_settings, megabytes
from models import Role, audit, db
from study.docx_import import DocxRefused, import_docx

log = logging.getLogger(__name__)

FORM_ROOM = 64 * 1024  # the multipart framing and the csrf field beside the file
IMAGE_ENDPOINT, DOCX_ENDPOINT = "console.upload_image", "console.import_docx_upload"
UPLOAD_LIMITS[IMAGE_ENDPOINT] = lambda: media_settings().max_image_bytes + FORM_ROOM
UPLOAD_LIMITS[DOCX_ENDPOINT] = lambda: media_settings().max_docx_bytes + FORM_ROOM
# Other pages' answers to a body over their limit (a page, not JSON), by endpoint: the
# blueprint has one handler for the error, this one.
TOO_LARGE_ANSWERS: dict[str, Callable[[], Response]] = {}


def _refuse(message: str) -> Response:
    """400 with the Chinese reason as JSON."""
    response = jsonify(error=message)
    response.status_code = 400
    return response


def _too_large_message() -> str:
    """The size refusal of this request's endpoint."""
    settings = media_settings()
    if request.endpoint == DOCX_ENDPOINT:
        return t.DOCX_TOO_LARGE.format(limit=megabytes(settings.max_docx_bytes))
    return t.IMAGE_TOO_LARGE.format(limit=megabytes(settings.max_image_bytes))


@bp.errorhandler(RequestEntityTooLarge)
def _body_too_large(error: RequestEntityTooLarge) -> Response | RequestEntityTooLarge:
    """A body over the limit: JSON on the editor's endpoints, the page's own answer where
    one is registered (TOO_LARGE_ANSWERS), Werkzeug's 413 elsewhere."""
    answer = TOO_LARGE_ANSWERS.get(request.endpoint or "")
    if answer is not None:
        log.info("upload refused: body of %s bytes on %s", request.content_length,
                 request.endpoint)
        return answer()
    if request.endpoint in (IMAGE_ENDPOINT, DOCX_ENDPOINT):
        log.info("upload refused: body of %s bytes on %s", request.content_length,
                 request.endpoint)
        return _refuse(_too_large_message())
    return error


def _uploaded(limit: int) -> tuple[FileStorage, bytes] | None:
    """The posted file and at most `limit` + 1 of its bytes; None when no file was chosen."""
    upload = request.files.get("file")
    if upload is None:
        return None
    data = upload.read(limit + 1)
    if not data and not upload.filename:
        return None
    return upload, data


def _name(upload: FileStorage) -> str:
    """The uploaded file's name as the browser gave it, cut to fit the audit row."""
    return (upload.filename or "")[:200]


@bp.post("/uploads/image")
@guard(Role.ADMIN)
def upload_image() -> Response:
    """Store an image for a material's body (checked, re-encoded, once per content)."""
    uploaded = _uploaded(media_settings().max_image_bytes)
    if uploaded is None:
        return _refuse(t.IMAGE_NO_FILE)
    upload, data = uploaded
    try:
        stored = store_image(data)
    except ImageRefused as exc:
        return _refuse(str(exc))
    audit(viewer().actor, "media.image.upload", stored.key, name=_name(upload),
          uploaded_bytes=len(data), stored_bytes=stored.size, format=stored.format,
          width=stored.width, height=stored.height)
    db.session.commit()
    return jsonify(url=stored.url, markdown=stored.markdown)


@bp.post("/materials/import-docx")
@guard(Role.ADMIN)
def import_docx_upload() -> Response:
    """Convert a Word file to Markdown for the editor (its images stored)."""
    uploaded = _uploaded(media_settings().max_docx_bytes)
    if uploaded is None:
        return _refuse(t.DOCX_NO_FILE)
    upload, data = uploaded
    try:
        document = import_docx(data)
    except DocxRefused as exc:
        return _refuse(str(exc))
    audit(viewer().actor, "material.import_docx", _name(upload) or "(unnamed)",
          uploaded_bytes=len(data), title=document.title,
          images=[image.key for image in document.images], skipped=len(document.warnings))
    db.session.commit()
    return jsonify(markdown=document.markdown, title=document.title,
                   warnings=document.warnings)
