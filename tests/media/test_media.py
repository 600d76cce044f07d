"""Images for materials: content-checked, re-encoded without metadata, stored once by content,
served publicly by key; and the console's image upload route (admins, JSON)."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from PIL import ExifTags, Image

from content import media_texts as t
from media import images
from media.images import ImageRefused, prepare, store_image
from media.storage import DirectoryStore, key_for
from models import AuditEntry, db
from tests.console_helpers import build_world, login_as, post

LIMIT = 5 * 1024 * 1024
GPS_IFD = ExifTags.IFD.GPSInfo


def picture(fmt: str, size: tuple[int, int] = (40, 20), mode: str = "RGB", **save: Any
            ) -> bytes:
    """A small image in `fmt` made with Pillow."""
    out = io.BytesIO()
    Image.new(mode, size, (30, 120, 200) if mode == "RGB" else 1).save(out, fmt, **save)
    return out.getvalue()


def jpeg_with_gps(orientation: int = 1) -> bytes:
    """A 40×20 JPEG whose EXIF names a GPS position (Shanghai) and an orientation."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "PhoneMaker"
    gps = exif.get_ifd(GPS_IFD)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (31.0, 13.0, 50.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (121.0, 28.0, 20.0)
    return picture("JPEG", exif=exif.tobytes())


def opened(data: bytes) -> Image.Image:
    """The image in `data`, loaded."""
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def refusal(data: bytes, limit: int = LIMIT) -> str:
    """The message `prepare` refuses `data` with."""
    with pytest.raises(ImageRefused) as refused:
        prepare(data, limit)
    return str(refused.value)


# accepted and re-encoded

@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_png_jpeg_and_webp_are_accepted_and_re_encoded(fmt: str):
    """Is each accepted format stored as the same format, from freshly encoded bytes?"""
    original = picture(fmt) + b"trailing bytes after the image"
    prepared = prepare(original, LIMIT)
    assert prepared.format == fmt
    assert prepared.data != original and b"trailing bytes" not in prepared.data
    again = opened(prepared.data)
    assert again.format == fmt and again.size == (40, 20)
    assert prepared.suffix == {"PNG": ".png", "JPEG": ".jpg", "WEBP": ".webp"}[fmt]


def test_exif_with_gps_is_gone_and_orientation_applied():
    """Does a phone photo lose its EXIF (GPS position, maker) yet stay upright?"""
    original = jpeg_with_gps(orientation=6)  # "rotate 90° clockwise to show"
    assert opened(original).getexif().get_ifd(GPS_IFD)  # the test photo does carry GPS
    prepared = prepare(original, LIMIT)
    cleaned = opened(prepared.data)
    assert dict(cleaned.getexif()) == {}
    assert not cleaned.getexif().get_ifd(GPS_IFD)
    assert b"Exif" not in prepared.data and b"PhoneMaker" not in prepared.data
    assert cleaned.size == (20, 40)  # turned upright, so no orientation tag is needed


def test_png_text_chunks_and_webp_exif_are_dropped():
    """Are PNG text chunks and WebP EXIF dropped too (not only JPEG's)?"""
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "secret location")
    png = prepare(picture("PNG", pnginfo=info), LIMIT)
    assert b"secret location" not in png.data and not opened(png.data).text
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    webp = prepare(picture("WEBP", exif=exif.tobytes()), LIMIT)
    assert b"PhoneMaker" not in webp.data and dict(opened(webp.data).getexif()) == {}


def test_large_images_are_shrunk_to_the_maximum_side():
    """Is a 3000×1500 image stored at 2000×1000?"""
    prepared = prepare(picture("PNG", size=(3000, 1500)), LIMIT)
    assert (prepared.width, prepared.height) == (2000, 1000)
    assert opened(prepared.data).size == (2000, 1000)


def test_palette_and_transparent_images_survive():
    """Do a palette PNG with transparency and an RGBA WebP keep their transparency?"""
    palette = Image.new("P", (10, 10), 0)
    palette.putpalette([255, 0, 0, 0, 255, 0] + [0] * 762)
    out = io.BytesIO()
    palette.save(out, "PNG", transparency=0)
    assert opened(prepare(out.getvalue(), LIMIT).data).info.get("transparency") == 0
    rgba = io.BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 0, 0)).save(rgba, "WEBP", lossless=True)
    assert opened(prepare(rgba.getvalue(), LIMIT).data).mode == "RGBA"


