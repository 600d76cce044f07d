"""The console's 学习材料 editor end to end: new / edit forms with errors beside the fields,
one material per create form, 停用 / 恢复, versions, diff and restore, the live preview, and
the one sanitising renderer on the preview and on the members' reading page."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from content import material_texts as mt
from models import AuditEntry, Material, MaterialVersion, db
from study.reading import render_body
from tests.console_helpers import build_world, login_as, post
from tests.helpers import written
from tests.study_helpers import sign_in, token_for

FORM = {"title": "学习党章", "kind": "article", "tags": "党章、冬训", "summary": "党章的总纲",
        "published": "2026-03-01", "minutes": "8", "body": "# 总纲\n\n为人民**服务**。"}
FORM_KEY = re.compile(r'name="form_key" value="([^"]+)"')
BASE = re.compile(r'name="base_version" value="(\d+)"')
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>")
EVIL = ('<script>alert("x")</script>\n\n[点我](javascript:alert(1)) '
        '<img src="x.png" onerror="alert(2)"> <a href="/r/1" onclick="steal()" style="x">链接</a>'
        '\n\n**留下**')


@pytest.fixture
def admin(app: Flask, make_member: Any, sandbox: Any) -> FlaskClient:
    """A client logged in as the committee's admin."""
    world = build_world(app, make_member)
    client = app.test_client()
    assert login_as(client, sandbox, world.admin).status_code == 303
    return client


def new_form(client: FlaskClient) -> tuple[str, str]:
    """The 新建材料 page and the one-time key in it."""
    page = client.get("/console/materials/new")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    return html, FORM_KEY.search(html).group(1)


def create(client: FlaskClient, **fields: str) -> int:
    """Create a material through the form; its id (from the redirect)."""
    _, form_key = new_form(client)
    response = post(client, "/console/materials/new", {**FORM, **fields, "form_key": form_key})
    assert response.status_code == 303, response.get_data(as_text=True)
    return int(urlsplit(response.headers["Location"]).path.rsplit("/", 1)[1])


def material(app: Flask, material_id: int) -> Material:
    """The material (detached)."""
    with app.app_context():
        row = db.session.get(Material, material_id)
        db.session.expunge(row)
        return row


def test_new_form_has_the_editor_preview_and_upload_slots(admin: FlaskClient):
    """Does 新建材料 show every field, the preview pane wired to the preview endpoint, the two
    upload inputs for the upload module, and no inline script?"""
    html, form_key = new_form(admin)
    assert len(form_key) >= 16
    for name in ("title", "slug", "kind", "series", "position", "tags", "summary", "source_url",
                 "cover", "published", "campaign", "minutes", "body"):
        assert f'name="{name}"' in html, name
    assert 'type="date" name="published"' in html and 'id="material-preview"' in html
    assert 'data-url="/console/materials/preview"' in html
    assert '<input type="file" id="image-upload"' in html
    assert 'data-url="/console/uploads/image"' in html
    assert '<input type="file" id="docx-import"' in html
    assert 'data-url="/console/materials/import-docx"' in html
    assert "material_editor.js" in html and not INLINE_SCRIPT.search(html)
    assert admin.get("/console/static/material_editor.js").status_code == 200


def test_create_once_even_when_submitted_twice(app: Flask, admin: FlaskClient):
    """Does the same create form posted twice make one material, both answers leading to it?"""
    _, form_key = new_form(admin)
    data = {**FORM, "form_key": form_key}
    first = post(admin, "/console/materials/new", data)
    second = post(admin, "/console/materials/new", data)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    page = admin.get(second.headers["Location"]).get_data(as_text=True)
    assert mt.ALREADY_CREATED.format(title="《学习党章》") in page
    with app.app_context():
        assert len(list(db.session.scalars(select(Material)))) == 1
        assert len(list(db.session.scalars(select(MaterialVersion)))) == 1


