"""Images for materials: checked from their content, re-encoded clean, then stored.

An upload is accepted only when Pillow, allowed to try nothing but its PNG, JPEG and WebP
readers, opens it, `verify()` passes and the format it reports is one of those three: the file
name and the declared content type are never trusted. So SVG (script inside), HTML renamed
.png, and polyglots such as a GIF header followed by `<script>` are refused, and so is an
image with more than MAX_PIXELS pixels (a decompression bomb: Pillow's DecompressionBomb
warning is an error here), an empty file or one over MEDIA_MAX_IMAGE_BYTES.

What is stored is never the uploaded bytes: the first frame is decoded, turned upright by its
EXIF orientation (`ImageOps.exif_transpose`), shrunk to at most MAX_SIDE pixels a side and
encoded again in the same format with no metadata but the colour profile, so EXIF (with the
GPS position a phone writes), XMP, comments, text chunks and anything appended after the
image data are gone.
"""

from __future__ import annotations

import io
import logging
import warnings
from dataclasses import dataclass
from typing import Any

from PIL import Image, ImageOps, UnidentifiedImageError

from content import media_texts as t
from media.settings import media_settings, megabytes
from media.storage import MediaStore, media_store

log = logging.getLogger(__name__)

# Pillow format -> (stored suffix, content type)
FORMATS: dict[str, tuple[str, str]] = {
    "PNG": (".png", "image/png"),
    "JPEG": (".jpg", "image/jpeg"),
    "WEBP": (".webp", "image/webp"),
}
MIMETYPES = {suffix: mimetype for suffix, mimetype in FORMATS.values()}
MAX_SIDE = 2000  # longest side kept, in pixels (a phone screen needs far less)
MAX_PIXELS = 40_000_000  # about 7,700 × 5,200; anything larger is refused before decoding
JPEG_QUALITY = 85
WEBP_QUALITY = 85
KEPT_MODES = {"PNG": {"1", "L", "LA", "P", "RGB", "RGBA"}, "JPEG": {"L", "RGB"},
              "WEBP": {"RGB", "RGBA"}}


class ImageRefused(ValueError):
    """An upload that is not an acceptable image; the message is Chinese, for the admin."""


@dataclass(frozen=True)
class PreparedImage:
    """A re-encoded image ready to store."""

    data: bytes
    format: str  # PNG, JPEG or WEBP
    width: int
    height: int

    @property
    def suffix(self) -> str:
        """The stored file's suffix (.png, .jpg, .webp)."""
        return FORMATS[self.format][0]

    @property
    def mimetype(self) -> str:
        """The image's content type."""
        return FORMATS[self.format][1]


@dataclass(frozen=True)
class StoredImage:
    """An image in the media store: its key and the URL materials use."""

    key: str
    url: str
    format: str
    width: int
    height: int
    size: int

    @property
    def markdown(self) -> str:
        """The Markdown that shows it."""
        return f"![]({self.url})"


def mimetype_for_key(key: str) -> str | None:
    """The content type of a stored image by its key's suffix (None: not an image key)."""
    _, dot, suffix = key.rpartition(".")
    return MIMETYPES.get(f".{suffix}") if dot else None


def _decode(data: bytes) -> tuple[str, Image.Image]:
    """The format and the upright first frame of `data`, or ImageRefused."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=list(FORMATS)) as probe:
                found = probe.format or ""
                if found not in FORMATS:  # belt and braces: `formats` already restricts
                    raise ImageRefused(t.IMAGE_NOT_SUPPORTED)
                if probe.width * probe.height > MAX_PIXELS:
                    raise ImageRefused(t.IMAGE_TOO_MANY_PIXELS)
                probe.verify()
            with Image.open(io.BytesIO(data), formats=[found]) as image:
                image.load()
                return found, ImageOps.exif_transpose(image)
        except ImageRefused:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageRefused(t.IMAGE_TOO_MANY_PIXELS) from None
        except UnidentifiedImageError:
            raise ImageRefused(t.IMAGE_NOT_SUPPORTED) from None
        except Exception as exc:  # truncated or malformed: Pillow raises many kinds
            log.info("image refused as broken: %s: %s", exc.__class__.__name__, exc)
            raise ImageRefused(t.IMAGE_BROKEN) from None


def _encode(found: str, picture: Image.Image) -> tuple[bytes, tuple[int, int]]:
    """`picture` shrunk to MAX_SIDE and saved as `found` with only its colour profile; the
    bytes and the size."""
    too_big = max(picture.size) > MAX_SIDE
    if picture.mode not in KEPT_MODES[found] or (too_big and picture.mode in ("1", "P")):
        target = "RGBA" if picture.has_transparency_data and found != "JPEG" else "RGB"
        picture = picture.convert("L" if found == "JPEG" and picture.mode == "LA" else target)
    if too_big:
        picture.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    options: dict[str, Any] = {}
    if picture.info.get("icc_profile"):
        options["icc_profile"] = picture.info["icc_profile"]
    if found == "PNG" and picture.info.get("transparency") is not None:
        options["transparency"] = picture.info["transparency"]
    if found == "JPEG":
        options.update(quality=JPEG_QUALITY, optimize=True)
    elif found == "WEBP":
        options.update(quality=WEBP_QUALITY)
    picture.info = {}  # no EXIF, XMP, comment or text chunk is carried over
    out = io.BytesIO()
    picture.save(out, format=found, **options)
    return out.getvalue(), picture.size


def prepare(data: bytes, max_bytes: int | None = None) -> PreparedImage:
    """Check an uploaded image and re-encode it clean; ImageRefused says why not."""
    limit = max_bytes if max_bytes is not None else media_settings().max_image_bytes
    if not data:
        raise ImageRefused(t.IMAGE_EMPTY)
    if len(data) > limit:
        raise ImageRefused(t.IMAGE_TOO_LARGE.format(limit=megabytes(limit)))
    found, picture = _decode(data)
    try:
        encoded, (width, height) = _encode(found, picture)
    except Exception as exc:  # an odd mode or profile Pillow cannot write back
        log.info("image refused on re-encoding: %s: %s", exc.__class__.__name__, exc)
        raise ImageRefused(t.IMAGE_BROKEN) from None
    return PreparedImage(encoded, found, width, height)


def store_image(data: bytes, store: MediaStore | None = None, max_bytes: int | None = None
                ) -> StoredImage:
    """Check, re-encode and store an image (once per content); ImageRefused says why not."""
    prepared = prepare(data, max_bytes)
    store = store or media_store()
    key = store.save(prepared.data, prepared.suffix)
    return StoredImage(key, store.url_for_key(key), prepared.format, prepared.width,
                       prepared.height, len(prepared.data))
