"""Where uploaded media (the images in materials) is kept: a tiny interface and a folder.

A `MediaStore` has three operations:
- `save(data, suffix) -> key` stores the bytes and returns their key;
- `open(key) -> bytes | None` returns them again (None: no such key, or not a key at all);
- `url_for_key(key) -> str` is the URL a material's Markdown uses to show them.

Keys are content-addressed: the SHA-256 of the bytes in hex plus the suffix
("3a7b…e1.png"), so the same image uploaded twice is stored once and a key never changes
meaning (its URL can be cached for ever). `DirectoryStore` keeps each file under
MEDIA_DIR/<first two hex digits>/<key>, written to a temporary file in the same folder and
renamed into place, so a reader never sees half a file and a crash leaves no partial key.

An S3-compatible store (AWS S3, MinIO, Aliyun OSS, Tencent COS) plugs in with the same three
methods and nothing else changes: `save` computes the same key and calls boto3's
`put_object(Bucket=..., Key=key, Body=data, ContentType=..., CacheControl="public,
max-age=31536000, immutable")` (a PUT is atomic there; `head_object` first skips a key that
exists), `open` calls `get_object(...)["Body"].read()` and maps NoSuchKey to None, and
`url_for_key` returns the bucket's or CDN's public URL. `media_store()` picks the store; see
docs/media.md for what else changes (the reading pages' CSP must allow the CDN's host).
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import Protocol

from media.settings import media_settings

KEY_RE = re.compile(r"[0-9a-f]{64}\.[a-z0-9]{1,8}")
SUFFIX_RE = re.compile(r"\.[a-z0-9]{1,8}")
MEDIA_URL_PREFIX = "/media/"  # served publicly by media.serving (members' reading pages)


class MediaStore(Protocol):
    """Somewhere to keep media by content-addressed key."""

    def save(self, data: bytes, suffix: str) -> str:
        """Store `data`; its key (sha256 hex + suffix)."""
        ...

    def open(self, key: str) -> bytes | None:
        """The bytes stored under `key`, or None."""
        ...

    def url_for_key(self, key: str) -> str:
        """The URL that shows the media stored under `key`."""
        ...


def key_for(data: bytes, suffix: str) -> str:
    """The content-addressed key of `data`: sha256 hex + suffix (".png")."""
    suffix = suffix.lower()
    if not SUFFIX_RE.fullmatch(suffix):
        raise ValueError(f"not a file suffix: {suffix!r}")
    return hashlib.sha256(data).hexdigest() + suffix


def is_key(key: str) -> bool:
    """True for a well-formed key (nothing else ever reaches the file system)."""
    return bool(KEY_RE.fullmatch(key))


class DirectoryStore:
    """Media in a folder on this machine, two-level by the key's first two hex digits."""

    def __init__(self, root: str | os.PathLike[str], url_prefix: str = MEDIA_URL_PREFIX
                 ) -> None:
        """A store in `root` (made on first save) whose URLs start with `url_prefix`."""
        self.root = Path(root)
        self.url_prefix = url_prefix if url_prefix.endswith("/") else url_prefix + "/"

    def path_for(self, key: str) -> Path:
        """Where the file of `key` lives (the key must be well-formed)."""
        if not is_key(key):
            raise ValueError(f"not a media key: {key!r}")
        return self.root / key[:2] / key

    def save(self, data: bytes, suffix: str) -> str:
        """Store `data` once: an existing key is left as it is; else temp file, fsync, rename."""
        key = key_for(data, suffix)
        path = self.path_for(key)
        if path.is_file():
            return key
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".upload-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temp, 0o644)  # a web server in front may serve the folder itself
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        return key

    def open(self, key: str) -> bytes | None:
        """The stored bytes, or None for a missing or malformed key."""
        if not is_key(key):
            return None
        try:
            return self.path_for(key).read_bytes()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return None

    def url_for_key(self, key: str) -> str:
        """The public URL of `key`: /media/<key> (same origin as the reading pages)."""
        return self.url_prefix + key


def media_store() -> MediaStore:
    """The store in force: the MEDIA_DIR folder (an S3 store would be chosen here)."""
    return DirectoryStore(media_settings().directory)