def test_errors_are_shown_beside_their_fields_and_nothing_written(app: Flask,
                                                                   admin: FlaskClient):
    """Is a wrong form shown again (400) with what was typed and each error beside its field,
    in Chinese, and nothing written?"""
    _, form_key = new_form(admin)
    before = written(app)
    response = post(admin, "/console/materials/new",
                    {**FORM, "title": "", "minutes": "0", "series": "专题", "summary": "摘要甲",
                     "form_key": form_key})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert re.search(r'name="title" value=""[^>]*aria-invalid="true"', html)
    assert '<span class="field-error" id="error-title">请填写标题。</span>' in html
    assert 'id="error-minutes">阅读时长（分钟）须为 1 到 600 之间的整数。' in html
    assert 'id="error-position">填写了所属系列，请同时填写系列中的序号。' in html
    assert 'value="摘要甲"' in html and f'value="{form_key}"' in html
    assert mt.FORM_HAS_ERRORS in html
    assert written(app) == before


def test_edit_is_prefilled_saves_a_version_and_refuses_a_stale_form(app: Flask,
                                                                     admin: FlaskClient):
    """Is 编辑 prefilled (slug read-only), does saving make version 2, and is a second save from
    a form opened at version 1 refused with nothing written?"""
    material_id = create(admin)
    page = admin.get(f"/console/materials/{material_id}/edit").get_data(as_text=True)
    assert 'value="学习党章"' in page and 'value="党章、冬训"' in page and "readonly" in page
    assert BASE.search(page).group(1) == "1"
    saved = post(admin, f"/console/materials/{material_id}/edit",
                 {**FORM, "title": "学习新党章", "base_version": "1"})
    assert saved.status_code == 303
    assert "第 2 版" in admin.get(saved.headers["Location"]).get_data(as_text=True)
    assert material(app, material_id).title == "学习新党章"
    before = written(app)
    stale = post(admin, f"/console/materials/{material_id}/edit",
                 {**FORM, "title": "又一次", "base_version": "1"})
    assert stale.status_code == 400
    assert "已被修改（现为第 2 版）" in stale.get_data(as_text=True)
    assert written(app) == before


def test_retire_and_reactivate(app: Flask, admin: FlaskClient):
    """Does 停用 take the material off the list (onto 已停用的材料), and 恢复 put it back?"""
    material_id = create(admin)
    assert "学习党章" in admin.get("/console/materials").get_data(as_text=True)
    retire = post(admin, f"/console/materials/{material_id}/retire")
    assert retire.status_code == 303
    shown = admin.get(retire.headers["Location"]).get_data(as_text=True)
    assert "材料《学习党章》已停用。" in shown
    assert material(app, material_id).active is False
    assert "学习党章" not in admin.get("/console/materials").get_data(as_text=True)
    retired = admin.get("/console/materials/retired").get_data(as_text=True)
    assert "学习党章" in retired and f"/console/materials/{material_id}/reactivate" in retired
    detail = admin.get(f"/console/materials/{material_id}").get_data(as_text=True)
    assert mt.RETIRED in detail and f"/console/materials/{material_id}/edit" in detail
    assert post(admin, f"/console/materials/{material_id}/reactivate").status_code == 303
    assert material(app, material_id).active is True
    with app.app_context():
        actions = list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
        assert actions[-3:] == ["material.create", "material.retire", "material.reactivate"]


