"""Does the digest of featured reflections respect consent, escape members' text, and push?"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from content import review_texts as texts
from models import (
    AuditEntry,
    Material,
    Member,
    Push,
    Reflection,
    ReflectionStatus,
    db,
    utcnow,
)
from reflections.digest import escape_text, period_name
from study.reading import render_body
from tests.helpers import SHANGHAI, written
from tests.reflections.reflection_helpers import make_reflection

FEATURED = ReflectionStatus.FEATURED
XSS = ("<script>alert(1)</script>\n# heading\n> 引用\n- 列表\n1. 编号\n"
       "[点我](javascript:alert(2))\n~~~\n: 定义\n    缩进代码\n<img src=x onerror=alert(3)>")


@pytest.fixture
def authors(make_member) -> dict[str, Member]:
    """Two members of two organisations."""
    return {"named": make_member("zhangsan", "张三", org="华芯党支部"),
            "anonymous": make_member("wangwu", "王五", org="远景党支部")}


def today() -> date:
    """Today in Asia/Shanghai."""
    return utcnow().astimezone(SHANGHAI).date()


def tomorrow_at_nine() -> str:
    """A push time safely in the future."""
    return f"{today() + timedelta(days=1):%Y-%m-%d} 09:00"


def digest(app: Flask, *extra: str, since: date | None = None) -> tuple[int, str]:
    """Run `reflection digest` for everyone; returns the exit code and output."""
    since = since or today() - timedelta(days=7)
    result = app.test_cli_runner().invoke(args=[
        "reflection", "digest", "--since", f"{since:%Y-%m-%d}", "--all",
        "--at", tomorrow_at_nine(), *extra])
    return result.exit_code, result.output


def test_digest_names_only_with_consent(app: Flask, authors):
    """Is the author named (with organisation) only with consent, and the digest pushed?"""
    recent = utcnow() - timedelta(hours=1)
    make_reflection(app, authors["named"], text="守岛就是守国，有国才有家。", subject="《守岛人》",
                    status=FEATURED, reviewed_at=recent)
    make_reflection(app, authors["anonymous"], text="把初心写在岗位上。", subject="",
                    status=FEATURED, consent_public=False, reviewed_at=recent)
    make_reflection(app, authors["named"], text="未入选的心得。", reviewed_at=recent)
    make_reflection(app, authors["named"], text="很久以前的优秀心得。", status=FEATURED,
                    reviewed_at=recent - timedelta(days=30))
    code, output = digest(app)
    assert code == 0, output
    with app.app_context():
        material = db.session.scalars(select(Material)).one()
        assert material.slug == f"digest-{today().isoformat()}-1"
        assert material.title.startswith("优秀心得选登（") and material.kind == "article"
        assert material.tags == [texts.DIGEST_TAG] and material.published_on == today()
        body = material.body
        assert "张三（华芯党支部）" in body and "守岛就是守国" in body
        assert "王五" not in body and "远景党支部" not in body
        assert texts.DIGEST_AUTHOR_ANONYMOUS in body and "把初心写在岗位上。" in body
        assert "未入选" not in body and "很久以前" not in body
        push = db.session.scalars(select(Push)).one()
        assert push.material_id == material.id and push.audience == {"kind": "all", "values": []}
        actions = [a.action for a in db.session.scalars(select(AuditEntry))]
        assert sorted(actions) == ["push.add", "reflection.digest"]


def test_digest_escapes_members_text(app: Flask, authors):
    """Is HTML- and Markdown-shaped text stored as-is but shown literally on the page?"""
    make_reflection(app, authors["named"], text=XSS, subject="<b>主题</b>",
                    status=FEATURED, reviewed_at=utcnow())
    code, output = digest(app)
    assert code == 0, output
    with app.app_context():
        assert db.session.scalars(select(Reflection.text)).one() == XSS  # stored as-is
        body = db.session.scalars(select(Material.body)).one()
        assert "<script>" not in body and "&lt;script&gt;" in body
        page = str(render_body(body))
    for tag in ("<script", "<img", "<h1", "<blockquote", "<li", "<a ", "<pre", "<code",
                "<dl", "<b>"):
        assert tag not in page, tag
    assert page.count("<h2>") == 1  # the digest's own section heading
    for literal in ("&lt;script&gt;alert(1)&lt;/script&gt;", "# heading", "&gt; 引用",
                    "- 列表", "1. 编号", "[点我](javascript:alert(2))", "&lt;b&gt;主题"):
        assert literal in page, literal


def test_escape_text_keeps_plain_text_readable():
    """Does ordinary text come through the escaping unchanged once rendered?"""
    page = str(render_body(escape_text("第一段：学习党章。\n\n　　第二段 3.5 小时、A&B。")))
    assert page == "<p>第一段：学习党章。</p>\n<p>第二段 3.5 小时、A&amp;B。</p>"


def test_empty_period_is_refused(app: Flask, authors):
    """With no featured reflection in the period, is the digest refused and nothing written?"""
    make_reflection(app, authors["named"], status=FEATURED,
                    reviewed_at=utcnow() - timedelta(days=40))
    make_reflection(app, authors["named"])
    before = written(app)
    code, output = digest(app)
    assert code != 0 and "no featured reflections" in output
    assert written(app) == before


def test_bad_push_writes_nothing(app: Flask, authors):
    """Are a past push time, no audience and reversed dates refused with nothing written?"""
    make_reflection(app, authors["named"], status=FEATURED, reviewed_at=utcnow())
    before = written(app)
    runner = app.test_cli_runner()
    since = f"{today() - timedelta(days=1):%Y-%m-%d}"
    for args, message in [
        (["--since", since, "--all", "--at", "2020-01-01 09:00"], "in the past"),
        (["--since", since, "--at", tomorrow_at_nine()], "exactly one audience"),
        (["--since", since, "--until", "2020-01-01", "--all", "--at", tomorrow_at_nine()],
         "is after"),
        (["--since", since, "--org", "华芯党之部", "--at", tomorrow_at_nine()],
         "no organisation named '华芯党之部'; did you mean: 华芯党支部"),
    ]:
        result = runner.invoke(args=["reflection", "digest", *args])
        assert result.exit_code != 0 and message in result.output, result.output
    assert written(app) == before


def test_period_names():
    """Is a whole month named as a month, and anything else as dates?"""
    assert period_name(date(2026, 11, 1), date(2026, 11, 30)) == "2026年11月"
    assert period_name(date(2026, 11, 3), date(2026, 11, 3)) == "2026年11月3日"
    assert period_name(date(2026, 11, 1), date(2026, 12, 15)) == "2026年11月1日至2026年12月15日"
