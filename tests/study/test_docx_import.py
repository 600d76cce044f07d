"""Word import for the material editor: .docx → Markdown with mammoth (images stored like any
upload), the HTML → Markdown step on its own, refusals, and the console route (JSON)."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import markdown
import pytest
from docx.shared import Inches
from flask import Flask
from PIL import Image

from content import media_texts as t
from media.storage import DirectoryStore
from models import AuditEntry, db
from study.docx_import import DocxRefused, import_docx
from study.markdown_from_html import html_to_markdown
from tests.console_helpers import build_world, login_as, post

IMAGE_URL = re.compile(r"!\[[^\]]*\]\((/media/[0-9a-f]{64}\.png)\)")


def rendered(text: str) -> str:
    """Markdown as the reading pages render it."""
    return markdown.markdown(text, extensions=["extra", "sane_lists"])


def png(size: tuple[int, int] = (60, 30), fmt: str = "PNG") -> io.BytesIO:
    """A small image file."""
    out = io.BytesIO()
    Image.new("RGB", size, (180, 20, 20)).save(out, fmt)
    out.seek(0)
    return out


def word_file(build: Any = None) -> bytes:
    """A .docx made with python-docx: a heading, bold and italic, two lists, a table and an
    image (or whatever `build` writes instead)."""
    document = docx.Document()
    if build is not None:
        build(document)
    else:
        document.add_heading("学习贯彻党的二十大精神", 1)
        paragraph = document.add_paragraph("要深刻领会")
        paragraph.add_run("两个确立").bold = True
        paragraph.add_run("的决定性意义，")
        paragraph.add_run("增强").italic = True
        paragraph.add_run("“四个意识”。")
        document.add_heading("学习安排", 2)
        document.add_paragraph("原原本本学", style="List Bullet")
        document.add_paragraph("联系实际学", style="List Bullet")
        document.add_paragraph("第一阶段", style="List Number")
        document.add_paragraph("第二阶段", style="List Number")
        table = document.add_table(rows=2, cols=2)
        for (row, col), text in {(0, 0): "支部", (0, 1): "时间", (1, 0): "华芯党支部",
                                 (1, 1): "12月5日"}.items():
            table.cell(row, col).text = text
        document.add_picture(png(), width=Inches(1))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture
def media_app(tmp_path: Path) -> Iterator[Flask]:
    """A bare app context whose media store is a temporary folder."""
    app = Flask(__name__)
    app.config["MEDIA_DIR"] = str(tmp_path)
    with app.app_context():
        yield app


def refusal(data: bytes, **kwargs: Any) -> str:
    """The message `import_docx` refuses `data` with."""
    with pytest.raises(DocxRefused) as refused:
        import_docx(data, **kwargs)
    return str(refused.value)


# the HTML → Markdown step

def test_headings_emphasis_lists_and_tables_convert():
    """Does mammoth's vocabulary become the Markdown Python-Markdown reads back the same?"""
    html = ("<h1>标题</h1><p>一<strong>粗</strong><strong>体</strong>和<em>斜体 </em>字</p>"
            "<ul><li>甲<ul><li>甲一</li></ul></li><li><p>乙</p><p>乙续</p></li></ul>"
            "<ol><li>一</li><li>二</li></ol>"
            "<table><tr><th>姓名</th><th>职务</th></tr>"
            "<tr><td><p>张|三</p></td><td colspan=\"2\"><p>书记</p><p>委员</p></td></tr></table>")
    text, title = html_to_markdown(html)
    assert title == "标题"
    assert text.startswith("# 标题\n\n一**粗体**和*斜体* 字\n\n")
    assert "- 甲\n    - 甲一\n- 乙\n\n    乙续" in text
    assert "1. 一\n2. 二" in text
    assert "| 姓名 | 职务 |  |\n| --- | --- | --- |\n| 张\\|三 | 书记 委员 |  |" in text
    html_out = rendered(text)
    assert "<h1>标题</h1>" in html_out and "<strong>粗体</strong>" in html_out
    assert "<em>斜体</em>" in html_out and html_out.count("<ul>") == 2
    assert "<ol>" in html_out and "<td>张|三</td>" in html_out