def test_versions_diff_and_restore(app: Flask, admin: FlaskClient):
    """Do the versions page, the diff of two versions and 恢复到此版本 work end to end?"""
    material_id = create(admin)
    post(admin, f"/console/materials/{material_id}/edit",
         {**FORM, "title": "新标题", "body": "# 总纲\n\n为人民**服务**到底。"})
    versions = admin.get(f"/console/materials/{material_id}/versions").get_data(as_text=True)
    assert 'name="a" value="1"' in versions and 'name="b" value="2"' in versions
    assert f"/console/materials/{material_id}/versions/1/restore" in versions
    diff = admin.get(f"/console/materials/{material_id}/versions/diff?a=1&b=2")
    html = diff.get_data(as_text=True)
    assert diff.status_code == 200
    assert "<del>学习党章</del>" in html and "<ins>新标题</ins>" in html
    assert '<span class="del">-为人民**服务**。</span>' in html
    assert '<span class="add">+为人民**服务**到底。</span>' in html
    same = admin.get(f"/console/materials/{material_id}/versions/diff?a=1&b=1")
    assert same.status_code == 303
    assert admin.get(f"/console/materials/{material_id}/versions/diff?a=1&b=7").status_code == 404
    restored = post(admin, f"/console/materials/{material_id}/versions/1/restore")
    assert restored.status_code == 303
    assert "已恢复到第 1 版（保存为第 3 版）" in admin.get(restored.headers["Location"]).get_data(
        as_text=True)
    assert material(app, material_id).title == "学习党章"
    assert post(admin, f"/console/materials/{material_id}/versions/9/restore"
                ).status_code == 404


def test_list_and_detail_link_to_the_editor(admin: FlaskClient):
    """Do the materials list and a material's page link to 新建, 编辑 and 版本记录?"""
    material_id = create(admin)
    listing = admin.get("/console/materials").get_data(as_text=True)
    assert "/console/materials/new" in listing and "/console/materials/retired" in listing
    assert f"/console/materials/{material_id}/edit" in listing
    detail = admin.get(f"/console/materials/{material_id}").get_data(as_text=True)
    assert f"/console/materials/{material_id}/versions" in detail
    assert f"/console/materials/{material_id}/retire" in detail


def test_long_body_is_accepted(app: Flask, admin: FlaskClient):
    """Is a chapter longer than the app-wide body limit (64 KB) saved and previewed?"""
    body = "长篇正文。" * 8000  # 120 KB of UTF-8
    material_id = create(admin, body=body)
    assert material(app, material_id).body == body
    preview = post(admin, "/console/materials/preview", {"body": body})
    assert preview.status_code == 200 and len(preview.get_data()) > 100_000


def assert_inert(html: str) -> None:
    """No script, javascript: URL, event handler or style attribute survived."""
    lowered = html.lower()
    assert "<script" not in lowered and "javascript:" not in lowered
    assert "onerror" not in lowered and "onclick" not in lowered and "style=" not in lowered
    assert 'alert("x")' not in html


RENDERED = [
    # (case, Markdown, what the HTML must hold, what it must not)
    ("script", "<script>alert(1)</script>正文", "正文", "<script"),
    ("javascript link", "[x](javascript:alert(1))", "<a rel=", "javascript:"),
    ("mixed-case scheme", '<a href="JaVaScRiPt:alert(1)">x</a>', "<a rel=", "alert"),
    ("onerror", '<img src="a.png" onerror="alert(1)">', '<img src="a.png">', "onerror"),
    ("style", '<p style="position:fixed">x</p>', "<p>x</p>", "style"),
    ("iframe", '<iframe src="https://evil.example"></iframe>', "", "iframe"),
    ("data image", "![x](data:image/png;base64,AAAA)", '<img alt="x">', "data:"),
    ("relative and mail links", "[a](/r/1) [b](mailto:a@b.cn)",
     '<a href="mailto:a@b.cn" rel="noopener noreferrer">b</a>', "javascript"),
    ("table alignment", "| a | b |\n|:-|-:|\n| 1 | 2 |", '<td align="right">2</td>', "style"),
    ("footnote", "正文[^1]\n\n[^1]: 注释", '<li id="fn:1">', "class="),
    ("foreign id", '<li id="main">x</li>', "<li>x</li>", 'id="main"'),
]


@pytest.mark.parametrize(("body", "kept", "gone"), [case[1:] for case in RENDERED],
                         ids=[case[0] for case in RENDERED])