@pytest.mark.parametrize(("mode", "fmt", "stored"), [("CMYK", "JPEG", "RGB"),
                                                     ("I;16", "PNG", "RGB"), ("L", "JPEG", "L")])
def test_other_colour_modes_are_stored_in_one_the_format_keeps(mode: str, fmt: str, stored: str):
    """Are a CMYK JPEG and a 16-bit PNG re-encoded in a plain mode, grey kept grey?"""
    out = io.BytesIO()
    Image.new(mode, (30, 20)).save(out, fmt)
    assert opened(prepare(out.getvalue(), LIMIT).data).mode == stored


# refused

def test_svg_is_refused():
    """Is an SVG (script inside) refused as an unsupported type?"""
    svg = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" '
           b'height="10"><script>alert(1)</script></svg>')
    assert refusal(svg) == t.IMAGE_NOT_SUPPORTED


def test_html_is_refused_whatever_its_name():
    """Is HTML refused from its content (the name is never read by `prepare`)?"""
    assert refusal(b"<!doctype html><html><script>alert(1)</script></html>") == (
        t.IMAGE_NOT_SUPPORTED)


@pytest.mark.parametrize("polyglot", [
    b"GIF89a/*\x01\x00\x01\x00\x00\x00\x00*/=1;alert(document.cookie)//",  # GIF header + JS
    None,  # a real GIF followed by a script
], ids=["gif-header-javascript", "gif-then-script"])
def test_polyglots_are_refused(polyglot: bytes | None):
    """Is a file that is a GIF and JavaScript/HTML at once refused?"""
    data = polyglot or picture("GIF") + b"<script>alert(1)</script>"
    assert refusal(data) == t.IMAGE_NOT_SUPPORTED


def test_a_plain_gif_and_a_bmp_are_refused():
    """Are formats other than PNG, JPEG and WebP refused even when they are real images?"""
    assert refusal(picture("GIF")) == t.IMAGE_NOT_SUPPORTED
    assert refusal(picture("BMP")) == t.IMAGE_NOT_SUPPORTED


def test_over_the_limit_is_refused_with_the_limit_named():
    """Is an upload one byte over the limit refused, naming the limit?"""
    data = picture("PNG")
    message = refusal(data, limit=len(data) - 1)
    assert message.startswith("图片超过") and "MB" in message
    assert refusal(b"\x89PNG" + b"0" * LIMIT) == t.IMAGE_TOO_LARGE.format(limit="5 MB")


def test_empty_is_refused():
    """Is an empty upload refused?"""
    assert refusal(b"") == t.IMAGE_EMPTY