def test_document_text_never_becomes_markup():
    """Does text that looks like HTML or Markdown read exactly as written?"""
    html = ("<p>&lt;script&gt;alert(1)&lt;/script&gt; *星* _下_ `码` [链](x) {: .c} &amp;lt;</p>"
            "<p># 非标题<br />- 非列表<br />1. 非编号<br />: 非定义<br />===</p>")
    text, _ = html_to_markdown(html)
    out = rendered(text)
    assert "<script>" not in out and "&lt;script&gt;" in out
    for tag in ("<em>", "<strong>", "<code>", "<a ", "<h1>", "<li>", "<dl>", "<h2>"):
        assert tag not in out, tag
    assert "*星* _下_ `码` [链](x) {: .c} &amp;lt;" in out
    assert "# 非标题<br />" in out and "1. 非编号" in out


def test_only_web_links_and_stored_images_are_kept():
    """Are javascript: links and images the caller did not store dropped (text kept)?"""
    html = ('<p><a href="https://example.org/a b">官网</a> <a href="javascript:alert(1)">坏</a>'
            ' <a href="#footnote-1">[1]</a> <img src="/media/ok.png" alt="图" />'
            ' <img src="data:image/svg+xml;base64,AAAA" /></p>')
    text, _ = html_to_markdown(html, keep_image=lambda src: src == "/media/ok.png")
    assert "[官网](https://example.org/a%20b)" in text and "javascript" not in text
    assert "坏" in text and "\\[1\\]" in text
    assert "![图](/media/ok.png)" in text and "data:" not in text


def test_no_heading_means_no_title():
    """Is the title None when the document has no heading, and the first one otherwise?"""
    assert html_to_markdown("<p>正文</p>") == ("正文\n", None)
    assert html_to_markdown("<p>前言</p><h2>二级</h2><h1>一级</h1>")[1] == "二级"
    assert html_to_markdown("") == ("", None)


# .docx → Markdown

def test_a_word_file_becomes_markdown_with_its_image(media_app: Flask, tmp_path: Path):
    """Do the heading, bold, italic, lists, table and image all reach the Markdown, and does
    the image's URL resolve in the media store?"""
    result = import_docx(word_file())
    text = result.markdown
    assert result.title == "学习贯彻党的二十大精神"
    assert text.startswith("# 学习贯彻党的二十大精神\n")
    assert "**两个确立**" in text and "*增强*" in text
    assert "## 学习安排" in text
    assert "- 原原本本学\n- 联系实际学" in text and "1. 第一阶段\n2. 第二阶段" in text
    assert "| 支部 | 时间 |\n| --- | --- |\n| 华芯党支部 | 12月5日 |" in text
    (url,) = IMAGE_URL.findall(text)
    key = url.rsplit("/", 1)[1]
    assert DirectoryStore(tmp_path).open(key) is not None
    assert [image.url for image in result.images] == [url] and result.warnings == []
    out = rendered(text)
    assert "<table>" in out and f'src="{url}"' in out and "<strong>两个确立</strong>" in out


def test_title_style_and_hostile_text(media_app: Flask):
    """Is Word's Title style the title, and a paragraph of HTML kept as text?"""
    def build(document: Any) -> None:
        document.add_heading("党课讲稿", 0)  # the Title style
        document.add_paragraph("<script>alert('x')</script> # 不是标题")

    result = import_docx(word_file(build))
    assert result.title == "党课讲稿"
    out = rendered(result.markdown)
    assert "<script>" not in out and "&lt;script&gt;" in out


def test_unsupported_images_are_left_out_with_a_warning(media_app: Flask):
    """Is a GIF in the document left out, named in a warning, while the rest imports?"""
    def build(document: Any) -> None:
        document.add_paragraph("前文")
        document.add_picture(png(fmt="GIF"))
        document.add_picture(png())

    result = import_docx(word_file(build))
    assert result.warnings == [t.DOCX_IMAGE_SKIPPED.format(number=1,
                                                            reason=t.IMAGE_NOT_SUPPORTED)]
    assert len(IMAGE_URL.findall(result.markdown)) == 1 and "前文" in result.markdown