def test_the_renderer_keeps_markdown_and_drops_the_rest(body: str, kept: str, gone: str):
    """Does the one renderer keep what Markdown extra makes and drop anything active?"""
    html = str(render_body(body))
    assert kept in html and gone not in html.lower(), html


def test_preview_is_the_sanitised_renderer(admin: FlaskClient):
    """Does the preview answer the body as the one renderer makes it: Markdown rendered, a
    script, a javascript: link and on* / style attributes removed?"""
    response = post(admin, "/console/materials/preview", {"body": EVIL})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert_inert(html)
    assert "<strong>留下</strong>" in html and '<img src="x.png">' in html
    assert '<a href="/r/1" rel="noopener noreferrer">链接</a>' in html
    assert admin.post("/console/materials/preview", data={"body": "x"}).status_code == 400


def test_reading_page_renders_the_body_inert(app: Flask, admin: FlaskClient, sandbox: Any,
                                             make_member: Any):
    """Does a member's reading page show the same body with the script, the javascript: link
    and the onerror attribute gone?"""
    material_id = create(admin, body=EVIL)
    make_member("zhangsan")
    page = sign_in(app.test_client(), sandbox, token_for(app, material_id, "zhangsan"),
                   "zhangsan")
    html = page.get_data(as_text=True)
    body = re.search(r'<div class="body">(.*?)</div>\s*</article>', html, re.S).group(1)
    assert page.status_code == 200 and "<strong>留下</strong>" in body
    own = '<script src="/r/static/reading.js" defer></script>'  # the page's heartbeat, once
    assert html.count(own) == 1
    assert_inert(html.replace(own, ""))
    preview = post(admin, "/console/materials/preview", {"body": EVIL}).get_data(as_text=True)
    assert body.strip() == preview.strip()  # the very same HTML as the console's preview


def test_other_roles_are_refused_and_nothing_written(app: Flask, make_member: Any,
                                                     sandbox: Any, admin: FlaskClient):
    """Does a contact get 403 on every editor action, on a real material, with nothing
    written?"""
    material_id = create(admin)
    contact = app.test_client()
    assert login_as(contact, sandbox, "c-here").status_code == 303
    before = written(app)
    for path, data in [
        ("/console/materials/new", {**FORM, "form_key": "k" * 24}),
        (f"/console/materials/{material_id}/edit", {**FORM, "title": "联络员改"}),
        (f"/console/materials/{material_id}/retire", {}),
        (f"/console/materials/{material_id}/reactivate", {}),
        (f"/console/materials/{material_id}/versions/1/restore", {}),
        ("/console/materials/preview", {"body": "x"}),
    ]:
        assert post(contact, path, data).status_code == 403, path
    for path in (f"/console/materials/{material_id}/edit",
                 f"/console/materials/{material_id}/versions"):
        assert contact.get(path).status_code == 403, path
    assert written(app) == before
    assert material(app, material_id).title == "学习党章"


def test_a_stored_script_is_text_on_every_editor_page(admin: FlaskClient):
    """Is a script typed into the title and the summary shown as text on the editor's pages
    (edit, versions, diff, retired list)?"""
    raw = "<script>alert(1)</script>"
    material_id = create(admin, title=f"标题{raw}", summary=f"摘要{raw}")
    post(admin, f"/console/materials/{material_id}/edit",
         {**FORM, "title": f"新{raw}", "summary": f"摘要{raw}"})
    post(admin, f"/console/materials/{material_id}/retire")
    for path in (f"/console/materials/{material_id}/edit",
                 f"/console/materials/{material_id}/versions",
                 f"/console/materials/{material_id}/versions/diff?a=1&b=2",
                 f"/console/materials/{material_id}", "/console/materials/retired"):
        page = admin.get(path).get_data(as_text=True)
        assert raw not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page, path