def test_a_truncated_image_is_refused_as_broken():
    """Is a PNG cut in the middle refused as broken?"""
    data = picture("PNG", size=(200, 200))
    assert refusal(data[: len(data) // 2]) in (t.IMAGE_BROKEN, t.IMAGE_NOT_SUPPORTED)
    assert refusal(picture("JPEG", size=(200, 200))[:300]) == t.IMAGE_BROKEN


def test_decompression_bombs_are_refused(monkeypatch: pytest.MonkeyPatch):
    """Are images with too many pixels refused before decoding (ours and Pillow's guard)?"""
    monkeypatch.setattr(images, "MAX_PIXELS", 100)
    assert refusal(picture("PNG", size=(20, 20))) == t.IMAGE_TOO_MANY_PIXELS
    monkeypatch.setattr(images, "MAX_PIXELS", 10**9)
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100)  # Pillow's own warning is an error
    assert refusal(picture("PNG", size=(20, 20))) == t.IMAGE_TOO_MANY_PIXELS


# storage

def test_the_same_image_twice_is_stored_once(tmp_path: Path):
    """Does storing the same image twice give the same key and one file?"""
    store = DirectoryStore(tmp_path)
    first = store_image(picture("PNG"), store, LIMIT)
    second = store_image(picture("PNG"), store, LIMIT)
    assert first.key == second.key and first.url == f"/media/{first.key}"
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [first.key]
    assert store.open(first.key) == opened_bytes(store, first.key)
    other = store_image(picture("PNG", size=(41, 20)), store, LIMIT)
    assert other.key != first.key


def opened_bytes(store: DirectoryStore, key: str) -> bytes:
    """The file behind `key`, read straight from the folder."""
    return store.path_for(key).read_bytes()


def test_keys_are_content_addressed(tmp_path: Path):
    """Is the key the SHA-256 of the stored bytes plus the suffix, under a two-digit folder?"""
    store = DirectoryStore(tmp_path)
    key = store.save(b"hello", ".png")
    assert key == key_for(b"hello", ".png")
    assert key == "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824.png"
    assert (tmp_path / "2c" / key).read_bytes() == b"hello"
    with pytest.raises(ValueError):
        store.save(b"x", "../png")


def test_writes_are_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Is a file written to a temporary name in the same folder and renamed into place, and
    does a failed rename leave neither the key nor the temporary file?"""
    store = DirectoryStore(tmp_path)
    renames: list[tuple[str, str]] = []
    real_replace = os.replace

    def record(source: str, target: str) -> None:
        renames.append((str(source), str(target)))
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", record)
    key = store.save(b"first", ".png")
    (source, target), = renames
    assert Path(source).parent == Path(target).parent == tmp_path / key[:2]
    assert Path(source).name.startswith(".upload-") and Path(target).name == key

    def fail(_source: str, _target: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        store.save(b"second", ".png")
    assert store.open(key_for(b"second", ".png")) is None
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [key]


def test_missing_and_malformed_keys_open_as_none(tmp_path: Path):
    """Does `open` answer None for a missing key and for anything that is not a key?"""
    store = DirectoryStore(tmp_path)
    (tmp_path / "secret.txt").write_text("no")
    for key in ("0" * 64 + ".png", "../secret.txt", "secret.txt", "", "0" * 64,
                "/etc/passwd", "0" * 63 + "/.png"):
        assert store.open(key) is None, key


# the public media route and the console upload route

@pytest.fixture
def admin(app: Flask, make_member: Any, sandbox: Any) -> Any:
    """A client logged in as the world's admin."""
    world = build_world(app, make_member)
    client = app.test_client()
    assert login_as(client, sandbox, world.admin).status_code == 303
    return client


def upload(client: Any, data: bytes, name: str = "photo.png",
           content_type: str = "image/png") -> Any:
    """POST an image to the editor's upload route as its JS does (field "file" + csrf)."""
    return post(client, "/console/uploads/image",
                {"file": (io.BytesIO(data), name, content_type)},
                content_type="multipart/form-data")


def test_media_is_served_publicly_with_immutable_caching(app: Flask):
    """Is a stored image served to anyone, typed by its key, cached for ever, nosniff; and a
    missing or malformed key 404?"""
    with app.app_context():
        stored = store_image(picture("PNG"))
    client = app.test_client()  # not logged in: members read on their phones
    response = client.get(stored.url)
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert "Set-Cookie" not in response.headers and "Vary" not in response.headers
    assert opened(response.data).format == "PNG"
    etag = response.headers["ETag"]
    assert client.get(stored.url, headers={"If-None-Match": etag}).status_code == 304
    assert client.head(stored.url).status_code == 200
    html_key = stored.key.replace(".png", ".html")
    for missing in ("0" * 64 + ".png", "..%2F..%2Fetc%2Fpasswd", "not-a-key.png", html_key):
        assert client.get(f"/media/{missing}").status_code == 404, missing
    assert client.get("/media/").status_code == 404  # no listing
    assert client.post(stored.url).status_code == 405  # read-only


def test_reading_pages_allow_same_origin_images():
    """Does the reading pages' CSP let a material show /media images?"""
    from study.reading import CSP

    assert "img-src 'self'" in CSP


def test_image_upload_answers_json_and_audits(app: Flask, admin: Any):
    """Does an admin's upload answer the URL and the Markdown, serve the image, and audit?"""
    response = upload(admin, jpeg_with_gps(), "家门口.jpg", "image/jpeg")
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["url"].startswith("/media/") and body["url"].endswith(".jpg")
    assert body["markdown"] == f"![]({body['url']})"
    served = app.test_client().get(body["url"])
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert not opened(served.data).getexif().get_ifd(GPS_IFD)
    with app.app_context():
        entry = db.session.query(AuditEntry).filter_by(action="media.image.upload").one()
        assert entry.actor == "c-admin" and entry.target == body["url"].rsplit("/", 1)[1]
        assert entry.detail["name"] == "家门口.jpg" and entry.detail["format"] == "JPEG"


def test_image_upload_refusals_are_json(app: Flask, admin: Any):
    """Are HTML named .png, an SVG, an empty file and no file refused with 400 JSON?"""
    html = b"<html><body><script>alert(1)</script></body></html>"
    cases = [(html, "photo.png", "image/png", t.IMAGE_NOT_SUPPORTED),
             (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "a.svg", "image/svg+xml",
              t.IMAGE_NOT_SUPPORTED),
             (b"", "empty.png", "image/png", t.IMAGE_EMPTY)]
    for data, name, kind, message in cases:
        response = upload(admin, data, name, kind)
        assert response.status_code == 400 and response.get_json() == {"error": message}
    response = post(admin, "/console/uploads/image", {}, content_type="multipart/form-data")
    assert response.status_code == 400 and response.get_json() == {"error": t.IMAGE_NO_FILE}
    with app.app_context():
        assert not db.session.query(AuditEntry).filter_by(action="media.image.upload").count()


def test_an_oversized_image_is_refused_in_json_not_a_413_page(app: Flask, admin: Any,
                                                             caplog: pytest.LogCaptureFixture):
    """Is a 6 MB body (over the app's 64 KB cap and the 5 MB image limit) refused unread with
    the JSON message, and a file just over a smaller configured limit too?"""
    caplog.set_level("INFO", logger="console.upload_pages")
    response = upload(admin, b"\x89PNG" + b"0" * (6 * 1024 * 1024))
    assert "upload refused: body of" in caplog.text  # refused on Content-Length, unread
    assert response.status_code == 400
    assert response.get_json() == {"error": t.IMAGE_TOO_LARGE.format(limit="5 MB")}
    app.config["MEDIA_MAX_IMAGE_BYTES"] = "100"
    response = upload(admin, picture("PNG", size=(300, 300)))
    assert response.status_code == 400 and response.get_json()["error"].startswith("图片超过")


def test_image_upload_needs_the_csrf_token(app: Flask, admin: Any):
    """Is an upload without the form's CSRF token refused like any console POST?"""
    response = admin.post("/console/uploads/image",
                          data={"file": (io.BytesIO(picture("PNG")), "a.png")},
                          content_type="multipart/form-data")
    assert response.status_code == 400 and response.mimetype == "text/html"


def test_media_settings_defaults_and_bad_values(tmp_path: Path):
    """Are the defaults 5 MB / 20 MB in the instance folder, and is a malformed limit refused
    at start-up naming the setting?"""
    from bot import tuning
    from bot.feature import Settings
    from media.settings import media_settings
    from pioneer.features import FEATURES

    bare = Flask(__name__, instance_path=str(tmp_path))
    with bare.app_context():
        settings = media_settings()
    assert settings.directory == str(tmp_path / "media")
    assert (settings.max_image_bytes, settings.max_docx_bytes) == (5 * 1024**2, 20 * 1024**2)
    bare.config.update(MEDIA_DIR=str(tmp_path / "elsewhere"), MEDIA_MAX_IMAGE_BYTES="1000")
    with bare.app_context():
        assert media_settings().directory == str(tmp_path / "elsewhere")
        assert media_settings().max_image_bytes == 1000
    bare.config["MEDIA_MAX_DOCX_BYTES"] = "lots"
    with bare.app_context(), pytest.raises(ValueError, match="MEDIA_MAX_DOCX_BYTES"):
        media_settings()
    settings_list = FEATURES.settings()
    assert tuning.from_environment({"MEDIA_DIR": "/srv/media"}, settings_list) == {
        "MEDIA_DIR": "/srv/media"}
    assert Settings(("MEDIA_",), media_settings) in settings_list  # checked at start-up