def test_not_a_word_file_is_refused(media_app: Flask):
    """Are a text file, a zip without word/document.xml and an old .doc refused?"""
    assert refusal(b"just some text, not a zip") == t.DOCX_NOT_WORD
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as package:
        package.writestr("readme.txt", "hello")
    assert refusal(plain_zip.getvalue()) == t.DOCX_NOT_WORD
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512
    assert refusal(ole) == t.DOCX_OLD_OR_PROTECTED


def test_empty_and_oversized_files_are_refused(media_app: Flask):
    """Are an empty file and a 30 MB one refused, the latter naming the 20 MB limit?"""
    assert refusal(b"") == t.DOCX_EMPTY
    assert refusal(b"PK" + b"0" * (30 * 1024 * 1024)) == t.DOCX_TOO_LARGE.format(limit="20 MB")


def test_a_package_mammoth_cannot_read_is_refused(media_app: Flask):
    """Is a zip whose word/document.xml is not XML refused as unreadable?"""
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as package:
        package.writestr("word/document.xml", "this is not xml <<<")
    assert refusal(broken.getvalue()) == t.DOCX_UNREADABLE


def test_a_zip_bomb_is_refused_before_unpacking(media_app: Flask,
                                                monkeypatch: pytest.MonkeyPatch):
    """Is a package that would unpack beyond the limit refused without reading it?"""
    from study import docx_import

    monkeypatch.setattr(docx_import, "MAX_UNPACKED_BYTES", 1000)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/document.xml", "<a/>" + " " * 5000)
    assert refusal(bomb.getvalue()) == t.DOCX_UNREADABLE


# the console route

@pytest.fixture
def admin(app: Flask, make_member: Any, sandbox: Any) -> Any:
    """A client logged in as the world's admin."""
    world = build_world(app, make_member)
    client = app.test_client()
    assert login_as(client, sandbox, world.admin).status_code == 303
    return client


def send(client: Any, data: bytes, name: str = "讲稿.docx") -> Any:
    """POST a Word file to the import route as the editor's JS does."""
    return post(client, "/console/materials/import-docx",
                {"file": (io.BytesIO(data), name, "application/vnd.openxmlformats-"
                                                  "officedocument.wordprocessingml.document")},
                content_type="multipart/form-data")


def test_import_route_answers_markdown_and_title(app: Flask, admin: Any):
    """Does the route answer the Markdown and title, with an image that is served publicly,
    and audit the import?"""
    response = send(admin, word_file())
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["title"] == "学习贯彻党的二十大精神" and body["warnings"] == []
    assert "**两个确立**" in body["markdown"] and "| 支部 | 时间 |" in body["markdown"]
    (url,) = IMAGE_URL.findall(body["markdown"])
    image = app.test_client().get(url)
    assert image.status_code == 200 and image.mimetype == "image/png"
    with app.app_context():
        entry = db.session.query(AuditEntry).filter_by(action="material.import_docx").one()
        assert entry.target == "讲稿.docx" and entry.detail["images"] == [url.rsplit("/")[-1]]


def test_import_route_refusals_are_json(app: Flask, admin: Any):
    """Are a non-Word file, an empty one, no file and a 30 MB one refused with 400 JSON
    (the 30 MB body as JSON, not the app's 413 page)?"""
    cases = [(b"%PDF-1.7 not word", t.DOCX_NOT_WORD), (b"", t.DOCX_EMPTY),
             (b"PK" + b"0" * (30 * 1024 * 1024), t.DOCX_TOO_LARGE.format(limit="20 MB"))]
    for data, message in cases:
        response = send(admin, data)
        assert response.status_code == 400, message
        assert response.get_json() == {"error": message}
    response = post(admin, "/console/materials/import-docx", {},
                    content_type="multipart/form-data")
    assert response.status_code == 400 and response.get_json() == {"error": t.DOCX_NO_FILE}
    with app.app_context():
        assert not db.session.query(AuditEntry).filter_by(action="material.import_docx").count()
