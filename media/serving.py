"""/media/<key>: the images of materials, served to everyone who reads them.

Members open materials on their phones through the tracked-reading pages (/r/...), where
they are not logged in to the console, so the images in a material's body must be public:
read-only, by content-addressed key only (a key is the SHA-256 of the bytes, so it cannot be
guessed and there is no listing), with the content type fixed by the key's suffix, `nosniff`,
a sandboxing CSP, and cached for a year as immutable (a key never changes meaning).
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, request

from media.images import mimetype_for_key
from media.storage import is_key, media_store

bp = Blueprint("media", __name__, url_prefix="/media")

CACHE_FOR_EVER = "public, max-age=31536000, immutable"
CSP = "default-src 'none'; sandbox"  # an image opened on its own can run nothing


@bp.get("/<key>")
def media_file(key: str) -> Response:
    """A stored image, or 404 (also for a malformed key or a non-image suffix)."""
    mimetype = mimetype_for_key(key)
    if mimetype is None or not is_key(key):
        abort(404)
    data = media_store().open(key)
    if data is None:
        abort(404)
    response = Response(data, mimetype=mimetype)
    response.headers["Cache-Control"] = CACHE_FOR_EVER
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = CSP
    response.headers["Referrer-Policy"] = "same-origin"
    response.set_etag(key.partition(".")[0])
    return response.make_conditional(request)
