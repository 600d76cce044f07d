"""Media settings: where uploaded images are kept and how large an upload may be.

MEDIA_DIR (default: the app's instance folder + /media), MEDIA_MAX_IMAGE_BYTES (5 MB) and
MEDIA_MAX_DOCX_BYTES (20 MB) come from the app config or the environment; docs/media.md."""

from __future__ import annotations

import os
from dataclasses import dataclass

from flask import current_app

MB = 1024 * 1024
DEFAULT_MAX_IMAGE_BYTES = 5 * MB
DEFAULT_MAX_DOCX_BYTES = 20 * MB


@dataclass(frozen=True)
class MediaSettings:
    """The media store's folder and the upload limits in force."""

    directory: str
    max_image_bytes: int = DEFAULT_MAX_IMAGE_BYTES
    max_docx_bytes: int = DEFAULT_MAX_DOCX_BYTES


def _positive(name: str, default: int) -> int:
    """A whole number of bytes from the config, at least 1 (ValueError names the setting)."""
    raw = current_app.config.get(name)
    if raw is None or str(raw).strip() == "":
        return default
    try:
        number = int(str(raw).strip())
    except ValueError:
        raise ValueError(f"{name} must be a whole number of bytes, got {raw!r}") from None
    if number < 1:
        raise ValueError(f"{name} must be at least 1, got {number}")
    return number


def media_settings() -> MediaSettings:
    """The settings from the app config over the defaults."""
    directory = str(current_app.config.get("MEDIA_DIR") or "").strip()
    return MediaSettings(
        directory=directory or os.path.join(current_app.instance_path, "media"),
        max_image_bytes=_positive("MEDIA_MAX_IMAGE_BYTES", DEFAULT_MAX_IMAGE_BYTES),
        max_docx_bytes=_positive("MEDIA_MAX_DOCX_BYTES", DEFAULT_MAX_DOCX_BYTES),
    )


def megabytes(size: int) -> str:
    """A byte limit as people say it: 5 MB, 0.5 MB."""
    value = size / MB
    return f"{value:g} MB" if value >= 1 else f"{value:.2g} MB"
