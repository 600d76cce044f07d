"""Word (.docx) into Markdown for the material editor: headings, paragraphs, bold and
italic, lists, tables and images; the title is the first heading.

Why mammoth and not python-docx: mammoth reads what the Word document *means*. It maps
Word's semantic paragraph styles (标题 1/Heading 1, Title, list numbering, tables) to
headings, lists and tables, follows the numbering definitions that make a paragraph a list
item, and hands over each embedded image with its content type. python-docx only exposes the
raw document model (paragraphs, runs, style names, numbering XML), so all of that would have
to be rebuilt here by hand.

Why HTML and then Markdown: mammoth 1.13 still has `convert_to_markdown`, but its Markdown
output is deprecated upstream ("generating HTML and using a separate library to convert the
HTML to Markdown is recommended") and it drops tables altogether. So `convert_to_html` does
the reading and `study.markdown_from_html` (small, and tested on its own) writes Markdown
for Python-Markdown, escaping every character of the document that Markdown or HTML would
read as markup.

Images go through `media.images` like any upload (PNG, JPEG, WebP only; re-encoded without
metadata) into the media store, and the Markdown points at their URLs; an image that is
refused (an EMF drawing, a GIF, a broken file) is left out with a warning naming it.

Refused with a short Chinese message: an empty file, one over MEDIA_MAX_DOCX_BYTES, a file
that is not a Word package (not a zip, or no word/document.xml; an old .doc or a
password-protected file is named as such), a zip that would unpack to more than
MAX_UNPACKED_BYTES, and a package mammoth cannot read.
"""

from __future__ import annotations

import io
import logging
import zipfile
from dataclasses import dataclass, field
from typing import Any

import mammoth

from content import media_texts as t
from media.images import ImageRefused, StoredImage, store_image
from media.settings import media_settings, megabytes
from media.storage import MediaStore, media_store
from study.markdown_from_html import html_to_markdown

log = logging.getLogger(__name__)

WORD_DOCUMENT = "word/document.xml"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, and a password-protected .docx
MAX_UNPACKED_BYTES = 256 * 1024 * 1024  # what the package's parts may add up to unpacked
MAX_PARTS = 10_000
# Word's title styles and the names Chinese Word and WPS give headings, beside mammoth's own
# defaults (Heading 1–6, heading 1–6).
STYLE_MAP = "\n".join(
    ["p[style-name='Title'] => h1:fresh", "p[style-name='Subtitle'] => h2:fresh",
     "p[style-name='标题'] => h1:fresh", "p[style-name='副标题'] => h2:fresh"]
    + [f"p[style-name='标题 {level}'] => h{level}:fresh" for level in range(1, 7)])


class DocxRefused(ValueError):
    """A Word file that cannot be imported; the message is Chinese, for the admin."""


@dataclass
class ImportedDocument:
    """A converted Word file: its Markdown, its title, the images stored and what was left
    out."""

    markdown: str
    title: str | None
    images: list[StoredImage] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _check_package(data: bytes) -> None:
    """Refuse what is not a Word package, or one that would unpack far too large."""
    if data.startswith(OLE_MAGIC):
        raise DocxRefused(t.DOCX_OLD_OR_PROTECTED)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            parts = package.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        raise DocxRefused(t.DOCX_NOT_WORD) from None
    if WORD_DOCUMENT not in {part.filename for part in parts}:
        raise DocxRefused(t.DOCX_NOT_WORD)
    if len(parts) > MAX_PARTS or sum(part.file_size for part in parts) > MAX_UNPACKED_BYTES:
        raise DocxRefused(t.DOCX_UNREADABLE)


class _Images:
    """Mammoth's image callback: each embedded image checked, stored and numbered."""

    def __init__(self, store: MediaStore, result: ImportedDocument) -> None:
        """Images into `store`, recorded on `result`."""
        self.store, self.result = store, result
        self.count = 0
        self.urls: set[str] = set()
        self.limit = media_settings().max_image_bytes

    def __call__(self, image: Any) -> dict[str, str]:
        """The img attributes for one image: its stored URL, or none (left out, warned)."""
        self.count += 1
        try:
            with image.open() as source:
                data = source.read(self.limit + 1)
            stored = store_image(data, self.store, self.limit)
        except ImageRefused as exc:
            reason = str(exc)
        except Exception as exc:  # an image part that is missing or linked from outside
            log.info("docx image %d unreadable: %s: %s", self.count,
                     exc.__class__.__name__, exc)
            reason = t.IMAGE_BROKEN
        else:
            self.result.images.append(stored)
            self.urls.add(stored.url)
            return {"src": stored.url}
        self.result.warnings.append(t.DOCX_IMAGE_SKIPPED.format(number=self.count,
                                                                reason=reason))
        return {}


def import_docx(data: bytes, store: MediaStore | None = None, max_bytes: int | None = None
                ) -> ImportedDocument:
    """A .docx as Markdown (images stored); DocxRefused says why not."""
    limit = max_bytes if max_bytes is not None else media_settings().max_docx_bytes
    if not data:
        raise DocxRefused(t.DOCX_EMPTY)
    if len(data) > limit:
        raise DocxRefused(t.DOCX_TOO_LARGE.format(limit=megabytes(limit)))
    _check_package(data)
    result = ImportedDocument(markdown="", title=None)
    images = _Images(store or media_store(), result)
    try:
        converted = mammoth.convert_to_html(
            io.BytesIO(data), style_map=STYLE_MAP, external_file_access=False,
            convert_image=mammoth.images.img_element(images))
    except Exception as exc:  # malformed XML, missing parts: mammoth raises many kinds
        log.info("docx unreadable: %s: %s", exc.__class__.__name__, exc)
        raise DocxRefused(t.DOCX_UNREADABLE) from None
    for message in converted.messages:
        log.debug("mammoth: %s", message.message)
    result.markdown, result.title = html_to_markdown(converted.value, images.urls.__contains__)
    return result
